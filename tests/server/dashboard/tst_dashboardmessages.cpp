// The dashboard protocol, both directions, through its one module: every command a console
// encodes parses on the host to the same value, every event the host encodes parses on a console
// to the same value, and hostile input in either direction is refused with a clear error.
#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"
#include "net/errorreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::dashboard;

Q_DECLARE_METATYPE(dispatch::dashboard::Command)
Q_DECLARE_METATYPE(dispatch::dashboard::HostEvent)

namespace {

// JSON written with single quotes, so test tables need no escaping (and no raw strings, which
// moc 6.4 mis-lexes when they end in a quote).
QByteArray j(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}

const QDateTime t0 = QDateTime::fromString("2026-11-22T10:00:00.000Z", Qt::ISODateWithMs);

TriageReport report(TriageSource source)
{
    TriageReport r;
    r.situationSummary = "Fall from a ladder";
    r.detectedKeywords = {"fall", "ladder"};
    r.responseType = ResponseType::Medical;
    r.emotionalState = EmotionalState::Distressed;
    r.severity = 3;
    r.canSpeak = false;
    r.source = source;
    return r;
}

Call richCall()
{
    Call c;
    c.id = "c-42";
    c.state = CallState::OnHold;
    c.ringingSince = t0;
    c.answeredAt = t0.addSecs(9);
    c.answeredBy = "ana";
    c.callerConnected = false;
    c.location = GeoLocation{40.4, -3.7, 12.0, t0};
    c.track = {GeoLocation{40.39, -3.71, 30.0, t0}, *c.location};
    c.locationAccepted = true;
    c.firstTriageAt = t0.addSecs(12);
    TriageReport r = report(TriageSource::Gemini);
    r.producedAt = t0.addSecs(12);
    r.provenance = {{"severity", "phrase", "fell off"}};
    TriageReport o = r;
    o.severity = 5;
    o.source = TriageSource::Dispatcher;
    o.producedAt = t0.addSecs(30);
    c.triageHistory = {r, o};
    c.triage = o;
    c.triageLink = {TriageLinkState::Local,
                    TriageLinkReason::Fallback,
                    TriageFailureKind::Quota,
                    {},
                    "RESOURCE_EXHAUSTED"};
    c.transcript = {{t0.addSecs(10), Speaker::Caller, "he fell", true},
                    {t0.addSecs(11), Speaker::CallerText, "help", true},
                    {t0.addSecs(12), Speaker::Dispatcher, "stay with me", false}};
    c.prearrival = {{t0.addSecs(20), "bleeding", "Control bleeding", {"press", "hold"}}};
    c.timeline = {{t0, CallEventKind::Rang, {}, {}},
                  {t0.addSecs(9), CallEventKind::Answered, "ana", {}},
                  {t0.addSecs(15), CallEventKind::CriticalFlagged, "not breathing", {}},
                  {t0.addSecs(40), CallEventKind::Held, {}, {}}};
    VitalsSample v;
    v.heartRate = 120;
    v.heartRateConfidence = 0.8;
    v.phoneTimestampMs = 1700000000123;
    c.vitals = v;
    return c;
}

bool sameLocation(const GeoLocation &a, const GeoLocation &b)
{
    return a == b;
}

bool sameVitals(const VitalsSample &a, const VitalsSample &b)
{
    return a.heartRate == b.heartRate && a.heartRateConfidence == b.heartRateConfidence &&
           a.breathingRate == b.breathingRate && a.breathingConfidence == b.breathingConfidence &&
           a.phoneTimestampMs == b.phoneTimestampMs;
}

bool sameReport(const TriageReport &a, const TriageReport &b)
{
    return toJson(a) == toJson(b);
}

bool sameSegment(const TranscriptSegment &a, const TranscriptSegment &b)
{
    return a.at == b.at && a.speaker == b.speaker && a.text == b.text && a.final == b.final;
}

bool sameOffer(const PrearrivalOffer &a, const PrearrivalOffer &b)
{
    return a.at == b.at && a.topic == b.topic && a.title == b.title && a.steps == b.steps;
}

template<typename T, typename F> bool sameList(const QList<T> &a, const QList<T> &b, F same)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!same(a.at(i), b.at(i)))
            return false;
    }
    return true;
}

