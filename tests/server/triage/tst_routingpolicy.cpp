// The router's decisions as tables: the engines' transitions, the breaker per failure kind, the
// budget and the waiting calls' promotion order, the shadow cap, who publishes through the
// grace, and the recent audio each kind of call keeps. Pure: no timers, no sockets.
#include "triage/geminitriagebackend.h"
#include "triage/routestate.h"
#include "triage/routingpolicy.h"

#include <QTest>

#include <thread>

using namespace dispatch;

namespace {

constexpr qint64 T0 = 1'000'000; // a monotonic "now"

RoutingPolicyConfig config(int budget = 2, int shadowCap = 2)
{
    RoutingPolicyConfig c;
    c.maxPrimarySessions = budget;
    c.maxShadowCalls = shadowCap;
    c.localGraceMs = 5000;
    c.quotaCooldownMs = 120000;
    c.configErrorCooldownMs = 600000;
    c.upgradeAudioMs = 60000;
    c.failoverAudioMs = 20000;
    return c;
}

} // namespace

class TestRoutingPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void localEngine_data();
    void localEngine();
    void primaryEngine_data();
    void primaryEngine();
    void failoverWhileLocalStopsRestartsItOnceDrained();
    void breakerPerFailureKind_data();
    void breakerPerFailureKind();
    void geminiCloseCategoriesBecomeFailureKinds();
    void breakerIsNotShortenedByALaterFailure();
    void admission_data();
    void admission();
    void promotionOrder_data();
    void promotionOrder();
    void shadowCap_data();
    void shadowCap();
    void publisherThroughTheGrace_data();
    void publisherThroughTheGrace();
    void keptAudio_data();
    void keptAudio();
    void linksCarryCodes();
};

void TestRoutingPolicy::localEngine_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("event");
    QTest::addColumn<int>("next");
    QTest::addColumn<int>("action");
    using S = LocalEngine;
    using E = LocalEvent;
    using A = EngineAction;
    const auto row = [](const char *name, S s, E e, S n, A a) {
        QTest::newRow(name) << int(s) << int(e) << int(n) << int(a);
    };
    row("off start", S::Off, E::Start, S::Running, A::StartCall);
    row("off stop", S::Off, E::Stop, S::Off, A::None);
    row("off end", S::Off, E::EndCall, S::Done, A::None);
    row("running start", S::Running, E::Start, S::Running, A::None);
    row("running stop", S::Running, E::Stop, S::Stopping, A::EndCall);
    row("running end", S::Running, E::EndCall, S::Ending, A::EndCall);
    row("running finished", S::Running, E::Finished, S::Done, A::None);
    row("stopping start", S::Stopping, E::Start, S::StoppingThenRestart, A::None);
    row("stopping stop", S::Stopping, E::Stop, S::Stopping, A::None);
    row("stopping end", S::Stopping, E::EndCall, S::Ending, A::None);
    row("stopping finished", S::Stopping, E::Finished, S::Off, A::None);
    row("restart start", S::StoppingThenRestart, E::Start, S::StoppingThenRestart, A::None);
    row("restart stop", S::StoppingThenRestart, E::Stop, S::StoppingThenRestart, A::None);
    row("restart end", S::StoppingThenRestart, E::EndCall, S::Ending, A::None);
    row("restart finished", S::StoppingThenRestart, E::Finished, S::Running, A::StartCall);
    row("ending start", S::Ending, E::Start, S::Ending, A::None);
    row("ending end", S::Ending, E::EndCall, S::Ending, A::None);
    row("ending finished", S::Ending, E::Finished, S::Done, A::None);
    row("done end", S::Done, E::EndCall, S::Done, A::None);
    row("done finished", S::Done, E::Finished, S::Done, A::None);
}

void TestRoutingPolicy::localEngine()
{
    QFETCH(int, state);
    QFETCH(int, event);
    QFETCH(int, next);
    QFETCH(int, action);
    const auto s = step(LocalEngine(state), LocalEvent(event));
    QCOMPARE(toString(s.next), toString(LocalEngine(next)));
    QCOMPARE(int(s.action), action);
}

