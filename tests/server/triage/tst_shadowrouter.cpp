// The TriageRouter's local shadows budgeted by CPU headroom, between two scripted backends, a
// hand-driven clock and scripted CPU readings (no timing): admission up to the headroom, shedding
// the most recent first under load (its report kept, and said in the provenance, /health and
// /metrics), never a local-only call or one whose primary is not live, the explicit cap, 0 = none.
#include "common/cpusampler.h"
#include "common/metricsregistry.h"
#include "scriptedbackend.h"
#include "triage/aitelemetry.h"
#include "triage/triagerouter.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <memory>
#include <thread>

using namespace dispatch;
using namespace dispatch::test;

namespace {

class ScriptedCpu : public CpuSampler
{
public:
    CpuReading read() override { return m_reading; }
    // A second during which the process kept `busyCores` busy.
    void second(double busyCores)
    {
        m_reading.monotonicMs += 1000;
        m_reading.processSeconds += busyCores;
    }

private:
    CpuReading m_reading{0, 0, -1, -1, 2, 0, 0};
};

} // namespace

class TestShadowRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void admitsShadowsUpToTheHeadroom();
    void aBurstIsShadowedOneCallPerReading();
    void shedsTheMostRecentUnderLoadAndKeepsItsReport();
    void aShedCallIsShadowedAgainOnceTheHeadroomIsBack();
    void neverShedsLocalOnlyOrNotLiveCalls();
    void explicitCapIsRespected();
    void zeroShadowsMeansNone();

private:
    void build(int budget, int shadowCap = 0, bool shadows = true);
    int m_admitsPerReading = 0; // most tests: the headroom arithmetic alone
    // Readings until the admitted shadows' charges are gone, at this load.
    void settle(double busyCores)
    {
        for (int i = 0; i < 3; ++i) {
            m_cpu->second(busyCores);
            m_router->sampleCpu();
        }
    }
    void startLive(const QString &id)
    {
        m_router->startCall(id, MediaBacklog());
        m_primary->link(id, TriageLinkState::Live);
        m_nowMs += 1000;
    }
    QJsonObject callHealth(const QString &id) const
    {
        for (const QJsonValue &c : m_telemetry->healthInfo(true)[QStringLiteral("calls")].toArray())
            if (c[QStringLiteral("call_id")].toString() == id)
                return c.toObject();
        return {};
    }

    qint64 m_nowMs = 1'000'000;
    std::shared_ptr<ScriptedCpu> m_cpu;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<ScriptedBackend> m_primary;
    std::unique_ptr<ScriptedBackend> m_local;
    std::unique_ptr<TriageRouter> m_router;
    std::unique_ptr<AiTelemetry> m_telemetry;
    QHash<QString, QList<TriageReport>> m_published;
    QStringList m_shed;
};

void TestShadowRouter::cleanup()
{
    m_telemetry.reset();
    m_router.reset();
    m_primary.reset();
    m_local.reset();
    m_metrics.reset();
    m_published.clear();
    m_shed.clear();
}

void TestShadowRouter::build(int budget, int shadowCap, bool shadows)
{
    m_cpu = std::make_shared<ScriptedCpu>();
    m_metrics = std::make_unique<MetricsRegistry>();
    m_primary = std::make_unique<ScriptedBackend>(TriageSource::Gemini);
    m_local = std::make_unique<ScriptedBackend>(TriageSource::Local);
    TriageRouterConfig config;
    config.maxPrimarySessions = budget;
    config.maxShadowCalls = shadowCap;
    config.shadowLocal = shadows;
    config.localGraceMs = 5000;
    config.clock = [this] { return m_nowMs; };
    config.cpuSampler = m_cpu;
    config.cpuSampleMs = 0; // the test reads
    config.shadowBudget.smoothing = 1.0;
    config.shadowBudget.admitMarginCores = 0.3;
    config.shadowBudget.shedBelowCores = 0.1;
    config.shadowBudget.shadowCostCores = 0.1;
    config.shadowBudget.maxAdmitsPerReading = m_admitsPerReading;
    m_router = std::make_unique<TriageRouter>(config, *m_primary, *m_local);
    m_telemetry = std::make_unique<AiTelemetry>(
        *m_metrics, *m_router, nullptr,
        AiTelemetryInfo{TriageMode::Gemini, "m", "h", true, false, nullptr});
    connect(m_router.get(), &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &r) { m_published[id] << r; });
    connect(m_router.get(), &TriageRouter::shadowShed, this,
            [this](const QString &id) { m_shed << id; });
}

