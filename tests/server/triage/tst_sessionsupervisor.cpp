// One call's Gemini session against the faithful fake: clean session, goAway hand-over without
// audio loss, resumption after a drop, the close-code policy, pacing and hostile server messages.
#include "common/metricsregistry.h"
#include "fakegeminiserver.h"
#include "fastliveconfig.h"
#include "tcprelay.h"
#include "testaudio.h"
#include "triage/prearrivalknowledge.h"
#include "triage/sessionsupervisor.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <memory>

using dispatch::test::pcm16k;
using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;

namespace {

// A phone: 20 ms chunks, `speechMs` of speech then `silenceMs` of silence, over and over, a
// chunk every `everyMs` of wall time (faster than real time).
class Phone : public QObject
{
public:
    Phone(SessionSupervisor &target, int everyMs, int speechMs = 600, int silenceMs = 900)
        : m_target(target)
        , m_speechMs(speechMs)
        , m_cycleMs(speechMs + silenceMs)
    {
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { sendOne(); });
        m_timer.start(everyMs);
    }
    void stop() { m_timer.stop(); }
    qint64 sent() const { return m_sent; }

private:
    void sendOne()
    {
        const bool speech = m_atMs % m_cycleMs < m_speechMs;
        const QByteArray chunk = pcm16k(20, speech ? 3000 : 0);
        m_target.addAudio(chunk);
        m_sent += chunk.size();
        m_atMs += 20;
    }

    SessionSupervisor &m_target;
    int m_speechMs;
    int m_cycleMs;
    qint64 m_atMs = 0;
    qint64 m_sent = 0;
    QTimer m_timer;
};

FakeToolCall report(int severity, const QString &summary)
{
    return {QStringLiteral("report_triage"),
            QJsonObject{{QStringLiteral("situation_summary"), summary},
                        {QStringLiteral("recommended_response_type"), QStringLiteral("medical")},
                        {QStringLiteral("severity"), severity},
                        {QStringLiteral("caller_emotional_state"), QStringLiteral("panicked")}}};
}

// A gauge's unlabelled sample as /metrics renders it; -1 if absent.
double gauge(const MetricsRegistry &metrics, const QByteArray &name)
{
    for (const QByteArray &line : metrics.renderPrometheus().split('\n')) {
        if (line.startsWith(QByteArray(name + ' ')))
            return line.mid(name.size() + 1).toDouble();
    }
    return -1;
}

const QByteArray QueuedGauge = "dispatch_gemini_queued_bytes";
const QString UnsentCounter = QStringLiteral("dispatch_gemini_unsent_bytes_total");
constexpr double StalledQueueBytes = 1 << 20;

} // namespace

class TestSessionSupervisor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void cleanSessionWithBacklogToolsAndTranscripts();
    void shortAnswerAfterAModelTurnIsHeard();
    void goAwayHandOverLosesNoAudio();
    void resumesAfterAbruptDrop();
    void goAwayDeadlinePassesDuringHandOver();
    void retryableCloses_data();
    void retryableCloses();
    void finalCloses_data();
    void finalCloses();
    void givesUpAfterRepeatedFailures();
    void rejectedHandleStartsAFreshSession();
    void framesVitalsAndTypedTextArePaced();
    void badServerMessagesAreSurvived();
    void midSessionRefusalResumes();
    void finishEndsTheSession();
    void finishDrainsAudioQueuedForASlowPeer();
    void finishCountsAudioAPeerNeverRead();
    void slowLinkHoldsAudioBehindABoundedQueue();
    void textReportsAreExtracted();
    void prearrivalInstructionsAreOffered();

private:
    SupervisorConfig configFor() const;
    // A live session through `relay` with the relay no longer reading and at least
    // StalledQueueBytes queued on the session's socket (seen through the gauge).
    SessionSupervisor *stalledSession(const SupervisorConfig &config, test::TcpRelay &relay,
                                      const MetricsRegistry &metrics);

    std::unique_ptr<FakeGeminiServer> m_server;
    qint64 m_nowMs = 0; // the fake monotonic clock
};

SupervisorConfig TestSessionSupervisor::configFor() const
{
    SupervisorConfig c;
    static_cast<LiveSupervisorConfig &>(c) = test::fastLiveConfig(m_server->baseUrl());
    return c;
}

void TestSessionSupervisor::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
}

void TestSessionSupervisor::cleanup()
{
    m_server.reset();
}

