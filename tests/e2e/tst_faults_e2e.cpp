// Fault injection on the real console binary, time-compressed: the AI's connections live 2 s,
// faults come every 2 s, phones vanish for 1 s, a tmpfs fills up, one address floods the port.
// Each scenario fails on any lost or corrupted audio byte (recording and AI, checked byte for
// byte against what the phones sent), a call without triage reports, a failover without local
// reports, a second call for a returning phone, missing database rows, an unhealthy console.
// No timing thresholds. The long, measured runs are bench-faults (docs/RELIABILITY.md).
#include "faultharness.h"
#include "skiporfail.h"

#include <QTest>

#include <unistd.h>

using namespace dispatch::bench;

class TestFaultsE2e : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : faultScenarios())
            QTest::newRow(qPrintable(name)) << name;
    }

    void scenario()
    {
        QFETCH(QString, name);
        if (name == "disk-full" && ::geteuid() != 0)
            DISPATCH_SKIP_OR_FAIL("mounting a size-limited tmpfs needs root");
        FaultOptions o;
        o.consoleBinary = QStringLiteral(DISPATCH_CONSOLE_BIN);
        o.calls = 2;
        o.seconds = name == "ai-quota" ? 10 : 6;
        o.lifetimeS = 2;
        o.faultEveryS = 2;
        o.vanishS = 1;
        o.floodConnections = 300;
        o.requireLateReports = false;
        const FaultResult r = runFaultScenario(name, o);
        qInfo().noquote() << "\n" << faultTable({r});
        for (const QString &note : r.notes)
            qInfo().noquote() << "note:" << note;
        QVERIFY2(r.passed(), qPrintable(r.problems.join(QLatin1Char('\n'))));
        // The harness checks these too; spelled out here as the suite's contract.
        QVERIFY(r.audioSent > 0);
        QCOMPARE(r.lostAi, qint64(0));
        QCOMPARE(r.lostRecording, r.audioMarkedLost);
        QCOMPARE(r.dbCalls, o.calls);
        QVERIFY(r.reports >= o.calls);
        QVERIFY(r.healthy);
    }
};

QTEST_GUILESS_MAIN(TestFaultsE2e)
#include "tst_faults_e2e.moc"
