// The TriageRouter between two scripted backends (primary and local) on a hand-driven clock:
// fast and deterministic, no sockets. Failover, upgrades when a slot frees, the breaker per
// failure kind and its closing, the grace before local publishes, a local engine stopping while
// its call fails over, the shadow cap, and the codes the links carry.
#include "common/monotonicclock.h"
#include "scriptedbackend.h"
#include "testaudio.h"
#include "triage/triagerouter.h"

#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

class TestScriptedRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void primaryPublishesWhileItsShadowIsHeld();
    void budgetFullWaitsThenUpgradesBySeverityThenWaitingTime();
    void failoverPublishesTheShadow_data();
    void failoverPublishesTheShadow();
    void breakerClosingUpgradesTheWaitingCalls();
    void graceExpiryPublishesLocalMeanwhile();
    void localStoppingWhenTheCallFailsOverRestartsOnceDrained();
    void shadowCapStartsLocalFromTheRingOnFailover();
    void slowConnectStartsLocalOnlyInAFreeSlot();
    void withoutAPrimaryEveryCallIsLocal_data();
    void withoutAPrimaryEveryCallIsLocal();
    void endingWaitsForBothEngines();

private:
    void build(int budget = 2, int shadowCap = -1, bool withPrimary = true,
               TriageLinkReason unavailable = TriageLinkReason::NoApiKey);
    TriageLink link(const QString &id) const { return m_router->callInfo(id)->link; }
    QString publishedSummary(const QString &id) const
    {
        return m_published.value(id).isEmpty() ? QString()
                                               : m_published.value(id).last().situationSummary;
    }
    void advance(qint64 ms)
    {
        m_nowMs += ms;
        m_router->processDeadlines();
    }

    // A hand-driven monotonic clock (tests/support/fakeclocks.h does not build on Qt 6.4 yet).
    qint64 m_nowMs = 1'000'000;
    std::unique_ptr<ScriptedBackend> m_primary;
    std::unique_ptr<ScriptedBackend> m_local;
    std::unique_ptr<TriageRouter> m_router;
    QHash<QString, QList<TriageReport>> m_published;
    QHash<QString, QList<TriageLink>> m_links;
    QHash<QString, QStringList> m_criticals;
    QHash<QString, QStringList> m_transcripts;
    QStringList m_finished;
    QStringList m_upgraded;
    QStringList m_failedOver;
};

void TestScriptedRouter::init()
{
    m_nowMs = 1'000'000;
    m_published.clear();
    m_links.clear();
    m_criticals.clear();
    m_transcripts.clear();
    m_finished.clear();
    m_upgraded.clear();
    m_failedOver.clear();
}

void TestScriptedRouter::cleanup()
{
    m_router.reset();
    m_primary.reset();
    m_local.reset();
}

void TestScriptedRouter::build(int budget, int shadowCap, bool withPrimary,
                               TriageLinkReason unavailable)
{
    m_primary = std::make_unique<ScriptedBackend>(TriageSource::Gemini);
    m_local = std::make_unique<ScriptedBackend>(TriageSource::Local);
    TriageRouterConfig config;
    config.maxPrimarySessions = budget;
    config.maxShadowCalls = shadowCap;
    config.localGraceMs = 5000;
    config.quotaCooldownMs = 120000;
    config.configErrorCooldownMs = 600000;
    config.unavailableReason = unavailable;
    config.clock = [this] { return m_nowMs; };
    m_router = withPrimary ? std::make_unique<TriageRouter>(config, *m_primary, *m_local)
                           : std::make_unique<TriageRouter>(config, *m_local);
    TriageRouter *r = m_router.get();
    connect(r, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) { m_published[id] << report; });
    connect(r, &TriageBackend::linkChanged, this,
            [this](const QString &id, const TriageLink &l) { m_links[id] << l; });
    connect(r, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int) { m_criticals[id] << reason; });
    connect(r, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &s) { m_transcripts[id] << s.text; });
    connect(r, &TriageBackend::callFinished, this, [this](const QString &id) { m_finished << id; });
    connect(r, &TriageRouter::callUpgraded, this, [this](const QString &id) { m_upgraded << id; });
    connect(r, &TriageRouter::failedOver, this,
            [this](const QString &id, const QString &) { m_failedOver << id; });
}