void TestSessionSupervisor::cleanSessionWithBacklogToolsAndTranscripts()
{
    m_server->queueInputTranscripts({"my father collapsed he is not breathing"});
    m_server->queueReplies({"(silence)"});
    m_server->scriptToolCall(
        1, {report(5, "Father collapsed, not breathing"),
            {"flag_critical", QJsonObject{{"reason", "not breathing"}, {"severity", 5}}}});
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy toolResponses(m_server.get(), &FakeGeminiServer::toolResponseReceived);

    SessionSupervisor s(configFor());
    QSignalSpy states(&s, &SessionSupervisor::stateChanged);
    QSignalSpy reports(&s, &SessionSupervisor::reportProduced);
    QSignalSpy flags(&s, &SessionSupervisor::criticalFlagged);
    QSignalSpy transcripts(&s, &SessionSupervisor::transcriptProduced);
    QSignalSpy failed(&s, &SessionSupervisor::failed);

    MediaBacklog backlog(1 << 20, 4);
    backlog.appendAudio(pcm16k(600, 3000)); // the caller spoke while it rang
    backlog.appendAudio(pcm16k(900, 0));
    s.start(backlog);
    QCOMPARE(s.state(), SessionSupervisor::State::Connecting);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(setups.count(), 1);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["generationConfig"]["responseModalities"].toArray(), QJsonArray{"AUDIO"});
    QCOMPARE(setup["tools"][0]["functionDeclarations"].toArray().size(), 2);

    // The backlog alone makes a user turn: the model reports and flags from it.
    QTRY_COMPARE(reports.count(), 1);
    QTRY_COMPARE(flags.count(), 1);
    const auto r = reports.first().first().value<TriageReport>();
    QCOMPARE(r.severity, 5);
    QCOMPARE(toString(r.source), toString(TriageSource::Gemini));
    QCOMPARE(flags.first().at(0).toString(), "not breathing");
    QTRY_COMPARE(toolResponses.count(), 1);
    const QJsonArray responses = toolResponses.first().at(2).toJsonArray();
    QCOMPARE(responses.size(), 2);
    QCOMPARE(responses[0]["id"].toString(), toolResponses.first().at(1).toStringList().at(0));
    QCOMPARE(responses[0]["scheduling"].toString(), "SILENT"); // never make the model speak
    QCOMPARE(m_server->audioBytes(1), backlog.audioBytes());

    QTRY_VERIFY(s.stats().totalTokens > 0);
    QTRY_VERIFY(transcripts.count() >= 2);
    bool caller = false, ai = false;
    for (const auto &args : std::as_const(transcripts)) {
        const auto t = args.first().value<TranscriptSegment>();
        caller |= t.speaker == Speaker::Caller && t.final &&
                  t.text == "my father collapsed he is not breathing";
        ai |= t.speaker == Speaker::Ai && t.text.contains("silence");
    }
    QVERIFY(caller);
    QVERIFY(ai);
    QVERIFY(failed.isEmpty());
    QCOMPARE(s.stats().connections, 1);
    QCOMPARE(s.stats().handovers + s.stats().resumes, 0);
    QVERIFY(s.stats().firstReportAt.isValid());
    QCOMPARE(states.first().first().value<SessionSupervisor::State>(),
             SessionSupervisor::State::Connecting);
}

// The default model takes manual activity (its row of the capability table): the triage setup
// turns the server's VAD off and our detector makes the turns, so a "yes" right after the model's
// turn, which the server's VAD drops on phone audio (the fake's reported-failure mode), is heard.
void TestSessionSupervisor::shortAnswerAfterAModelTurnIsHeard()
{
    m_server->config().dropShortAnswersAfterModelTurn = true;
    m_server->queueInputTranscripts({"my wife fell down the stairs", "yes"});
    QSignalSpy completed(m_server.get(), &FakeGeminiServer::modelTurnCompleted);
    QSignalSpy ignored(m_server.get(), &FakeGeminiServer::utteranceIgnored);
    SessionSupervisor s(configFor());
    QSignalSpy transcripts(&s, &SessionSupervisor::transcriptProduced);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    const auto say = [&s](const QByteArray &pcm) {
        for (qsizetype at = 0; at < pcm.size(); at += 640)
            s.addAudio(pcm.mid(at, 640));
    };
    say(test::phoneLine(300, 0) + test::phoneLine(1500, 3000) + test::phoneLine(1000, 0));
    QTRY_COMPARE(completed.count(), 1);
    say(test::phoneLine(150, 0) + test::phoneLine(300, 3000) + test::phoneLine(1000, 0));
    const auto heard = [&transcripts](const QString &text) {
        for (const auto &args : std::as_const(transcripts)) {
            const auto t = args.first().value<TranscriptSegment>();
            if (t.speaker == Speaker::Caller && t.final && t.text == text)
                return true;
        }
        return false;
    };
    QTRY_VERIFY(heard("yes"));
    QVERIFY(heard("my wife fell down the stairs"));
    QCOMPARE(ignored.count(), 0);
}

