#include "net/refusallog.h"

#include <QTest>

using namespace dispatch;

class TestRefusalLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFloodFromOneAddressLogsAFewLinesAndSaysHowManyWereLeftOut()
    {
        RefusalLog log;
        int leftOut = -1;
        int logged = 0;
        for (int i = 0; i < 1000; ++i)
            logged += log.shouldLog("10.0.0.9", i, &leftOut) ? 1 : 0; // 1000 in one second
        QCOMPARE(logged, RefusalLog::LinesPerWindow);
        // Another address is not silenced by the first one's flood.
        QVERIFY(log.shouldLog("10.0.0.10", 999, &leftOut));
        QCOMPARE(leftOut, 0);
        // The next window's first line carries the count of the silent ones.
        QVERIFY(log.shouldLog("10.0.0.9", RefusalLog::WindowMs + 5, &leftOut));
        QCOMPARE(leftOut, 1000 - RefusalLog::LinesPerWindow);
        QVERIFY(log.shouldLog("10.0.0.9", RefusalLog::WindowMs + 6, &leftOut));
        QCOMPARE(leftOut, 0);
    }

    void manyAddressesDoNotGrowWithoutBound()
    {
        RefusalLog log;
        int leftOut = 0;
        for (int i = 0; i < 20000; ++i)
            log.shouldLog(QStringLiteral("10.1.%1.%2").arg(i / 250).arg(i % 250),
                          qint64(i) * RefusalLog::WindowMs, &leftOut);
        QVERIFY(log.trackedAddresses() <= 4097); // quiet addresses are pruned
        // The same address keeps working.
        QVERIFY(log.shouldLog("10.1.0.0", qint64(30000) * RefusalLog::WindowMs, &leftOut));
    }
};

QTEST_GUILESS_MAIN(TestRefusalLog)
#include "tst_refusallog.moc"
