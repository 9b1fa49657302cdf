#include "domain/triagereport.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dispatch {

bool TriageReport::sameAssessment(const TriageReport &o) const
{
    return situationSummary == o.situationSummary && detectedKeywords == o.detectedKeywords &&
           emotionalState == o.emotionalState && responseType == o.responseType &&
           severity == o.severity && canSpeak == o.canSpeak && critical == o.critical &&
           confidence == o.confidence && note == o.note;
}

QString toString(EmotionalState s)
{
    switch (s) {
    case EmotionalState::Calm:
        return QStringLiteral("calm");
    case EmotionalState::Distressed:
        return QStringLiteral("distressed");
    case EmotionalState::Panicked:
        return QStringLiteral("panicked");
    case EmotionalState::Unresponsive:
        return QStringLiteral("unresponsive");
    case EmotionalState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString toString(ResponseType t)
{
    switch (t) {
    case ResponseType::Medical:
        return QStringLiteral("medical");
    case ResponseType::Police:
        return QStringLiteral("police");
    case ResponseType::Fire:
        return QStringLiteral("fire");
    case ResponseType::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString toString(TriageSource s)
{
    switch (s) {
    case TriageSource::Gemini:
        return QStringLiteral("gemini");
    case TriageSource::Dispatcher:
        return QStringLiteral("dispatcher");
    case TriageSource::Local:
        break;
    }
    return QStringLiteral("local");
}

QString toString(TriageConfidence c)
{
    switch (c) {
    case TriageConfidence::KeywordsOnly:
        return QStringLiteral("keywords_only");
    case TriageConfidence::Low:
        return QStringLiteral("low");
    case TriageConfidence::Normal:
        break;
    }
    return QStringLiteral("normal");
}

std::optional<TriageConfidence> triageConfidenceFromString(const QString &s)
{
    for (auto v :
         {TriageConfidence::Normal, TriageConfidence::KeywordsOnly, TriageConfidence::Low}) {
        if (s == toString(v))
            return v;
    }
    return std::nullopt;
}

std::optional<TriageSource> triageSourceFromString(const QString &s)
{
    for (auto v : {TriageSource::Local, TriageSource::Gemini, TriageSource::Dispatcher}) {
        if (s == toString(v))
            return v;
    }
    return std::nullopt;
}

std::optional<EmotionalState> emotionalStateFromString(const QString &s)
{
    for (auto v : {EmotionalState::Unknown, EmotionalState::Calm, EmotionalState::Distressed,
                   EmotionalState::Panicked, EmotionalState::Unresponsive}) {
        if (s.compare(toString(v), Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}

std::optional<ResponseType> responseTypeFromString(const QString &s)
{
    for (auto v :
         {ResponseType::Unknown, ResponseType::Medical, ResponseType::Police, ResponseType::Fire}) {
        if (s.compare(toString(v), Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}

QJsonObject toJson(const TriageReport &r)
{
    QJsonObject o{
        {QStringLiteral("situation_summary"), r.situationSummary},
        {QStringLiteral("detected_keywords"), QJsonArray::fromStringList(r.detectedKeywords)},
        {QStringLiteral("caller_emotional_state"), toString(r.emotionalState)},
        {QStringLiteral("recommended_response_type"), toString(r.responseType)},
        {QStringLiteral("severity"), r.severity},
        {QStringLiteral("can_speak"), r.canSpeak},
        {QStringLiteral("critical"), r.critical},
        {QStringLiteral("source"), toString(r.source)},
    };
    if (!r.criticalReason.isEmpty())
        o.insert(QStringLiteral("critical_reason"), r.criticalReason);
    if (r.producedAt.isValid())
        o.insert(QStringLiteral("produced_at"), r.producedAt.toString(Qt::ISODateWithMs));
    if (r.isLowConfidence()) {
        o.insert(QStringLiteral("confidence"), toString(r.confidence));
        if (!r.confidenceReason.isEmpty())
            o.insert(QStringLiteral("confidence_reason"), r.confidenceReason);
    }
    if (!r.note.isEmpty())
        o.insert(QStringLiteral("note"), r.note);
    if (!r.provenance.isEmpty()) {
        QJsonArray prov;
        for (const auto &e : r.provenance)
            prov.append(QJsonObject{{QStringLiteral("field"), e.field},
                                    {QStringLiteral("evidence"), e.evidence},
                                    {QStringLiteral("detail"), e.detail}});
        o.insert(QStringLiteral("provenance"), prov);
    }
    return o;
}

// Deliberately lenient, unlike json::FieldReader (which refuses a message with one bad field):
// a model's report keeps every field that is usable, takes "4" for 4 and clamps a severity out
// of range, because dropping a whole assessment over one odd field would hide the rest of it
// from the dispatcher. Only a report with nothing usable is refused.
Parsed<TriageReport> triageReportFromJson(const QJsonObject &o, TriageSource source)
{
    TriageReport r;
    r.source = source;
    int usable = 0;

    if (const auto v = o.value(QLatin1String("situation_summary")); v.isString()) {
        r.situationSummary = v.toString().left(TriageReport::MaxSummaryChars).trimmed();
        ++usable;
    }
    if (const auto v = o.value(QLatin1String("detected_keywords")); v.isArray()) {
        for (const auto &k : v.toArray()) {
            if (r.detectedKeywords.size() >= TriageReport::MaxKeywords)
                break;
            if (k.isString() && !k.toString().trimmed().isEmpty())
                r.detectedKeywords.append(
                    k.toString().trimmed().left(TriageReport::MaxKeywordChars));
        }
        ++usable;
    }
    if (const auto v = o.value(QLatin1String("caller_emotional_state")); v.isString()) {
        r.emotionalState = emotionalStateFromString(v.toString()).value_or(EmotionalState::Unknown);
        ++usable;
    }
    if (const auto v = o.value(QLatin1String("recommended_response_type")); v.isString()) {
        r.responseType = responseTypeFromString(v.toString()).value_or(ResponseType::Unknown);
        ++usable;
    }
    if (const auto v = o.value(QLatin1String("severity")); v.isDouble() || v.isString()) {
        bool ok = v.isDouble();
        double d = ok ? v.toDouble() : v.toString().toDouble(&ok);
        if (ok && std::isfinite(d)) {
            // Clamp before converting: 3e9 or 1e300 must mean "5", not wrap around to "1".
            r.severity = static_cast<int>(std::lround(std::clamp(
                d, double(TriageReport::MinSeverity), double(TriageReport::MaxSeverity))));
            ++usable;
        }
    }
    if (const auto v = o.value(QLatin1String("can_speak")); v.isBool()) {
        r.canSpeak = v.toBool();
        ++usable;
    }
    if (const auto v = o.value(QLatin1String("critical")); v.isBool())
        r.critical = v.toBool();
    if (const auto v = o.value(QLatin1String("critical_reason")); v.isString())
        r.criticalReason = v.toString().left(TriageReport::MaxSummaryChars);
    if (const auto v = o.value(QLatin1String("note"));
        v.isString() && source == TriageSource::Dispatcher)
        r.note = v.toString().left(TriageReport::MaxSummaryChars).trimmed();

    if (usable == 0)
        return ProtocolError{QStringLiteral("bad_report"),
                             QStringLiteral("triage report has no usable field")};
    return r;
}

Parsed<TriageReport> triageReportFromWire(const QJsonObject &o)
{
    const auto source = triageSourceFromString(o.value(QLatin1String("source")).toString());
    if (!source)
        return ProtocolError{QStringLiteral("bad_report"),
                             QStringLiteral("triage report has no valid source")};
    auto report = triageReportFromJson(o, *source);
    if (!report)
        return report;
    TriageReport r = report.value();
    r.producedAt =
        QDateTime::fromString(o.value(QLatin1String("produced_at")).toString(), Qt::ISODateWithMs);
    // An unknown confidence from a newer host is taken as low: never shown as more certain.
    if (const auto v = o.value(QLatin1String("confidence")); v.isString())
        r.confidence = triageConfidenceFromString(v.toString()).value_or(TriageConfidence::Low);
    if (r.isLowConfidence())
        r.confidenceReason = o.value(QLatin1String("confidence_reason"))
                                 .toString()
                                 .left(TriageReport::MaxSummaryChars);
    constexpr qsizetype maxEvidence = 50;
    for (const auto &e : o.value(QLatin1String("provenance")).toArray()) {
        if (r.provenance.size() >= maxEvidence)
            break;
        const QJsonObject item = e.toObject();
        auto text = [&item](const char *key) {
            return item.value(QLatin1String(key)).toString().left(TriageReport::MaxSummaryChars);
        };
        r.provenance.append({text("field"), text("evidence"), text("detail")});
    }
    return r;
}

} // namespace dispatch