void TestSessionSupervisor::goAwayHandOverLosesNoAudio()
{
    // Connections live 400 ms, then goAway with 300 ms left (the real service: ~9 min + 50 s).
    m_server->config().connectionLifetimeMs = 400;
    m_server->config().goAwayTimeLeftMs = 300;
    m_server->config().resumptionUpdateIntervalMs = 60;
    for (int turn = 1; turn <= 40; ++turn)
        m_server->scriptToolCall(turn, {report(1 + turn % 5, QStringLiteral("turn %1").arg(turn))});
    QSignalSpy goAways(m_server.get(), &FakeGeminiServer::goAwaySent);
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    QSignalSpy serverClosed(m_server.get(), &FakeGeminiServer::connectionClosed);

    SessionSupervisor s(configFor());
    QSignalSpy reports(&s, &SessionSupervisor::reportProduced);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    Phone phone(s, 5); // 4x real time
    QTRY_VERIFY_WITH_TIMEOUT(s.stats().handovers >= 3, 20000);
    const int reportsBeforeLast = reports.count();
    QTRY_VERIFY_WITH_TIMEOUT(reports.count() > reportsBeforeLast, 10000); // still flowing
    phone.stop();
    const qint64 sent = phone.sent();
    QCOMPARE(s.stats().audioBytesIn, sent);

    // Every byte the phone sent reached the fake; the only extra is the accounted duplicate
    // (replayed audio the old connection had already received).
    QTRY_COMPARE(m_server->totalAudioBytes(), sent + s.stats().duplicateBytes);
    QVERIFY(failed.isEmpty());
    QVERIFY(goAways.count() >= 3);
    QVERIFY(resumed.count() >= 3); // each new connection resumed with a handle
    for (const auto &args : std::as_const(serverClosed))
        QVERIFY2(args.at(1).toInt() == 1000, "old connections are closed by us, before the 1008");
    QCOMPARE(s.stats().resumes, 0);
    // Duplication is bounded by the replay margin (1 s) plus the handle period.
    const qint64 perHandover = s.stats().duplicateBytes / s.stats().handovers;
    qInfo() << "hand-overs" << s.stats().handovers << "sent" << sent << "received"
            << m_server->totalAudioBytes() << "duplicate per hand-over" << perHandover;
    QVERIFY(perHandover <= 32 * (1000 + 200));
    QVERIFY(s.openConnections() == 1);
}

void TestSessionSupervisor::resumesAfterAbruptDrop()
{
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    SessionSupervisor s(configFor());
    QSignalSpy states(&s, &SessionSupervisor::stateChanged);
    s.start(MediaBacklog());
    Phone phone(s, 5);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QTRY_VERIFY(!s.resumptionHandle().isEmpty());
    QTRY_VERIFY(m_server->totalAudioBytes() > 32000);

    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Resuming);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(s.stats().resumes, 1);
    QCOMPARE(resumed.count(), 1);
    QVERIFY(resumed.first().at(1).toString().startsWith("fake-handle-"));
    QTRY_VERIFY(m_server->audioBytes(2) > 32000); // audio keeps flowing on the new connection
    phone.stop();
    const qint64 sent = phone.sent();
    // Audio in flight when the socket died was replayed: nothing is missing.
    QTRY_VERIFY(m_server->totalAudioBytes() >= sent);
    QVERIFY(s.stats().replayedBytes > 0);
    bool sawResuming = false;
    for (const auto &args : std::as_const(states))
        sawResuming |=
            args.first().value<SessionSupervisor::State>() == SessionSupervisor::State::Resuming;
    QVERIFY(sawResuming);
}

