#include "fakegeminiserver.h"
#include "gemini/livesession.h"
#include "gemini/toolregistry.h"
#include "queuedevents.h"
#include "testaudio.h"
#include "triage/tools/flagcriticaltool.h"
#include "triage/tools/reporttriagetool.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <memory>

using dispatch::test::pcm16k;
using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;
using dispatch::test::waitForQueuedEvents;

class TestLiveSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void cleanSessionWithOneTurn();
    void keyTravelsOnlyInTheHeaderAndIsNeverLogged();
    void setupErrorsSurfaceVerbatim_data();
    void setupErrorsSurfaceVerbatim();
    void unknownFieldOnlyOnV1beta();
    void nothingIsSentBeforeSetupComplete();
    void setupTimeout();
    void toolCallRoundTripBlocksTurns();
    void unknownToolResponseIdIsFatal();
    void bargeInCancelsPendingToolCall();
    void goAwayThenPolicyClose();
    void handleUpdatesAndResumption();
    void periodicHandlesAndUnknownHandle();
    void faultsAreClassified_data();
    void faultsAreClassified();
    void refusedUpgradeIsQuota();
    void hugeServerFramesDoNotKillTheSession();
    void textFramesAreDecodedToo();
    void closeBeforeAndAfterOpen();

private:
    LiveSessionConfig configFor(const FakeGeminiServer &server) const;

    std::unique_ptr<FakeGeminiServer> m_server;
};

#ifndef Q_MOC_RUN

namespace {

const QString NativeAudio = QStringLiteral("gemini-2.5-flash-native-audio-preview-12-2025");

// Speech then silence, in 40 ms chunks, like a phone. Returns the bytes sent.
qint64 speak(LiveSession &session, int speechMs = 600, int silenceMs = 800)
{
    qint64 sent = 0;
    for (int t = 0; t < speechMs; t += 40) {
        const QByteArray chunk = pcm16k(40, 3000);
        if (session.sendAudio(chunk))
            sent += chunk.size();
    }
    for (int t = 0; t < silenceMs; t += 40) {
        const QByteArray chunk = pcm16k(40, 0);
        if (session.sendAudio(chunk))
            sent += chunk.size();
    }
    return sent;
}

bool openAndWait(LiveSession &session)
{
    QSignalSpy ready(&session, &LiveSession::setupCompleted);
    if (!session.open())
        return false;
    return ready.wait(5000) || ready.count() == 1;
}

CloseClassification classificationOf(const QSignalSpy &closed)
{
    return closed.first().at(2).value<CloseClassification>();
}

} // namespace

LiveSessionConfig TestLiveSession::configFor(const FakeGeminiServer &server) const
{
    LiveSessionConfig c;
    c.endpoint = server.baseUrl();
    c.apiKey = QStringLiteral("test-key");
    c.setup.model = NativeAudio;
    c.setup.systemInstruction = QStringLiteral("Triage the call.");
    c.setupTimeoutMs = 5000;
    return c;
}

void TestLiveSession::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
}

void TestLiveSession::cleanup()
{
    m_server.reset();
}

