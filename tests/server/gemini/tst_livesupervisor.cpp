// The generic Live session supervisor against the faithful fake, with nothing of triage: the
// test gives the setup builder and a trivial tool. goAway hand-over, resumption with replay,
// final failures, and tool calls answered on the connection that made them.
#include "fakegeminiserver.h"
#include "fastliveconfig.h"
#include "gemini/livesupervisor.h"
#include "testaudio.h"

#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <memory>

using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;

namespace {

using State = LiveSupervisor::State;
using Cause = LiveSupervisor::Cause;

const QString Model = QStringLiteral("gemini-2.5-flash-native-audio-preview-12-2025");
const QString Instruction = QStringLiteral("Listen. Call echo when asked.");
using test::ChunkBytes;
using test::numberedChunk;
using test::phoneLine;

// Hands `pcm` to the supervisor in 20 ms chunks, as the phone relay does.
void feed(LiveSupervisor &s, const QByteArray &pcm)
{
    for (qsizetype at = 0; at < pcm.size(); at += ChunkBytes)
        s.addAudio(pcm.mid(at, ChunkBytes));
}

// Our activities: automatic detection off, every input in a turn (what the triage setup sends
// for a model whose row says manualActivity).
RealtimeInputConfig manualActivityConfig()
{
    RealtimeInputConfig rt;
    rt.automaticActivityDetection = false;
    rt.turnCoverage = TurnCoverage::AllInput;
    return rt;
}

// The chunk numbers in decoded audio, in order of arrival (each chunk once per message).
QList<int> chunkNumbers(const QByteArray &pcm)
{
    QList<int> out;
    for (qsizetype at = 0; at + 1 < pcm.size(); at += 2) {
        const int n = qFromLittleEndian<qint16>(pcm.constData() + at) - 1000;
        if (out.isEmpty() || out.constLast() != n)
            out.append(n);
    }
    return out;
}

// A phone: a numbered 20 ms chunk every `everyMs` of wall time (faster than real time).
class Phone : public QObject
{
public:
    Phone(LiveSupervisor &target, int everyMs)
        : m_target(target)
    {
        QObject::connect(&m_timer, &QTimer::timeout, this,
                         [this] { m_target.addAudio(numberedChunk(m_chunks++)); });
        m_timer.start(everyMs);
    }
    void stop() { m_timer.stop(); }
    int chunks() const { return m_chunks; }
    qint64 sent() const { return qint64(m_chunks) * ChunkBytes; }

private:
    LiveSupervisor &m_target;
    QTimer m_timer;
    int m_chunks = 0;
};

QList<State> statesOf(const QSignalSpy &spy)
{
    QList<State> out;
    for (const auto &args : spy)
        out.append(args.at(0).value<State>());
    return out;
}

QList<Cause> causesOf(const QSignalSpy &spy)
{
    QList<Cause> out;
    for (const auto &args : spy)
        out.append(args.at(1).value<Cause>());
    return out;
}

} // namespace

class TestLiveSupervisor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void setupComesFromTheBuilder();
    void goAwayHandOverLosesNoAudio();
    void resumesAfterADropReplayingWhatTheHandleDoesNotCover();
    void finalCloseFailsAtOnce();
    void givesUpAfterRepeatedFailures();
    void toolCallsAreAnsweredOnTheConnectionThatMadeThem();
    void finishEndsTheSession();
    void shortAnswerAfterAModelTurnReachesTheModel_data();
    void shortAnswerAfterAModelTurnReachesTheModel();
    void anActivityCutByADropIsReopenedOnTheResumedConnection();

private:
    LiveSupervisorConfig config() const;
    std::unique_ptr<LiveSupervisor> supervisor(const LiveSupervisorConfig &config);

    std::unique_ptr<FakeGeminiServer> m_server;
    QStringList m_builtFor;                        // the handle of every setup built, in order
    QStringList m_echoed;                          // what the echo tool was called with
    std::optional<RealtimeInputConfig> m_realtime; // of every setup built
};