void TestRoutingPolicy::primaryEngine_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("event");
    QTest::addColumn<int>("next");
    QTest::addColumn<int>("action");
    QTest::addColumn<bool>("slot"); // holds a budget slot afterwards
    using S = PrimaryEngine;
    using E = PrimaryEvent;
    using A = EngineAction;
    const auto row = [](const char *name, S s, E e, S n, A a, bool slot) {
        QTest::newRow(name) << int(s) << int(e) << int(n) << int(a) << slot;
    };
    row("none start", S::None, E::Start, S::Running, A::StartCall, true);
    row("none fail (not ours)", S::None, E::Fail, S::None, A::None, false);
    row("none end", S::None, E::EndCall, S::Done, A::None, false);
    row("running fail", S::Running, E::Fail, S::Failed, A::None, false);
    row("running end", S::Running, E::EndCall, S::Ending, A::EndCall, true);
    row("running finished", S::Running, E::Finished, S::Done, A::None, false);
    row("ending end", S::Ending, E::EndCall, S::Ending, A::None, true);
    row("ending fail", S::Ending, E::Fail, S::Failed, A::None, false);
    row("ending finished", S::Ending, E::Finished, S::Done, A::None, false);
    row("failed fail", S::Failed, E::Fail, S::Failed, A::None, false);
    row("failed end lets it finish", S::Failed, E::EndCall, S::Failed, A::EndCall, false);
    row("failed finished", S::Failed, E::Finished, S::Done, A::None, false);
    row("done end", S::Done, E::EndCall, S::Done, A::None, false);
}

void TestRoutingPolicy::primaryEngine()
{
    QFETCH(int, state);
    QFETCH(int, event);
    QFETCH(int, next);
    QFETCH(int, action);
    QFETCH(bool, slot);
    const auto s = step(PrimaryEngine(state), PrimaryEvent(event));
    QCOMPARE(toString(s.next), toString(PrimaryEngine(next)));
    QCOMPARE(int(s.action), action);
    QCOMPARE(holdsSlot(s.next), slot);
}

// An upgrade without a shadow slot stops the local engine; the primary fails before the engine
// has drained: it starts again once drained, exactly once, and nothing it says while draining
// counts.
void TestRoutingPolicy::failoverWhileLocalStopsRestartsItOnceDrained()
{
    LocalEngine s = LocalEngine::Running;
    auto st = step(s, LocalEvent::Stop);
    QCOMPARE(int(st.action), int(EngineAction::EndCall));
    s = st.next;
    QVERIFY(isStopping(s) && !isRunning(s));
    st = step(s, LocalEvent::Start); // failover
    QCOMPARE(int(st.action), int(EngineAction::None));
    s = st.next;
    QVERIFY(isStopping(s));
    st = step(s, LocalEvent::Start); // the grace asks too: still one restart
    s = st.next;
    st = step(s, LocalEvent::Finished);
    QCOMPARE(toString(st.next), toString(LocalEngine::Running));
    QCOMPARE(int(st.action), int(EngineAction::StartCall));
    QVERIFY(finishOutstanding(st.next));
}

void TestRoutingPolicy::breakerPerFailureKind_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("cooldownMs");
    QTest::newRow("transient: retries ran out") << int(TriageFailureKind::Transient) << 0;
    QTest::newRow("none") << int(TriageFailureKind::None) << 0;
    QTest::newRow("quota") << int(TriageFailureKind::Quota) << 120000;
    QTest::newRow("api key") << int(TriageFailureKind::ApiKey) << 600000;
    QTest::newRow("vertex credentials") << int(TriageFailureKind::Credentials) << 600000;
    QTest::newRow("model") << int(TriageFailureKind::ModelNotFound) << 600000;
    QTest::newRow("bad request") << int(TriageFailureKind::BadRequest) << 600000;
}