void TestLiveSession::cleanSessionWithOneTurn()
{
    m_server->queueInputTranscripts({"My father collapsed"});
    m_server->queueReplies({"Is he breathing?"});
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::modelTurnCompleted);

    LiveSession session(configFor(*m_server));
    QSignalSpy states(&session, &LiveSession::stateChanged);
    QSignalSpy content(&session, &LiveSession::serverContentReceived);
    QSignalSpy usage(&session, &LiveSession::usageReported);
    QSignalSpy handles(&session, &LiveSession::resumptionHandleUpdated);
    QSignalSpy closed(&session, &LiveSession::closed);
    QCOMPARE(session.state(), LiveSession::State::Idle);
    QVERIFY(openAndWait(session));
    QCOMPARE(session.state(), LiveSession::State::Live);
    QCOMPARE(setups.count(), 1);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["model"].toString(), "models/" + NativeAudio);
    QVERIFY(setup.contains("inputAudioTranscription"));

    // Each chunk is handed to the kernel as it is sent, not on a later pass of the event loop
    // (the AI gets it sooner and the pass costs no write notification).
    QVERIFY(session.sendAudio(pcm16k(20, 3000)));
    QCOMPARE(session.bytesQueued(), 0);
    const qint64 sent = speak(session) + pcm16k(20, 3000).size();
    QTRY_COMPARE(turns.count(), 1);
    QTRY_VERIFY(usage.count() == 1);
    QCOMPARE(session.counters().audioBytesSent, sent);
    QCOMPARE(m_server->totalAudioBytes(), sent);
    QCOMPARE(m_server->audioBytes(1), sent);

    QString heard, said;
    qint64 audioBytes = 0;
    bool generationComplete = false, turnComplete = false;
    for (const auto &args : std::as_const(content)) {
        const auto c = args.first().value<ServerContent>();
        if (c.inputTranscription)
            heard += c.inputTranscription->text;
        if (c.outputTranscription)
            said += c.outputTranscription->text;
        for (const Part &p : c.parts) {
            QVERIFY(p.inlineData);
            QCOMPARE(p.inlineData->sampleRate, 24000);
            audioBytes += p.inlineData->data.size();
        }
        QVERIFY2(!turnComplete, "nothing after turnComplete");
        generationComplete |= c.generationComplete;
        if (c.turnComplete) {
            QVERIFY(generationComplete);
            turnComplete = true;
        }
    }
    QCOMPARE(heard, "My father collapsed");
    QCOMPARE(said.trimmed(), "Is he breathing?");
    QCOMPARE(audioBytes, 240 * 48); // 240 ms at 24 kHz s16le
    QCOMPARE(session.counters().audioBytesReceived, audioBytes);
    QVERIFY(usage.first().first().value<UsageMetadata>().totalTokenCount > 0);
    QTRY_COMPARE(handles.count(), 2);
    QCOMPARE(handles.at(0).at(1).toBool(), false); // while generating
    QCOMPARE(handles.at(1).at(1).toBool(), true);
    QCOMPARE(session.lastResumptionHandle(), handles.at(1).at(0).toString());
    QVERIFY(session.counters().messagesReceived > 5);
    QCOMPARE(session.counters().messagesRejected, 0);

    session.close();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1000);
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::ClosedByClient));
    QCOMPARE(session.state(), LiveSession::State::Closed);
    QList<LiveSession::State> seen;
    for (const auto &s : std::as_const(states))
        seen << s.first().value<LiveSession::State>();
    QCOMPARE(seen, (QList<LiveSession::State>{LiveSession::State::Connecting,
                                              LiveSession::State::AwaitingSetupComplete,
                                              LiveSession::State::Live, LiveSession::State::Closing,
                                              LiveSession::State::Closed}));
    QTRY_COMPARE(m_server->liveConnectionCount(), 0);
}

namespace {
QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log << message;
}
} // namespace