void TestSessionSupervisor::goAwayDeadlinePassesDuringHandOver()
{
    // The hand-over connection hangs (no setupComplete) until the old one is closed with 1008 at
    // the goAway deadline: the session resumes after the setup timeout and loses no audio.
    m_server->config().connectionLifetimeMs = 300;
    m_server->config().goAwayTimeLeftMs = 100;
    m_server->config().resumptionUpdateIntervalMs = 40;
    connect(m_server.get(), &FakeGeminiServer::goAwaySent, this,
            [this] { m_server->config().answerSetup = false; });
    connect(m_server.get(), &FakeGeminiServer::connectionClosed, this, [this](int, int code) {
        if (code == 1008) {
            m_server->config().answerSetup = true;
            m_server->config().connectionLifetimeMs = 0;
        }
    });
    SupervisorConfig c = configFor();
    c.connection.setupTimeoutMs = 400;
    SessionSupervisor s(c);
    QSignalSpy states(&s, &SessionSupervisor::stateChanged);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    Phone phone(s, 5);
    QTRY_VERIFY_WITH_TIMEOUT(s.stats().resumes == 1, 10000);
    QCOMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(toString(s.lastClose().category), toString(CloseCategory::SetupTimeout));
    QCOMPARE(s.stats().handovers, 0);
    QCOMPARE(s.stats().failedAttempts, 1);
    QTRY_VERIFY(m_server->audioBytes(3) > 0);
    phone.stop();
    QTRY_VERIFY(m_server->totalAudioBytes() >= phone.sent());
    QVERIFY(failed.isEmpty());
    QStringList seen;
    for (const auto &args : std::as_const(states))
        seen << QString::fromLatin1(QMetaEnum::fromType<SessionSupervisor::State>().valueToKey(
            int(args.first().value<SessionSupervisor::State>())));
    QCOMPARE(seen, (QStringList{"Connecting", "Live", "HandingOver", "Resuming", "Live"}));
}

void TestSessionSupervisor::retryableCloses_data()
{
    QTest::addColumn<int>("fault");
    QTest::newRow("1011 internal") << int(FakeFault::InternalError);
    QTest::newRow("1008 not implemented") << int(FakeFault::NotImplemented);
    QTest::newRow("1006 drop") << int(FakeFault::AbruptDrop);
}

void TestSessionSupervisor::retryableCloses()
{
    QFETCH(int, fault);
    m_server->config().resumptionUpdateIntervalMs = 40;
    SessionSupervisor s(configFor());
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QTRY_VERIFY(!s.resumptionHandle().isEmpty());
    m_server->injectNow(FakeFault(fault));
    QTRY_COMPARE(s.stats().resumes, 1);
    QCOMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(m_server->connectionCount(), 2);
    QVERIFY(failed.isEmpty());
}

void TestSessionSupervisor::finalCloses_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<bool>("atSetup");
    QTest::addColumn<int>("category");
    QTest::newRow("1007 bad key at setup")
        << int(FakeFault::BadApiKey) << true << int(CloseCategory::ApiKey);
    QTest::newRow("1011 quota at setup")
        << int(FakeFault::QuotaExceeded) << true << int(CloseCategory::Quota);
    QTest::newRow("1011 quota mid-session")
        << int(FakeFault::QuotaExceeded) << false << int(CloseCategory::Quota);
}

