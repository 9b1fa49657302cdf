// The router in front of Gemini (against the fake, real sockets) and a scripted local engine:
// reports and flags reaching a dashboard through PhoneServer + CallStore, failover on quota with
// the local shadow, the concurrency budget with upgrades (highest severity first), the grace
// before local speaks, the ring by role. The router's logic on its own, between two scripted
// backends on a fake clock: tst_scriptedrouter; its policy: tst_routingpolicy.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "fakegeminiserver.h"
#include "host/phoneserver.h"
#include "testaudio.h"
#include "testclient.h"
#include "triage/aitelemetry.h"
#include "triage/geminitriagebackend.h"
#include "triage/prearrivalknowledge.h"
#include "triage/triagecoordinator.h"
#include "triage/triagerouter.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <memory>

using namespace dispatch;
using namespace dispatch::fakes;
using namespace dispatch::test;

namespace {

// The local engine's part, played by the test.
class ScriptedLocal : public TriageBackend
{
public:
    QHash<QString, qint64> startedWith; // backlog bytes at start
    QHash<QString, qint64> audio;
    QStringList ended;

    void startCall(const QString &id, const MediaBacklog &backlog) override
    {
        startedWith.insert(id, backlog.audioBytes());
    }
    void addAudio(const QString &id, const QByteArray &pcm) override { audio[id] += pcm.size(); }
    void addFrame(const QString &, const QByteArray &) override {}
    void addVitals(const QString &, const VitalsSample &) override {}
    void addCallerText(const QString &, const QString &) override {}
    void endCall(const QString &id) override
    {
        ended << id;
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT callFinished(id); }, Qt::QueuedConnection);
    }
    void report(const QString &id, int severity, const QString &summary = QStringLiteral("local"))
    {
        TriageReport r;
        r.severity = severity;
        r.situationSummary = summary;
        r.responseType = ResponseType::Medical;
        r.source = TriageSource::Local;
        Q_EMIT reportProduced(id, r);
    }
};

FakeToolCall reportCall(int severity, const QString &summary)
{
    return {QStringLiteral("report_triage"),
            QJsonObject{{QStringLiteral("situation_summary"), summary},
                        {QStringLiteral("recommended_response_type"), QStringLiteral("medical")},
                        {QStringLiteral("severity"), severity}}};
}

} // namespace

class TestTriageRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void reportAndCriticalReachTheDashboard();
    void failoverToLocalOnQuota();
    void budgetHoldsAndUpgradesHighestSeverityFirst();
    void localSpeaksAfterTheGraceWhileGeminiIsAway();
    void recentAudioIsKeptOnlyWhereAnEngineSwitchNeedsIt();
    void upgradeWithoutAShadowSlotStopsTheLocalEngine();

private:
    void build(int budget = 3, int graceMs = 5000, int maxShadowCalls = 0);
    QStringList linkStates(const QSignalSpy &spy, const QString &callId) const;

    std::unique_ptr<FakeGeminiServer> m_fake;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<CallStore> m_store;
    std::unique_ptr<ScriptedLocal> m_local;
    std::unique_ptr<GeminiTriageBackend> m_gemini;
    std::unique_ptr<TriageRouter> m_router;
    std::unique_ptr<TriageCoordinator> m_coordinator;
};

void TestTriageRouter::init()
{
    m_fake = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_fake->listen());
}

void TestTriageRouter::cleanup()
{
    m_coordinator.reset();
    m_router.reset();
    m_gemini.reset();
    m_local.reset();
    m_store.reset();
    m_metrics.reset();
    m_fake.reset();
}

void TestTriageRouter::build(int budget, int graceMs, int maxShadowCalls)
{
    m_metrics = std::make_unique<MetricsRegistry>();
    m_store = std::make_unique<CallStore>();
    m_local = std::make_unique<ScriptedLocal>();
    gemini::SupervisorConfig session;
    session.connection.endpoint = m_fake->baseUrl();
    session.connection.apiKey = QStringLiteral("test-key");
    session.connection.setupTimeoutMs = 5000;
    session.reconnect.initialDelayMs = 20;
    session.reconnect.maxAttempts = 2;
    session.endGraceMs = 20;
    if (const auto knowledge = PrearrivalKnowledge::load(defaultPrearrivalKnowledgePath()))
        session.prearrival = knowledge.value();
    session.counters = gemini::GeminiCounters(*m_metrics);
    m_gemini = std::make_unique<GeminiTriageBackend>(session);
    TriageRouterConfig config;
    config.maxPrimarySessions = budget;
    config.localGraceMs = graceMs;
    config.maxShadowCalls = maxShadowCalls;
    m_router = std::make_unique<TriageRouter>(config, *m_gemini, *m_local);
    m_coordinator = std::make_unique<TriageCoordinator>(*m_store, *m_router);
}