void TestLiveSupervisor::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
    m_builtFor.clear();
    m_echoed.clear();
    m_realtime.reset();
}

void TestLiveSupervisor::cleanup()
{
    m_server.reset();
}

LiveSupervisorConfig TestLiveSupervisor::config() const
{
    return test::fastLiveConfig(m_server->baseUrl());
}

std::unique_ptr<LiveSupervisor> TestLiveSupervisor::supervisor(const LiveSupervisorConfig &config)
{
    ToolRegistry tools;
    const bool added =
        tools.add({{QStringLiteral("echo"),
                    QStringLiteral("Says the text back."),
                    {stringParameter(QStringLiteral("text"), QStringLiteral("What to say"), true)}},
                   [this](const QJsonObject &args) {
                       const QString text = args.value(QLatin1String("text")).toString();
                       m_echoed.append(text);
                       return toolOutput(text);
                   }});
    if (!added)
        return nullptr;
    const auto build = [this, declarations = tools.functionDeclarations()](const QString &handle) {
        m_builtFor.append(handle);
        LiveSetup setup;
        setup.model = Model;
        setup.systemInstruction = Instruction;
        setup.functionDeclarations = declarations;
        setup.realtimeInputConfig = m_realtime;
        return setup;
    };
    return std::make_unique<LiveSupervisor>(config, build, std::move(tools));
}

void TestLiveSupervisor::setupComesFromTheBuilder()
{
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    auto s = supervisor(config());
    QVERIFY(s);
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    s->start({numberedChunk(0), numberedChunk(1)}); // the backlog goes first
    QCOMPARE(s->state(), State::Connecting);
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(m_builtFor, QStringList{QString()}); // a fresh session
    QCOMPARE(setups.count(), 1);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["model"].toString(), "models/" + Model);
    QCOMPARE(setup["systemInstruction"]["parts"][0].toObject()["text"].toString(), Instruction);
    QCOMPARE(setup["tools"][0]["functionDeclarations"][0].toObject()["name"].toString(), "echo");
    QTRY_COMPARE(m_server->audioBytes(1), 2 * ChunkBytes);
    QCOMPARE(s->stats().audioBytesIn, 2 * ChunkBytes);
    QCOMPARE(statesOf(states), (QList<State>{State::Connecting, State::Live}));
    QCOMPARE(causesOf(states), (QList<Cause>{Cause::Started, Cause::Connected}));
    QCOMPARE(LiveSupervisor::code(Cause::HandedOver), "handed_over");
    QCOMPARE(LiveSupervisor::code(State::HandingOver), "handing_over");
}

void TestLiveSupervisor::goAwayHandOverLosesNoAudio()
{
    // Connections live 400 ms, then goAway with 300 ms left (the real service: ~9 min + 50 s).
    m_server->config().connectionLifetimeMs = 400;
    m_server->config().goAwayTimeLeftMs = 300;
    m_server->config().resumptionUpdateIntervalMs = 60;
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy serverClosed(m_server.get(), &FakeGeminiServer::connectionClosed);
    QHash<int, QList<int>> heard; // chunk numbers per connection
    connect(m_server.get(), &FakeGeminiServer::audioDataReceived, this,
            [&heard](int id, const QByteArray &pcm) { heard[id] += chunkNumbers(pcm); });

    auto s = supervisor(config());
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start();
    Phone phone(*s, 5); // 4x real time
    QTRY_VERIFY_WITH_TIMEOUT(s->stats().handovers >= 2, 20000);
    phone.stop();
    QCOMPARE(s->stats().audioBytesIn, phone.sent());

    // Every byte reached the fake; the only extra is the accounted duplicate.
    QTRY_COMPARE(m_server->totalAudioBytes(), phone.sent() + s->stats().duplicateBytes);
    QVERIFY(failed.isEmpty());
    QCOMPARE(s->stats().resumes, 0);
    for (const auto &args : std::as_const(serverClosed))
        QVERIFY2(args.at(1).toInt() == 1000, "old connections are closed by us, before the 1008");
    // Each new connection resumed with the handle its setup was built for.
    QVERIFY(setups.count() >= 3);
    QCOMPARE(m_builtFor.size(), setups.count());
    for (qsizetype i = 1; i < setups.count(); ++i) {
        QVERIFY(!m_builtFor.at(i).isEmpty());
        QCOMPARE(
            setups.at(i).at(1).toJsonObject()["sessionResumption"].toObject()["handle"].toString(),
            m_builtFor.at(i));
    }
    // Every chunk was heard, in order on each connection; a new one starts with the replay.
    QSet<int> all;
    for (auto it = heard.cbegin(); it != heard.cend(); ++it) {
        QVERIFY(std::is_sorted(it->cbegin(), it->cend()));
        for (int n : *it)
            all.insert(n);
    }
    QCOMPARE(all.size(), phone.chunks());
    QVERIFY(heard.value(2).constFirst() < heard.value(1).constLast()); // replayed overlap
    const QList<State> seen = statesOf(states);
    QVERIFY(seen.contains(State::HandingOver));
    QVERIFY(causesOf(states).contains(Cause::GoAway));
    QVERIFY(causesOf(states).contains(Cause::HandedOver));
    QVERIFY(!seen.contains(State::Resuming));
    QCOMPARE(s->openConnections(), 1);
}