void TestSessionSupervisor::finalCloses()
{
    QFETCH(int, fault);
    QFETCH(bool, atSetup);
    QFETCH(int, category);
    if (atSetup)
        m_server->injectOnNextConnection(FakeFault(fault));
    SessionSupervisor s(configFor());
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    if (!atSetup) {
        QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
        m_server->injectNow(FakeFault(fault));
    }
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(s.state(), SessionSupervisor::State::Failed);
    const auto c = failed.first().at(0).value<CloseClassification>();
    QCOMPARE(toString(c.category), toString(CloseCategory(category)));
    QCOMPARE(toString(c.kind), toString(CloseKind::Final));
    QVERIFY(!failed.first().at(1).toString().isEmpty()); // it says why
    // No retry: one connection, and nothing is scheduled (Failed is terminal).
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(s.openConnections(), 0);
    s.addAudio(pcm16k(40, 3000)); // ignored, no crash
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestSessionSupervisor::givesUpAfterRepeatedFailures()
{
    for (int i = 0; i < 5; ++i)
        m_server->injectOnNextConnection(FakeFault::InternalError);
    SessionSupervisor s(configFor()); // maxAttempts 3
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(m_server->connectionCount(), 3);
    QCOMPARE(s.stats().failedAttempts, 3);
    QVERIFY(failed.first().at(1).toString().contains("gave up"));
    QCOMPARE(toString(failed.first().at(0).value<CloseClassification>().category),
             toString(CloseCategory::Internal));
}

void TestSessionSupervisor::rejectedHandleStartsAFreshSession()
{
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    SessionSupervisor s(configFor());
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    Phone phone(s, 5);
    QTRY_VERIFY(!s.resumptionHandle().isEmpty());
    // The service no longer knows the session (handles expire): the resumption is refused with
    // 1007 and a fresh session follows, with the audio still held replayed.
    m_server->expireHandles();
    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(setups.count(), 3);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QVERIFY(setups.at(1).at(1).toJsonObject()["sessionResumption"].toObject().contains("handle"));
    QCOMPARE(setups.at(2).at(1).toJsonObject()["sessionResumption"].toObject(), QJsonObject{});
    QTRY_VERIFY(m_server->audioBytes(3) > 0);
    phone.stop();
    QVERIFY(failed.isEmpty());
    QCOMPARE(s.stats().failedAttempts, 1);
}

void TestSessionSupervisor::framesVitalsAndTypedTextArePaced()
{
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    SupervisorConfig c = configFor();
    m_nowMs = 5'000'000;
    c.monotonic = [this] { return m_nowMs; };
    c.vitalsIntervalMs = 10000;
    c.frameIntervalMs = 1000;
    SessionSupervisor s(c);
    s.addCallerText("too early"); // before start: ignored
    s.start(MediaBacklog());
    s.addCallerText("he is not breathing"); // queued until live
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QTRY_COMPARE(turns.count(), 1);
    QCOMPARE(turns.first().at(2).toString(), "[caller typed] he is not breathing");

    const QByteArray jpeg("\xff\xd8\xff\xe0 frame", 10);
    for (int i = 0; i < 5; ++i)
        s.addFrame(jpeg);
    QCOMPARE(s.stats().framesSent, 1);
    QCOMPARE(s.stats().framesSkipped, 4);
    m_nowMs += 1000;
    s.addFrame(jpeg);
    QCOMPARE(s.stats().framesSent, 2);

    VitalsSample v;
    v.heartRate = 150;
    v.heartRateConfidence = 0.1; // skipped: not confident
    s.addVitals(v);
    QCOMPARE(s.stats().vitalsSent, 0);
    v.heartRateConfidence = 0.9;
    s.addVitals(v);
    QCOMPARE(s.stats().vitalsSent, 1);
    v.heartRate = 152; // not a meaningful change
    s.addVitals(v);
    v.heartRate = 40; // meaningful, but within 10 s: waits
    m_nowMs += 2000;
    s.addVitals(v);
    QCOMPARE(s.stats().vitalsSent, 1);
    m_nowMs += 8000;
    v.heartRate = 38;
    s.addVitals(v);
    QCOMPARE(s.stats().vitalsSent, 2);
    QTRY_COMPARE(turns.count(), 3);
    QVERIFY(turns.at(1).at(2).toString().startsWith("[vitals]"));
    QVERIFY(turns.at(2).at(2).toString().contains("heart rate 38 bpm"));
}

void TestSessionSupervisor::badServerMessagesAreSurvived()
{
    SupervisorConfig c = configFor();
    c.connection.maxInboundMessageBytes = 64 * 1024;
    SessionSupervisor s(c);
    QSignalSpy reports(&s, &SessionSupervisor::reportProduced);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);

    m_server->sendToAll("{\"serverContent\":{\"futureField\":{\"x\":1},\"turnComplete\":true},"
                        "\"brandNewMessage\":{}}");
    m_server->sendToAll("{not json");
    m_server->sendToAll(QByteArray("\xff\xfe\x00", 3));
    m_server->sendToAll("[1,2,3]", false);
    m_server->triggerToolCall({{"no_such_tool", QJsonObject{{"x", 1}}}}); // answered with an error
    m_server->sendToAll("{\"serverContent\":{\"outputTranscription\":{\"text\":\"" +
                        QByteArray(100 * 1024, 'a') + "\"}}}"); // over the decoder limit
    m_server->sendToAll("{\"sessionResumptionUpdate\":{\"newHandle\":42,\"resumable\":\"yes\"}}");
    m_server->triggerToolCall({report(3, "still working")});
    QTRY_COMPARE(reports.count(), 1);
    QCOMPARE(s.state(), SessionSupervisor::State::Live);
    QVERIFY(failed.isEmpty());
}

