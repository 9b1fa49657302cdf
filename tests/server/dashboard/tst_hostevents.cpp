// The remote console's decoding of what a host sends, against the host's own encoders.
#include "dashboard/hostevents.h"
#include "net/errorreply.h"
#include "phone/phonemessages.h"

#include <QJsonDocument>
#include <QTest>

using namespace dispatch;

namespace {

Call richCall()
{
    const QDateTime t0 = QDateTime::fromString("2026-11-22T10:00:00.000Z", Qt::ISODateWithMs);
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
    TriageReport r;
    r.situationSummary = "Fall from a ladder";
    r.detectedKeywords = {"fall", "ladder"};
    r.responseType = ResponseType::Medical;
    r.severity = 3;
    r.source = TriageSource::Gemini;
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

} // namespace

class TestHostEvents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callDetailRoundTrips()
    {
        const Call c = richCall();
        const QDateTime now = c.ringingSince.addSecs(60);
        auto event = remote::parseHostEvent(phone::encodeCallDetail(c, now), now);
        QVERIFY2(event.ok(), qPrintable(event.error().message));
        const auto *update = std::get_if<remote::CallUpdate>(&event.value());
        QVERIFY(update);
        QVERIFY(update->withHistory);
        const Call &m = update->call;
        QCOMPARE(m.id, c.id);
        QVERIFY(m.state == c.state);
        QCOMPARE(m.ringingSince, c.ringingSince);
        QCOMPARE(m.answeredAt, c.answeredAt);
        QCOMPARE(m.answeredBy, c.answeredBy);
        QCOMPARE(m.callerConnected, false);
        QVERIFY(m.location && *m.location == *c.location);
        QCOMPARE(m.track.size(), 2);
        QCOMPARE(m.locationAccepted, true);
        QCOMPARE(m.firstTriageAt, c.firstTriageAt);
        QCOMPARE(m.triageHistory.size(), 2);
        QVERIFY(m.triageHistory.at(0).source == TriageSource::Gemini);
        QCOMPARE(m.triageHistory.at(0).producedAt, c.triageHistory.at(0).producedAt);
        QVERIFY(m.triageHistory.at(0).provenance == c.triageHistory.at(0).provenance);
        QVERIFY(m.triage && m.triage->source == TriageSource::Dispatcher &&
                m.triage->severity == 5);
        QVERIFY(m.triageLink == c.triageLink);
        QCOMPARE(m.transcript.size(), 3);
        QVERIFY(m.transcript.at(1).speaker == Speaker::CallerText);
        QCOMPARE(m.transcript.at(2).final, false);
        QCOMPARE(m.transcript.at(2).at, c.transcript.at(2).at);
        QCOMPARE(m.prearrival.size(), 1);
        QCOMPARE(m.prearrival.at(0).steps, QStringList({"press", "hold"}));
        QCOMPARE(m.timeline.size(), 4);
        QVERIFY(m.timeline.at(2).kind == CallEventKind::CriticalFlagged);
        QCOMPARE(m.timeline.at(2).detail, QString("not breathing"));
        QVERIFY(m.vitals && m.vitals->heartRate == 120.0);
        QCOMPARE(m.vitals->phoneTimestampMs, 1700000000123);
    }

    void helloCarriesIdentityAndClock()
    {
        const Call c = richCall();
        const QDateTime now = c.ringingSince.addSecs(5);
        auto event = remote::parseHostEvent(
            phone::encodeHello({&c}, now, Principal{"sam", Role::Supervisor, {}}), now);
        QVERIFY(event.ok());
        const auto *hello = std::get_if<remote::Hello>(&event.value());
        QVERIFY(hello);
        QCOMPARE(hello->you.name, QString("sam"));
        QVERIFY(hello->you.role == Role::Supervisor);
        QCOMPARE(hello->serverTime, now);
        QCOMPARE(hello->calls.size(), 1);
        QVERIFY(hello->calls.at(0).transcript.isEmpty()); // snapshots carry no history
    }