void TestLiveSupervisor::resumesAfterADropReplayingWhatTheHandleDoesNotCover()
{
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    QHash<int, QList<int>> heard;
    connect(m_server.get(), &FakeGeminiServer::audioDataReceived, this,
            [&heard](int id, const QByteArray &pcm) { heard[id] += chunkNumbers(pcm); });
    auto s = supervisor(config());
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    s->start();
    Phone phone(*s, 5);
    QTRY_COMPARE(s->state(), State::Live);
    QTRY_VERIFY(m_server->totalAudioBytes() > 3 * 32000);
    QTRY_VERIFY(!s->resumptionHandle().isEmpty());

    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(s->state(), State::Resuming);
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(s->stats().resumes, 1);
    QCOMPARE(resumed.count(), 1);
    QCOMPARE(m_builtFor.size(), 2);
    QCOMPARE(resumed.first().at(1).toString(), m_builtFor.at(1));
    QTRY_VERIFY(m_server->audioBytes(2) > 32000); // audio keeps flowing on the new connection
    phone.stop();
    QTRY_VERIFY(m_server->totalAudioBytes() >= phone.sent());

    // The new connection started with the audio the handle did not cover (at least the margin,
    // no more than the replay bound), then went on with the live audio: nothing was lost.
    QVERIFY(s->stats().replayedBytes >= 1000 * 32); // the replay margin, at least
    QVERIFY(s->stats().replayedBytes <= s->replayBuffer().maxBytes());
    const QList<int> first = heard.value(1);
    const QList<int> second = heard.value(2);
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QVERIFY(second.constFirst() <= first.constLast() + 1); // no gap between the two
    QVERIFY(second.constFirst() > 0);                      // the handle covered the start
    QTRY_COMPARE(second.constLast(), phone.chunks() - 1);
    QSet<int> all(first.cbegin(), first.cend());
    for (int n : second)
        all.insert(n);
    QCOMPARE(all.size(), phone.chunks());
    const QList<Cause> causes = causesOf(states);
    QCOMPARE(causes.mid(causes.indexOf(Cause::ConnectionLost)),
             (QList<Cause>{Cause::ConnectionLost, Cause::Resumed}));
    QCOMPARE(states.at(causes.indexOf(Cause::ConnectionLost)).at(2).toString(),
             s->lastClose().humanReadable); // the detail says why, untranslated
}