void TestLiveSession::keyTravelsOnlyInTheHeaderAndIsNeverLogged()
{
    m_server->config().expectedApiKey = "sk-very-secret-4711";
    LiveSessionConfig c = configFor(*m_server);
    c.apiKey = "sk-very-secret-4711";
    c.endpoint = QUrl(m_server->baseUrl().toString() + "/ignored/path?key=leak");

    QLoggingCategory::setFilterRules("dispatch.*=true");
    g_log.clear();
    const auto previous = qInstallMessageHandler(captureLog);
    {
        LiveSession session(c);
        QVERIFY(openAndWait(session));
        speak(session);
        QSignalSpy closed(&session, &LiveSession::closed);
        m_server->injectNow(FakeFault::InternalError);
        QTRY_COMPARE(closed.count(), 1);
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    const FakeUpgradeRequest upgrade = m_server->lastUpgrade();
    QVERIFY(upgrade.keyInHeader);
    QVERIFY(!upgrade.keyInQuery);
    QVERIFY(upgrade.query.isEmpty());
    QCOMPARE(upgrade.path, "/ws/google.ai.generativelanguage.v1beta.GenerativeService."
                           "BidiGenerateContent");
    QVERIFY(g_log.size() >= 3); // the session did log
    for (const QString &line : std::as_const(g_log))
        QVERIFY2(!line.contains("sk-very-secret"), qPrintable(line));
}

void TestLiveSession::setupErrorsSurfaceVerbatim_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("extraGeneration");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("final");

    QTest::newRow("TEXT on native audio")
        << NativeAudio << true << "test-key"
        << "" << 1007 << "Cannot extract voices from a non-audio request." << true;
    QTest::newRow("TEXT on 3.1") << "gemini-3.1-flash-live-preview" << true << "test-key"
                                 << "" << 1011 << "Internal error encountered." << false;
    QTest::newRow("unknown model")
        << "gemini-2.0-flash-live-001" << false << "test-key"
        << "" << 1008
        << "models/gemini-2.0-flash-live-001 is not found for API version v1beta, or is not "
           "supported for bidiGenerateContent. Call Lis"
        << true;
    QTest::newRow("wrong key") << NativeAudio << false << "wrong"
                               << "" << 1007 << "API key not valid. Please pass a valid API key."
                               << true;
    QTest::newRow("transcription inside generationConfig")
        << NativeAudio << false << "test-key"
        << R"({"inputAudioTranscription":{}})" << 1007
        << "Invalid JSON payload received. Unknown name \"inputAudioTranscription\" at "
           "'setup.generation_config': Cannot find field."
        << true;
    QTest::newRow("TEXT accepted on half-cascade")
        << "gemini-live-2.5-flash-preview" << true << "test-key"
        << "" << 0 << "" << false;
}

void TestLiveSession::setupErrorsSurfaceVerbatim()
{
    QFETCH(QString, model);
    QFETCH(bool, text);
    QFETCH(QString, key);
    QFETCH(QString, extraGeneration);
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(bool, final);

    LiveSessionConfig c = configFor(*m_server);
    c.setup.model = model;
    c.setup.responseModality = text ? ResponseModality::Text : ResponseModality::Audio;
    c.apiKey = key;
    c.setup.extraGenerationConfig = QJsonDocument::fromJson(extraGeneration.toUtf8()).object();
    LiveSession session(c);
    QSignalSpy ready(&session, &LiveSession::setupCompleted);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(session.open());
    if (code == 0) {
        QTRY_COMPARE(ready.count(), 1);
        return;
    }
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(ready.count(), 0);
    QCOMPARE(closed.first().at(0).toInt(), code);
    QCOMPARE(closed.first().at(1).toString(), reason);
    QVERIFY(reason.toUtf8().size() <= 123);
    QCOMPARE(toString(classificationOf(closed).kind),
             toString(final ? CloseKind::Final : CloseKind::Retryable));
    QCOMPARE(session.closeCode(), code);
    QCOMPARE(session.closeReason(), reason);
}

void TestLiveSession::unknownFieldOnlyOnV1beta()
{
    for (const char *version : {"v1beta", "v1alpha"}) {
        LiveSessionConfig c = configFor(*m_server);
        c.apiVersion = version;
        c.setup.extraGenerationConfig = {{"enableAffectiveDialog", true}};
        LiveSession session(c);
        QSignalSpy ready(&session, &LiveSession::setupCompleted);
        QSignalSpy closed(&session, &LiveSession::closed);
        QVERIFY(session.open());
        QTRY_VERIFY(ready.count() + closed.count() == 1);
        if (QByteArray(version) == "v1alpha") {
            QCOMPARE(ready.count(), 1);
        } else {
            QCOMPARE(closed.first().at(1).toString(),
                     "Invalid JSON payload received. Unknown name \"enableAffectiveDialog\" at "
                     "'setup.generation_config': Cannot find field.");
        }
    }
}