QStringList TestTriageRouter::linkStates(const QSignalSpy &spy, const QString &callId) const
{
    QStringList out;
    for (const auto &args : spy) {
        if (args.at(0).toString() == callId)
            out << toString(args.at(1).value<TriageLink>().state);
    }
    return out;
}

void TestTriageRouter::reportAndCriticalReachTheDashboard()
{
    m_fake->queueInputTranscripts({"my husband is not breathing"});
    m_fake->scriptToolCall(1, {reportCall(5, "Husband not breathing"),
                               {"flag_critical", QJsonObject{{"reason", "not breathing"}}},
                               {"get_prearrival_instructions", QJsonObject{{"topic", "cpr"}}}});
    build();
    MetricsRegistry &metrics = *m_metrics;
    PhoneServerConfig config;
    config.dashboardToken = "t";
    PhoneServer server(config, *m_store, metrics);
    AiTelemetry telemetry(metrics, *m_router, m_gemini.get(),
                          {TriageMode::Gemini, "m", "h", true, false});
    const auto started = server.start();
    QVERIFY(started);
    const QUrl base = started.value();
    connect(m_store.get(), &CallStore::callAdded, this,
            [this](const QString &id) { m_store->answer(id, Actor::dispatcher("alice")); });

    TestClient dashboard;
    dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
    QVERIFY(!dashboard.waitForType("hello").isEmpty());
    TestClient signal, audio;
    signal.open(wsUrl(base, "/ws/signal", "call_id=c1&role=caller"));
    audio.open(wsUrl(base, "/ws/audio", "call_id=c1"));
    QVERIFY(signal.waitConnected() && audio.waitConnected());
    signal.sendJson({{"type", "call_initiated"}});
    QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());
    QTRY_COMPARE(toString(m_store->call("c1")->triageLink.state), toString(TriageLinkState::Live));

    qint64 sent = 0;
    for (int t = 0; t < 1500; t += 20) {
        const QByteArray chunk = pcm16k(20, t < 600 ? 3000 : 0);
        audio.socket().sendBinaryMessage(chunk);
        sent += chunk.size();
    }
    const QJsonObject update = dashboard.waitForType("triage_update", 10000, "c1");
    QVERIFY(!update.isEmpty());
    QCOMPARE(update["report"]["source"].toString(), "gemini");
    QCOMPARE(update["report"]["severity"].toInt(), 5);
    const QJsonObject flag = dashboard.waitForType("critical_flag", 10000, "c1");
    QCOMPARE(flag["reason"].toString(), "not breathing");
    QVERIFY(!dashboard.waitForType("transcript", 10000, "c1").isEmpty());
    const QJsonObject prearrival = dashboard.waitForType("prearrival", 10000, "c1");
    QCOMPARE(prearrival["topic"].toString(), "cpr");
    QVERIFY(prearrival["steps"].toArray().size() >= 3);
    QCOMPARE(m_store->call("c1")->prearrival.size(), 1);
    QVERIFY(dashboard.countOfType("ai_link") >= 2); // connecting, live
    QStringList states;
    for (const QJsonObject &m : dashboard.messages()) {
        if (m["type"].toString() == "ai_link")
            states << m["state"].toString();
    }
    QCOMPARE(states.mid(0, 2), (QStringList{"connecting", "live"}));
    QTRY_COMPARE(m_fake->totalAudioBytes(), sent);
    QCOMPARE(m_local->startedWith.value("c1"), 0); // the shadow runs...
    QCOMPARE(m_local->audio.value("c1"), sent);
    m_local->report("c1", 2); // ...but is not published while Gemini is live
    QCOMPARE(toString(m_store->call("c1")->triage->source), toString(TriageSource::Gemini));

    // /health and /metrics see the call.
    const QJsonObject ai = telemetry.healthInfo(true);
    QCOMPARE(ai["budget"]["in_use"].toInt(), 1);
    QCOMPARE(ai["shadows"]["active"].toInt(), 1); // the status says the call is shadowed
    QVERIFY(ai["shadows"]["cap"].toInt() != 0);
    QCOMPARE(ai["calls"][0]["link"].toString(), "live");
    const QByteArray prom = metrics.renderPrometheus();
    QVERIFY(prom.contains("dispatch_ai_call_reports{call_id=\"c1\"} 1"));
    QVERIFY(prom.contains("dispatch_ai_call_first_report_seconds{call_id=\"c1\"}"));
    QVERIFY(prom.contains("dispatch_gemini_sessions{kind=\"in_use\"} 1"));
    QVERIFY(prom.contains("dispatch_gemini_sessions{kind=\"shadowed\"} 1"));
    QVERIFY(prom.contains("dispatch_ai_first_report_ms_count{source=\"gemini\"} 1"));
    // Every chunk went from the phone's socket to the AI's socket while Gemini was live: each
    // one is in the relay-latency histogram (a synchronous relay: well under a second).
    const QByteArray chunks = QByteArray::number(sent / 640);
    QVERIFY2(prom.contains(QByteArray("dispatch_relay_latency_seconds_count " + chunks + '\n')),
             prom.constData());
    QVERIFY(prom.contains(
        QByteArray("dispatch_relay_latency_seconds_bucket{le=\"1\"} " + chunks + '\n')));

    signal.sendJson({{"type", "call_ended"}});
    QTRY_VERIFY(m_router->callIds().isEmpty());
    QTRY_COMPARE(m_fake->liveConnectionCount(), 0);
}