void TestSessionSupervisor::midSessionRefusalResumes()
{
    // A toolCall the fake did not issue: our (correct) response names an id the fake does not
    // know, and it closes 1007. The setup had been accepted: resume, up to the allowance.
    m_server->config().resumptionUpdateIntervalMs = 40;
    SupervisorConfig c = configFor();
    c.maxMidSessionRefusals = 1;
    SessionSupervisor s(c);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QTRY_VERIFY(!s.resumptionHandle().isEmpty());
    const QByteArray stray = "{\"toolCall\":{\"functionCalls\":[{\"id\":\"stray-1\","
                             "\"name\":\"flag_critical\",\"args\":{\"reason\":\"x\"}}]}}";
    m_server->sendToAll(stray);
    QTRY_COMPARE(s.stats().resumes, 1);
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QVERIFY(failed.isEmpty());
    m_server->sendToAll(stray); // beyond the allowance: final
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(toString(failed.first().at(0).value<CloseClassification>().category),
             toString(CloseCategory::BadRequest));
}

void TestSessionSupervisor::finishEndsTheSession()
{
    SessionSupervisor s(configFor());
    QSignalSpy finished(&s, &SessionSupervisor::finished);
    QSignalSpy closed(m_server.get(), &FakeGeminiServer::connectionClosed);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    s.finish();
    QCOMPARE(s.state(), SessionSupervisor::State::Ending);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(s.state(), SessionSupervisor::State::Finished);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(1).toInt(), 1000);
    s.finish();
    QCOMPARE(finished.count(), 1);
}

SessionSupervisor *TestSessionSupervisor::stalledSession(const SupervisorConfig &config,
                                                         test::TcpRelay &relay,
                                                         const MetricsRegistry &metrics)
{
    auto *s = new SessionSupervisor(config);
    s->start(MediaBacklog());
    if (!QTest::qWaitFor([s] { return s->state() == SessionSupervisor::State::Live; }, 5000))
        return s;
    relay.setClientReadsPaused(true);
    // Silence (no turns). The kernel buffers fill first and keep absorbing some more for a while
    // after: fill well past the target, and again whenever the kernel took it back under.
    const QByteArray second = pcm16k(1000, 0);
    for (int round = 0; round < 10 && gauge(metrics, QueuedGauge) < StalledQueueBytes; ++round) {
        for (int i = 0; i < 400 && gauge(metrics, QueuedGauge) < 2 * StalledQueueBytes; ++i) {
            s->addAudio(second);
            QCoreApplication::processEvents();
        }
        (void)QTest::qWaitFor([&] { return gauge(metrics, QueuedGauge) < StalledQueueBytes; }, 300);
    }
    return s;
}

void TestSessionSupervisor::finishDrainsAudioQueuedForASlowPeer()
{
    MetricsRegistry metrics;
    test::TcpRelay relay(QHostAddress::LocalHost, m_server->port());
    SupervisorConfig c = configFor();
    c.connection.endpoint = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port()));
    c.counters = GeminiCounters(metrics);
    c.maxQueuedAudioMs = 0; // no bound: what is queued on the socket at the end drains
    QCOMPARE(gauge(metrics, QueuedGauge), 0.0);
    QSignalSpy serverClosed(m_server.get(), &FakeGeminiServer::connectionClosed);

    std::unique_ptr<SessionSupervisor> s(stalledSession(c, relay, metrics));
    QCOMPARE(s->state(), SessionSupervisor::State::Live);
    QVERIFY(gauge(metrics, QueuedGauge) >= StalledQueueBytes);
    const qint64 sent = s->stats().audioBytesSent;
    QVERIFY(m_server->totalAudioBytes() < sent);

    QSignalSpy finished(s.get(), &SessionSupervisor::finished);
    s->finish();
    QTRY_COMPARE(finished.count(), 1);
    s.reset(); // as the backend does at finished(): the connection must outlive its supervisor
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // nothing deleted...
    QCoreApplication::processEvents();
    QVERIFY(gauge(metrics, QueuedGauge) >= StalledQueueBytes); // not dropped...
    QVERIFY(serverClosed.isEmpty());                           // ...nor closed over
    relay.setClientReadsPaused(false); // the peer catches up within the drain bound

    QTRY_COMPARE_WITH_TIMEOUT(m_server->totalAudioBytes(), sent, 15000);
    QTRY_COMPARE(serverClosed.count(), 1);
    QCOMPARE(serverClosed.first().at(1).toInt(), 1000);
    QCOMPARE(metrics.value(UnsentCounter), 0u);
    QTRY_COMPARE(gauge(metrics, QueuedGauge), 0.0);
}