void TestLiveSession::nothingIsSentBeforeSetupComplete()
{
    m_server->config().answerSetup = false;
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy messages(m_server.get(), &FakeGeminiServer::clientMessageReceived);
    LiveSessionConfig c = configFor(*m_server);
    c.setupTimeoutMs = 60000;
    LiveSession session(c);
    QVERIFY(!session.sendText("too early")); // Idle
    QVERIFY(session.open());
    QVERIFY(!session.sendAudio(pcm16k(40, 3000))); // Connecting
    QTRY_COMPARE(setups.count(), 1);
    QCOMPARE(session.state(), LiveSession::State::AwaitingSetupComplete);
    QVERIFY(!session.sendAudio(pcm16k(40, 3000)));
    QVERIFY(!session.sendVideoFrame("jpeg"));
    QVERIFY(!session.sendToolResponse({{"id", "report_triage", {}, {}}}));
    QVERIFY(!session.sendAudioStreamEnd());
    QCOMPARE(session.counters().sendsRefused, 6);
    QCOMPARE(session.counters().messagesSent, 1); // the setup
    QCOMPARE(session.counters().audioBytesSent, 0);
    // Let the event loop deliver anything that might have been written.
    QSignalSpy closed(&session, &LiveSession::closed);
    session.close();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(messages.count(), 1);
    QCOMPARE(messages.first().at(1).toString(), "setup");
    QCOMPARE(m_server->totalAudioBytes(), 0);
}

void TestLiveSession::setupTimeout()
{
    m_server->config().answerSetup = false;
    QSignalSpy serverClosed(m_server.get(), &FakeGeminiServer::connectionClosed);
    LiveSessionConfig c = configFor(*m_server);
    c.setupTimeoutMs = 150;
    LiveSession session(c);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(session.open());
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1006);
    QVERIFY(closed.first().at(1).toString().contains("150 ms"));
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::SetupTimeout));
    QCOMPARE(toString(classificationOf(closed).kind), toString(CloseKind::Retryable));
    QTRY_COMPARE(serverClosed.count(), 1); // the socket really went away
    QVERIFY(waitForQueuedEvents());        // what the abort posted has been handled
    QCOMPARE(closed.count(), 1);           // exactly once
}

void TestLiveSession::toolCallRoundTripBlocksTurns()
{
    m_server->scriptToolCall(
        1, {{"report_triage",
             QJsonObject{{"situation_summary", "Father collapsed, not breathing"},
                         {"detected_keywords", QJsonArray{"collapsed", "not breathing"}},
                         {"caller_emotional_state", "panicked"},
                         {"recommended_response_type", "medical"},
                         {"severity", 5},
                         {"can_speak", true}}},
            {"flag_critical", QJsonObject{{"reason", "not breathing"}, {"severity", 5}}}});
    QSignalSpy userTurns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    QSignalSpy responses(m_server.get(), &FakeGeminiServer::toolResponseReceived);
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::modelTurnCompleted);
    QSignalSpy messages(m_server.get(), &FakeGeminiServer::clientMessageReceived);

    QList<TriageReport> reports;
    QList<CriticalFlag> flags;
    ToolRegistry registry;
    registry.add(makeReportTriageTool([&](const TriageReport &r) { reports << r; }));
    registry.add(makeFlagCriticalTool([&](const CriticalFlag &f) { flags << f; }));

    LiveSessionConfig c = configFor(*m_server);
    c.setup.functionDeclarations = registry.functionDeclarations();
    LiveSession session(c);
    QSignalSpy calls(&session, &LiveSession::toolCallReceived);
    QSignalSpy content(&session, &LiveSession::serverContentReceived);
    QVERIFY(openAndWait(session));
    speak(session);
    QTRY_COMPARE(calls.count(), 1);
    const ToolCall call = calls.first().first().value<ToolCall>();
    QCOMPARE(call.functionCalls.size(), 2);
    QVERIFY(call.functionCalls[0].id != call.functionCalls[1].id);
    QCOMPARE(call.functionCalls[0].name, "report_triage");

    // Blocked: a second user turn does not start a reply, and no audio follows the call.
    const int contentBefore = content.count();
    QVERIFY(session.sendText("Please hurry"));
    QTRY_COMPARE(messages.count(), session.counters().messagesSent); // the fake has seen it all
    QCOMPARE(userTurns.count(), 1);
    QCOMPARE(turns.count(), 0);
    QCOMPARE(content.count(), contentBefore);

    QList<FunctionResponse> out;
    for (const FunctionCall &f : call.functionCalls) {
        const ToolInvocation inv = registry.dispatch(f);
        QVERIFY(inv.handled);
        out << inv.response;
    }
    QVERIFY(session.sendToolResponse(out));
    QTRY_COMPARE(responses.count(), 1);
    QCOMPARE(responses.first().at(1).toStringList(),
             (QStringList{call.functionCalls[0].id, call.functionCalls[1].id}));
    QTRY_COMPARE(turns.count(), 2); // the blocked reply, then the deferred turn
    QCOMPARE(userTurns.count(), 2);
    QCOMPARE(userTurns.at(1).at(2).toString(), "Please hurry");
    QCOMPARE(reports.size(), 1);
    QCOMPARE(reports.first().severity, 5);
    QCOMPARE(flags.size(), 1);
    QCOMPARE(flags.first().reason, "not breathing");
}