void TestTriageRouter::failoverToLocalOnQuota()
{
    build();
    QSignalSpy links(m_store.get(), &CallStore::triageLinkChanged);
    QSignalSpy failedOver(m_router.get(), &TriageRouter::failedOver);
    m_store->addCall("c1", std::nullopt);
    m_store->addAudio("c1", pcm16k(400, 0)); // while ringing
    m_store->answer("c1", Actor::dispatcher("alice"));
    QCOMPARE(m_local->startedWith.value("c1"), 400 * 32);
    QTRY_COMPARE(toString(m_store->call("c1")->triageLink.state), toString(TriageLinkState::Live));
    m_local->report("c1", 3, "shadow says chest pain");
    QVERIFY(!m_store->call("c1")->triage); // held

    m_fake->injectNow(FakeFault::QuotaExceeded);
    QTRY_COMPARE(failedOver.count(), 1);
    const Call *c = m_store->call("c1");
    QCOMPARE(toString(c->triageLink.state), toString(TriageLinkState::Local));
    QCOMPARE(toString(c->triageLink.reason), toString(TriageLinkReason::Fallback));
    QCOMPARE(toString(c->triageLink.failure), toString(TriageFailureKind::Quota));
    QCOMPARE(linkStates(links, "c1"), (QStringList{"connecting", "live", "failed", "local"}));
    // The shadow's assessment is published at once, and the local engine goes on.
    QVERIFY(c->triage);
    QCOMPARE(toString(c->triage->source), toString(TriageSource::Local));
    QCOMPARE(c->triage->situationSummary, "shadow says chest pain");
    m_local->report("c1", 4, "local again");
    QCOMPARE(m_store->call("c1")->triage->severity, 4);
    QCOMPARE(m_router->primaryInUse(), 0);
    QCOMPARE(m_fake->connectionCount(), 1); // no retry on quota

    // The breaker: the next call goes local at once, and says why.
    QVERIFY(m_router->isBreakerOpen());
    m_store->addCall("c2", std::nullopt);
    m_store->answer("c2", Actor::dispatcher("alice"));
    QCOMPARE(toString(m_store->call("c2")->triageLink.state), toString(TriageLinkState::Local));
    QCOMPARE(toString(m_store->call("c2")->triageLink.reason),
             toString(TriageLinkReason::BreakerOpen));
    QCOMPARE(toString(m_store->call("c2")->triageLink.failure), toString(TriageFailureKind::Quota));
    QCOMPARE(m_fake->connectionCount(), 1);
    m_local->report("c2", 2);
    QCOMPARE(m_store->call("c2")->triage->severity, 2);
}