void TestScriptedRouter::primaryPublishesWhileItsShadowIsHeld()
{
    build();
    m_router->startCall("c1", MediaBacklog());
    QCOMPARE(m_primary->started, QStringList{"c1"});
    QCOMPARE(m_local->started, QStringList{"c1"}); // the shadow
    QCOMPARE(m_router->shadowCalls(), 1);
    QCOMPARE(toString(link("c1").state), toString(TriageLinkState::Connecting));
    m_primary->link("c1", TriageLinkState::Live);
    QCOMPARE(toString(link("c1").state), toString(TriageLinkState::Live));

    m_router->addAudio("c1", pcm16k(100, 0));
    m_router->addCallerText("c1", "help");
    QCOMPARE(m_primary->audio.value("c1"), 100 * 32);
    QCOMPARE(m_local->audio.value("c1"), 100 * 32);
    QCOMPARE(m_local->texts.value("c1"), QStringList{"help"});
    QCOMPARE(m_router->keptAudioBytes("c1"), 0); // the shadow has everything

    m_local->report("c1", 2, "shadow");
    m_local->flag("c1", "shadow flag", 5);
    m_local->say("c1", "heard by local");
    QVERIFY(m_published.value("c1").isEmpty());
    QVERIFY(m_criticals.value("c1").isEmpty());
    QVERIFY(m_transcripts.value("c1").isEmpty());
    m_primary->report("c1", 4, "primary");
    m_primary->say("c1", "heard by primary");
    QCOMPARE(publishedSummary("c1"), QString("primary"));
    QCOMPARE(m_transcripts.value("c1"), QStringList{"heard by primary"});
    m_nowMs += 1500;
    QCOMPARE(m_router->callInfo("c1")->firstReportMs, 0);
    QCOMPARE(m_router->callInfo("c1")->severity, 4);
}

void TestScriptedRouter::budgetFullWaitsThenUpgradesBySeverityThenWaitingTime()
{
    build(1);
    for (const char *id : {"c1", "c2", "c3", "c4"}) {
        m_router->startCall(id, MediaBacklog());
        m_nowMs += 1000;
    }
    QCOMPARE(m_primary->started, QStringList{"c1"});
    QCOMPARE(m_router->primaryInUse(), 1);
    QCOMPARE(m_router->waitingForSlot(), 3);
    for (const char *id : {"c2", "c3", "c4"}) {
        QCOMPARE(toString(link(id).state), toString(TriageLinkState::Local));
        QCOMPARE(toString(link(id).reason), toString(TriageLinkReason::WaitingForSlot));
        QCOMPARE(link(id).args, (QList<int>{1, 1}));
        QVERIFY(m_local->has(id));
    }
    // Waiting calls publish local; c2 and c4 tie on severity, c2 has waited longer.
    m_local->report("c2", 3, "c2 local");
    m_local->report("c3", 1);
    m_local->report("c4", 3);
    QCOMPARE(publishedSummary("c2"), QString("c2 local"));
    m_router->addAudio("c2", pcm16k(2000, 0));
    QCOMPARE(m_router->keptAudioBytes("c2"), 2000 * 32); // what an upgrade starts with

    m_primary->finishMode = ScriptedBackend::Finish::OnDemand;
    m_router->endCall("c1");
    QVERIFY(m_upgraded.isEmpty()); // the slot is held until the primary finishes
    m_primary->finish("c1");
    QCOMPARE(m_finished, QStringList{"c1"});
    QCOMPARE(m_upgraded, QStringList{"c2"});
    QCOMPARE(m_primary->startedWith.value("c2"), 2000 * 32);
    QCOMPARE(toString(link("c2").state), toString(TriageLinkState::Connecting));
    QCOMPARE(toString(m_router->callInfo("c2")->mode), toString(RouteMode::Primary));
    // Its local engine stays as a shadow (no cap here) and is no longer published.
    QCOMPARE(m_local->ended.count("c2"), 0);
    m_primary->link("c2", TriageLinkState::Live);
    m_local->report("c2", 5, "held now");
    QCOMPARE(publishedSummary("c2"), QString("c2 local"));
    // The others still wait, and say so with the new count.
    QCOMPARE(link("c3").args, (QList<int>{1, 1}));
    m_router->endCall("c2");
    m_primary->finish("c2");
    QCOMPARE(m_upgraded, (QStringList{"c2", "c4"}));
}

