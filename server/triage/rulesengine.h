#pragma once

#include "domain/call.h"
#include "domain/triagereport.h"
#include "triage/triagerules.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <optional>

namespace dispatch {

// Everything the rules look at for one call at one moment.
struct TriageInput
{
    // Caller speech (final segments and the latest partial) and typed text, oldest first.
    // Dispatcher and AI segments are ignored.
    QList<TranscriptSegment> segments;
    std::optional<VitalsSample> vitals; // the latest reading
    // Audio time since the caller last spoke on the answered call; 0 while speaking or before
    // the caller said anything.
    qint64 silenceAfterSpeechMs = 0;
    // The transcript comes from the keyword spotter only (the recognizer is degraded).
    bool keywordSpottingOnly = false;
    // Indices into `segments` of speech the recognizer itself was unsure of (noise,
    // misrecognition): their words may raise an assessment but never lower one.
    QSet<qsizetype> lowConfidenceSegments;
    // Most of the call's speech was recognized with low confidence: nothing heard can rule out
    // an emergency, so the severity is at least rules.lowConfidence.minSeverity.
    bool recognitionPoor = false;
    // Other hypotheses of a recognized segment (index into `segments`), from the recognizer's
    // N-best list. Read for critical findings only: they may raise the severity and the
    // critical flag, never the response type, and never lower anything.
    QHash<qsizetype, QStringList> alternatives;
};

// Turns a call's evidence into an assessment. Pure and deterministic: the same rules and input
// always give the same report (producedAt is left unset for the caller to stamp). Every field
// that is not a default carries provenance: which phrase, reading or cue produced it.
TriageReport assessTriage(const TriageRules &rules, const TriageInput &input);

// True when the input holds anything the rules could use (speech, text, vitals).
bool hasEvidence(const TriageInput &input);

} // namespace dispatch