template<typename T, typename F>
bool sameOptional(const std::optional<T> &a, const std::optional<T> &b, F same)
{
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

bool sameAlert(const CriticalAlert &a, const CriticalAlert &b)
{
    return a.reason == b.reason && a.severity == b.severity && a.raisedAt == b.raisedAt &&
           a.acknowledgedBy == b.acknowledgedBy && a.acknowledgedAt == b.acknowledgedAt;
}

// What the wire carries of a call: a snapshot's fields, and with `history` its history too.
bool sameCall(const Call &a, const Call &b, bool history)
{
    const bool snapshot =
        a.id == b.id && a.state == b.state && a.ringingSince == b.ringingSince &&
        a.answeredAt == b.answeredAt && a.endedAt == b.endedAt && a.endReason == b.endReason &&
        a.disposition == b.disposition && a.answeredBy == b.answeredBy &&
        a.followUp == b.followUp && a.followUpBy == b.followUpBy && a.followUpAt == b.followUpAt &&
        a.callerConnected == b.callerConnected &&
        sameOptional(a.location, b.location, sameLocation) &&
        a.locationAccepted == b.locationAccepted && sameOptional(a.triage, b.triage, sameReport) &&
        sameOptional(a.vitals, b.vitals, sameVitals) && a.triageLink == b.triageLink &&
        sameAlert(a.criticalAlert, b.criticalAlert);
    if (!snapshot || !history)
        return snapshot;
    auto sameEvent = [](const CallEvent &x, const CallEvent &y) {
        return x.at == y.at && x.kind == y.kind && x.detail == y.detail;
    };
    return a.firstTriageAt == b.firstTriageAt &&
           sameList(a.transcript, b.transcript, sameSegment) &&
           sameList(a.triageHistory, b.triageHistory, sameReport) &&
           sameList(a.prearrival, b.prearrival, sameOffer) &&
           sameList(a.track, b.track, sameLocation) && sameList(a.timeline, b.timeline, sameEvent);
}

template<typename... Fs> struct Overloaded : Fs...
{
    using Fs::operator()...;
};
template<typename... Fs> Overloaded(Fs...) -> Overloaded<Fs...>;

bool sameCommand(const Command &a, const Command &b)
{
    if (a.index() != b.index() || callIdOf(a) != callIdOf(b))
        return false;
    return std::visit(
        Overloaded{
            [&b](const TransferCall &x) { return std::get<TransferCall>(b).to == x.to; },
            [&b](const EndCall &x) { return std::get<EndCall>(b).disposition == x.disposition; },
            [&b](const SubscribeMedia &x) {
                return std::get<SubscribeMedia>(b).subscribe == x.subscribe;
            },
            [&b](const OverrideTriage &x) {
                return sameReport(std::get<OverrideTriage>(b).report, x.report);
            },
            [&b](const Relay &x) { return std::get<Relay>(b).message == x.message; },
            [&b](const ResolveFollowUp &x) {
                return std::get<ResolveFollowUp>(b).resolution == x.resolution;
            },
            [](const auto &) { return true; },
        },
        a);
}

bool sameEvent(const HostEvent &a, const HostEvent &b)
{
    if (a.index() != b.index())
        return false;
    return std::visit(
        Overloaded{
            [&b](const Hello &x) {
                const auto &y = std::get<Hello>(b);
                return x.protocolVersion == y.protocolVersion &&
                       x.serverVersion == y.serverVersion && x.serverTime == y.serverTime &&
                       x.you.name == y.you.name && x.you.role == y.you.role &&
                       sameList(x.calls, y.calls,
                                [](const Call &p, const Call &q) { return sameCall(p, q, false); });
            },
            [&b](const CallUpdate &x) {
                const auto &y = std::get<CallUpdate>(b);
                if (x.kind != y.kind)
                    return false;
                if (x.kind != CallUpdateKind::Incoming)
                    return sameCall(x.call, y.call, x.withHistory());
                return x.call.id == y.call.id && x.call.ringingSince == y.call.ringingSince &&
                       sameOptional(x.call.location, y.call.location, sameLocation);
            },
            [&b](const TriageUpdate &x) {
                const auto &y = std::get<TriageUpdate>(b);
                return x.callId == y.callId && sameReport(x.report, y.report);
            },
            [&b](const CriticalFlag &x) {
                const auto &y = std::get<CriticalFlag>(b);
                return x.callId == y.callId && x.reason == y.reason && x.severity == y.severity;
            },
            [&b](const CriticalAcknowledgement &x) {
                const auto &y = std::get<CriticalAcknowledgement>(b);
                return x.callId == y.callId && x.by == y.by && x.at == y.at;
            },
            [&b](const VitalsUpdate &x) {
                const auto &y = std::get<VitalsUpdate>(b);
                return x.callId == y.callId && sameVitals(x.vitals, y.vitals);
            },
            [&b](const LocationUpdate &x) {
                const auto &y = std::get<LocationUpdate>(b);
                return x.callId == y.callId && x.location == y.location && x.address == y.address;
            },
            [&b](const TranscriptUpdate &x) {
                const auto &y = std::get<TranscriptUpdate>(b);
                return x.callId == y.callId && sameSegment(x.segment, y.segment);
            },
            [&b](const CallerConnection &x) {
                const auto &y = std::get<CallerConnection>(b);
                return x.callId == y.callId && x.connected == y.connected;
            },
            [&b](const AiLinkUpdate &x) {
                const auto &y = std::get<AiLinkUpdate>(b);
                return x.callId == y.callId && x.link == y.link;
            },
            [&b](const PrearrivalUpdate &x) {
                const auto &y = std::get<PrearrivalUpdate>(b);
                return x.callId == y.callId && sameOffer(x.offer, y.offer);
            },
            [&b](const CallEndedUpdate &x) {
                const auto &y = std::get<CallEndedUpdate>(b);
                return x.callId == y.callId && x.reason == y.reason &&
                       x.disposition == y.disposition;
            },
            [&b](const TransferTargets &x) {
                return std::get<TransferTargets>(b).targets == x.targets;
            },
            [&b](const CallerSignal &x) {
                const auto &y = std::get<CallerSignal>(b);
                return x.callId == y.callId && x.signal == y.signal;
            },
            [](const Pong &) { return true; },
            [&b](const HostError &x) {
                const auto &y = std::get<HostError>(b);
                return x.code == y.code && x.message == y.message && x.callId == y.callId;
            },
            [&b](const FollowUpUpdate &x) {
                const auto &y = std::get<FollowUpUpdate>(b);
                return x.callId == y.callId && x.resolution == y.resolution && x.by == y.by;
            },
        },
        a);
}

} // namespace

class TestDashboardMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- console -> host ---------------------------------------------------------------------

    void commandsRoundTrip_data()
    {
        QTest::addColumn<Command>("command");
        QTest::newRow("answer") << Command{AnswerCall{"abc-1"}};
        QTest::newRow("end") << Command{EndCall{"abc"}};
        for (Disposition d : dispositionChoices())
            QTest::newRow(qPrintable("end, " + toString(d))) << Command{EndCall{"abc", d}};
        QTest::newRow("hold") << Command{HoldCall{"abc"}};
        QTest::newRow("resume") << Command{ResumeCall{"abc"}};
        QTest::newRow("take over") << Command{TakeOver{"550e8400-e29b-41d4-a716-446655440000"}};
        QTest::newRow("transfer") << Command{TransferCall{"abc", "bob"}};
        QTest::newRow("transfer to the admin") << Command{TransferCall{"abc", "admin@10.0.0.5"}};
        QTest::newRow("get call") << Command{GetCall{"a.b_c:d"}};
        QTest::newRow("subscribe") << Command{SubscribeMedia{"abc", true}};
        QTest::newRow("unsubscribe") << Command{SubscribeMedia{"abc", false}};
        QTest::newRow("accept location") << Command{AcceptLocation{"abc"}};
        QTest::newRow("override") << Command{
            OverrideTriage{"abc", report(TriageSource::Dispatcher)}};
        QTest::newRow("acknowledge critical") << Command{AcknowledgeCritical{"abc"}};
        QTest::newRow("ping") << Command{Ping{}};
        for (FollowUp f : followUpResolutions())
            QTest::newRow(qPrintable("resolve follow-up, " + toString(f)))
                << Command{ResolveFollowUp{"abc", f}};
        QTest::newRow("relay sdp answer")
            << Command{Relay{"abc", {{"type", "answer"}, {"sdp", "v=0"}, {"call_id", "abc"}}}};
        QTest::newRow("relay ice") << Command{Relay{"abc",
                                                    {{"type", "ice-candidate"},
                                                     {"candidate", QJsonObject{{"sdpMid", "0"}}},
                                                     {"call_id", "abc"}}}};
    }
    void commandsRoundTrip()
    {
        QFETCH(Command, command);
        const QByteArray bytes = encodeCommand(command);
        const auto parsed = parseCommand(bytes);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message + " in " + bytes));
        QVERIFY2(sameCommand(parsed.value(), command), bytes.constData());
    }

    void everyCommandIsInTheTable()
    {
        // A new command must be added to commandsRoundTrip_data() (and this count).
        QCOMPARE(std::variant_size_v<Command>, std::size_t(14));
    }

    void commandsFromTheWire_data()
    {
        // What consoles and tools already send (server/PROTOCOL.md), including the old names.
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("kind");
        QTest::newRow("answer") << j("{'type':'dispatcher_joined','call_id':'abc-1'}")
                                << "AnswerCall";
        QTest::newRow("end") << j("{'type':'call_ended','call_id':'abc'}") << "EndCall";
        QTest::newRow("end with a disposition")
            << j("{'type':'call_ended','call_id':'abc','disposition':'false_alarm'}") << "EndCall";
        QTest::newRow("end with an empty disposition")
            << j("{'type':'call_ended','call_id':'abc','disposition':''}") << "EndCall";
        QTest::newRow("hold") << j("{'type':'hold_call','call_id':'abc'}") << "HoldCall";
        QTest::newRow("resume") << j("{'type':'resume_call','call_id':'abc'}") << "ResumeCall";
        QTest::newRow("sdp answer")
            << j("{'type':'answer','call_id':'abc','sdp':'v=0'}") << "Relay";
        QTest::newRow("ping") << j("{'type':'ping'}") << "Ping";
        QTest::newRow("take over") << j("{'type':'take_over','call_id':'abc'}") << "TakeOver";
        QTest::newRow("transfer") << j("{'type':'transfer_call','call_id':'abc','to':'bob'}")
                                  << "TransferCall";
        QTest::newRow("get call") << j("{'type':'get_call','call_id':'abc'}") << "GetCall";
        QTest::newRow("subscribe")
            << j("{'type':'subscribe_media','call_id':'abc'}") << "SubscribeMedia";
        QTest::newRow("accept location")
            << j("{'type':'accept_location','call_id':'abc'}") << "AcceptLocation";
        QTest::newRow("override")
            << j("{'type':'override_triage','call_id':'abc','report':{'severity':4}}")
            << "OverrideTriage";
        QTest::newRow("acknowledge critical")
            << j("{'type':'acknowledge_critical','call_id':'abc'}") << "AcknowledgeCritical";
        QTest::newRow("unknown fields are ignored")
            << j("{'type':'hold_call','call_id':'abc','extra':[1,2]}") << "HoldCall";
    }
    void commandsFromTheWire()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, kind);
        const auto parsed = parseCommand(json);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message));
        const char *names[] = {
            "AnswerCall",          "EndCall", "HoldCall",       "ResumeCall",     "TakeOver",
            "TransferCall",        "GetCall", "SubscribeMedia", "AcceptLocation", "OverrideTriage",
            "AcknowledgeCritical", "Ping",    "Relay",          "ResolveFollowUp"};
        static_assert(std::size(names) == std::variant_size_v<Command>);
        QCOMPARE(QString::fromLatin1(names[parsed.value().index()]), kind);
    }

    void hostileCommands_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions"); // the error message names what is wrong
        QTest::newRow("not json") << j("{{{") << "bad_json"
                                  << "JSON";
        QTest::newRow("array") << j("[1,2]") << "bad_json"
                               << "object";
        QTest::newRow("too large") << QByteArray("{\"type\":\"ping\",\"pad\":\"" +
                                                 QByteArray(Limits::MaxCommandBytes, 'x') + "\"}")
                                   << "too_large"
                                   << "limit";
        QTest::newRow("no type") << j("{'call_id':'abc'}") << "bad_field"
                                 << "type";
        QTest::newRow("type is a number") << j("{'type':7,'call_id':'abc'}") << "bad_field"
                                          << "type";
        QTest::newRow("unknown type") << j("{'type':'whatever','call_id':'abc'}") << "unknown_type"
                                      << "whatever";
        QTest::newRow("a host event is no command")
            << j("{'type':'dispatcher_ready','call_id':'abc'}") << "unknown_type"
            << "dispatcher_ready";
        QTest::newRow("no call id") << j("{'type':'dispatcher_joined'}") << "bad_field"
                                    << "call_id";
        QTest::newRow("call id is a number")
            << j("{'type':'call_ended','call_id':7}") << "bad_field"
            << "call_id";
        QTest::newRow("call id with a slash")
            << j("{'type':'dispatcher_joined','call_id':'../x'}") << "bad_field"
            << "call_id";
        QTest::newRow("call id too long")
            << QByteArray("{\"type\":\"get_call\",\"call_id\":\"" + QByteArray(129, 'a') + "\"}")
            << "bad_field"
            << "call_id";
        QTest::newRow("transfer to nobody")
            << j("{'type':'transfer_call','call_id':'abc'}") << "bad_field"
            << "to";
        QTest::newRow("transfer to a path")
            << j("{'type':'transfer_call','call_id':'abc','to':'../bob'}") << "bad_field"
            << "to";
        QTest::newRow("transfer to a number")
            << j("{'type':'transfer_call','call_id':'abc','to':7}") << "bad_field"
            << "to";
        QTest::newRow("end with an unknown disposition")
            << j("{'type':'call_ended','call_id':'abc','disposition':'went_fishing'}")
            << "bad_field"
            << "disposition";
        QTest::newRow("end with a numeric disposition")
            << j("{'type':'call_ended','call_id':'abc','disposition':1}") << "bad_field"
            << "disposition";
        QTest::newRow("end with a huge disposition")
            << QByteArray("{\"type\":\"call_ended\",\"call_id\":\"abc\",\"disposition\":\"" +
                          QByteArray(200, 'x') + "\"}")
            << "bad_field"
            << "disposition";
        QTest::newRow("override without report")
            << j("{'type':'override_triage','call_id':'abc'}") << "bad_field"
            << "report";
        QTest::newRow("override with a string report")
            << j("{'type':'override_triage','call_id':'abc','report':'5'}") << "bad_field"
            << "report";
        QTest::newRow("override with an empty report")
            << j("{'type':'override_triage','call_id':'abc','report':{}}") << "bad_report"
            << "";
    }
    void hostileCommands()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        const auto parsed = parseCommand(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
    }

    void overrideIsAlwaysTheDispatchers()
    {
        auto over = parseCommand(j(
            "{'type':'override_triage','call_id':'x','report':{'severity':9,'source':'gemini'}}"));
        QVERIFY(over);
        const auto &r = std::get<OverrideTriage>(over.value()).report;
        QCOMPARE(r.severity, 5);                       // clamped
        QVERIFY(r.source == TriageSource::Dispatcher); // never what the client claims
    }

    void relayKeepsTheWholeMessage()
    {
        const auto relay = parseCommand(j("{'type':'offer','call_id':'abc','sdp':'v=0'}"));
        QVERIFY(relay);
        const auto &r = std::get<Relay>(relay.value());
        QCOMPARE(r.callId, QString("abc"));
        QCOMPARE(r.message.value("sdp").toString(), QString("v=0"));
        QCOMPARE(r.message.value("type").toString(), QString("offer"));
    }

    // --- host -> console ---------------------------------------------------------------------

    void eventsRoundTrip_data()
    {
        QTest::addColumn<HostEvent>("event");
        const Call c = richCall();
        Call ringing;
        ringing.id = "r-1";
        ringing.ringingSince = t0;
        ringing.location = GeoLocation{1.5, 2.5, std::nullopt, t0};
        Call ended = c;
        ended.state = CallState::Ended;
        ended.endedAt = t0.addSecs(90);
        ended.endReason = EndReason::CallerLost;
        ended.triageLink = {};
        Call disposed = ended;
        disposed.endReason = EndReason::DispatcherEnded;
        disposed.disposition = Disposition::TransferredToAgency;
        QTest::newRow("hello") << HostEvent{Hello{phone::ProtocolVersion,
                                                  "1.2.3",
                                                  t0.addSecs(60),
                                                  Principal{"sam", Role::Supervisor, {}},
                                                  {c, ringing}}};
        QTest::newRow("hello, no calls") << HostEvent{
            Hello{phone::ProtocolVersion, "1.2.3", t0, {"ana", Role::Dispatcher, {}}, {}}};
        QTest::newRow("incoming call") << HostEvent{CallUpdate{ringing, CallUpdateKind::Incoming}};
        Call noFix = ringing;
        noFix.location.reset();
        QTest::newRow("incoming call without a fix")
            << HostEvent{CallUpdate{noFix, CallUpdateKind::Incoming}};
        QTest::newRow("call state") << HostEvent{CallUpdate{c, CallUpdateKind::State}};
        QTest::newRow("call state, ended") << HostEvent{CallUpdate{ended, CallUpdateKind::State}};
        QTest::newRow("call state, ended with a disposition")
            << HostEvent{CallUpdate{disposed, CallUpdateKind::State}};
        Call followedUp = ended;
        followedUp.followUp = FollowUp::NoAnswer;
        followedUp.followUpBy = "ben";
        followedUp.followUpAt = t0.addSecs(200);
        QTest::newRow("call state, lost and followed up")
            << HostEvent{CallUpdate{followedUp, CallUpdateKind::State}};
        QTest::newRow("call detail") << HostEvent{CallUpdate{c, CallUpdateKind::Detail}};
        QTest::newRow("triage update") << HostEvent{TriageUpdate{"c-42", *c.triage}};
        QTest::newRow("critical flag") << HostEvent{CriticalFlag{"c-42", "no pulse", 4}};
        QTest::newRow("critical acknowledged") << HostEvent{
            CriticalAcknowledgement{"c-42", Actor::supervisor("sam"), t0.addMSecs(61234)}};
        Call alerting = c;
        alerting.criticalAlert = {"not breathing", 5, t0.addSecs(15), {}, {}};
        QTest::newRow("call state, critical open")
            << HostEvent{CallUpdate{alerting, CallUpdateKind::State}};
        Call acknowledged = alerting;
        acknowledged.criticalAlert.acknowledgedBy = Actor::dispatcher("ana");
        acknowledged.criticalAlert.acknowledgedAt = t0.addSecs(17);
        QTest::newRow("call detail, critical acknowledged")
            << HostEvent{CallUpdate{acknowledged, CallUpdateKind::Detail}};
        QTest::newRow("vitals") << HostEvent{VitalsUpdate{"c-42", *c.vitals}};
        QTest::newRow("location") << HostEvent{LocationUpdate{"c-42", *c.location, {}}};
        geo::AddressMatch address;
        address.status = geo::AddressStatus::Found;
        address.address.number = "123";
        address.address.streetName = "Main";
        address.address.community = "Springfield";
        address.distanceMeters = 12.3;
        address.radiusMeters = 50;
        QTest::newRow("location with its address")
            << HostEvent{LocationUpdate{"c-42", *c.location, address}};
        address = {geo::AddressStatus::NoneWithin, {}, 0, 120};
        QTest::newRow("location, no address within")
            << HostEvent{LocationUpdate{"c-42", *c.location, address}};
        QTest::newRow("transcript") << HostEvent{TranscriptUpdate{"c-42", c.transcript.at(2)}};
        QTest::newRow("caller gone") << HostEvent{CallerConnection{"c-42", false}};
        QTest::newRow("caller back") << HostEvent{CallerConnection{"c-42", true}};
        QTest::newRow("ai link") << HostEvent{AiLinkUpdate{"c-42", c.triageLink}};
        QTest::newRow("prearrival") << HostEvent{PrearrivalUpdate{"c-42", c.prearrival.at(0)}};
        QTest::newRow("call ended") << HostEvent{CallEndedUpdate{"c-42", EndReason::Abandoned}};
        QTest::newRow("call ended with a disposition") << HostEvent{
            CallEndedUpdate{"c-42", EndReason::DispatcherEnded, Disposition::UnitsDispatched}};
        QTest::newRow("follow-up resolved")
            << HostEvent{FollowUpUpdate{"c-42", FollowUp::CalledBack, "ben"}};
        QTest::newRow("transfer targets") << HostEvent{
            TransferTargets{{{"ben", true}, {"admin@10.0.0.5", false}, {"ana", false}}}};
        QTest::newRow("no transfer targets") << HostEvent{TransferTargets{}};
        QTest::newRow("caller signal")
            << HostEvent{CallerSignal{"c-42", {{"type", "offer"}, {"sdp", "v=0"}}}};
        QTest::newRow("pong") << HostEvent{Pong{}};
        QTest::newRow("error") << HostEvent{
            HostError{"invalid_state", "already answered by ana", "c-42"}};
        QTest::newRow("error without a call")
            << HostEvent{HostError{"rate_limited", "too many messages", {}}};
    }
    void eventsRoundTrip()
    {
        QFETCH(HostEvent, event);
        const QDateTime now = t0.addSecs(60);
        const QByteArray bytes = encodeEvent(event, now);
        const auto parsed = parseEvent(bytes, now);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message + " in " + bytes));
        QVERIFY2(sameEvent(parsed.value(), event), bytes.constData());
    }

    void everyEventIsInTheTable()
    {
        // A new event must be added to eventsRoundTrip_data() (and this count).
        QCOMPARE(std::variant_size_v<HostEvent>, std::size_t(17));
    }

    void hostShortcutsEncodeTheSameEvents()
    {
        // What DashboardHub sends (encodeHello, encodeCallUpdate) and what the error reply of
        // every channel is (net/errorreply.h) are events of this module.
        const Call c = richCall();
        const QDateTime now = t0.addSecs(5);
        auto hello =
            parseEvent(encodeHello({&c}, now, Principal{"sam", Role::Supervisor, {}}), now);
        QVERIFY(hello.ok());
        const auto &h = std::get<Hello>(hello.value());
        QCOMPARE(h.you.name, QString("sam"));
        QVERIFY(h.you.role == Role::Supervisor);
        QCOMPARE(h.serverTime, now);
        QCOMPARE(h.serverVersion, QString(DISPATCH_VERSION));
        QCOMPARE(h.protocolVersion, phone::ProtocolVersion);
        QCOMPARE(h.calls.size(), 1);
        QVERIFY(h.calls.at(0).transcript.isEmpty()); // snapshots carry no history
        Call gone = c;
        gone.state = CallState::Ended;
        QCOMPARE(
            std::get<Hello>(parseEvent(encodeHello({&gone}, now, {}), now).value()).calls.size(),
            0); // live calls only
        auto error = parseEvent(encodeErrorReply({"forbidden", "no"}, "c-42"), now);
        QVERIFY(error.ok());
        QCOMPARE(std::get<HostError>(error.value()).code, QString("forbidden"));
        QCOMPARE(std::get<HostError>(error.value()).callId, QString("c-42"));
    }

    void callDetailKeepsEveryPart()
    {
        const Call c = richCall();
        const QDateTime now = c.ringingSince.addSecs(60);
        auto event = parseEvent(encodeCallUpdate(c, CallUpdateKind::Detail, now), now);
        QVERIFY2(event.ok(), qPrintable(event.error().message));
        const auto &m = std::get<CallUpdate>(event.value()).call;
        QVERIFY(std::get<CallUpdate>(event.value()).withHistory());
        QCOMPARE(m.track.size(), 2);
        QVERIFY(m.triageHistory.at(0).source == TriageSource::Gemini);
        QCOMPARE(m.triageHistory.at(0).producedAt, c.triageHistory.at(0).producedAt);
        QVERIFY(m.triageHistory.at(0).provenance == c.triageHistory.at(0).provenance);
        QVERIFY(m.transcript.at(1).speaker == Speaker::CallerText);
        QCOMPARE(m.transcript.at(2).final, false);
        QCOMPARE(m.prearrival.at(0).steps, QStringList({"press", "hold"}));
        QVERIFY(m.timeline.at(2).kind == CallEventKind::CriticalFlagged);
        QCOMPARE(m.timeline.at(2).detail, QString("not breathing"));
        QCOMPARE(m.vitals->phoneTimestampMs, 1700000000123);
    }

    void wireShapesMatchTheSeed()
    {
        // The seed's dashboards read these shapes: the module must not change the wire.
        Call call;
        call.id = "c1";
        call.location = GeoLocation{1.5, 2.5, std::nullopt, t0};
        call.ringingSince = t0;
        auto object = [](const QByteArray &bytes) {
            return QJsonDocument::fromJson(bytes).object();
        };
        const auto incoming = object(encodeCallUpdate(call, CallUpdateKind::Incoming, t0));
        QCOMPARE(incoming, (QJsonObject{{"type", "incoming_call"},
                                        {"call_id", "c1"},
                                        {"location", QJsonObject{{"lat", 1.5}, {"lng", 2.5}}},
                                        {"ringing_since", t0.toString(Qt::ISODateWithMs)}}));
        TriageReport r;
        r.severity = 5;
        r.responseType = ResponseType::Medical;
        const auto triage = object(encodeEvent(TriageUpdate{"c1", r}));
        QCOMPARE(triage.value("type").toString(), QString("triage_update"));
        QCOMPARE(triage.value("report").toObject().value("severity").toInt(), 5);
        QCOMPARE(triage.value("report").toObject().value("recommended_response_type").toString(),
                 QString("medical"));
        QCOMPARE(object(encodeEvent(CriticalFlag{"c1", "no pulse", 5})),
                 (QJsonObject{{"type", "critical_flag"},
                              {"call_id", "c1"},
                              {"reason", "no pulse"},
                              {"severity", 5}}));
        QCOMPARE(object(encodeEvent(CallEndedUpdate{"c1", EndReason::CallerLost})),
                 object(phone::encodeCallEnded("c1", EndReason::CallerLost)));
        QCOMPARE(object(encodeEvent(Pong{})), (QJsonObject{{"type", "pong"}}));
        QCOMPARE(
            object(encodeEvent(CallerConnection{"c1", false})),
            (QJsonObject{{"type", "caller_connection"}, {"call_id", "c1"}, {"connected", false}}));
    }

    void aiLinkAndPrearrivalShapes()
    {
        const QDateTime now = t0;
        Call call;
        call.id = "c1";
        call.ringingSince = now;
        QVERIFY(!callSnapshot(call, now).contains("ai_link")); // before triage started
        call.triageLink = {TriageLinkState::Resuming,
                           TriageLinkReason::LocalMeanwhile,
                           TriageFailureKind::None,
                           {},
                           "connection lost"};
        const QJsonObject snapshot = callSnapshot(call, now);
        QCOMPARE(snapshot["ai_link"].toObject(),
                 (QJsonObject{{"state", "resuming"},
                              {"reason", "local_meanwhile"},
                              {"technical", "connection lost"},
                              {"detail", "connection lost; local triage meanwhile"}}));
        const auto link =
            QJsonDocument::fromJson(encodeEvent(AiLinkUpdate{"c1", call.triageLink})).object();
        QCOMPARE(link, (QJsonObject{{"type", "ai_link"},
                                    {"call_id", "c1"},
                                    {"state", "resuming"},
                                    {"reason", "local_meanwhile"},
                                    {"technical", "connection lost"},
                                    {"detail", "connection lost; local triage meanwhile"}}));
        // Codes with numbers; `detail` stays the English an older console shows.
        const TriageLink waiting{TriageLinkState::Local,
                                 TriageLinkReason::WaitingForSlot,
                                 TriageFailureKind::None,
                                 {3, 3},
                                 QString()};
        QCOMPARE(triageLinkToJson(waiting),
                 (QJsonObject{{"state", "local"},
                              {"reason", "waiting_for_slot"},
                              {"args", QJsonArray{3, 3}},
                              {"detail", "waiting for an AI slot (3 of 3 in use)"}}));
        const TriageLink breaker{TriageLinkState::Local,
                                 TriageLinkReason::BreakerOpen,
                                 TriageFailureKind::Quota,
                                 {120},
                                 QString()};
        QCOMPARE(triageLinkToJson(breaker),
                 (QJsonObject{{"state", "local"},
                              {"reason", "breaker_open"},
                              {"failure", "quota"},
                              {"args", QJsonArray{120}},
                              {"detail", "AI unavailable (quota exceeded); retrying in 120 s"}}));
        // The console reads the codes back; a host before the codes sends only English text,
        // kept as the detail; a code from a newer host reads as none (the state still counts).
        auto back = parseEvent(encodeEvent(AiLinkUpdate{"c1", waiting}), t0);
        QVERIFY(back && std::get<AiLinkUpdate>(back.value()).link == waiting);
        back = parseEvent(j("{'type':'ai_link','call_id':'c1','state':'local',"
                            "'detail':'fallback: quota'}"),
                          t0);
        QVERIFY(back);
        QVERIFY(std::get<AiLinkUpdate>(back.value()).link.reason == TriageLinkReason::None);
        QCOMPARE(std::get<AiLinkUpdate>(back.value()).link.detail, QString("fallback: quota"));
        back = parseEvent(j("{'type':'ai_link','call_id':'c1','state':'resuming',"
                            "'reason':'from_the_future','failure':'solar_flare','args':[1]}"),
                          t0);
        QVERIFY(back);
        QVERIFY(std::get<AiLinkUpdate>(back.value()).link.state == TriageLinkState::Resuming);
        QVERIFY(std::get<AiLinkUpdate>(back.value()).link.reason == TriageLinkReason::None);
        QVERIFY(std::get<AiLinkUpdate>(back.value()).link.failure == TriageFailureKind::None);
        const auto offer = QJsonDocument::fromJson(
                               encodeEvent(PrearrivalUpdate{"c1", {now, "cpr", "CPR", {"a", "b"}}}))
                               .object();
        QCOMPARE(offer["type"].toString(), QString("prearrival"));
        QCOMPARE(offer["topic"].toString(), QString("cpr"));
        QCOMPARE(offer["steps"].toArray(), (QJsonArray{"a", "b"}));
        QCOMPARE(offer["at"].toString(), now.toString(Qt::ISODateWithMs));
    }

    void callerSignalIsAnEnvelope()
    {
        // Whatever the caller's message says, the envelope's own type and call id win, and a
        // console reads it as data, never as the event its "type" names.
        const QByteArray bytes =
            encodeEvent(CallerSignal{"c1", {{"type", "call_ended"}, {"call_id", "other"}}});
        const QJsonObject envelope = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(envelope.value("type").toString(), QString("caller_signal"));
        QCOMPARE(envelope.value("call_id").toString(), QString("c1"));
        QCOMPARE(envelope.value("signal").toObject().value("call_id").toString(), QString("other"));
        const auto parsed = parseEvent(bytes, t0);
        QVERIFY(parsed.ok());
        QVERIFY(std::holds_alternative<CallerSignal>(parsed.value()));
    }

    // An acknowledger's role that is no person's (or unknown) reads as a dispatcher: a host
    // cannot make a console show "acknowledged by the system".
    void acknowledgerIsAlwaysAPerson()
    {
        auto ack = parseEvent(j("{'type':'critical_acknowledged','call_id':'x','by':'ana',"
                                "'by_role':'system','at':'2026-11-22T10:00:00.000Z'}"),
                              t0);
        QVERIFY(ack);
        QVERIFY(std::get<CriticalAcknowledgement>(ack.value()).by == Actor::dispatcher("ana"));
        QCOMPARE(std::get<CriticalAcknowledgement>(ack.value()).at, t0);
    }

    // A dispatcher's override carries their note; a model's report cannot.
    void overrideCarriesTheNote()
    {
        TriageReport r = report(TriageSource::Dispatcher);
        r.critical = false;
        r.note = "caller is breathing, confirmed";
        auto over = parseCommand(encodeCommand(OverrideTriage{"x", r}));
        QVERIFY(over);
        QCOMPARE(std::get<OverrideTriage>(over.value()).report.note, r.note);
        QVERIFY(!std::get<OverrideTriage>(over.value()).report.critical);
        auto ai = triageReportFromJson(toJson(r), TriageSource::Gemini);
        QVERIFY(ai);
        QVERIFY(ai.value().note.isEmpty());
    }

    void criticalFlagSeverityIsClamped()
    {
        auto flag = parseEvent(encodeEvent(CriticalFlag{"c-42", "no pulse", 9}), t0);
        QVERIFY(flag);
        QCOMPARE(std::get<CriticalFlag>(flag.value()).severity, 5);
    }

    void hostileEvents_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions"); // the error message names what is wrong
        QTest::newRow("not json") << j("{{{") << "bad_json"
                                  << "JSON";
        QTest::newRow("array") << j("[1,2]") << "bad_json"
                               << "object";
        QTest::newRow("too large") << QByteArray("{\"type\":\"pong\",\"pad\":\"" +
                                                 QByteArray(Limits::MaxEventBytes, 'x') + "\"}")
                                   << "too_large"
                                   << "limit";
        QTest::newRow("no type") << j("{'call_id':'x'}") << "bad_field"
                                 << "type";
        QTest::newRow("unknown type")
            << j("{'type':'answer','call_id':'x','sdp':'v=0'}") << "unknown_type"
            << "answer";
        QTest::newRow("no call id") << j("{'type':'triage_update','report':{}}") << "bad_field"
                                    << "call_id";
        QTest::newRow("bad call id") << j("{'type':'call_ended','call_id':'a b'}") << "bad_field"
                                     << "call_id";
        QTest::newRow("call id is a number")
            << j("{'type':'call_ended','call_id':5}") << "bad_field"
            << "call_id";
        QTest::newRow("unknown state") << j("{'type':'call_state','call_id':'x','state':'flying','"
                                            "ringing_since':'2026-11-22T10:00:00Z'}")
                                       << "bad_field"
                                       << "state";
        QTest::newRow("no ringing time")
            << j("{'type':'call_state','call_id':'x','state':'ringing'}") << "bad_field"
            << "ringing_since";
        QTest::newRow("ringing time is no time")
            << j("{'type':'incoming_call','call_id':'x','ringing_since':'yesterday'}")
            << "bad_field"
            << "ringing_since";
        QTest::newRow("caller_connected is a string")
            << j("{'type':'call_state','call_id':'x','state':'ringing','ringing_since':'2026-11-"
                 "22T10:00:00Z','caller_connected':'no'}")
            << "bad_field"
            << "caller_connected";
        QTest::newRow("transcript is no list")
            << j("{'type':'call_detail','call_id':'x','state':'ringing','ringing_since':'2026-11-"
                 "22T10:00:00Z','transcript':{}}")
            << "bad_field"
            << "transcript";
        QTest::newRow("report without source")
            << j("{'type':'triage_update','call_id':'x','report':{'severity':3}}") << "bad_report"
            << "";
        QTest::newRow("report is a string")
            << j("{'type':'triage_update','call_id':'x','report':'bad'}") << "bad_field"
            << "report";
        QTest::newRow("bad speaker")
            << j("{'type':'transcript','call_id':'x','speaker':'god','text':'hi'}") << "bad_field"
            << "speaker";
        QTest::newRow("text is a number")
            << j("{'type':'transcript','call_id':'x','speaker':'caller','text':5}") << "bad_field"
            << "text";
        QTest::newRow("bad location")
            << j("{'type':'location_update','call_id':'x','location':{'lat':95,'lng':0}}")
            << "bad_field"
            << "lat";
        QTest::newRow("connected is a string")
            << j("{'type':'caller_connection','call_id':'x','connected':'yes'}") << "bad_field"
            << "connected";
        QTest::newRow("severity is a word")
            << j("{'type':'critical_flag','call_id':'x','reason':'r','severity':'high'}")
            << "bad_field"
            << "severity";
        QTest::newRow("unknown link state")
            << j("{'type':'ai_link','call_id':'x','state':'dreaming'}") << "bad_field"
            << "state";
        QTest::newRow("steps are not strings")
            << j("{'type':'prearrival','call_id':'x','steps':[1]}") << "bad_field"
            << "steps";
        QTest::newRow("vitals without values")
            << j("{'type':'vitals','call_id':'x'}") << "bad_field"
            << "breathing";
        QTest::newRow("bad hello call")
            << j("{'type':'hello','calls':[{'call_id':'x','state':'nope'}]}") << "bad_field"
            << "state";
        QTest::newRow("hello calls are no list") << j("{'type':'hello','calls':'x'}") << "bad_field"
                                                 << "calls";
        QTest::newRow("hello you is no object") << j("{'type':'hello','you':5}") << "bad_field"
                                                << "you";
        QTest::newRow("hello name is a number")
            << j("{'type':'hello','you':{'name':5}}") << "bad_field"
            << "you.name";
        QTest::newRow("acknowledged by nobody")
            << j("{'type':'critical_acknowledged','call_id':'x','at':'2026-11-22T10:00:00Z'}")
            << "bad_field"
            << "by";
        QTest::newRow("acknowledged by a path")
            << j("{'type':'critical_acknowledged','call_id':'x','by':'../ana'}") << "bad_field"
            << "by";
        QTest::newRow("signal is no object")
            << j("{'type':'caller_signal','call_id':'x','signal':'offer'}") << "bad_field"
            << "signal";
    }
    void hostileEvents()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        const auto parsed = parseEvent(json, QDateTime::currentDateTimeUtc());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
    }

    void hostileTransferTargets_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("no list") << j("{'type':'transfer_targets'}");
        QTest::newRow("list is a string") << j("{'type':'transfer_targets','targets':'ben'}");
        QTest::newRow("list is an object")
            << j("{'type':'transfer_targets','targets':{'name':'ben'}}");
        QByteArray many = "{\"type\":\"transfer_targets\",\"targets\":[";
        for (int i = 0; i <= Limits::MaxTransferTargets; ++i)
            many += (i ? ",{\"name\":\"d" : "{\"name\":\"d") + QByteArray::number(i) + "\"}";
        QTest::newRow("too many") << many + "]}";
    }
    void hostileTransferTargets()
    {
        QFETCH(QByteArray, json);
        const auto parsed = parseEvent(json, t0);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QString("bad_field"));
        QVERIFY2(parsed.error().message.contains("targets"), qPrintable(parsed.error().message));
    }

    // One bad entry costs that entry, not the list: names that are no principal's are left out.
    void transferTargetsSkipWhatIsNoName()
    {
        const auto parsed = parseEvent(
            j("{'type':'transfer_targets','targets':[{'name':'ben','online':true},7,'ana',"
              "{'name':'a b'},{'name':42},{'name':''},{'online':true},{'name':'../x/y'},"
              "{'name':'cleo','online':'yes'},{'name':'dan','extra':1}]}"),
            t0);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message));
        const auto &targets = std::get<TransferTargets>(parsed.value()).targets;
        QCOMPARE(targets.size(), 2);
        QVERIFY(targets.at(0) == (TransferTarget{"ben", true}));
        QVERIFY(targets.at(1) == (TransferTarget{"dan", false}));
    }

    // A disposition code this console does not know (a newer host's) reads as none; the end
    // itself still counts.
    void unknownDispositionFromTheHostReadsAsNone()
    {
        const auto ended =
            parseEvent(j("{'type':'call_ended','call_id':'c1','reason':'dispatcher_ended',"
                         "'disposition':'referred_to_poison_control'}"),
                       t0);
        QVERIFY2(ended.ok(), qPrintable(ended.error().message));
        QVERIFY(std::get<CallEndedUpdate>(ended.value()).disposition == Disposition::None);
        QVERIFY(std::get<CallEndedUpdate>(ended.value()).reason == EndReason::DispatcherEnded);
        const auto state =
            parseEvent(j("{'type':'call_state','call_id':'c1','state':'ended','ringing_since':"
                         "'2026-11-22T10:00:00.000Z','ended_at':'2026-11-22T10:01:00.000Z',"
                         "'end_reason':'dispatcher_ended','disposition':5}"),
                       t0);
        QVERIFY(!state.ok()); // the wrong type is still refused, like any field
        QVERIFY(!dispositionFromString(QString()));
        for (Disposition d : dispositionChoices())
            QVERIFY(dispositionFromString(toString(d)) == d);
    }

    void historyItemsThatDoNotParseAreSkipped()
    {
        // One bad transcript entry must not cost the dispatcher the rest of the call.
        auto e = parseEvent(
            j("{'type':'call_detail','call_id':'x','state':'answered','ringing_since':'2026-11-"
              "22T10:00:00Z',"
              "'transcript':[{'speaker':'caller','text':'one','at':'2026-11-22T10:00:01Z'},{'"
              "speaker':'nobody'},7,"
              "{'speaker':'caller','text':'two','at':'2026-11-22T10:00:02Z'}],"
              "'triage':{'severity':2},'timeline':[{'kind':'rang'},{'kind':'exploded'}]}"),
            QDateTime::currentDateTimeUtc());
        QVERIFY2(e.ok(), qPrintable(e.error().message));
        const Call &c = std::get<CallUpdate>(e.value()).call;
        QCOMPARE(c.transcript.size(), 2);
        QCOMPARE(c.timeline.size(), 1);
        QVERIFY(!c.triage); // a report that does not parse is left out, the call is kept
    }

    void longDisplayTextIsCutNotRefused()
    {
        // A long AI link detail or flag reason must not cost the state change it comes with.
        const QString detail(5000, 'd');
        const TriageLink failed{TriageLinkState::Failed,
                                TriageLinkReason::None,
                                TriageFailureKind::Transient,
                                {},
                                detail};
        auto e = parseEvent(encodeEvent(AiLinkUpdate{"x", failed}), t0);
        QVERIFY(e.ok());
        QCOMPARE(std::get<AiLinkUpdate>(e.value()).link.detail, detail.left(1000));
    }

    // --- binary media frames (both directions) -------------------------------------------------

    void mediaFramesRoundTrip_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("callId");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("caller audio")
            << int(MediaKind::CallerAudio) << "c-1" << QByteArray(640, 'a');
        QTest::newRow("camera frame") << int(MediaKind::CameraFrame) << "cam-1"
                                      << QByteArray::fromHex("ffd8ffe0") + QByteArray(100, 'j');
        QTest::newRow("talk-back")
            << int(MediaKind::TalkBack) << QString(128, 'x') << QByteArray(2, '\0');
        QTest::newRow("empty payload") << int(MediaKind::TalkBack) << "t" << QByteArray();
    }
    void mediaFramesRoundTrip()
    {
        QFETCH(int, kind);
        QFETCH(QString, callId);
        QFETCH(QByteArray, payload);
        const MediaFrame frame{static_cast<MediaKind>(kind), callId, payload};
        const QByteArray bytes = encodeMediaFrame(frame);
        auto back = parseMediaFrame(bytes);
        QVERIFY2(back.ok(), qPrintable(back.error().message));
        QVERIFY(back->kind == frame.kind);
        QCOMPARE(back->callId, frame.callId);
        QCOMPARE(back->payload, frame.payload);
        QCOMPARE(encodeMediaFrame(back.value()), bytes);
    }

    void hostileMediaFrames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("kind 9") << QByteArray::fromHex("0905616263");
        QTest::newRow("kind 0") << QByteArray::fromHex("0003616263");
        QTest::newRow("id longer than the frame") << QByteArray::fromHex("01ff616263");
        QTest::newRow("id with a space") << QByteArray::fromHex("0103612062");
        QTest::newRow("no id") << QByteArray::fromHex("0100");
        QTest::newRow("zero id length") << QByteArray::fromHex("010061");
    }
    void hostileMediaFrames()
    {
        QFETCH(QByteArray, bytes);
        const auto frame = parseMediaFrame(bytes);
        QVERIFY(!frame.ok());
        QCOMPARE(frame.error().code, QString("bad_media_frame"));
    }
};

QTEST_GUILESS_MAIN(TestDashboardMessages)
#include "tst_dashboardmessages.moc"
