// Parsing of host -> console events (a remote console's half; the encoding is in
// dashboardevents.cpp). Everything is read with json::FieldReader, like any untrusted input.
#include "dashboard/dashboardevents.h"

#include "common/jsonfields.h"
#include "geo/addressjson.h"

#include <limits>

namespace dispatch::dashboard {

namespace {

constexpr qsizetype MaxTimelineEvents = 10000;
constexpr qsizetype AnyCount = std::numeric_limits<qsizetype>::max(); // the message size bounds it

template<typename T> Parsed<T> resultOf(const json::FieldReader &r, T value)
{
    if (r.error())
        return *r.error();
    return value;
}

// A name off the wire that must be one of an enum's names.
template<typename E, typename F>
std::optional<E> enumField(json::FieldReader &r, const QJsonObject &o, QLatin1String key,
                           F fromString, const char *what)
{
    const QString name = r.requiredString(o, key, 64);
    if (!r.ok())
        return std::nullopt;
    const std::optional<E> value = fromString(name);
    if (!value)
        r.fail(key, QStringLiteral("is not %1").arg(QLatin1String(what)));
    return value;
}

// An optional location: absent, null or {} (what incoming_call sends without a fix) is none.
std::optional<GeoLocation> locationField(json::FieldReader &r, const QJsonObject &o,
                                         const QDateTime &now)
{
    const QLatin1String key("location");
    const auto object = r.object(o, key);
    if (!object || object->isEmpty())
        return std::nullopt;
    auto location = phone::parseLocation(*object, now);
    if (!location) {
        r.fail(key, location.error().message);
        return std::nullopt;
    }
    return location.value();
}

Parsed<TranscriptSegment> segmentFromJson(const QJsonObject &o)
{
    json::FieldReader r;
    TranscriptSegment s;
    const auto speaker =
        enumField<Speaker>(r, o, QLatin1String("speaker"), speakerFromString, "a speaker");
    s.speaker = speaker.value_or(Speaker::Caller);
    s.text = r.text(o, QLatin1String("text"), 20000).value_or(QString());
    s.final = r.boolean(o, QLatin1String("final")).value_or(true);
    s.at = r.time(o, QLatin1String("at")).value_or(QDateTime());
    return resultOf(r, s);
}

Parsed<PrearrivalOffer> offerFromJson(const QJsonObject &o)
{
    json::FieldReader r;
    PrearrivalOffer offer;
    offer.at = r.time(o, QLatin1String("at")).value_or(QDateTime());
    offer.topic = r.text(o, QLatin1String("topic"), 200).value_or(QString());
    offer.title = r.text(o, QLatin1String("title"), 500).value_or(QString());
    for (const auto &step : r.array(o, QLatin1String("steps"), AnyCount).value_or(QJsonArray())) {
        if (!step.isString()) {
            r.fail(QLatin1String("steps"), QStringLiteral("must hold strings"));
            break;
        }
        if (offer.steps.size() < 100)
            offer.steps.append(step.toString().left(2000));
    }
    return resultOf(r, offer);
}

Parsed<TriageLink> linkFromJson(const QJsonObject &o)
{
    json::FieldReader r;
    TriageLink link;
    link.state = enumField<TriageLinkState>(r, o, QLatin1String("state"), triageLinkStateFromString,
                                            "an AI link state")
                     .value_or(TriageLinkState::None);
    if (!json::FieldReader::present(o, QLatin1String("reason"))) { // a host before the codes
        link.detail = r.text(o, QLatin1String("detail"), 1000).value_or(QString());
        return resultOf(r, link);
    }
    // Codes this console does not know yet read as none: the state still says the most.
    link.reason =
        triageLinkReasonFromString(r.text(o, QLatin1String("reason"), 100).value_or(QString()))
            .value_or(TriageLinkReason::None);
    link.failure =
        triageFailureKindFromString(r.text(o, QLatin1String("failure"), 100).value_or(QString()))
            .value_or(TriageFailureKind::None);
    for (const QJsonValue &a : r.array(o, QLatin1String("args"), 8).value_or(QJsonArray())) {
        if (!a.isDouble())
            r.fail(QLatin1String("args"), QStringLiteral("must hold numbers"));
        link.args.append(a.toInt());
    }
    link.detail = r.text(o, QLatin1String("technical"), 1000).value_or(QString());
    return resultOf(r, link);
}

Parsed<CallEvent> callEventFromJson(const QJsonObject &o)
{
    json::FieldReader r;
    CallEvent e;
    e.at = r.time(o, QLatin1String("at")).value_or(QDateTime());
    e.kind = enumField<CallEventKind>(r, o, QLatin1String("kind"), callEventKindFromString,
                                      "a timeline event kind")
                 .value_or(CallEventKind::Rang);
    e.detail = r.text(o, QLatin1String("detail"), 1000).value_or(QString());
    e.actor = Actor::system(QStringLiteral("host"));
    return resultOf(r, e);
}

// Appends the items that parse (the newest `max`); a malformed item is skipped, not fatal: one
// bad history entry must not cost the dispatcher the whole call. The field itself must be an
// array when present.
template<typename T, typename F>
void readList(json::FieldReader &r, const QJsonObject &o, const char *key, qsizetype max,
              QList<T> &out, F parse)
{
    const QJsonArray items = r.array(o, QLatin1String(key), AnyCount).value_or(QJsonArray());
    for (qsizetype i = std::max<qsizetype>(0, items.size() - max); i < items.size(); ++i) {
        if (!items.at(i).isObject())
            continue;
        auto item = parse(items.at(i).toObject());
        if (item)
            out.append(std::move(item.value()));
    }
}

// An object field whose content is kept only when it parses (a snapshot's current report,
// vitals, AI link): like a history item, a bad one costs that part, not the call.
template<typename F>
void readPart(json::FieldReader &r, const QJsonObject &o, const char *key, F apply)
{
    if (const auto part = r.object(o, QLatin1String(key)))
        apply(*part);
}

// Who acknowledged a critical flag: a principal's name (`nameKey`) and a person's role
// (`roleKey`; an unknown or non-person role reads as a dispatcher).
std::optional<Actor> acknowledgerField(json::FieldReader &r, const QJsonObject &o,
                                       QLatin1String nameKey, QLatin1String roleKey)
{
    const QString name = r.requiredString(o, nameKey, Limits::MaxPrincipalChars);
    const QString role = r.text(o, roleKey, 64).value_or(QString());
    if (!r.ok())
        return std::nullopt;
    if (!isPrincipalName(name)) {
        r.fail(nameKey, QStringLiteral("is not a principal name"));
        return std::nullopt;
    }
    const auto actor = actorFromString(role);
    return actor && actor->isPerson() && actor->name.isEmpty() ? Actor{actor->role, name}
                                                               : Actor::dispatcher(name);
}

Parsed<CriticalAlert> criticalAlertFromJson(const QJsonObject &o)
{
    json::FieldReader r;
    CriticalAlert alert;
    alert.reason = r.text(o, QLatin1String("reason"), 1000).value_or(QString());
    alert.severity =
        static_cast<int>(r.integer(o, QLatin1String("severity"), TriageReport::MinSeverity,
                                   TriageReport::MaxSeverity)
                             .value_or(TriageReport::MaxSeverity));
    alert.raisedAt = r.time(o, QLatin1String("raised_at")).value_or(QDateTime());
    if (!alert.raisedAt.isValid())
        r.fail(QLatin1String("raised_at"), QStringLiteral("is required"));
    if (json::FieldReader::present(o, QLatin1String("acknowledged_at"))) {
        alert.acknowledgedAt = r.time(o, QLatin1String("acknowledged_at")).value_or(QDateTime());
        if (const auto by = acknowledgerField(r, o, QLatin1String("acknowledged_by"),
                                              QLatin1String("acknowledged_role")))
            alert.acknowledgedBy = *by;
    }
    return resultOf(r, alert);
}

// A site address (geo::addressToJson; NoData, which is sent as no `address` at all, when absent).
// What is wrong with it costs the address, never the call.
geo::AddressMatch addressField(json::FieldReader &outer, const QJsonObject &o)
{
    const auto object = outer.object(o, QLatin1String("address"));
    if (!object)
        return {};
    json::FieldReader r(QStringLiteral("address"));
    return geo::addressFromJson(r, *object);
}

Parsed<HostEvent> parseHello(const QJsonObject &o, const QDateTime &now)
{
    json::FieldReader r;
    Hello hello;
    hello.protocolVersion =
        static_cast<int>(r.integer(o, QLatin1String("protocol_version"), 0, 1000000)
                             .value_or(hello.protocolVersion));
    hello.serverVersion = r.text(o, QLatin1String("server_version"), 64).value_or(QString());
    hello.serverTime = r.time(o, QLatin1String("server_time")).value_or(QDateTime());
    const QJsonObject you = r.object(o, QLatin1String("you")).value_or(QJsonObject());
    json::FieldReader youReader = r.nested(QLatin1String("you"));
    hello.you.name = youReader.string(you, QLatin1String("name"), 128).value_or(QString());
    hello.you.role =
        roleFromString(youReader.string(you, QLatin1String("role"), 32).value_or(QString()))
            .value_or(Role::Dispatcher);
    r.merge(youReader);
    const QJsonArray calls = r.array(o, QLatin1String("calls"), AnyCount).value_or(QJsonArray());
    if (r.error())
        return *r.error();
    for (const auto &item : calls) {
        if (!item.isObject())
            return json::badField(QLatin1String("calls"), QStringLiteral("must hold objects"));
        auto call = callFromSnapshot(item.toObject(), now);
        if (!call)
            return call.error();
        hello.calls.append(call.value());
    }
    return HostEvent{hello};
}

Parsed<HostEvent> parseIncoming(const QString &callId, const QJsonObject &o, const QDateTime &now)
{
    json::FieldReader r;
    Call c;
    c.id = callId;
    const auto ringingSince = r.time(o, QLatin1String("ringing_since"));
    if (!ringingSince)
        r.fail(QLatin1String("ringing_since"), QStringLiteral("is required"));
    c.ringingSince = ringingSince.value_or(QDateTime());
    c.location = locationField(r, o, now);
    if (c.location)
        c.track.append(*c.location);
    c.address = addressField(r, o);
    if (r.error())
        return *r.error();
    return HostEvent{CallUpdate{c, CallUpdateKind::Incoming}};
}

// The events about one call, after its call_id was read.
Parsed<HostEvent> parseCallEvent(const QString &t, const QString &callId, const QJsonObject &o,
                                 const QDateTime &now)
{
    json::FieldReader r;
    if (t == type::TriageUpdate) {
        const auto report = r.object(o, QLatin1String("report"));
        if (!report)
            r.fail(QLatin1String("report"), QStringLiteral("must be an object"));
        if (r.error())
            return *r.error();
        auto parsed = triageReportFromWire(*report);
        if (!parsed)
            return parsed.error();
        return HostEvent{TriageUpdate{callId, parsed.value()}};
    }
    if (t == type::CriticalFlag) {
        const QString reason = r.text(o, QLatin1String("reason"), 1000).value_or(QString());
        const auto severity = r.integer(o, QLatin1String("severity"), -1000000, 1000000);
        return resultOf(r, HostEvent{CriticalFlag{callId, reason,
                                                  std::clamp(static_cast<int>(severity.value_or(0)),
                                                             TriageReport::MinSeverity,
                                                             TriageReport::MaxSeverity)}});
    }
    if (t == type::CriticalAcknowledged) {
        const auto by = acknowledgerField(r, o, QLatin1String("by"), QLatin1String("by_role"));
        const QDateTime at = r.time(o, QLatin1String("at")).value_or(now);
        return resultOf(r, HostEvent{CriticalAcknowledgement{callId, by.value_or(Actor()), at}});
    }
    if (t == type::Vitals) {
        auto vitals = phone::vitalsFromJson(o, now);
        if (!vitals)
            return vitals.error();
        return HostEvent{VitalsUpdate{callId, vitals.value()}};
    }
    if (t == type::LocationUpdate) {
        auto location = phone::parseLocation(o.value(QLatin1String("location")), now);
        if (!location)
            return location.error();
        const geo::AddressMatch address = addressField(r, o);
        return resultOf(r, HostEvent{LocationUpdate{callId, location.value(), address}});
    }
    if (t == type::Transcript) {
        auto segment = segmentFromJson(o);
        if (!segment)
            return segment.error();
        return HostEvent{TranscriptUpdate{callId, segment.value()}};
    }
    if (t == type::CallerConnection)
        return resultOf(r, HostEvent{CallerConnection{
                               callId, r.boolean(o, QLatin1String("connected")).value_or(true)}});
    if (t == type::AiLink) {
        auto link = linkFromJson(o);
        if (!link)
            return link.error();
        return HostEvent{AiLinkUpdate{callId, link.value()}};
    }
    if (t == type::Prearrival) {
        auto offer = offerFromJson(o);
        if (!offer)
            return offer.error();
        return HostEvent{PrearrivalUpdate{callId, offer.value()}};
    }
    if (t == type::CallEnded) {
        const QString reason = r.text(o, QLatin1String("reason"), 64).value_or(QString());
        const QString disposition = r.text(o, QLatin1String("disposition"), 64).value_or(QString());
        return resultOf(r,
                        HostEvent{CallEndedUpdate{
                            callId, endReasonFromString(reason).value_or(EndReason::ServerShutdown),
                            dispositionFromString(disposition).value_or(Disposition::None)}});
    }
    if (t == type::FollowUp) {
        const auto resolution =
            followUpFromString(r.text(o, QLatin1String("follow_up"), 64).value_or(QString()));
        if (!resolution || !isFollowUpResolution(*resolution))
            r.fail(QLatin1String("follow_up"), QStringLiteral("is not a follow-up resolution"));
        const QString by =
            r.text(o, QLatin1String("by"), Limits::MaxPrincipalChars).value_or(QString());
        return resultOf(
            r, HostEvent{FollowUpUpdate{callId, resolution.value_or(FollowUp::Handled), by}});
    }
    if (t == type::CallerSignal) {
        const auto signal = r.object(o, QLatin1String("signal"));
        return resultOf(r, HostEvent{CallerSignal{callId, signal.value_or(QJsonObject())}});
    }
    return phone::unknownType(t);
}

// The whole list or a refusal when `targets` is not an array (of at most MaxTransferTargets);
// an entry without a principal's name is skipped.
Parsed<HostEvent> parseTransferTargets(const QJsonObject &o)
{
    json::FieldReader r;
    const auto items = r.array(o, QLatin1String("targets"), Limits::MaxTransferTargets);
    if (!r.error() && !items)
        r.fail(QLatin1String("targets"), QStringLiteral("is required"));
    if (r.error())
        return *r.error();
    TransferTargets event;
    for (const QJsonValue &item : *items) {
        if (!item.isObject())
            continue;
        json::FieldReader itemReader;
        const QJsonObject target = item.toObject();
        const auto name =
            itemReader.string(target, QLatin1String("name"), Limits::MaxPrincipalChars);
        const bool online = itemReader.boolean(target, QLatin1String("online")).value_or(false);
        if (itemReader.ok() && name && isPrincipalName(*name))
            event.targets.append({*name, online});
    }
    return HostEvent{event};
}

} // namespace

Parsed<Call> callFromSnapshot(const QJsonObject &o, const QDateTime &now)
{
    json::FieldReader r;
    Call c;
    c.id = phone::readCallId(r, o);
    c.state =
        enumField<CallState>(r, o, QLatin1String("state"), callStateFromString, "a call state")
            .value_or(CallState::Ringing);
    const auto ringingSince = r.time(o, QLatin1String("ringing_since"));
    if (!ringingSince)
        r.fail(QLatin1String("ringing_since"), QStringLiteral("is required"));
    c.ringingSince = ringingSince.value_or(QDateTime());
    c.answeredAt = r.time(o, QLatin1String("answered_at")).value_or(QDateTime());
    c.endedAt = r.time(o, QLatin1String("ended_at")).value_or(QDateTime());
    c.firstTriageAt = r.time(o, QLatin1String("first_triage_at")).value_or(QDateTime());
    c.endReason =
        endReasonFromString(r.text(o, QLatin1String("end_reason"), 64).value_or(QString()))
            .value_or(EndReason::None);
    c.disposition =
        dispositionFromString(r.text(o, QLatin1String("disposition"), 64).value_or(QString()))
            .value_or(Disposition::None);
    c.followUp = followUpFromString(r.text(o, QLatin1String("follow_up"), 64).value_or(QString()))
                     .value_or(FollowUp::None);
    c.followUpBy =
        r.text(o, QLatin1String("follow_up_by"), Limits::MaxPrincipalChars).value_or(QString());
    c.followUpAt = r.time(o, QLatin1String("follow_up_at")).value_or(QDateTime());
    c.answeredBy = r.string(o, QLatin1String("answered_by"), 128).value_or(QString());
    c.callerConnected = r.boolean(o, QLatin1String("caller_connected")).value_or(true);
    c.location = locationField(r, o, now);
    c.locationAccepted = r.boolean(o, QLatin1String("location_accepted")).value_or(false);
    c.address = addressField(r, o);
    readPart(r, o, "triage", [&c](const QJsonObject &part) {
        if (auto report = triageReportFromWire(part))
            c.triage = report.value();
    });
    readPart(r, o, "vitals", [&c, &now](const QJsonObject &part) {
        if (auto vitals = phone::vitalsFromJson(part, now))
            c.vitals = vitals.value();
    });
    readPart(r, o, "ai_link", [&c](const QJsonObject &part) {
        if (auto link = linkFromJson(part))
            c.triageLink = link.value();
    });
    readPart(r, o, "critical_alert", [&c](const QJsonObject &part) {
        if (auto alert = criticalAlertFromJson(part))
            c.criticalAlert = alert.value();
    });
    readList(r, o, "transcript", Call::MaxTranscriptSegments, c.transcript, segmentFromJson);
    readList(r, o, "triage_history", Call::MaxTriageHistory, c.triageHistory, triageReportFromWire);
    readList(r, o, "prearrival_offers", Call::MaxPrearrivalOffers, c.prearrival, offerFromJson);
    readList(r, o, "track", Call::MaxTrackPoints, c.track,
             [&now](const QJsonObject &item) { return phone::parseLocation(item, now); });
    readList(r, o, "timeline", MaxTimelineEvents, c.timeline, callEventFromJson);
    if (r.error())
        return *r.error();
    if (c.track.isEmpty() && c.location)
        c.track.append(*c.location);
    return c;
}

Parsed<HostEvent> parseEvent(const QByteArray &utf8, const QDateTime &now)
{
    auto message = phone::parseTypedMessage(utf8, Limits::MaxEventBytes);
    if (!message)
        return message.error();
    const QJsonObject &o = message->object;
    const QString &t = message->type;
    if (t == type::Hello)
        return parseHello(o, now);
    if (t == type::Pong)
        return HostEvent{Pong{}};
    if (t == type::TransferTargets)
        return parseTransferTargets(o);
    if (t == type::Error) {
        json::FieldReader r;
        HostError e;
        e.code = r.text(o, QLatin1String("code"), 64).value_or(QString());
        e.message = r.text(o, QLatin1String("message"), 1000).value_or(QString());
        e.callId =
            r.text(o, QLatin1String("call_id"), phone::Limits::MaxCallIdChars).value_or(QString());
        return resultOf(r, HostEvent{e});
    }
    json::FieldReader r;
    const QString callId = phone::readCallId(r, o);
    if (r.error())
        return *r.error();
    if (t == type::IncomingCall)
        return parseIncoming(callId, o, now);
    if (t == type::CallState || t == type::CallDetail) {
        auto call = callFromSnapshot(o, now);
        if (!call)
            return call.error();
        return HostEvent{CallUpdate{call.value(), t == type::CallDetail ? CallUpdateKind::Detail
                                                                        : CallUpdateKind::State}};
    }
    return parseCallEvent(t, callId, o, now);
}

} // namespace dispatch::dashboard