void TestLiveSession::unknownToolResponseIdIsFatal()
{
    LiveSession session(configFor(*m_server));
    QSignalSpy calls(&session, &LiveSession::toolCallReceived);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(openAndWait(session));
    m_server->triggerToolCall({{"flag_critical", QJsonObject{{"reason", "x"}}}});
    QTRY_COMPARE(calls.count(), 1);
    QVERIFY(session.sendToolResponse({{"not-an-id", "flag_critical", {}, {}}}));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1007);
    QCOMPARE(closed.first().at(1).toString(), "Request contains an invalid argument.");
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::BadRequest));
}

void TestLiveSession::bargeInCancelsPendingToolCall()
{
    LiveSession session(configFor(*m_server));
    QSignalSpy calls(&session, &LiveSession::toolCallReceived);
    QSignalSpy cancelled(&session, &LiveSession::toolCallCancelled);
    QSignalSpy content(&session, &LiveSession::serverContentReceived);
    QVERIFY(openAndWait(session));
    m_server->triggerToolCall({{"report_triage", QJsonObject{{"severity", 2}}}});
    QTRY_COMPARE(calls.count(), 1);
    speak(session, 200, 0); // the caller talks over the pending call
    QTRY_COMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.first().first().toStringList(),
             QStringList{calls.first().first().value<ToolCall>().functionCalls.first().id});
    QTRY_VERIFY(!content.isEmpty());
    QVERIFY(content.last().first().value<ServerContent>().turnComplete);
    QVERIFY(content.at(content.count() - 2).first().value<ServerContent>().interrupted);
}

void TestLiveSession::goAwayThenPolicyClose()
{
    m_server->config().connectionLifetimeMs = 100;
    m_server->config().goAwayTimeLeftMs = 150;
    LiveSession session(configFor(*m_server));
    QSignalSpy goAway(&session, &LiveSession::goAwayReceived);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(openAndWait(session));
    QTRY_COMPARE(goAway.count(), 1);
    QCOMPARE(goAway.first().first().toLongLong(), 150);
    QVERIFY(session.isGoAwayReceived());
    QCOMPARE(session.state(), LiveSession::State::Live); // still usable until the deadline
    QVERIFY(session.sendAudio(pcm16k(40, 0)));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1008);
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::GoAwayExpired));
    QCOMPARE(toString(classificationOf(closed).kind), toString(CloseKind::Retryable));
}

