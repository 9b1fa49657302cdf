#include "dashboard/hostevents.h"

#include "common/jsonfields.h"
#include "phone/phonemessages.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace dispatch::remote {

namespace {

ProtocolError bad(const QString &why)
{
    return {QStringLiteral("bad_host_message"), why};
}

QDateTime timeField(const QJsonObject &o, const char *key)
{
    return QDateTime::fromString(o.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

QString text(const QJsonObject &o, const char *key, qsizetype max = 4096)
{
    return o.value(QLatin1String(key)).toString().left(max);
}

Parsed<QString> callIdOf(const QJsonObject &o)
{
    const QString id = o.value(QLatin1String("call_id")).toString();
    if (!phone::isValidCallId(id))
        return bad(QStringLiteral("missing or invalid call_id"));
    return id;
}

Parsed<TranscriptSegment> segmentFromJson(const QJsonObject &o)
{
    const auto speaker = speakerFromString(o.value(QLatin1String("speaker")).toString());
    if (!speaker)
        return bad(QStringLiteral("transcript with an unknown speaker"));
    TranscriptSegment s;
    s.speaker = *speaker;
    s.text = text(o, "text", 20000);
    s.final = o.value(QLatin1String("final")).toBool(true);
    s.at = timeField(o, "at");
    return s;
}

PrearrivalOffer offerFromJson(const QJsonObject &o)
{
    PrearrivalOffer offer;
    offer.at = timeField(o, "at");
    offer.topic = text(o, "topic", 200);
    offer.title = text(o, "title", 500);
    for (const auto &step : o.value(QLatin1String("steps")).toArray()) {
        if (offer.steps.size() < 100)
            offer.steps.append(step.toString().left(2000));
    }
    return offer;
}

Parsed<TriageLink> linkFromJson(const QJsonObject &o)
{
    const auto state = triageLinkStateFromString(o.value(QLatin1String("state")).toString());
    if (!state)
        return bad(QStringLiteral("ai_link with an unknown state"));
    TriageLink link;
    link.state = *state;
    if (!o.contains(QLatin1String("reason"))) { // a host that predates the codes
        link.detail = text(o, "detail", 1000);
        return link;
    }
    // Codes this console does not know yet read as none: the state still says the most.
    link.reason =
        triageLinkReasonFromString(text(o, "reason", 100)).value_or(TriageLinkReason::None);
    link.failure =
        triageFailureKindFromString(text(o, "failure", 100)).value_or(TriageFailureKind::None);
    const QJsonArray args = o.value(QLatin1String("args")).toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(args.size(), 8); ++i)
        link.args.append(args.at(i).toInt());
    link.detail = text(o, "technical", 1000);
    return link;
}

// Appends what parses (bounded to `max`, newest kept); a malformed item is skipped, not fatal:
// one bad history entry must not cost the dispatcher the whole call.
template<typename T, typename F>
void readList(const QJsonObject &o, const char *key, qsizetype max, QList<T> &out, F parse)
{
    const QJsonArray items = o.value(QLatin1String(key)).toArray();
    for (qsizetype i = std::max<qsizetype>(0, items.size() - max); i < items.size(); ++i) {
        std::optional<T> item = parse(items.at(i).toObject());
        if (item)
            out.append(std::move(*item));
    }
}

} // namespace

Parsed<Call> callFromSnapshot(const QJsonObject &o, const QDateTime &now)
{
    auto id = callIdOf(o);
    if (!id)
        return id.error();
    const auto state = callStateFromString(o.value(QLatin1String("state")).toString());
    if (!state)
        return bad(QStringLiteral("call %1 has an unknown state").arg(id.value()));
    Call c;
    c.id = id.value();
    c.state = *state;
    c.ringingSince = timeField(o, "ringing_since");
    if (!c.ringingSince.isValid())
        return bad(QStringLiteral("call %1 has no ringing_since").arg(c.id));
    c.answeredAt = timeField(o, "answered_at");
    c.endedAt = timeField(o, "ended_at");
    c.firstTriageAt = timeField(o, "first_triage_at");
    c.endReason = endReasonFromString(text(o, "end_reason", 64)).value_or(EndReason::None);
    c.answeredBy = text(o, "answered_by", 128);
    c.callerConnected = o.value(QLatin1String("caller_connected")).toBool(true);
    if (o.contains(QLatin1String("location"))) {
        if (auto location = phone::parseLocation(o.value(QLatin1String("location")), now))
            c.location = location.value();
    }
    c.locationAccepted = o.value(QLatin1String("location_accepted")).toBool(false);
    if (o.value(QLatin1String("triage")).isObject()) {
        if (auto report = triageReportFromWire(o.value(QLatin1String("triage")).toObject()))
            c.triage = report.value();
    }
    if (o.value(QLatin1String("vitals")).isObject()) {
        if (auto vitals = phone::vitalsFromJson(o.value(QLatin1String("vitals")).toObject(), now))
            c.vitals = vitals.value();
    }
    if (o.value(QLatin1String("ai_link")).isObject()) {
        if (auto link = linkFromJson(o.value(QLatin1String("ai_link")).toObject()))
            c.triageLink = link.value();
    }
    readList(o, "transcript", Call::MaxTranscriptSegments, c.transcript,
             [](const QJsonObject &item) -> std::optional<TranscriptSegment> {
                 auto s = segmentFromJson(item);
                 return s ? std::optional(s.value()) : std::nullopt;
             });
    readList(o, "triage_history", Call::MaxTriageHistory, c.triageHistory,
             [](const QJsonObject &item) -> std::optional<TriageReport> {
                 auto r = triageReportFromWire(item);
                 return r ? std::optional(r.value()) : std::nullopt;
             });
    readList(o, "prearrival_offers", Call::MaxPrearrivalOffers, c.prearrival,
             [](const QJsonObject &item) { return std::optional(offerFromJson(item)); });
    readList(o, "track", Call::MaxTrackPoints, c.track,
             [&now](const QJsonObject &item) -> std::optional<GeoLocation> {
                 auto l = phone::parseLocation(item, now);
                 return l ? std::optional(l.value()) : std::nullopt;
             });
    readList(o, "timeline", 10000, c.timeline,
             [](const QJsonObject &item) -> std::optional<CallEvent> {
                 const auto kind = callEventKindFromString(text(item, "kind", 64));
                 if (!kind)
                     return std::nullopt;
                 return CallEvent{timeField(item, "at"), *kind, text(item, "detail", 1000),
                                  Actor::system(QStringLiteral("host"))};
             });
    if (c.track.isEmpty() && c.location)
        c.track.append(*c.location);
    return c;
}

Parsed<HostEvent> parseHostEvent(const QByteArray &utf8, const QDateTime &now)
{
    auto parsed = json::parseObject(utf8, MaxHostMessageBytes);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = parsed.value();
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("hello")) {
        Hello hello;
        hello.serverVersion = text(o, "server_version", 64);
        hello.serverTime = timeField(o, "server_time");
        const QJsonObject you = o.value(QLatin1String("you")).toObject();
        hello.you.name = text(you, "name", 128);
        hello.you.role = roleFromString(text(you, "role", 32)).value_or(Role::Dispatcher);
        for (const auto &item : o.value(QLatin1String("calls")).toArray()) {
            auto call = callFromSnapshot(item.toObject(), now);
            if (!call)
                return call.error();
            hello.calls.append(call.value());
        }
        return HostEvent{hello};
    }
    if (type == QLatin1String("error"))
        return HostEvent{HostError{text(o, "code", 64), text(o, "message", 1000),
                                   o.value(QLatin1String("call_id")).toString().left(128)}};
    // pong, and a caller's WebRTC signalling (data in an envelope: never a host event).
    if (type == QLatin1String("pong") || type == QLatin1String("caller_signal"))
        return HostEvent{Ignored{type}};
    auto id = callIdOf(o);
    if (!id)
        return id.error();
    const QString &callId = id.value();
    if (type == QLatin1String("incoming_call")) {
        Call c;
        c.id = callId;
        c.ringingSince = timeField(o, "ringing_since");
        if (!c.ringingSince.isValid())
            return bad(QStringLiteral("incoming_call without ringing_since"));
        const QJsonObject location = o.value(QLatin1String("location")).toObject();
        if (!location.isEmpty()) {
            if (auto l = phone::parseLocation(location, now)) {
                c.location = l.value();
                c.track.append(l.value());
            }
        }
        return HostEvent{CallUpdate{c, false}};
    }
    if (type == QLatin1String("call_state") || type == QLatin1String("call_detail")) {
        auto call = callFromSnapshot(o, now);
        if (!call)
            return call.error();
        return HostEvent{CallUpdate{call.value(), type == QLatin1String("call_detail")}};
    }
    if (type == QLatin1String("triage_update")) {
        auto report = triageReportFromWire(o.value(QLatin1String("report")).toObject());
        if (!report)
            return report.error();
        return HostEvent{TriageUpdate{callId, report.value()}};
    }
    if (type == QLatin1String("critical_flag"))
        return HostEvent{
            CriticalFlag{callId, text(o, "reason", 1000),
                         std::clamp(o.value(QLatin1String("severity")).toInt(),
                                    TriageReport::MinSeverity, TriageReport::MaxSeverity)}};
    if (type == QLatin1String("vitals")) {
        auto vitals = phone::vitalsFromJson(o, now);
        if (!vitals)
            return vitals.error();
        return HostEvent{VitalsUpdate{callId, vitals.value()}};
    }
    if (type == QLatin1String("location_update")) {
        auto location = phone::parseLocation(o.value(QLatin1String("location")), now);
        if (!location)
            return location.error();
        return HostEvent{LocationUpdate{callId, location.value()}};
    }
    if (type == QLatin1String("transcript")) {
        auto segment = segmentFromJson(o);
        if (!segment)
            return segment.error();
        return HostEvent{TranscriptUpdate{callId, segment.value()}};
    }
    if (type == QLatin1String("caller_connection"))
        return HostEvent{
            CallerConnection{callId, o.value(QLatin1String("connected")).toBool(true)}};
    if (type == QLatin1String("ai_link")) {
        auto link = linkFromJson(o);
        if (!link)
            return link.error();
        return HostEvent{AiLinkUpdate{callId, link.value()}};
    }
    if (type == QLatin1String("prearrival"))
        return HostEvent{PrearrivalUpdate{callId, offerFromJson(o)}};
    if (type == QLatin1String("call_ended"))
        return HostEvent{CallEndedUpdate{
            callId,
            endReasonFromString(text(o, "reason", 64)).value_or(EndReason::ServerShutdown)}};
    return HostEvent{Ignored{type}};
}

QByteArray encodeCommand(const QString &type, const QString &callId, const QJsonObject &extra)
{
    QJsonObject o = extra;
    o.insert(QStringLiteral("type"), type);
    if (!callId.isEmpty())
        o.insert(QStringLiteral("call_id"), callId);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace dispatch::remote
