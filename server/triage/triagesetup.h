#pragma once

// The `setup` of a triage session: a silent listener that reports through tools (reference §3,
// §4.3, §8). Pure: no sockets.

#include "gemini/livemessages.h"
#include "gemini/modelcapabilities.h"

#include <QString>

namespace dispatch::gemini {

class ToolRegistry;

// The current stable model (gemini::currentStableModel()): the default when a key is set and no
// model is given.
QString defaultTriageModel();

struct TriageSetupOptions
{
    QString model = defaultTriageModel();
    LiveBackend backend = LiveBackend::GeminiApi; // whose row of the capability table applies
    // responseModalities ["TEXT"] and JSON reports in the streamed text (JsonReportExtractor), for
    // models that still accept TEXT. Native-audio and 3.x models refuse it (1007/1011, §8).
    bool textReports = false;
    QString systemInstruction; // empty: triageSystemInstruction(textReports)
};

QString triageSystemInstruction(bool textReports);

// AUDIO (discarded by the caller of this function, never played), input and output transcription
// at setup level, sliding-window compression, resumption (with `resumptionHandle` when resuming),
// no barge-in (activityHandling NO_INTERRUPTION) and every tool of `tools`: NON_BLOCKING where
// the model's row of the capability table (gemini/modelcapabilities.h) accepts it, no `behavior`
// otherwise (the model's default; unknown models get the conservative row: blocking).
LiveSetup buildTriageSetup(const TriageSetupOptions &options, const ToolRegistry &tools,
                           const QString &resumptionHandle = QString());

} // namespace dispatch::gemini