void TestLiveSupervisor::finalCloseFailsAtOnce()
{
    m_server->injectOnNextConnection(FakeFault::BadApiKey);
    auto s = supervisor(config());
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    QSignalSpy finished(s.get(), &LiveSupervisor::finished);
    s->start({numberedChunk(0)});
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(s->state(), State::Failed);
    const auto c = failed.first().at(0).value<CloseClassification>();
    QCOMPARE(toString(c.category), toString(CloseCategory::ApiKey));
    QCOMPARE(toString(c.kind), toString(CloseKind::Final));
    QVERIFY(!failed.first().at(1).toString().isEmpty()); // it says why
    QCOMPARE(causesOf(states).constLast(), Cause::FinalClose);
    QCOMPARE(m_server->connectionCount(), 1); // no retry
    QCOMPARE(s->openConnections(), 0);
    s->addAudio(numberedChunk(1)); // ignored
    QVERIFY(!s->sendText(QStringLiteral("too late")));
    QCOMPARE(s->stats().audioBytesIn, ChunkBytes);
    s->finish(); // a failed session finishes at once
    QCOMPARE(finished.count(), 1);
    QCOMPARE(s->state(), State::Finished);
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestLiveSupervisor::givesUpAfterRepeatedFailures()
{
    for (int i = 0; i < 5; ++i)
        m_server->injectOnNextConnection(FakeFault::InternalError);
    auto s = supervisor(config()); // maxAttempts 3
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start();
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(m_server->connectionCount(), 3);
    QCOMPARE(s->stats().failedAttempts, 3);
    QCOMPARE(m_builtFor, (QStringList{QString(), QString(), QString()})); // no handle yet
    QVERIFY(failed.first().at(1).toString().startsWith("gave up reconnecting after 3 attempts"));
    QCOMPARE(toString(failed.first().at(0).value<CloseClassification>().category),
             toString(CloseCategory::Internal));
    QCOMPARE(toString(failed.first().at(0).value<CloseClassification>().kind),
             toString(CloseKind::Final));
    QCOMPARE(causesOf(states).constLast(), Cause::RetriesExhausted);
}

void TestLiveSupervisor::toolCallsAreAnsweredOnTheConnectionThatMadeThem()
{
    // At goAway the hand-over connection is held (no setupComplete) while the old connection
    // calls the tool: the answer must go back on the old one, the only one that knows the id.
    // Then the held connection times out, the next one completes the hand-over, and a call
    // made there is answered there.
    m_server->config().connectionLifetimeMs = 300;
    m_server->config().goAwayTimeLeftMs = 10000;
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy sent(m_server.get(), &FakeGeminiServer::toolCallSent);
    QSignalSpy received(m_server.get(), &FakeGeminiServer::toolResponseReceived);
    QSignalSpy serverClosed(m_server.get(), &FakeGeminiServer::connectionClosed);
    connect(m_server.get(), &FakeGeminiServer::goAwaySent, this, [this] {
        m_server->config().connectionLifetimeMs = 0;
        m_server->config().answerSetup = false;
    });
    bool triggered = false;
    connect(m_server.get(), &FakeGeminiServer::setupReceived, this, [&, this](int id) {
        if (id == 2) // the hand-over connection is held: the old one calls the tool
            triggered = m_server->triggerToolCallOn(
                1, {{QStringLiteral("echo"), {{"text", "during hand-over"}}}});
    });
    connect(m_server.get(), &FakeGeminiServer::toolResponseReceived, this,
            [this] { m_server->config().answerSetup = true; });

    LiveSupervisorConfig c = config();
    c.connection.setupTimeoutMs = 300;
    c.toolResponseScheduling = FunctionResponseScheduling::Silent;
    auto s = supervisor(c);
    QSignalSpy answered(s.get(), &LiveSupervisor::toolCallAnswered);
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start();
    QTRY_COMPARE(received.count(), 1);
    QVERIFY(triggered);
    QCOMPARE(s->state(), State::HandingOver);
    QCOMPARE(sent.first().at(0).toInt(), 1);
    QCOMPARE(received.first().at(0).toInt(), 1); // the old connection
    QCOMPARE(received.first().at(1).toStringList(), sent.first().at(1).toStringList());
    const QJsonObject response = received.first().at(2).toJsonArray().at(0).toObject();
    QCOMPARE(response["id"].toString(), sent.first().at(1).toStringList().at(0));
    QCOMPARE(response["name"].toString(), "echo");
    QCOMPARE(response["response"]["output"].toString(), "during hand-over");
    QCOMPARE(response["scheduling"].toString(), "SILENT");
    QCOMPARE(answered.count(), 1);
    QVERIFY(answered.first().at(0).value<ToolInvocation>().handled);

    QTRY_COMPARE(s->stats().handovers, 1);
    QCOMPARE(s->state(), State::Live);
    QCOMPARE(s->stats().failedAttempts, 1); // the held one
    QCOMPARE(m_server->connectionCount(), 3);
    QTRY_COMPARE(m_server->liveConnectionCount(), 1);

    m_server->triggerToolCall(
        {{QStringLiteral("echo"), {{"text", "after"}}}, {QStringLiteral("no_such_tool"), {}}});
    QTRY_COMPARE(received.count(), 2);
    QCOMPARE(sent.at(1).at(0).toInt(), 3);
    QCOMPARE(received.at(1).at(0).toInt(), 3); // the new connection
    QCOMPARE(received.at(1).at(1).toStringList(), sent.at(1).at(1).toStringList());
    const QJsonArray responses = received.at(1).at(2).toJsonArray();
    QCOMPARE(responses.size(), 2);
    QVERIFY(responses[1]["response"].toObject().contains("error")); // unknown: answered anyway
    QCOMPARE(m_echoed, (QStringList{"during hand-over", "after"}));
    QCOMPARE(s->stats().toolCalls, 3);
    QVERIFY(!answered.at(2).at(0).value<ToolInvocation>().handled);
    QVERIFY(failed.isEmpty());
    for (const auto &args : std::as_const(serverClosed))
        QVERIFY(args.at(1).toInt() != 1007); // no id ever went to the wrong connection
}

void TestLiveSupervisor::finishEndsTheSession()
{
    auto s = supervisor(config());
    QSignalSpy finished(s.get(), &LiveSupervisor::finished);
    QSignalSpy kinds(m_server.get(), &FakeGeminiServer::clientMessageReceived);
    QSignalSpy closed(m_server.get(), &FakeGeminiServer::connectionClosed);
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    s->start();
    QVERIFY(s->sendText(QStringLiteral("typed before live"))); // queued
    QTRY_COMPARE(s->state(), State::Live);
    QTRY_COMPARE(turns.count(), 1);
    QCOMPARE(turns.first().at(2).toString(), "typed before live");
    const qsizetype before = kinds.count();
    s->finish();
    QCOMPARE(s->state(), State::Ending);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(s->state(), State::Finished);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(1).toInt(), 1000);
    // One message between finish() and the close: realtimeInput {audioStreamEnd}.
    QStringList after;
    for (qsizetype i = before; i < kinds.count(); ++i)
        after.append(kinds.at(i).at(1).toString());
    QCOMPARE(after, QStringList{"realtimeInput"});
    s->finish();
    QCOMPARE(finished.count(), 1);
}

