// Encoding of host -> console events (the host's half; the parsing is in
// dashboardeventparser.cpp).
#include "dashboard/dashboardevents.h"
#include "geo/addressjson.h"

#include "net/errorreply.h"

#include <QJsonArray>

#include <cmath>

namespace dispatch::dashboard {

namespace {

template<typename... Fs> struct Overloaded : Fs...
{
    using Fs::operator()...;
};
template<typename... Fs> Overloaded(Fs...) -> Overloaded<Fs...>;

QString isoTime(const QDateTime &t)
{
    return t.toString(Qt::ISODateWithMs);
}

// {type, call_id} followed by the fields of `body`.
QByteArray encodeFor(QLatin1String type, const QString &callId, QJsonObject body = {})
{
    body.insert(QStringLiteral("type"), type);
    body.insert(QStringLiteral("call_id"), callId);
    return phone::encode(body);
}

QJsonObject helloJson(const Hello &hello)
{
    QJsonArray calls;
    for (const Call &c : hello.calls)
        calls.append(callSnapshot(c, hello.serverTime));
    return {
        {QStringLiteral("type"), type::Hello},
        {QStringLiteral("protocol_version"), hello.protocolVersion},
        {QStringLiteral("server_version"), hello.serverVersion},
        {QStringLiteral("server_time"), isoTime(hello.serverTime)},
        {QStringLiteral("you"), QJsonObject{{QStringLiteral("name"), hello.you.name},
                                            {QStringLiteral("role"), toString(hello.you.role)}}},
        {QStringLiteral("calls"), calls}};
}

} // namespace

QJsonObject callSnapshot(const Call &call, const QDateTime &now)
{
    QJsonObject o{{QStringLiteral("call_id"), call.id},
                  {QStringLiteral("state"), toString(call.state)},
                  {QStringLiteral("ringing_since"), isoTime(call.ringingSince)},
                  {QStringLiteral("answer_ms"), call.answerMilliseconds(now)},
                  {QStringLiteral("caller_connected"), call.callerConnected}};
    if (call.location) {
        o.insert(QStringLiteral("location"), phone::locationToJson(*call.location));
        o.insert(QStringLiteral("location_accepted"), call.locationAccepted);
    }
    if (call.address.status != geo::AddressStatus::NoData)
        o.insert(QStringLiteral("address"), geo::addressToJson(call.address));
    if (!call.answeredBy.isEmpty())
        o.insert(QStringLiteral("answered_by"), call.answeredBy);
    if (call.answeredAt.isValid())
        o.insert(QStringLiteral("answered_at"), isoTime(call.answeredAt));
    if (call.endedAt.isValid()) {
        o.insert(QStringLiteral("ended_at"), isoTime(call.endedAt));
        o.insert(QStringLiteral("end_reason"), toString(call.endReason));
        if (call.disposition != Disposition::None)
            o.insert(QStringLiteral("disposition"), toString(call.disposition));
        if (call.followUp != FollowUp::None)
            o.insert(QStringLiteral("follow_up"), toString(call.followUp));
        if (!call.followUpBy.isEmpty())
            o.insert(QStringLiteral("follow_up_by"), call.followUpBy);
        if (call.followUpAt.isValid())
            o.insert(QStringLiteral("follow_up_at"), isoTime(call.followUpAt));
    }
    if (call.triage)
        o.insert(QStringLiteral("triage"), toJson(*call.triage));
    if (call.vitals)
        o.insert(QStringLiteral("vitals"), phone::vitalsToJson(*call.vitals));
    if (call.triageLink.state != TriageLinkState::None)
        o.insert(QStringLiteral("ai_link"), triageLinkToJson(call.triageLink));
    if (call.criticalAlert.isRaised())
        o.insert(QStringLiteral("critical_alert"), criticalAlertToJson(call.criticalAlert));
    return o;
}

QJsonObject criticalAlertToJson(const CriticalAlert &alert)
{
    QJsonObject o{{QStringLiteral("reason"), alert.reason},
                  {QStringLiteral("severity"), alert.severity},
                  {QStringLiteral("raised_at"), isoTime(alert.raisedAt)}};
    if (alert.isAcknowledged()) {
        o.insert(QStringLiteral("acknowledged_by"), alert.acknowledgedBy.name);
        o.insert(QStringLiteral("acknowledged_role"), toString(alert.acknowledgedBy.role));
        o.insert(QStringLiteral("acknowledged_at"), isoTime(alert.acknowledgedAt));
    }
    return o;
}

QJsonObject transcriptToJson(const TranscriptSegment &segment)
{
    return {{QStringLiteral("speaker"), toString(segment.speaker)},
            {QStringLiteral("text"), segment.text},
            {QStringLiteral("final"), segment.final},
            {QStringLiteral("at"), isoTime(segment.at)}};
}

QJsonObject prearrivalToJson(const PrearrivalOffer &offer)
{
    return {{QStringLiteral("topic"), offer.topic},
            {QStringLiteral("title"), offer.title},
            {QStringLiteral("steps"), QJsonArray::fromStringList(offer.steps)},
            {QStringLiteral("at"), isoTime(offer.at)}};
}

QJsonObject triageLinkToJson(const TriageLink &link)
{
    // `detail` in English for consoles that predate the codes; newer ones translate `reason`.
    QJsonObject o{{QStringLiteral("state"), toString(link.state)},
                  {QStringLiteral("detail"), englishDetail(link)},
                  {QStringLiteral("reason"), toString(link.reason)}};
    if (link.failure != TriageFailureKind::None)
        o.insert(QStringLiteral("failure"), toString(link.failure));
    if (!link.args.isEmpty()) {
        QJsonArray args;
        for (int a : link.args)
            args.append(a);
        o.insert(QStringLiteral("args"), args);
    }
    if (!link.detail.isEmpty())
        o.insert(QStringLiteral("technical"), link.detail);
    return o;
}

QJsonObject callDetail(const Call &call, const QDateTime &now)
{
    QJsonObject o = callSnapshot(call, now);
    auto array = [](const auto &list, auto toJsonItem) {
        QJsonArray a;
        for (const auto &item : list)
            a.append(toJsonItem(item));
        return a;
    };
    o.insert(QStringLiteral("transcript"), array(call.transcript, transcriptToJson));
    o.insert(QStringLiteral("triage_history"),
             array(call.triageHistory, [](const TriageReport &r) { return toJson(r); }));
    o.insert(QStringLiteral("prearrival_offers"), array(call.prearrival, prearrivalToJson));
    o.insert(QStringLiteral("track"), array(call.track, phone::locationToJson));
    o.insert(QStringLiteral("timeline"), array(call.timeline, [](const CallEvent &e) {
                 return QJsonObject{{QStringLiteral("at"), isoTime(e.at)},
                                    {QStringLiteral("kind"), toString(e.kind)},
                                    {QStringLiteral("detail"), e.detail}};
             }));
    if (call.firstTriageAt.isValid())
        o.insert(QStringLiteral("first_triage_at"), isoTime(call.firstTriageAt));
    return o;
}

QByteArray encodeHello(const QList<const Call *> &calls, const QDateTime &now, const Principal &you)
{
    Hello hello;
    hello.serverVersion = QStringLiteral(DISPATCH_VERSION);
    hello.serverTime = now;
    hello.you = you;
    for (const Call *c : calls) {
        if (c->isLive() || c->followUp == FollowUp::Open) // still needs a dispatcher
            hello.calls.append(*c);
    }
    return phone::encode(helloJson(hello));
}

QByteArray encodeCallUpdate(const Call &call, CallUpdateKind kind, const QDateTime &now)
{
    switch (kind) {
    case CallUpdateKind::Incoming: {
        QJsonObject body{{QStringLiteral("location"),
                          call.location ? phone::locationToJson(*call.location) : QJsonObject()},
                         {QStringLiteral("ringing_since"), isoTime(call.ringingSince)}};
        if (call.address.status != geo::AddressStatus::NoData)
            body.insert(QStringLiteral("address"), geo::addressToJson(call.address));
        return encodeFor(type::IncomingCall, call.id, body);
    }
    case CallUpdateKind::State:
        return encodeFor(type::CallState, call.id, callSnapshot(call, now));
    case CallUpdateKind::Detail:
        break;
    }
    return encodeFor(type::CallDetail, call.id, callDetail(call, now));
}

QByteArray encodeEvent(const HostEvent &event, const QDateTime &now)
{
    return std::visit(
        Overloaded{
            [](const Hello &e) { return phone::encode(helloJson(e)); },
            [&now](const CallUpdate &e) { return encodeCallUpdate(e.call, e.kind, now); },
            [](const TriageUpdate &e) {
                return encodeFor(type::TriageUpdate, e.callId,
                                 {{QStringLiteral("report"), toJson(e.report)}});
            },
            [](const CriticalFlag &e) {
                return encodeFor(type::CriticalFlag, e.callId,
                                 {{QStringLiteral("reason"), e.reason},
                                  {QStringLiteral("severity"), e.severity}});
            },
            [](const CriticalAcknowledgement &e) {
                return encodeFor(type::CriticalAcknowledged, e.callId,
                                 {{QStringLiteral("by"), e.by.name},
                                  {QStringLiteral("by_role"), toString(e.by.role)},
                                  {QStringLiteral("at"), isoTime(e.at)}});
            },
            [](const VitalsUpdate &e) {
                return encodeFor(type::Vitals, e.callId, phone::vitalsToJson(e.vitals));
            },
            [](const LocationUpdate &e) {
                QJsonObject body{{QStringLiteral("location"), phone::locationToJson(e.location)}};
                if (e.address.status != geo::AddressStatus::NoData)
                    body.insert(QStringLiteral("address"), geo::addressToJson(e.address));
                return encodeFor(type::LocationUpdate, e.callId, body);
            },
            [](const TranscriptUpdate &e) {
                return encodeFor(type::Transcript, e.callId, transcriptToJson(e.segment));
            },
            [](const CallerConnection &e) {
                return encodeFor(type::CallerConnection, e.callId,
                                 {{QStringLiteral("connected"), e.connected}});
            },
            [](const AiLinkUpdate &e) {
                return encodeFor(type::AiLink, e.callId, triageLinkToJson(e.link));
            },
            [](const PrearrivalUpdate &e) {
                return encodeFor(type::Prearrival, e.callId, prearrivalToJson(e.offer));
            },
            [](const CallEndedUpdate &e) {
                QJsonObject body{{QStringLiteral("reason"), toString(e.reason)}};
                if (e.disposition != Disposition::None)
                    body.insert(QStringLiteral("disposition"), toString(e.disposition));
                return encodeFor(type::CallEnded, e.callId, body);
            },
            [](const CallerSignal &e) {
                return encodeFor(type::CallerSignal, e.callId,
                                 {{QStringLiteral("signal"), e.signal}});
            },
            [](const TransferTargets &e) {
                QJsonArray targets;
                for (const TransferTarget &t : e.targets.first(
                         std::min<qsizetype>(e.targets.size(), Limits::MaxTransferTargets)))
                    targets.append(QJsonObject{{QStringLiteral("name"), t.name},
                                               {QStringLiteral("online"), t.online}});
                return phone::encode({{QStringLiteral("type"), type::TransferTargets},
                                      {QStringLiteral("targets"), targets}});
            },
            [](const Pong &) {
                return phone::encode({{QStringLiteral("type"), type::Pong}});
            },
            [](const HostError &e) {
                return encodeErrorReply({e.code, e.message}, e.callId);
            },
            [](const FollowUpUpdate &e) {
                return encodeFor(type::FollowUp, e.callId,
                                 {{QStringLiteral("follow_up"), toString(e.resolution)},
                                  {QStringLiteral("by"), e.by}});
            },
        },
        event);
}

} // namespace dispatch::dashboard