// The key of the Developer API and the service account of Vertex are different things to fix:
// each has its own code (and wording in the console), with the same breaker.
void TestRoutingPolicy::geminiCloseCategoriesBecomeFailureKinds()
{
    using gemini::CloseCategory;
    QCOMPARE(toString(failureKind(CloseCategory::ApiKey)), "api_key");
    QCOMPARE(toString(failureKind(CloseCategory::Credentials)), "credentials");
    QCOMPARE(toString(failureKind(CloseCategory::Quota)), "quota");
    QCOMPARE(toString(failureKind(CloseCategory::ModelNotFound)), "model_not_found");
    QCOMPARE(toString(failureKind(CloseCategory::NetworkDrop)), "transient");
    QCOMPARE(toString(triageFailureKindFromString("credentials").value_or(TriageFailureKind::None)),
             "credentials");
}

void TestRoutingPolicy::breakerPerFailureKind()
{
    QFETCH(int, kind);
    QFETCH(int, cooldownMs);
    RoutingPolicy p(config(), true);
    QVERIFY(!p.isBreakerOpen(T0));
    QVERIFY(p.canStartPrimary(0, T0));
    p.recordFailure(TriageFailureKind(kind), "closed: why", T0);
    QCOMPARE(p.cooldownMs(TriageFailureKind(kind)), cooldownMs);
    if (cooldownMs == 0) {
        QVERIFY(!p.isBreakerOpen(T0));
        QVERIFY(p.canStartPrimary(0, T0));
        QCOMPARE(p.breakerClosesAtMs(), qint64(0));
        return;
    }
    QVERIFY(p.isBreakerOpen(T0));
    QVERIFY(p.isBreakerOpen(T0 + cooldownMs - 1));
    QVERIFY(!p.canStartPrimary(0, T0 + cooldownMs - 1));
    QVERIFY(!p.isBreakerOpen(T0 + cooldownMs)); // closes at the cooldown
    QVERIFY(p.canStartPrimary(0, T0 + cooldownMs));
    QCOMPARE(p.breakerClosesAtMs(), T0 + cooldownMs);
    QCOMPARE(int(p.breakerKind()), kind);
    const TriageLink link = p.localLink(0, T0 + 1000);
    QCOMPARE(toString(link.reason), toString(TriageLinkReason::BreakerOpen));
    QCOMPARE(int(link.failure), kind);
    QCOMPARE(link.args, QList<int>{cooldownMs / 1000 - 1});
    QCOMPARE(link.detail, QString("closed: why"));
}

void TestRoutingPolicy::breakerIsNotShortenedByALaterFailure()
{
    RoutingPolicy p(config(), true);
    p.recordFailure(TriageFailureKind::ApiKey, "key", T0);
    p.recordFailure(TriageFailureKind::Quota, "quota", T0 + 1000);
    QCOMPARE(p.breakerClosesAtMs(), T0 + 600000);
    QCOMPARE(toString(p.breakerKind()), toString(TriageFailureKind::ApiKey));
    // A longer one extends it.
    p.recordFailure(TriageFailureKind::Quota, "quota", T0 + 590000);
    QCOMPARE(p.breakerClosesAtMs(), T0 + 710000);
    QCOMPARE(toString(p.breakerKind()), toString(TriageFailureKind::Quota));
}

void TestRoutingPolicy::admission_data()
{
    QTest::addColumn<bool>("hasPrimary");
    QTest::addColumn<int>("budget");
    QTest::addColumn<int>("inUse");
    QTest::addColumn<bool>("breaker");
    QTest::addColumn<bool>("starts");
    QTest::addColumn<bool>("waits");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QList<int>>("args");
    using R = TriageLinkReason;
    QTest::newRow("free slot") << true << 2 << 1 << false << true << true << int(R::None)
                               << QList<int>{};
    QTest::newRow("budget full") << true << 2 << 2 << false << false << true
                                 << int(R::WaitingForSlot) << QList<int>{2, 2};
    QTest::newRow("breaker open") << true << 2 << 0 << true << false << true << int(R::BreakerOpen)
                                  << QList<int>{120};
    QTest::newRow("breaker before budget")
        << true << 2 << 2 << true << false << true << int(R::BreakerOpen) << QList<int>{120};
    QTest::newRow("budget 0: local for good")
        << true << 0 << 0 << false << false << false << int(R::WaitingForSlot) << QList<int>{0, 0};
    QTest::newRow("no primary") << false << 2 << 0 << false << false << false
                                << int(R::LocalSelected) << QList<int>{};
}

