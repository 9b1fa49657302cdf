// ShadowBudget from scripted CPU readings (no timing): admission up to the headroom with the
// cost of shadows not yet visible, shedding under load, the hysteresis between the two, the
// explicit cap, 0 = none, the machine's load and the relay's latency as signals.
#include "triage/shadowbudget.h"

#include <QTest>

using namespace dispatch;

namespace {

// Cumulative counters advanced one second at a time.
class Readings
{
public:
    explicit Readings(int cores = 2) { m_r.cores = cores; }
    // One second during which the process was busy on `processCores` (and the machine, when
    // given, on `machineCores` of its cores).
    CpuReading next(double processCores, double machineCores = -1)
    {
        m_r.monotonicMs += 1000;
        m_r.processSeconds += processCores;
        if (machineCores >= 0) {
            m_r.machineBusySeconds = std::max(0.0, m_r.machineBusySeconds) + machineCores;
            m_r.machineTotalSeconds = std::max(0.0, m_r.machineTotalSeconds) + m_r.cores;
        }
        return m_r;
    }
    CpuReading relay(quint64 chunks, quint64 slow)
    {
        m_r.relayedChunks += chunks;
        m_r.slowChunks += slow;
        return next(0.2);
    }
    CpuReading first() const { return m_r; }

private:
    CpuReading m_r;
};

ShadowBudgetConfig config()
{
    ShadowBudgetConfig c;
    c.admitMarginCores = 0.3;
    c.shedBelowCores = 0.1;
    c.shadowCostCores = 0.1;
    c.smoothing = 1.0; // the newest reading alone: each step below is exact
    c.settleReadings = 3;
    c.cooldownReadings = 10;
    c.maxAdmitsPerReading = 0; // the headroom arithmetic alone (burstAdmitsOnePerReading)
    return c;
}

// Admits one shadow after another while it may, as the router does for arriving calls.
int admitAll(ShadowBudget &b, int active)
{
    while (b.mayAdmit(active)) {
        b.admitted();
        ++active;
    }
    return active;
}

} // namespace

class TestShadowBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void admitsUpToTheHeadroom();
    void admittedShadowsAreChargedUntilTheyShow();
    void shedsUnderLoad();
    void hysteresisHoldsBetweenTheThresholds();
    void noAdmissionForAWhileAfterAShed();
    void explicitCapIsRespected();
    void zeroMeansNone();
    void theMachinesLoadCounts();
    void relayLatencyOverTheTargetSheds();
    void burstAdmitsOnePerReading();
};

void TestShadowBudget::admitsUpToTheHeadroom()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(1.0)); // 1 core busy: 1 core of headroom
    QVERIFY(b.measured());
    QCOMPARE(b.headroomCores(), 1.0);
    // 0.3 must stay free after each at 0.1: 7 shadows.
    QCOMPARE(admitAll(b, 0), 7);
    QVERIFY(b.headroomCores() - 0.1 < 0.3);
    const ShadowStatus s = b.status(7);
    QCOMPARE(s.active, 7);
    QCOMPARE(s.limit, 7);
    QCOMPARE(toString(s.reason), QString("cpu"));
}

void TestShadowBudget::admittedShadowsAreChargedUntilTheyShow()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(1.4));
    QCOMPARE(admitAll(b, 0), 3); // 0.6 headroom: 0.3 + 3 x 0.1
    // The readings do not show them yet (the decoders are loading): still charged, no more.
    b.addReading(r.next(1.4));
    b.addReading(r.next(1.4));
    QVERIFY(!b.mayAdmit(3));
    // Third reading: the charge is gone; the readings show them now, at their real cost.
    b.addReading(r.next(1.7));
    QVERIFY(!b.mayAdmit(3));
    // They turned out cheaper (0.05 each): room for more.
    b.addReading(r.next(1.55));
    QCOMPARE(admitAll(b, 3), 4);
}

void TestShadowBudget::shedsUnderLoad()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(1.0));
    QCOMPARE(admitAll(b, 0), 7);
    QCOMPARE(b.toShed(7), 0);
    // The calls' relay load grows: 1.95 cores busy, 0.05 free, under the 0.1 threshold: shed
    // what brings it back to the threshold at 0.1 a shadow, rounded up.
    b.addReading(r.next(1.95));
    QCOMPARE(b.toShed(7), 1);
    b.addReading(r.next(2.0)); // saturated: how far over cannot show, so half of them
    QCOMPARE(b.toShed(7), 4);
    b.addReading(r.next(2.6)); // the process alone says 2.6 of 2 cores: clamp nothing, shed 7
    QCOMPARE(b.toShed(7), 7);
    b.shed(7);
    QCOMPARE(b.status(0).limit, 0);
}

void TestShadowBudget::hysteresisHoldsBetweenTheThresholds()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(1.0));
    QCOMPARE(admitAll(b, 0), 7);
    for (int i = 0; i < 5; ++i)
        b.addReading(r.next(1.75)); // 0.25 free: between shed (0.1) and admit (0.3 + 0.1)
    QCOMPARE(b.toShed(7), 0);
    QVERIFY(!b.mayAdmit(7));
    QCOMPARE(b.status(7).limit, 7);
    b.addReading(r.next(1.95)); // under 0.1: one shed
    QCOMPARE(b.toShed(7), 1);
    b.shed(1);
    // The shed does not show at once: no second shed until the readings can show it.
    b.addReading(r.next(1.95));
    b.addReading(r.next(1.95));
    QCOMPARE(b.toShed(6), 0);
    b.addReading(r.next(1.85)); // it shows: 0.15 free, between the thresholds: nothing moves
    QCOMPARE(b.toShed(6), 0);
    QVERIFY(!b.mayAdmit(6));
}

