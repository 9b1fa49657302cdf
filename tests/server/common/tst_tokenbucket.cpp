#include "common/tokenbucket.h"

#include <QTest>

using namespace dispatch;

class TestTokenBucket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsFullAndRefillsAtItsRate()
    {
        TokenBucket b(100, 300); // 100 a second, 3 s saved up
        QVERIFY(b.take(300, 0));
        QVERIFY(!b.take(1, 0));
        QVERIFY(!b.take(60, 500)); // 50 came back
        QVERIFY(b.take(50, 500));
        QVERIFY(b.take(100, 1500));
        QCOMPARE(b.available(100'000), 300.0); // never more than the capacity
    }

    void aRefusedTakeTakesNothing()
    {
        TokenBucket b(10, 10);
        QVERIFY(!b.take(11, 0));
        QVERIFY(b.take(10, 0));
    }

    void timeGoingBackwardsGivesNothing()
    {
        TokenBucket b(10, 10);
        QVERIFY(b.take(10, 1000));
        QVERIFY(!b.take(1, 500));
        QVERIFY(b.take(5, 1500));
    }

    void aZeroRateIsNoLimit()
    {
        TokenBucket none;
        QVERIFY(none.isUnlimited());
        QVERIFY(none.take(1e12, 0));
        TokenBucket zero(0, 0);
        QVERIFY(zero.take(1e12, 0));
    }
};

QTEST_APPLESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