void TestScriptedRouter::failoverPublishesTheShadow_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("breaker");
    QTest::newRow("retries ran out") << int(TriageFailureKind::Transient) << false;
    QTest::newRow("quota") << int(TriageFailureKind::Quota) << true;
    QTest::newRow("api key") << int(TriageFailureKind::ApiKey) << true;
    QTest::newRow("model") << int(TriageFailureKind::ModelNotFound) << true;
}

void TestScriptedRouter::failoverPublishesTheShadow()
{
    QFETCH(int, kind);
    QFETCH(bool, breaker);
    build(2);
    m_router->startCall("c1", MediaBacklog());
    m_primary->link("c1", TriageLinkState::Live);
    m_local->report("c1", 3, "shadow says chest pain");
    m_local->flag("c1", "shadow flag", 5);
    QVERIFY(m_published.value("c1").isEmpty());

    m_primary->fail("c1", TriageFailureKind(kind), "technical reason");
    QCOMPARE(m_failedOver, QStringList{"c1"});
    const QList<TriageLink> links = m_links.value("c1");
    QCOMPARE(links.size(), 4); // connecting, live, failed, local
    QCOMPARE(toString(links.at(2).state), toString(TriageLinkState::Failed));
    QCOMPARE(int(links.at(2).failure), kind);
    QCOMPARE(toString(links.at(3).state), toString(TriageLinkState::Local));
    QCOMPARE(toString(links.at(3).reason), toString(TriageLinkReason::Fallback));
    QCOMPARE(links.at(3).detail, QString("technical reason"));
    QCOMPARE(publishedSummary("c1"), QString("shadow says chest pain"));
    QCOMPARE(m_criticals.value("c1"), QStringList{"shadow flag"}); // the primary had not flagged
    m_local->report("c1", 4, "local again");
    QCOMPARE(publishedSummary("c1"), QString("local again"));
    QCOMPARE(m_router->primaryInUse(), 0);
    QVERIFY(m_router->callInfo("c1")->failedOver);

    // The next call: local with the breaker's reason, or the primary again.
    QCOMPARE(m_router->isBreakerOpen(), breaker);
    m_router->startCall("c2", MediaBacklog());
    if (breaker) {
        QCOMPARE(toString(link("c2").reason), toString(TriageLinkReason::BreakerOpen));
        QCOMPARE(int(link("c2").failure), kind);
        QVERIFY(!m_primary->has("c2"));
        QVERIFY(m_router->callInfo("c2")->waitingForSlot);
    } else {
        QVERIFY(m_primary->has("c2"));
    }
    // A failed-over call is never upgraded again.
    m_router->endCall("c2");
    QCOMPARE(m_primary->started.count("c1"), 1);
}

void TestScriptedRouter::breakerClosingUpgradesTheWaitingCalls()
{
    build(2);
    m_router->startCall("c1", MediaBacklog());
    m_primary->fail("c1", TriageFailureKind::Quota, "429");
    m_router->startCall("c2", MediaBacklog());
    QCOMPARE(link("c2").args, QList<int>{120});
    advance(119999);
    QVERIFY(m_router->isBreakerOpen());
    QVERIFY(m_upgraded.isEmpty());
    advance(1);
    QVERIFY(!m_router->isBreakerOpen());
    QCOMPARE(m_upgraded, QStringList{"c2"});
    QVERIFY(m_primary->has("c2"));
    QVERIFY(!m_upgraded.contains("c1"));
}