// A burst of calls on a free machine: one gets a shadow at once, the others one a reading
// after, as long as the headroom holds (docs/PERFORMANCE.md: all 8 at once took p99 to 56 ms).
void TestShadowRouter::aBurstIsShadowedOneCallPerReading()
{
    m_admitsPerReading = 1;
    build(10);
    m_cpu->second(0.2);
    m_router->sampleCpu();
    for (const char *id : {"c1", "c2", "c3", "c4"})
        startLive(id);
    QCOMPARE(m_local->started, (QStringList{"c1"}));
    m_cpu->second(0.3);
    m_router->sampleCpu();
    QCOMPARE(m_router->shadowCalls(), 2);
    m_cpu->second(0.4);
    m_router->sampleCpu();
    QCOMPARE(m_router->shadowCalls(), 3);
    m_admitsPerReading = 0;
}

void TestShadowRouter::admitsShadowsUpToTheHeadroom()
{
    build(10);
    m_cpu->second(1.4); // 0.6 of a core free: room for three at 0.1 with 0.3 kept free
    m_router->sampleCpu();
    for (const char *id : {"c1", "c2", "c3", "c4", "c5"})
        startLive(id);
    QCOMPARE(m_router->primaryInUse(), 5);
    QCOMPARE(m_local->started, (QStringList{"c1", "c2", "c3"}));
    QVERIFY(m_router->callInfo("c3")->shadowed);
    QVERIFY(!m_router->callInfo("c4")->shadowed);
    ShadowStatus s = m_router->shadowStatus();
    QCOMPARE(s.active, 3);
    QCOMPARE(s.limit, 3);
    QCOMPARE(toString(s.reason), QString("cpu"));
    const QJsonObject shadows = m_telemetry->healthInfo(false)["shadows"].toObject();
    QCOMPARE(shadows["active"].toInt(), 3);
    QCOMPARE(shadows["limit"].toInt(), 3);
    QCOMPARE(shadows["reason"].toString(), QString("cpu"));
    QCOMPARE(shadows["cap"].toInt(), 4 * std::max(1, int(std::thread::hardware_concurrency())));
    QCOMPARE(callHealth("c1")["shadow"].toString(), QString("running"));
    QCOMPARE(callHealth("c4")["shadow"].toString(), QString("none"));
    const QByteArray prom = m_metrics->renderPrometheus();
    QVERIFY(prom.contains("dispatch_ai_shadows{kind=\"active\"} 3"));
    QVERIFY(prom.contains("dispatch_ai_shadows{kind=\"limit\"} 3"));
    QVERIFY(prom.contains("dispatch_ai_call_shadowed{call_id=\"c4\"} 0"));

    // The machine got quieter: the calls without a shadow get one, one a reading (so that the
    // readings see each), the longest without first; new calls are shadowed at once again.
    m_cpu->second(1.0);
    m_router->sampleCpu();
    QCOMPARE(m_local->started, (QStringList{"c1", "c2", "c3", "c4"}));
    settle(1.0);
    QCOMPARE(m_local->started, (QStringList{"c1", "c2", "c3", "c4", "c5"}));
    QCOMPARE(callHealth("c5")["shadow"].toString(), QString("running"));
    startLive("c6");
    QVERIFY(m_router->callInfo("c6")->shadowed);
    // 1.0 free, minus c5's and c6's charges (not visible yet): 6 + 5, within auto's ceiling
    // of 4 per core.
    QCOMPARE(m_router->shadowStatus().limit, std::min(11, m_router->shadowCap()));
}

void TestShadowRouter::shedsTheMostRecentUnderLoadAndKeepsItsReport()
{
    build(10);
    m_cpu->second(1.0);
    m_router->sampleCpu();
    for (const char *id : {"c1", "c2", "c3"})
        startLive(id);
    QCOMPARE(m_router->shadowCalls(), 3);
    m_local->report("c3", 4, "c3 heard so far");
    QVERIFY(m_published.value("c3").isEmpty()); // held: Gemini is live

    settle(1.7);
    QVERIFY(m_shed.isEmpty()); // 0.3 free: between the thresholds
    m_cpu->second(1.95);       // 0.05 free: one to shed, the most recent
    m_router->sampleCpu();
    QCOMPARE(m_shed, QStringList{"c3"});
    QCOMPARE(m_router->shadowCalls(), 2);
    QVERIFY(m_local->ended.contains("c3"));
    QVERIFY(!m_local->has("c3"));
    const auto c3 = m_router->callInfo("c3");
    QVERIFY(!c3->shadowed);
    QVERIFY(c3->shadowShed);
    QCOMPARE(callHealth("c3")["shadow"].toString(), QString("shed"));
    QCOMPARE(callHealth("c2")["shadow"].toString(), QString("running"));
    QVERIFY(m_metrics->renderPrometheus().contains("dispatch_ai_shadows_shed_total 1"));
    // Gemini still has the call; the ring keeps the audio a failover starts with.
    m_router->addAudio("c3", QByteArray(640, '\0'));
    QCOMPARE(m_router->keptAudioBytes("c3"), 640);

    // Still overloaded: no second shed before the first can show in the readings.
    m_cpu->second(1.95);
    m_router->sampleCpu();
    QCOMPARE(m_shed, QStringList{"c3"});
    m_cpu->second(1.95);
    m_router->sampleCpu();
    QCOMPARE(m_shed, QStringList{"c3"});
    m_cpu->second(1.95); // it should have shown by now: the next most recent
    m_router->sampleCpu();
    QCOMPARE(m_shed, (QStringList{"c3", "c2"}));

    // c3's Gemini fails: its local engine starts from the ring, and what the shed shadow heard
    // is published at once, saying where it comes from.
    m_primary->fail("c3", TriageFailureKind::Transient, "drops");
    QCOMPARE(m_local->started.count("c3"), 2);
    QCOMPARE(m_local->startedWith.value("c3"), 640);
    QCOMPARE(m_published.value("c3").size(), 1);
    const TriageReport &shown = m_published.value("c3").constLast();
    QCOMPARE(shown.situationSummary, QString("c3 heard so far"));
    QVERIFY(std::any_of(shown.provenance.cbegin(), shown.provenance.cend(),
                        [](const TriageEvidence &e) { return e.evidence == "shadow_shed"; }));
}