void TestLiveSession::handleUpdatesAndResumption()
{
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    QString handle;
    qint64 firstConnectionAudio = 0;
    {
        LiveSession first(configFor(*m_server));
        QVERIFY(openAndWait(first));
        QSignalSpy handles(&first, &LiveSession::resumptionHandleUpdated);
        firstConnectionAudio = speak(first);
        QTRY_VERIFY(!first.lastResumptionHandle().isEmpty());
        handle = first.lastResumptionHandle();
        QVERIFY(handle.startsWith("fake-handle-"));
    }

    // What a supervisor does: a new connection with the stored handle, then replay the audio it
    // buffered while switching.
    LiveSessionConfig c = configFor(*m_server);
    c.setup.resumptionHandle = handle;
    LiveSession second(c);
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QVERIFY(openAndWait(second));
    const QJsonObject resumedSetup = setups.last().at(1).toJsonObject();
    QCOMPARE(resumedSetup["sessionResumption"]["handle"].toString(), handle);
    QCOMPARE(resumed.count(), 1);
    QCOMPARE(resumed.first().at(1).toString(), handle);
    QCOMPARE(resumed.first().at(2).toInt(), 1); // one user turn so far
    const QByteArray buffered = pcm16k(400, 0);
    QVERIFY(second.sendAudio(buffered));
    QTRY_COMPARE(m_server->audioBytes(2), qint64(buffered.size()));
    QCOMPARE(m_server->audioBytes(1), firstConnectionAudio);
}

void TestLiveSession::periodicHandlesAndUnknownHandle()
{
    m_server->config().resumptionUpdateIntervalMs = 30;
    {
        LiveSession session(configFor(*m_server));
        QSignalSpy handles(&session, &LiveSession::resumptionHandleUpdated);
        QVERIFY(openAndWait(session));
        QTRY_VERIFY(handles.count() >= 2);
        QVERIFY(handles.first().at(1).toBool());
        QVERIFY(handles.first().at(0).toString() != handles.at(1).at(0).toString());
    }
    LiveSessionConfig c = configFor(*m_server);
    c.setup.resumptionHandle = "fake-handle-does-not-exist";
    LiveSession stale(c);
    QSignalSpy closed(&stale, &LiveSession::closed);
    QVERIFY(stale.open());
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1007);
    QCOMPARE(toString(classificationOf(closed).kind), toString(CloseKind::Final));
}

void TestLiveSession::faultsAreClassified_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<bool>("atSetup");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reasonStart");
    QTest::addColumn<int>("category");
    QTest::addColumn<bool>("final");
    QTest::newRow("drop") << int(FakeFault::AbruptDrop) << false << 1006 << ""
                          << int(CloseCategory::NetworkDrop) << false;
    QTest::newRow("drop at setup") << int(FakeFault::AbruptDrop) << true << 1006 << ""
                                   << int(CloseCategory::NetworkDrop) << false;
    QTest::newRow("quota at setup")
        << int(FakeFault::QuotaExceeded) << true << 1011
        << "You exceeded your current quota, please check your plan and billing details."
        << int(CloseCategory::Quota) << true;
    QTest::newRow("quota mid-session")
        << int(FakeFault::QuotaExceeded) << false << 1011 << "You exceeded your current quota"
        << int(CloseCategory::Quota) << true;
    QTest::newRow("internal") << int(FakeFault::InternalError) << false << 1011
                              << "Internal error encountered." << int(CloseCategory::Internal)
                              << false;
    QTest::newRow("not implemented")
        << int(FakeFault::NotImplemented) << false << 1008 << "Operation is not implemented"
        << int(CloseCategory::NotImplemented) << false;
}

void TestLiveSession::faultsAreClassified()
{
    QFETCH(int, fault);
    QFETCH(bool, atSetup);
    QFETCH(int, code);
    QFETCH(QString, reasonStart);
    QFETCH(int, category);
    QFETCH(bool, final);
    if (atSetup)
        m_server->injectOnNextConnection(FakeFault(fault));
    LiveSession session(configFor(*m_server));
    QSignalSpy ready(&session, &LiveSession::setupCompleted);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(session.open());
    if (!atSetup) {
        QTRY_COMPARE(ready.count(), 1);
        speak(session, 200, 0);
        m_server->injectNow(FakeFault(fault));
    }
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(ready.count(), atSetup ? 0 : 1);
    QCOMPARE(closed.first().at(0).toInt(), code);
    const QString reason = closed.first().at(1).toString();
    QVERIFY2(reason.startsWith(reasonStart), qPrintable(reason));
    QVERIFY(reason.toUtf8().size() <= 123);
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory(category)));
    QCOMPARE(toString(classificationOf(closed).kind),
             toString(final ? CloseKind::Final : CloseKind::Retryable));
    QVERIFY(!classificationOf(closed).humanReadable.isEmpty());
}