void TestScriptedRouter::graceExpiryPublishesLocalMeanwhile()
{
    build();
    m_router->startCall("c1", MediaBacklog());
    m_local->report("c1", 4, "before the grace");
    advance(4999);
    QVERIFY(m_published.value("c1").isEmpty()); // within the grace: held
    advance(1);
    QCOMPARE(publishedSummary("c1"), QString("before the grace"));
    QCOMPARE(toString(link("c1").state), toString(TriageLinkState::Connecting));
    QCOMPARE(toString(link("c1").reason), toString(TriageLinkReason::LocalMeanwhile));
    m_local->report("c1", 5, "meanwhile");
    QCOMPARE(publishedSummary("c1"), QString("meanwhile"));

    // Live: the primary's view again; a short drop stays within the grace.
    m_primary->report("c1", 2, "primary");
    m_primary->link("c1", TriageLinkState::Live);
    QCOMPARE(toString(link("c1").reason), toString(TriageLinkReason::None));
    m_primary->link("c1", TriageLinkState::Resuming, "connection lost");
    QCOMPARE(toString(link("c1").state), toString(TriageLinkState::Resuming));
    QCOMPARE(toString(link("c1").reason), toString(TriageLinkReason::None));
    advance(3000);
    m_local->report("c1", 3, "held again");
    QCOMPARE(publishedSummary("c1"), QString("primary"));
    m_primary->link("c1", TriageLinkState::Live); // back in time: local never spoke
    m_primary->link("c1", TriageLinkState::Resuming, "connection lost");
    advance(5000);
    QCOMPARE(publishedSummary("c1"), QString("held again"));
    QCOMPARE(link("c1").detail, QString("connection lost"));
    QCOMPARE(toString(link("c1").reason), toString(TriageLinkReason::LocalMeanwhile));
    m_primary->link("c1", TriageLinkState::Live);
    QCOMPARE(publishedSummary("c1"), QString("primary")); // re-published
}

void TestScriptedRouter::localStoppingWhenTheCallFailsOverRestartsOnceDrained()
{
    build(1, 1);
    m_local->finishMode = ScriptedBackend::Finish::OnDemand;
    m_router->startCall("c1", MediaBacklog()); // primary, the only shadow slot
    m_router->startCall("c2", MediaBacklog()); // waiting, local
    m_local->report("c2", 4, "local before the upgrade");
    m_router->endCall("c1");
    QCOMPARE(m_upgraded, QStringList{"c2"}); // c1's primary finished at once; its shadow drains
    // No shadow slot for c2: its local engine stops.
    QCOMPARE(toString(m_router->callInfo("c2")->local), toString(LocalEngine::Stopping));
    QVERIFY(m_local->ended.contains("c2"));
    for (int i = 0; i < 30; ++i)
        m_router->addAudio("c2", pcm16k(1000, 0));
    QCOMPARE(m_local->audio.value("c2"), 0); // the stopping engine gets nothing more
    QCOMPARE(m_router->keptAudioBytes("c2"), 20000 * 32);

    m_primary->fail("c2", TriageFailureKind::Transient, "drops");
    QCOMPARE(toString(m_router->callInfo("c2")->local), toString(LocalEngine::StoppingThenRestart));
    QCOMPARE(m_local->started.count("c2"), 1); // not restarted before it has drained
    m_local->report("c2", 5, "draining");      // the old engine's last words do not count
    // Neither those nor its conclusion from before the upgrade are published.
    QCOMPARE(m_published.value("c2").size(), 1);
    m_local->finish("c2");
    QCOMPARE(m_local->started.count("c2"), 2);
    QCOMPARE(m_local->startedWith.value("c2"), 20000 * 32); // the failover ring
    QCOMPARE(toString(m_router->callInfo("c2")->local), toString(LocalEngine::Running));
    m_local->report("c2", 2, "restarted");
    QCOMPARE(publishedSummary("c2"), QString("restarted"));
    m_router->addAudio("c2", pcm16k(100, 0));
    QCOMPARE(m_local->audio.value("c2"), 100 * 32);
    QCOMPARE(m_router->keptAudioBytes("c2"), 0);

    m_local->finish("c1");
    QCOMPARE(m_finished, QStringList{"c1"});
    QCOMPARE(m_router->shadowCalls(), 0);
}