void TestShadowBudget::noAdmissionForAWhileAfterAShed()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(1.0));
    QCOMPARE(admitAll(b, 0), 7);
    b.addReading(r.next(1.95));
    QCOMPARE(b.toShed(7), 1);
    b.shed(1);
    // The load goes away at once: still no admission for ten readings (no flapping).
    for (int i = 0; i < 9; ++i) {
        b.addReading(r.next(0.5));
        QVERIFY2(!b.mayAdmit(6), qPrintable(QString::number(i)));
        QCOMPARE(b.status(6).limit, 6);
    }
    b.addReading(r.next(0.5));
    QVERIFY(b.mayAdmit(6));
    QCOMPARE(b.status(6).limit, 18); // 1.5 free: 6 + (1.5 - 0.3) / 0.1
}

void TestShadowBudget::explicitCapIsRespected()
{
    ShadowBudget b(config(), 3);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(0.2));
    QCOMPARE(admitAll(b, 0), 3);
    ShadowStatus s = b.status(3);
    QCOMPARE(s.limit, 3);
    QCOMPARE(toString(s.reason), QString("cap"));
    QCOMPARE(b.toShed(3), 0);
    // Under load the CPU is the limit again, below the cap.
    b.addReading(r.next(1.5));
    b.addReading(r.next(1.5));
    b.addReading(r.next(1.5)); // charges gone: 0.5 free, room for 2
    s = b.status(1);
    QCOMPARE(s.limit, 3);
    QCOMPARE(toString(s.reason), QString("cap"));
    b.addReading(r.next(1.8)); // 0.2 free: no room for any more
    s = b.status(3);
    QCOMPARE(s.limit, 3); // never below the active ones while the headroom holds
    QCOMPARE(toString(s.reason), QString("cpu"));
}

void TestShadowBudget::zeroMeansNone()
{
    ShadowBudget b(config(), 0);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(0.0));
    QVERIFY(!b.mayAdmit(0));
    const ShadowStatus s = b.status(0);
    QCOMPARE(s.limit, 0);
    QCOMPARE(toString(s.reason), QString("off"));
}

void TestShadowBudget::theMachinesLoadCounts()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.next(0, 0));
    // The process uses 0.2, but other processes keep the machine 90 % busy: 0.2 free.
    b.addReading(r.next(0.2, 1.8));
    QCOMPARE(b.busyCores(), 1.8);
    QVERIFY(!b.mayAdmit(0));
    QCOMPARE(b.status(0).limit, 0);
}

void TestShadowBudget::relayLatencyOverTheTargetSheds()
{
    ShadowBudget b(config(), -1);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.relay(5000, 10)); // 0.2 %: fine
    QVERIFY(!b.latencyPressure());
    QCOMPARE(admitAll(b, 0), 15);
    for (int i = 0; i < 3; ++i)
        b.addReading(r.relay(5000, 10));
    b.addReading(r.next(1.65)); // no chunk relayed: no signal; 0.35 free
    QVERIFY(!b.latencyPressure());
    QCOMPARE(b.toShed(15), 0);
    b.addReading(r.relay(5000, 100)); // 2 % over 5 ms: no admission, one shed
    QVERIFY(b.latencyPressure());
    QCOMPARE(b.toShed(15), 1);
    QVERIFY(!b.mayAdmit(14));
    QCOMPARE(toString(b.status(15).reason), QString("latency"));
    b.addReading(r.relay(50, 50)); // too few chunks to say anything
    QVERIFY(!b.latencyPressure());
}

// 100 calls in 2 s on a quiet machine: all 8 shadows were admitted against the headroom measured
// before any of them (docs/PERFORMANCE.md, 19:04); now one a reading, each seen before the next.
void TestShadowBudget::burstAdmitsOnePerReading()
{
    ShadowBudgetConfig c = config();
    c.maxAdmitsPerReading = 1;
    ShadowBudget b(c, 8);
    Readings r(2);
    b.addReading(r.first());
    b.addReading(r.next(0.2)); // 1.8 free: room for many
    QCOMPARE(admitAll(b, 0), 1);
    QVERIFY(!b.mayAdmit(1));
    QCOMPARE(b.status(1).limit, 8); // the limit says what the headroom allows
    b.addReading(r.next(0.3));
    QCOMPARE(admitAll(b, 1), 2);
    // The machine saturates while 4 run: half of them go at once.
    b.addReading(r.next(0.4));
    QCOMPARE(admitAll(b, 2), 3);
    b.addReading(r.next(0.5));
    QCOMPARE(admitAll(b, 3), 4);
    b.addReading(r.next(2.0));
    QCOMPARE(b.toShed(4), 2);
}

QTEST_GUILESS_MAIN(TestShadowBudget)
#include "tst_shadowbudget.moc"
