#pragma once

#include "common/parseresult.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dispatch {

enum class EmotionalState
{
    Unknown,
    Calm,
    Distressed,
    Panicked,
    Unresponsive
};
enum class ResponseType
{
    Unknown,
    Medical,
    Police,
    Fire
};
// Who produced an assessment. The dispatcher always has the final say.
enum class TriageSource
{
    Local,
    Gemini,
    Dispatcher
};

// How far an assessment can be trusted at a glance. The engine says so; consoles show anything
// but Normal muted, without a confident headline and without critical styling of its own.
enum class TriageConfidence
{
    Normal,
    KeywordsOnly, // the recognizer was degraded: only spotted keyphrases were heard
    Low           // the engine worked with reduced capability otherwise (e.g. no recognizer)
};

// One piece of provenance: which evidence produced which field ("severity" <- phrase
// "not breathing", "can_speak" <- "caller typed instead of talking", ...).
struct TriageEvidence
{
    QString field;
    QString evidence;
    QString detail;

    bool operator==(const TriageEvidence &o) const
    {
        return field == o.field && evidence == o.evidence && detail == o.detail;
    }
};

// The assessment of one call at one moment, as produced by any TriageBackend.
struct TriageReport
{
    static constexpr int MinSeverity = 1;
    static constexpr int MaxSeverity = 5;
    static constexpr qsizetype MaxSummaryChars = 500;
    static constexpr qsizetype MaxKeywords = 20;
    static constexpr qsizetype MaxKeywordChars = 60;

    QString situationSummary;
    QStringList detectedKeywords;
    EmotionalState emotionalState = EmotionalState::Unknown;
    ResponseType responseType = ResponseType::Unknown;
    int severity = MinSeverity;
    bool canSpeak = true;
    bool critical = false;
    QString criticalReason;
    TriageSource source = TriageSource::Local;
    QDateTime producedAt;
    QList<TriageEvidence> provenance;
    TriageConfidence confidence = TriageConfidence::Normal;
    QString confidenceReason; // why it is not Normal, as the engine put it (bounded)
    // A dispatcher's override: why, in their words (bounded like the summary); empty otherwise.
    QString note;

    bool isLowConfidence() const { return confidence != TriageConfidence::Normal; }
    // Same assessment (ignores time, provenance and the confidence reason): used to report on
    // meaningful change only.
    bool sameAssessment(const TriageReport &o) const;
};

QString toString(EmotionalState s);
QString toString(ResponseType t);
QString toString(TriageSource s);
QString toString(TriageConfidence c);
std::optional<EmotionalState> emotionalStateFromString(const QString &s);
std::optional<ResponseType> responseTypeFromString(const QString &s);
std::optional<TriageSource> triageSourceFromString(const QString &s);
std::optional<TriageConfidence> triageConfidenceFromString(const QString &s);

// The seed's wire shape: situation_summary, detected_keywords, caller_emotional_state,
// recommended_response_type, severity, can_speak (+ critical, source, provenance, produced_at,
// and confidence/confidence_reason when the confidence is not normal, note when there is one).
QJsonObject toJson(const TriageReport &r);

// Validates and clamps a report from an untrusted producer (a model, a remote console):
// unknown enum values become Unknown, severity is clamped to 1-5, strings are bounded. A note is
// read only for a Dispatcher report (a model has no say there).
// Only a non-object or a report with no usable field at all is an error.
Parsed<TriageReport> triageReportFromJson(const QJsonObject &o, TriageSource source);
// The inverse of toJson() for a report another console published (its source, production time
// and provenance kept), validated and bounded like triageReportFromJson().
Parsed<TriageReport> triageReportFromWire(const QJsonObject &o);

} // namespace dispatch