void TestLiveSupervisor::shortAnswerAfterAModelTurnReachesTheModel_data()
{
    QTest::addColumn<bool>("ourVad");
    QTest::newRow("our VAD, manual activity") << true;
    QTest::newRow("server VAD (the reported loss)") << false;
}

// The 2026 reports (python-genai #2903): the server's VAD drops a short answer that comes right
// after a model turn. The fake reproduces it; with our activity signals the answer is a turn.
void TestLiveSupervisor::shortAnswerAfterAModelTurnReachesTheModel()
{
    QFETCH(bool, ourVad);
    m_server->config().dropShortAnswersAfterModelTurn = true;
    m_server->queueInputTranscripts({"my husband collapsed", "yes"});
    if (ourVad)
        m_realtime = manualActivityConfig();
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    QSignalSpy completed(m_server.get(), &FakeGeminiServer::modelTurnCompleted);
    QSignalSpy ignored(m_server.get(), &FakeGeminiServer::utteranceIgnored);
    QSignalSpy activity(m_server.get(), &FakeGeminiServer::activityReceived);
    QSignalSpy closed(m_server.get(), &FakeGeminiServer::connectionClosed);
    auto s = supervisor(config());
    QSignalSpy finished(s.get(), &LiveSupervisor::finished);
    s->start();
    QTRY_COMPARE(s->state(), State::Live);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["realtimeInputConfig"]["automaticActivityDetection"]["disabled"].toBool(),
             ourVad);

    feed(*s, phoneLine(200, 0) + phoneLine(1200, 3000) + phoneLine(1000, 0));
    QTRY_COMPARE(completed.count(), 1);
    QCOMPARE(turns.first().at(2).toString(), "my husband collapsed");

    // The model's turn has just ended; the caller answers at once, in 300 ms.
    feed(*s, phoneLine(200, 0) + phoneLine(300, 3000) + phoneLine(1000, 0));
    if (ourVad) {
        QTRY_COMPARE(turns.count(), 2);
        QCOMPARE(turns.at(1).at(2).toString(), "yes");
        QCOMPARE(ignored.count(), 0);
        QList<bool> signalled;
        for (const auto &args : std::as_const(activity))
            signalled.append(args.at(1).toBool());
        QCOMPARE(signalled, (QList<bool>{true, false, true, false}));
    } else {
        QTRY_COMPARE(ignored.count(), 1); // lost: no turn, no transcript
        QCOMPARE(turns.count(), 1);
        QVERIFY(ignored.first().at(1).toLongLong() < 400);
        QVERIFY(activity.isEmpty());
    }

    // The end of the call: no audioStreamEnd with manual activity (the fake would close 1007).
    s->finish();
    QTRY_COMPARE(finished.count(), 1);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(1).toInt(), 1000);
}