void TestRoutingPolicy::admission()
{
    QFETCH(bool, hasPrimary);
    QFETCH(int, budget);
    QFETCH(int, inUse);
    QFETCH(bool, breaker);
    QFETCH(bool, starts);
    QFETCH(bool, waits);
    QFETCH(int, reason);
    QFETCH(QList<int>, args);
    RoutingPolicyConfig c = config(budget);
    c.unavailableReason = TriageLinkReason::LocalSelected;
    RoutingPolicy p(c, hasPrimary);
    if (breaker)
        p.recordFailure(TriageFailureKind::Quota, QString(), T0);
    QCOMPARE(p.canStartPrimary(inUse, T0), starts);
    QCOMPARE(p.waitsForPrimary(), waits);
    if (starts)
        return;
    const TriageLink link = p.localLink(inUse, T0);
    QCOMPARE(toString(link.state), toString(TriageLinkState::Local));
    QCOMPARE(toString(link.reason), toString(TriageLinkReason(reason)));
    QCOMPARE(link.args, args);
}

void TestRoutingPolicy::promotionOrder_data()
{
    QTest::addColumn<QList<int>>("severities");
    QTest::addColumn<QList<int>>("waitingSince"); // ms after T0
    QTest::addColumn<int>("first");
    QTest::newRow("none waiting") << QList<int>{} << QList<int>{} << -1;
    QTest::newRow("one") << QList<int>{1} << QList<int>{0} << 0;
    QTest::newRow("highest severity") << QList<int>{2, 5, 3} << QList<int>{0, 10, 5} << 1;
    QTest::newRow("tie: longest waiting") << QList<int>{4, 4, 4} << QList<int>{30, 10, 20} << 1;
    QTest::newRow("severity beats waiting") << QList<int>{3, 4} << QList<int>{0, 99999} << 1;
    QTest::newRow("unassessed last") << QList<int>{0, 1} << QList<int>{0, 50} << 1;
}

void TestRoutingPolicy::promotionOrder()
{
    QFETCH(QList<int>, severities);
    QFETCH(QList<int>, waitingSince);
    QFETCH(int, first);
    QList<RoutingPolicy::Candidate> waiting;
    for (qsizetype i = 0; i < severities.size(); ++i)
        waiting.append({severities.at(i), T0 + waitingSince.at(i)});
    QCOMPARE(RoutingPolicy::nextToPromote(waiting), qsizetype(first));
}

void TestRoutingPolicy::shadowCap_data()
{
    QTest::addColumn<bool>("shadowLocal");
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("inUse");
    QTest::addColumn<bool>("free");
    QTest::addColumn<bool>("wants");
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    QTest::newRow("under the cap") << true << 2 << 1 << true << true;
    QTest::newRow("at the cap") << true << 2 << 2 << false << false;
    QTest::newRow("no cap") << true << -1 << 10000 << true << true;
    QTest::newRow("default: 4 x cores, under") << true << 0 << 4 * cores - 1 << true << true;
    QTest::newRow("default: 4 x cores, at") << true << 0 << 4 * cores << false << false;
    QTest::newRow("shadowing off") << false << 2 << 0 << true << false;
}

void TestRoutingPolicy::shadowCap()
{
    QFETCH(bool, shadowLocal);
    QFETCH(int, cap);
    QFETCH(int, inUse);
    QFETCH(bool, free);
    QFETCH(bool, wants);
    RoutingPolicyConfig c = config(2, cap);
    c.shadowLocal = shadowLocal;
    const RoutingPolicy p(c, true);
    QCOMPARE(p.shadowSlotFree(inUse), free);
    QCOMPARE(p.wantsShadow(inUse), wants);
}

