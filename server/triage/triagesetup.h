#pragma once

// The `setup` of a triage session: a silent listener that reports through tools (reference §3,
// §4.3, §8). Pure: no sockets.

#include "gemini/livemessages.h"

#include <QString>

namespace dispatch::gemini {

class ToolRegistry;

// Native audio, 2.x (NON_BLOCKING tools work), the model most examples use today (§8).
QString defaultTriageModel();

struct TriageSetupOptions
{
    QString model = defaultTriageModel();
    // responseModalities ["TEXT"] and JSON reports in the streamed text (JsonReportExtractor), for
    // models that still accept TEXT. Native-audio and 3.x models refuse it (1007/1011, §8).
    bool textReports = false;
    QString systemInstruction; // empty: triageSystemInstruction(textReports)
};

// "gemini-2.5-flash-...", "models/gemini-live-2.5-...", "gemini-3.1-..." -> 2, 2, 3; 0 if unknown.
int modelMajorVersion(const QString &model);
// NON_BLOCKING declarations and the `scheduling` field: 2.x on the Gemini API only (§4.3, §9.8).
// Unknown names get BLOCKING, which every model accepts.
bool supportsNonBlockingTools(const QString &model);

QString triageSystemInstruction(bool textReports);

// AUDIO (discarded by the caller of this function, never played), input and output transcription
// at setup level, sliding-window compression, resumption (with `resumptionHandle` when resuming),
// no barge-in (activityHandling NO_INTERRUPTION) and every tool of `tools` (NON_BLOCKING where
// the model supports it).
LiveSetup buildTriageSetup(const TriageSetupOptions &options, const ToolRegistry &tools,
                           const QString &resumptionHandle = QString());

} // namespace dispatch::gemini