// A drop in the middle of the caller's sentence: the resumed connection replays from inside the
// activity, so it gets activityStart before that audio and activityEnd after the sentence; the
// turn is made once, on the new connection.
void TestLiveSupervisor::anActivityCutByADropIsReopenedOnTheResumedConnection()
{
    m_realtime = manualActivityConfig();
    m_server->config().resumptionUpdateIntervalMs = 20;
    m_server->queueInputTranscripts({"he is not breathing"});
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    QStringList heard; // what connection 2 received, in order: "+", "-", "a" (audio)
    connect(m_server.get(), &FakeGeminiServer::activityReceived, this,
            [&heard](int id, bool start) {
                if (id == 2)
                    heard.append(start ? "+" : "-");
            });
    connect(m_server.get(), &FakeGeminiServer::audioDataReceived, this,
            [&heard](int id, const QByteArray &) {
                if (id == 2 && (heard.isEmpty() || heard.constLast() != "a"))
                    heard.append("a");
            });
    auto s = supervisor(config());
    s->start();
    QTRY_COMPARE(s->state(), State::Live);
    // 2.2 s into the call, 2 s into the sentence: a handle then covers up to 1.2 s (the margin),
    // inside the activity.
    const QByteArray first = phoneLine(200, 0) + phoneLine(2000, 3000);
    feed(*s, first);
    QTRY_COMPARE(m_server->audioBytes(1), first.size());
    const QString before = s->resumptionHandle();
    QTRY_VERIFY(s->resumptionHandle() != before && !s->resumptionHandle().isEmpty());
    QCOMPARE(turns.count(), 0);
    m_server->injectOn(1, FakeFault::AbruptDrop);
    QTRY_COMPARE(s->state(), State::Resuming);
    feed(*s, phoneLine(500, 3000) + phoneLine(1000, 0)); // the rest, while reconnecting
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(resumed.count(), 1);
    QTRY_COMPARE(turns.count(), 1);
    QCOMPARE(turns.first().at(0).toInt(), 2);
    QCOMPARE(turns.first().at(2).toString(), "he is not breathing");
    QCOMPARE(heard, (QStringList{"+", "a", "-", "a"})); // reopened first, closed in place
}

QTEST_GUILESS_MAIN(TestLiveSupervisor)
#include "tst_livesupervisor.moc"