void TestRoutingPolicy::publisherThroughTheGrace_data()
{
    QTest::addColumn<int>("primary");
    QTest::addColumn<qint64>("notLiveSince"); // -1: live
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("publisher");
    using P = PrimaryEngine;
    const int local = int(Publisher::Local);
    const int primary = int(Publisher::Primary);
    QTest::newRow("no primary") << int(P::None) << qint64(-1) << T0 << local;
    QTest::newRow("live") << int(P::Running) << qint64(-1) << T0 << primary;
    QTest::newRow("connecting, in the grace") << int(P::Running) << T0 << T0 + 4999 << primary;
    QTest::newRow("grace over: local") << int(P::Running) << T0 << T0 + 5000 << local;
    QTest::newRow("ending, live") << int(P::Ending) << qint64(-1) << T0 << primary;
    QTest::newRow("ending, resuming long") << int(P::Ending) << T0 << T0 + 6000 << local;
    QTest::newRow("failed over") << int(P::Failed) << qint64(-1) << T0 << local;
    QTest::newRow("finished") << int(P::Done) << qint64(-1) << T0 << local;
}

void TestRoutingPolicy::publisherThroughTheGrace()
{
    QFETCH(int, primary);
    QFETCH(qint64, notLiveSince);
    QFETCH(qint64, now);
    QFETCH(int, publisher);
    const RoutingPolicy p(config(), true);
    QCOMPARE(int(p.publisher(PrimaryEngine(primary), notLiveSince, now)), publisher);
    if (notLiveSince >= 0)
        QCOMPARE(p.graceEndsAtMs(notLiveSince), notLiveSince + 5000);
}

void TestRoutingPolicy::keptAudio_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("local");
    QTest::addColumn<int>("ms");
    using M = RouteMode;
    using L = LocalEngine;
    QTest::newRow("waiting: what an upgrade needs") << int(M::Waiting) << int(L::Running) << 60000;
    QTest::newRow("primary, shadow runs") << int(M::Primary) << int(L::Running) << 0;
    QTest::newRow("primary, no shadow") << int(M::Primary) << int(L::Off) << 20000;
    QTest::newRow("primary, local stopping") << int(M::Primary) << int(L::Stopping) << 20000;
    QTest::newRow("failed over, local restarting")
        << int(M::FailedOver) << int(L::StoppingThenRestart) << 20000;
    QTest::newRow("failed over, local runs") << int(M::FailedOver) << int(L::Running) << 0;
    QTest::newRow("local only") << int(M::LocalOnly) << int(L::Running) << 0;
    QTest::newRow("ending") << int(M::Ending) << int(L::Off) << 0;
}

void TestRoutingPolicy::keptAudio()
{
    QFETCH(int, mode);
    QFETCH(int, local);
    QFETCH(int, ms);
    const RoutingPolicy p(config(), true);
    QCOMPARE(p.keptAudioMs(RouteMode(mode), LocalEngine(local)), ms);
}

void TestRoutingPolicy::linksCarryCodes()
{
    TriageLink resuming;
    resuming.state = TriageLinkState::Resuming;
    resuming.detail = "connection lost";
    QVERIFY(RoutingPolicy::primaryCallLink(resuming, Publisher::Primary) == resuming);
    const TriageLink meanwhile = RoutingPolicy::primaryCallLink(resuming, Publisher::Local);
    QCOMPARE(toString(meanwhile.reason), toString(TriageLinkReason::LocalMeanwhile));
    QCOMPARE(meanwhile.detail, QString("connection lost")); // technical, kept for logs
    QCOMPARE(englishDetail(meanwhile), QString("connection lost; local triage meanwhile"));
    TriageLink live;
    live.state = TriageLinkState::Live;
    QVERIFY(RoutingPolicy::primaryCallLink(live, Publisher::Local) == live);

    const TriageLink fallback = RoutingPolicy::fallbackLink(TriageFailureKind::Quota, "429");
    QCOMPARE(toString(fallback.state), toString(TriageLinkState::Local));
    QCOMPARE(toString(fallback.reason), toString(TriageLinkReason::Fallback));
    QCOMPARE(englishDetail(fallback), QString("fallback: 429"));
    const TriageLink failed = RoutingPolicy::failedLink(TriageFailureKind::ApiKey, QString());
    QCOMPARE(toString(failed.state), toString(TriageLinkState::Failed));
    QCOMPARE(englishDetail(failed), QString("API key refused"));
}

QTEST_APPLESS_MAIN(TestRoutingPolicy)
#include "tst_routingpolicy.moc"