    void liveEventsDecode()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Call c = richCall();
        auto decode = [&](const QByteArray &bytes) {
            auto e = remote::parseHostEvent(bytes, now);
            if (!e)
                qWarning() << e.error().message;
            return e;
        };
        auto triage = decode(phone::encodeTriageUpdate("c-42", *c.triage));
        QVERIFY(triage && std::get<remote::TriageUpdate>(triage.value()).report.severity == 5);
        auto flag = decode(phone::encodeCriticalFlag("c-42", "no pulse", 9));
        QVERIFY(flag);
        QCOMPARE(std::get<remote::CriticalFlag>(flag.value()).severity, 5); // clamped
        auto ended = decode(phone::encodeCallEnded("c-42", EndReason::Abandoned));
        QVERIFY(ended);
        QVERIFY(std::get<remote::CallEndedUpdate>(ended.value()).reason == EndReason::Abandoned);
        auto segment = decode(phone::encodeTranscript("c-42", c.transcript.at(0)));
        QVERIFY(segment);
        QCOMPARE(std::get<remote::TranscriptUpdate>(segment.value()).segment.text,
                 QString("he fell"));
        auto link = decode(phone::encodeAiLink("c-42", c.triageLink));
        QVERIFY(link);
        QVERIFY(std::get<remote::AiLinkUpdate>(link.value()).link == c.triageLink);
        const TriageLink waiting{TriageLinkState::Local,
                                 TriageLinkReason::WaitingForSlot,
                                 TriageFailureKind::None,
                                 {2, 3},
                                 QString()};
        link = decode(phone::encodeAiLink("c-42", waiting));
        QVERIFY(link && std::get<remote::AiLinkUpdate>(link.value()).link == waiting);
        // A host that predates the codes sends only English text: kept as the detail.
        link = decode(R"({"type":"ai_link","call_id":"c-42","state":"local",
                          "detail":"fallback: quota"})");
        QVERIFY(link);
        QVERIFY(std::get<remote::AiLinkUpdate>(link.value()).link.reason == TriageLinkReason::None);
        QCOMPARE(std::get<remote::AiLinkUpdate>(link.value()).link.detail,
                 QString("fallback: quota"));
        // A code from a newer host reads as none; the state still counts.
        link = decode(R"({"type":"ai_link","call_id":"c-42","state":"resuming",
                          "reason":"from_the_future","failure":"solar_flare","args":[1]})");
        QVERIFY(link);
        QVERIFY(std::get<remote::AiLinkUpdate>(link.value()).link.state ==
                TriageLinkState::Resuming);
        QVERIFY(std::get<remote::AiLinkUpdate>(link.value()).link.reason == TriageLinkReason::None);
        QVERIFY(std::get<remote::AiLinkUpdate>(link.value()).link.failure ==
                TriageFailureKind::None);
        auto vitals = decode(phone::encodeVitals("c-42", *c.vitals));
        QVERIFY(vitals);
        auto offer = decode(phone::encodePrearrival("c-42", c.prearrival.at(0)));
        QVERIFY(offer);
        QCOMPARE(std::get<remote::PrearrivalUpdate>(offer.value()).offer.title,
                 QString("Control bleeding"));
        auto error = decode(encodeErrorReply({"invalid_state", "already answered by ana"}, "c-42"));
        QVERIFY(error);
        QCOMPARE(std::get<remote::HostError>(error.value()).message,
                 QString("already answered by ana"));
    }

    void hostileMessagesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("not json") << QByteArray("{{{");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("no call id") << QByteArray(R"({"type":"triage_update","report":{}})");
        QTest::newRow("bad call id") << QByteArray(R"({"type":"call_ended","call_id":"a b"})");
        QTest::newRow("unknown state") << QByteArray(
            R"({"type":"call_state","call_id":"x","state":"flying","ringing_since":"2026-11-22T10:00:00Z"})");
        QTest::newRow("no ringing time")
            << QByteArray(R"({"type":"call_state","call_id":"x","state":"ringing"})");
        QTest::newRow("report without source")
            << QByteArray(R"({"type":"triage_update","call_id":"x","report":{"severity":3}})");
        QTest::newRow("bad speaker")
            << QByteArray(R"({"type":"transcript","call_id":"x","speaker":"god","text":"hi"})");
        QTest::newRow("bad location") << QByteArray(
            R"({"type":"location_update","call_id":"x","location":{"lat":95,"lng":0}})");
        QTest::newRow("bad hello call")
            << QByteArray(R"({"type":"hello","calls":[{"call_id":"x","state":"nope"}]})");
    }

    void hostileMessagesAreRefused()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(!remote::parseHostEvent(bytes, QDateTime::currentDateTimeUtc()).ok());
    }

    void unknownTypesAreIgnored()
    {
        auto e = remote::parseHostEvent(R"({"type":"answer","call_id":"x","sdp":"v=0"})",
                                        QDateTime::currentDateTimeUtc());
        QVERIFY(e.ok());
        QVERIFY(std::holds_alternative<remote::Ignored>(e.value()));
    }

    void historyItemsThatDoNotParseAreSkipped()
    {
        // One bad transcript entry must not cost the dispatcher the rest of the call.
        auto e = remote::parseHostEvent(
            R"({"type":"call_detail","call_id":"x","state":"answered","ringing_since":"2026-11-22T10:00:00Z",)"
            R"("transcript":[{"speaker":"caller","text":"one","at":"2026-11-22T10:00:01Z"},{"speaker":"??"},)"
            R"({"speaker":"caller","text":"two","at":"2026-11-22T10:00:02Z"}]})",
            QDateTime::currentDateTimeUtc());
        QVERIFY(e.ok());
        QCOMPARE(std::get<remote::CallUpdate>(e.value()).call.transcript.size(), 2);
    }

    void mediaFramesRoundTripAndRejectGarbage()
    {
        const phone::MediaFrame frame{phone::MediaKind::CameraFrame, "cam-1", QByteArray(100, 'j')};
        auto back = phone::parseMediaFrame(phone::encodeMediaFrame(frame));
        QVERIFY(back.ok());
        QVERIFY(back->kind == frame.kind);
        QCOMPARE(back->callId, frame.callId);
        QCOMPARE(back->payload, frame.payload);
        QVERIFY(!phone::parseMediaFrame(QByteArray()).ok());
        QVERIFY(!phone::parseMediaFrame(QByteArray::fromHex("0905616263")).ok()); // kind 9
        QVERIFY(!phone::parseMediaFrame(QByteArray::fromHex("01ff616263")).ok()); // id too long
        QVERIFY(!phone::parseMediaFrame(QByteArray::fromHex("0103612062")).ok()); // "a b"
        QVERIFY(!phone::parseMediaFrame(QByteArray::fromHex("0100")).ok());
    }

    void newDashboardCommandsParse()
    {
        auto get = phone::parseDashboardMessage(R"({"type":"get_call","call_id":"x"})");
        QVERIFY(get && std::holds_alternative<phone::GetCall>(get.value()));
        auto unsub = phone::parseDashboardMessage(R"({"type":"unsubscribe_media","call_id":"x"})");
        QVERIFY(unsub && !std::get<phone::SubscribeMedia>(unsub.value()).subscribe);
        auto over = phone::parseDashboardMessage(
            R"({"type":"override_triage","call_id":"x","report":{"severity":9,"source":"gemini"}})");
        QVERIFY(over);
        const auto &report = std::get<phone::OverrideTriage>(over.value()).report;
        QCOMPARE(report.severity, 5);                       // clamped
        QVERIFY(report.source == TriageSource::Dispatcher); // never what the client claims
        QVERIFY(!phone::parseDashboardMessage(R"({"type":"override_triage","call_id":"x"})").ok());
        QVERIFY(!phone::parseDashboardMessage(
                     R"({"type":"override_triage","call_id":"x","report":{"foo":1}})")
                     .ok());
    }
};

QTEST_GUILESS_MAIN(TestHostEvents)
#include "tst_hostevents.moc"