// A link that does not keep real time: the socket's queue stays under maxQueuedAudioMs, the rest
// waits in the replay buffer, and all of it reaches the AI once the link catches up, in order
// and once; audio still held at the end of the call goes before audioStreamEnd.
void TestSessionSupervisor::slowLinkHoldsAudioBehindABoundedQueue()
{
    MetricsRegistry metrics;
    test::TcpRelay relay(QHostAddress::LocalHost, m_server->port());
    SupervisorConfig c = configFor();
    c.connection.endpoint = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port()));
    c.counters = GeminiCounters(metrics);
    c.maxQueuedAudioMs = 2000;
    c.replayBufferMs = 30 * 60 * 1000; // nothing overflows here
    const double bound = 2000 * 32 * 1.47;
    SessionSupervisor s(c);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);

    relay.setClientReadsPaused(true);
    // Far more than the kernel's socket buffers absorb, in 20 ms chunks as a phone sends.
    const QByteArray chunk = pcm16k(20, 0);
    double maxQueued = 0;
    qint64 added = 0;
    for (int i = 0; i < 20 * 60 * 50 && s.stats().audioBytesSent + 4 * 32000 > added; ++i) {
        s.addAudio(chunk);
        added += chunk.size();
        if (i % 25 == 0) {
            QCoreApplication::processEvents();
            maxQueued = std::max(maxQueued, gauge(metrics, QueuedGauge));
        }
    }
    // The socket stopped taking audio: at least 4 s are held, and its queue stays bounded.
    QVERIFY(added - s.stats().audioBytesSent >= 4 * 32000);
    QVERIFY2(maxQueued <= bound + 4096, qPrintable(QString::number(maxQueued)));
    for (int i = 0; i < 100; ++i)
        s.addAudio(chunk), added += chunk.size();
    maxQueued = std::max(maxQueued, gauge(metrics, QueuedGauge));
    QVERIFY2(maxQueued <= bound + 4096, qPrintable(QString::number(maxQueued)));

    // The link catches up while the call goes on: everything arrives.
    relay.setClientReadsPaused(false);
    QElapsedTimer clock;
    clock.start();
    while (s.stats().audioBytesSent < added && clock.elapsed() < 20000) {
        s.addAudio(chunk);
        added += chunk.size();
        // Paced like a phone: the next chunk when this one is sent, or 20 ms later.
        (void)QTest::qWaitFor([&] { return s.stats().audioBytesSent >= added; }, 20);
    }
    QCOMPARE(s.stats().audioBytesSent, added);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->totalAudioBytes(), added, 20000);

    // Held at the end of the call: sent before audioStreamEnd, and delivered by the drain.
    relay.setClientReadsPaused(true);
    for (int i = 0; i < 20 * 60 * 50 && s.stats().audioBytesSent + 4 * 32000 > added; ++i) {
        s.addAudio(chunk);
        added += chunk.size();
        if (i % 25 == 0)
            QCoreApplication::processEvents();
    }
    QVERIFY(added - s.stats().audioBytesSent >= 4 * 32000);
    QSignalSpy finished(&s, &SessionSupervisor::finished);
    s.finish();
    QCOMPARE(s.stats().audioBytesSent, added);
    relay.setClientReadsPaused(false);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->totalAudioBytes(), added, 20000);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(s.stats().overflowBytes, 0);
}

namespace {

QList<QString> g_warnings;
QtMessageHandler g_previousHandler = nullptr;

void keepWarnings(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type == QtWarningMsg)
        g_warnings.append(text);
    g_previousHandler(type, context, text);
}

} // namespace