void TestLiveSession::refusedUpgradeIsQuota()
{
    m_server->refuseNextUpgrade(429);
    QSignalSpy refused(m_server.get(), &FakeGeminiServer::upgradeRefused);
    LiveSession session(configFor(*m_server));
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(session.open());
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(refused.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1006);
    QVERIFY2(closed.first().at(1).toString().contains("429"),
             qPrintable(closed.first().at(1).toString()));
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::Quota));
    QCOMPARE(toString(classificationOf(closed).kind), toString(CloseKind::Final));
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestLiveSession::hugeServerFramesDoNotKillTheSession()
{
    LiveSessionConfig c = configFor(*m_server);
    c.maxInboundMessageBytes = 64 * 1024;
    LiveSession session(c);
    QSignalSpy rejected(&session, &LiveSession::messageRejected);
    QSignalSpy goAway(&session, &LiveSession::goAwayReceived);
    QSignalSpy closed(&session, &LiveSession::closed);
    QVERIFY(openAndWait(session));

    // Over the decoder limit but under the socket limit: refused, counted, session survives.
    m_server->sendToAll("{\"serverContent\":{\"outputTranscription\":{\"text\":\"" +
                        QByteArray(100 * 1024, 'a') + "\"}}}");
    m_server->sendToAll("{\"goAway\":{\"timeLeft\":\"9.5s\"}}");
    QTRY_COMPARE(goAway.count(), 1);
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.first().first().value<ProtocolError>().code, "too_large");
    QCOMPARE(session.counters().messagesRejected, 1);
    QCOMPARE(session.state(), LiveSession::State::Live);

    // Garbage is refused the same way.
    m_server->sendToAll(QByteArray("\xff\x00garbage", 9));
    QTRY_COMPARE(rejected.count(), 2);
    QCOMPARE(session.state(), LiveSession::State::Live);

    // Far beyond any limit: the socket refuses it (1009) instead of buffering it.
    m_server->sendToAll(QByteArray(1024 * 1024, 'x'));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1009);
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::MessageTooBig));
}

void TestLiveSession::textFramesAreDecodedToo()
{
    LiveSession session(configFor(*m_server));
    QSignalSpy calls(&session, &LiveSession::toolCallReceived);
    QSignalSpy usage(&session, &LiveSession::usageReported);
    QVERIFY(openAndWait(session));
    m_server->sendToAll(
        R"({"toolCall":{"functionCalls":[{"id":"t1","name":"flag_critical","args":{}}]},"usageMetadata":{"totalTokenCount":3}})",
        false);
    QTRY_COMPARE(calls.count(), 1);
    QCOMPARE(usage.count(), 1);
}

void TestLiveSession::closeBeforeAndAfterOpen()
{
    LiveSession idle(configFor(*m_server));
    QSignalSpy idleClosed(&idle, &LiveSession::closed);
    idle.close();
    QCOMPARE(idleClosed.count(), 1);
    QVERIFY(!idle.open()); // one connection per object
    idle.close();
    QCOMPARE(idleClosed.count(), 1);

    LiveSession connecting(configFor(*m_server));
    QSignalSpy closed(&connecting, &LiveSession::closed);
    QVERIFY(connecting.open());
    connecting.close(); // while still connecting
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(toString(classificationOf(closed).category), toString(CloseCategory::ClosedByClient));

    LiveSessionConfig bad = configFor(*m_server);
    bad.setup.model.clear();
    LiveSession invalid(bad);
    QVERIFY(!invalid.open());
    QCOMPARE(invalid.state(), LiveSession::State::Idle);
    bad = configFor(*m_server);
    bad.endpoint = QUrl("ftp://example.invalid");
    QVERIFY(!LiveSession(bad).open());
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestLiveSession)
#include "tst_livesession.moc"