void TestShadowRouter::aShedCallIsShadowedAgainOnceTheHeadroomIsBack()
{
    build(10);
    m_cpu->second(1.0);
    m_router->sampleCpu();
    startLive("c1");
    startLive("c2");
    settle(1.6); // 0.4 free: no room for another, nothing to shed
    QCOMPARE(m_router->shadowCalls(), 2);
    m_cpu->second(1.95);
    m_router->sampleCpu();
    QCOMPARE(m_shed, QStringList{"c2"});
    m_router->addAudio("c2", QByteArray(640, '\0'));
    // The load is gone at once, but a shed shadow does not come straight back (no flapping).
    for (int i = 0; i < 9; ++i) {
        m_cpu->second(1.0);
        m_router->sampleCpu();
        QCOMPARE(m_local->started.count("c2"), 1);
    }
    m_cpu->second(1.0);
    m_router->sampleCpu();
    QCOMPARE(m_local->started.count("c2"), 2);
    QCOMPARE(m_local->startedWith.value("c2"), 640); // from the ring
    QVERIFY(m_router->callInfo("c2")->shadowed);
    QCOMPARE(callHealth("c2")["shadow"].toString(), QString("running"));
    QCOMPARE(m_router->keptAudioBytes("c2"), 0);
}

void TestShadowRouter::neverShedsLocalOnlyOrNotLiveCalls()
{
    build(2);
    m_cpu->second(0.5);
    m_router->sampleCpu();
    startLive("c1");                           // Gemini live, shadowed
    m_router->startCall("c2", MediaBacklog()); // Gemini connecting, shadowed
    m_router->startCall("c3", MediaBacklog()); // over the budget: local is its triage
    QCOMPARE(m_router->shadowCalls(), 2);
    QVERIFY(m_local->has("c3"));

    m_cpu->second(2.5); // hopelessly overloaded: everything that may go, goes
    m_router->sampleCpu();
    QCOMPARE(m_shed, QStringList{"c1"});
    QVERIFY(m_local->has("c2")); // its Gemini is not live: its local engine may be needed
    QVERIFY(m_local->has("c3")); // local-only: the triage itself, not a shadow
    for (int i = 0; i < 6; ++i) {
        m_cpu->second(2.5);
        m_router->sampleCpu();
    }
    QCOMPARE(m_shed, QStringList{"c1"});
    // Once c2's Gemini is live, its local engine is a shadow like any other: the next shed
    // takes it.
    m_primary->link("c2", TriageLinkState::Live);
    m_cpu->second(2.5);
    m_router->sampleCpu();
    QCOMPARE(m_shed, (QStringList{"c1", "c2"}));
    QVERIFY(m_local->has("c3"));
}

void TestShadowRouter::explicitCapIsRespected()
{
    build(10, 2);
    m_cpu->second(0.2); // plenty of room
    m_router->sampleCpu();
    for (const char *id : {"c1", "c2", "c3"})
        startLive(id);
    QCOMPARE(m_local->started, (QStringList{"c1", "c2"}));
    const ShadowStatus s = m_router->shadowStatus();
    QCOMPARE(s.active, 2);
    QCOMPARE(s.limit, 2);
    QCOMPARE(toString(s.reason), QString("cap"));
}

void TestShadowRouter::zeroShadowsMeansNone()
{
    build(10, 0, false);
    m_cpu->second(0.2);
    m_router->sampleCpu();
    startLive("c1");
    QVERIFY(m_local->started.isEmpty());
    const ShadowStatus s = m_router->shadowStatus();
    QCOMPARE(s.active, 0);
    QCOMPARE(s.limit, 0);
    QCOMPARE(toString(s.reason), QString("off"));
    QCOMPARE(m_telemetry->healthInfo(false)["shadows"].toObject()["reason"].toString(),
             QString("off"));
}

QTEST_GUILESS_MAIN(TestShadowRouter)
#include "tst_shadowrouter.moc"