void TestSessionSupervisor::finishCountsAudioAPeerNeverRead()
{
    MetricsRegistry metrics;
    test::TcpRelay relay(QHostAddress::LocalHost, m_server->port());
    SupervisorConfig c = configFor();
    c.connection.endpoint = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port()));
    c.connection.drainTimeoutMs = 400;
    c.connection.callId = QStringLiteral("call-7");
    c.maxQueuedAudioMs = 0; // no bound: the socket's queue is what a close leaves unsent
    c.counters = GeminiCounters(metrics);

    std::unique_ptr<SessionSupervisor> s(stalledSession(c, relay, metrics));
    QCOMPARE(s->state(), SessionSupervisor::State::Live);
    QSignalSpy finished(s.get(), &SessionSupervisor::finished);
    s->finish();
    QTRY_COMPARE(finished.count(), 1);
    s.reset();

    // The queue as /metrics sees it on every event-loop pass, until the abort empties it.
    double lastQueued = gauge(metrics, QueuedGauge);
    QVERIFY(lastQueued >= StalledQueueBytes);
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] {
        if (const double q = gauge(metrics, QueuedGauge); q > 0)
            lastQueued = q;
    });
    sampler.start(0);
    const QRegularExpression line(
        QStringLiteral("^call call-7: (\\d+) bytes queued for the AI were never sent"));
    QTest::ignoreMessage(QtWarningMsg, line);
    g_warnings.clear();
    g_previousHandler = qInstallMessageHandler(keepWarnings);
    const bool counted = QTest::qWaitFor([&] { return metrics.value(UnsentCounter) > 0; }, 5000);
    qInstallMessageHandler(g_previousHandler);
    sampler.stop();
    QVERIFY(counted);

    // Exactly what was queued when the drain gave up, and said once.
    QCOMPARE(static_cast<double>(metrics.value(UnsentCounter)), lastQueued);
    QStringList said;
    for (const QString &w : std::as_const(g_warnings)) {
        if (const auto m = line.match(w); m.hasMatch())
            said.append(m.captured(1));
    }
    QCOMPARE(said, QStringList{QString::number(metrics.value(UnsentCounter))});
    QTRY_COMPARE(gauge(metrics, QueuedGauge), 0.0);
    QVERIFY(m_server->totalAudioBytes() == 0); // the peer never read a byte of it
}

void TestSessionSupervisor::textReportsAreExtracted()
{
    // A model that still accepts TEXT streams its report as JSON in text parts, split across
    // messages. The half-cascade ones did, but they are shut down (refused before connecting):
    // a model unknown to the table stands in, which the fake serves like them.
    m_server->queueReplies(
        {"Assessment: {\"situation_summary\": \"Kitchen fire, caller outside\", "
         "\"recommended_response_type\": \"fire\", \"severity\": 4, \"critical\": true, "
         "\"critical_reason\": \"fire spreading\"} done"});
    SupervisorConfig c = configFor();
    c.triage.model = "gemini-text-live-test";
    m_server->config().models.append(c.triage.model);
    c.triage.textReports = true;
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    SessionSupervisor s(c);
    QSignalSpy reports(&s, &SessionSupervisor::reportProduced);
    QSignalSpy flags(&s, &SessionSupervisor::criticalFlagged);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["generationConfig"]["responseModalities"].toArray(), QJsonArray{"TEXT"});
    s.addCallerText("there is a fire in my kitchen");
    QTRY_COMPARE(reports.count(), 1);
    const auto r = reports.first().first().value<TriageReport>();
    QCOMPARE(r.severity, 4);
    QCOMPARE(toString(r.responseType), "fire");
    QCOMPARE(toString(r.source), "gemini");
    QCOMPARE(flags.count(), 1);
    QCOMPARE(flags.first().at(0).toString(), "fire spreading");
}

void TestSessionSupervisor::prearrivalInstructionsAreOffered()
{
    const auto knowledge = PrearrivalKnowledge::load(defaultPrearrivalKnowledgePath());
    QVERIFY2(knowledge, qPrintable(knowledge.error().message));
    SupervisorConfig c = configFor();
    c.prearrival = knowledge.value();
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy responses(m_server.get(), &FakeGeminiServer::toolResponseReceived);
    SessionSupervisor s(c);
    QSignalSpy offered(&s, &SessionSupervisor::prearrivalOffered);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(
        setups.first().at(1).toJsonObject()["tools"][0]["functionDeclarations"].toArray().size(),
        3);
    m_server->triggerToolCall({{"get_prearrival_instructions", QJsonObject{{"topic", "cpr"}}}});
    QTRY_COMPARE(offered.count(), 1);
    QCOMPARE(offered.first().at(0).toString(), "cpr");
    QVERIFY(offered.first().at(1).toString().contains("CPR"));
    QVERIFY(offered.first().at(2).toStringList().size() >= 3);
    QTRY_COMPARE(responses.count(), 1);
    const QJsonArray sent = responses.first().at(2).toJsonArray();
    QVERIFY(sent[0]["response"]["output"]["steps"].isArray());
    // The same topic again is answered but not offered twice.
    m_server->triggerToolCall({{"get_prearrival_instructions", QJsonObject{{"topic", "cpr"}}}});
    QTRY_COMPARE(responses.count(), 2);
    QCOMPARE(offered.count(), 1);
}

QTEST_GUILESS_MAIN(TestSessionSupervisor)
#include "tst_sessionsupervisor.moc"