void TestTriageRouter::budgetHoldsAndUpgradesHighestSeverityFirst()
{
    build(2);
    QSignalSpy upgraded(m_router.get(), &TriageRouter::callUpgraded);
    QSignalSpy setups(m_fake.get(), &FakeGeminiServer::setupReceived);
    int maxLive = 0;
    connect(m_fake.get(), &FakeGeminiServer::connectionOpened, this,
            [&] { maxLive = std::max(maxLive, m_fake->liveConnectionCount()); });
    for (const char *id : {"c1", "c2", "c3", "c4"}) {
        m_store->addCall(id, std::nullopt);
        m_store->answer(id, Actor::dispatcher("alice"));
    }
    QTRY_COMPARE(m_fake->liveConnectionCount(), 2);
    QCOMPARE(m_router->primaryInUse(), 2);
    QCOMPARE(m_router->waitingForSlot(), 2);
    for (const char *id : {"c3", "c4"}) {
        QCOMPARE(toString(m_store->call(id)->triageLink.state), toString(TriageLinkState::Local));
        QCOMPARE(toString(m_store->call(id)->triageLink.reason),
                 toString(TriageLinkReason::WaitingForSlot));
    }
    // Local triage runs for the waiting calls: c4 turns out more severe than c3.
    m_local->report("c3", 2);
    m_local->report("c4", 5);
    QCOMPARE(m_store->call("c4")->triage->severity, 5);
    m_store->addAudio("c4", pcm16k(2000, 0));
    m_store->addAudio("c3", pcm16k(1000, 0));

    m_store->end("c1", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    QTRY_COMPARE(upgraded.count(), 1);
    QCOMPARE(upgraded.first().first().toString(), "c4");
    QTRY_COMPARE(toString(m_store->call("c4")->triageLink.state), toString(TriageLinkState::Live));
    // The upgraded session starts with the call's recent audio.
    QTRY_COMPARE(m_fake->audioBytes(3), qint64(2000 * 32));
    QCOMPARE(m_router->primaryInUse(), 2);
    QCOMPARE(m_store->call("c3")->triageLink.args, (QList<int>{2, 2}));
    QCOMPARE(englishDetail(m_store->call("c3")->triageLink),
             "waiting for an AI slot (2 of 2 in use)");
    m_local->report("c4", 3, "shadow now"); // Gemini owns c4 now: not published
    QCOMPARE(m_store->call("c4")->triage->severity, 5);

    m_store->end("c2", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    QTRY_COMPARE(upgraded.count(), 2);
    QCOMPARE(upgraded.at(1).first().toString(), "c3");
    QTRY_COMPARE(m_fake->liveConnectionCount(), 2);
    QCOMPARE(m_router->waitingForSlot(), 0);
    QVERIFY(maxLive <= 2);
    QCOMPARE(setups.count(), 4);
}

void TestTriageRouter::localSpeaksAfterTheGraceWhileGeminiIsAway()
{
    m_fake->config().answerSetup = false; // Gemini never gets live
    build(3, 100);
    m_store->addCall("c1", std::nullopt);
    m_store->answer("c1", Actor::dispatcher("alice"));
    QCOMPARE(toString(m_store->call("c1")->triageLink.state),
             toString(TriageLinkState::Connecting));
    m_local->report("c1", 4, "before the grace");
    QVERIFY(!m_store->call("c1")->triage); // within the grace: held
    QTRY_VERIFY(m_store->call("c1")->triage.has_value());
    QCOMPARE(m_store->call("c1")->triage->situationSummary, "before the grace");
    QCOMPARE(toString(m_store->call("c1")->triageLink.reason),
             toString(TriageLinkReason::LocalMeanwhile));
    m_local->report("c1", 5, "meanwhile");
    QCOMPARE(m_store->call("c1")->triage->severity, 5);
    m_store->end("c1", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    QTRY_VERIFY(m_router->callIds().isEmpty());
}

namespace {
void addSeconds(CallStore &store, const char *id, int seconds)
{
    for (int i = 0; i < seconds; ++i)
        store.addAudio(id, pcm16k(1000, 0));
}
} // namespace

// A minute of audio for every call cost 1.9 MiB each under load: the ring is sized by role.
void TestTriageRouter::recentAudioIsKeptOnlyWhereAnEngineSwitchNeedsIt()
{
    build(2, 5000, 1);
    for (const char *id : {"c1", "c2", "c3"}) {
        m_store->addCall(id, std::nullopt);
        m_store->answer(id, Actor::dispatcher("alice"));
    }
    QTRY_COMPARE(m_fake->liveConnectionCount(), 2);
    for (const char *id : {"c1", "c2", "c3"})
        addSeconds(*m_store, id, 70);
    const TriageRouterConfig &config = m_router->config();
    // c1: Gemini with its local shadow running, which already has everything.
    QCOMPARE(m_router->keptAudioBytes("c1"), qsizetype(0));
    // c2: Gemini without a local engine: what a failover would start the engine with.
    QCOMPARE(m_router->keptAudioBytes("c2"), qsizetype(config.failoverAudioMs) * 32);
    // c3: waiting for a slot on local triage: what its Gemini session would start with.
    QCOMPARE(m_router->keptAudioBytes("c3"), qsizetype(config.upgradeAudioMs) * 32);
    QVERIFY(config.failoverAudioMs < config.upgradeAudioMs);
}

// An upgraded call keeps its local engine only within the shadow cap; the engine stops, and a
// failover starts it again from the ring.
void TestTriageRouter::upgradeWithoutAShadowSlotStopsTheLocalEngine()
{
    build(2, 5000, 1);
    QSignalSpy upgraded(m_router.get(), &TriageRouter::callUpgraded);
    QSignalSpy failedOver(m_router.get(), &TriageRouter::failedOver);
    for (const char *id : {"c1", "c2", "c3"}) {
        m_store->addCall(id, std::nullopt);
        m_store->answer(id, Actor::dispatcher("alice"));
    }
    QTRY_COMPARE(m_fake->liveConnectionCount(), 2);
    QVERIFY(m_local->startedWith.contains("c3")); // waiting: local triage is its engine
    QCOMPARE(m_router->shadowCalls(), 1);         // c1's
    m_local->report("c3", 4, "local before the upgrade");

    // c2 (Gemini, no shadow) ends: c3 is upgraded, but the only shadow slot is c1's.
    m_store->end("c2", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    QTRY_COMPARE(upgraded.count(), 1);
    QVERIFY(m_local->ended.contains("c3"));
    QCOMPARE(m_router->shadowCalls(), 1);
    QTRY_COMPARE(toString(m_store->call("c3")->triageLink.state), toString(TriageLinkState::Live));
    m_fake->triggerToolCall({reportCall(2, "gemini view")});
    QTRY_COMPARE(m_store->call("c3")->triage->situationSummary, "gemini view");
    const qint64 beforeStop = m_local->audio.value("c3");
    addSeconds(*m_store, "c3", 30);
    QCOMPARE(m_local->audio.value("c3"), beforeStop); // the stopped engine gets nothing more
    QCOMPARE(m_router->keptAudioBytes("c3"), qsizetype(m_router->config().failoverAudioMs) * 32);

    // Failover: the local engine starts again with the failover ring, and its assessment from
    // before the upgrade is not brought back.
    QSignalSpy published(m_router.get(), &TriageBackend::reportProduced);
    m_fake->injectNow(FakeFault::QuotaExceeded);
    QTRY_VERIFY(failedOver.count() >= 1);
    QTRY_COMPARE(m_local->startedWith.value("c3"), qint64(m_router->config().failoverAudioMs) * 32);
    QCOMPARE(toString(m_store->call("c3")->triageLink.state), toString(TriageLinkState::Local));
    for (const auto &args : published)
        QVERIFY(args.at(0).toString() != "c3");
    addSeconds(*m_store, "c3", 1);
    QCOMPARE(m_local->audio.value("c3"), beforeStop + 1000 * 32);
    QCOMPARE(m_router->keptAudioBytes("c3"), qsizetype(0));
    m_store->end("c3", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    QTRY_VERIFY(!m_router->callIds().contains("c3"));
}

QTEST_GUILESS_MAIN(TestTriageRouter)
#include "tst_triagerouter.moc"