void TestScriptedRouter::shadowCapStartsLocalFromTheRingOnFailover()
{
    build(3, 1);
    m_router->startCall("c1", MediaBacklog());
    m_router->startCall("c2", MediaBacklog());
    QVERIFY(m_local->has("c1"));
    QVERIFY(!m_local->has("c2"));
    QCOMPARE(m_router->shadowCalls(), 1);
    m_router->addAudio("c2", pcm16k(1000, 0));
    QCOMPARE(m_local->audio.value("c2"), 0);
    QCOMPARE(m_router->keptAudioBytes("c2"), 1000 * 32);
    m_primary->fail("c2", TriageFailureKind::Transient);
    QCOMPARE(m_local->startedWith.value("c2"), 1000 * 32);
    QCOMPARE(toString(link("c2").state), toString(TriageLinkState::Local));
    // The slot frees when c1 ends: the next call is shadowed again.
    m_router->endCall("c1");
    QCOMPARE(m_router->shadowCalls(), 0);
    m_router->startCall("c3", MediaBacklog());
    QVERIFY(m_local->has("c3"));
    QCOMPARE(m_router->shadowCalls(), 1);
}

void TestScriptedRouter::slowConnectStartsLocalOnlyInAFreeSlot()
{
    build(3, 1);
    m_router->startCall("c1", MediaBacklog());
    m_router->startCall("c2", MediaBacklog());
    QVERIFY(m_local->has("c1"));
    advance(5000);
    advance(5000);
    QVERIFY(!m_local->has("c2")); // no slot: it waits for the primary
    QCOMPARE(toString(link("c2").reason), toString(TriageLinkReason::None));
    QCOMPARE(toString(link("c1").reason), toString(TriageLinkReason::LocalMeanwhile));
    m_router->endCall("c1");
    m_router->addAudio("c2", pcm16k(100, 0));
    advance(5000); // the next look finds the free slot
    QVERIFY(m_local->has("c2"));
    QCOMPARE(m_local->startedWith.value("c2"), 100 * 32);
    QCOMPARE(m_router->shadowCalls(), 1);
    QCOMPARE(toString(link("c2").reason), toString(TriageLinkReason::LocalMeanwhile));
}

void TestScriptedRouter::withoutAPrimaryEveryCallIsLocal_data()
{
    QTest::addColumn<int>("reason");
    QTest::newRow("no key") << int(TriageLinkReason::NoApiKey);
    QTest::newRow("local selected") << int(TriageLinkReason::LocalSelected);
}

void TestScriptedRouter::withoutAPrimaryEveryCallIsLocal()
{
    QFETCH(int, reason);
    build(3, -1, false, TriageLinkReason(reason));
    QVERIFY(!m_router->hasPrimary());
    m_router->startCall("c1", MediaBacklog());
    QCOMPARE(toString(link("c1").state), toString(TriageLinkState::Local));
    QCOMPARE(int(link("c1").reason), reason);
    QCOMPARE(m_router->waitingForSlot(), 0);
    QCOMPARE(toString(m_router->callInfo("c1")->mode), toString(RouteMode::LocalOnly));
    m_local->report("c1", 3);
    QCOMPARE(m_router->callInfo("c1")->severity, 3);
    m_router->endCall("c1");
    QCOMPARE(m_finished, QStringList{"c1"});
    QVERIFY(m_primary->started.isEmpty());
}

void TestScriptedRouter::endingWaitsForBothEngines()
{
    build();
    m_primary->finishMode = ScriptedBackend::Finish::OnDemand;
    m_local->finishMode = ScriptedBackend::Finish::OnDemand;
    m_router->startCall("c1", MediaBacklog());
    m_primary->link("c1", TriageLinkState::Live);
    m_router->endCall("c1");
    m_router->endCall("c1"); // once is enough
    QCOMPARE(m_primary->ended, QStringList{"c1"});
    QCOMPARE(m_local->ended, QStringList{"c1"});
    m_router->addAudio("c1", pcm16k(100, 0));
    QCOMPARE(m_primary->audio.value("c1"), 0);
    m_primary->report("c1", 4, "final word"); // still the call's
    QCOMPARE(publishedSummary("c1"), QString("final word"));
    QCOMPARE(m_router->primaryInUse(), 1); // until it finishes
    m_local->finish("c1");
    QVERIFY(m_finished.isEmpty());
    m_primary->finish("c1");
    QCOMPARE(m_finished, QStringList{"c1"});
    QVERIFY(m_router->callIds().isEmpty());
    QCOMPARE(m_router->shadowCalls(), 0);
}

QTEST_GUILESS_MAIN(TestScriptedRouter)
#include "tst_scriptedrouter.moc"
