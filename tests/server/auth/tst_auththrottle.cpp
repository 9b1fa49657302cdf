#include "auth/auththrottle.h"

#include <QTest>

using namespace dispatch;

class TestAuthThrottle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blocksAfterTooManyFailuresThenForgives()
    {
        AuthThrottle throttle({3, 1000, 5000});
        const QHostAddress guesser(QStringLiteral("10.0.0.9"));
        const QHostAddress other(QStringLiteral("10.0.0.10"));
        QVERIFY(!throttle.recordFailure(guesser, 0));
        QVERIFY(!throttle.recordFailure(guesser, 10));
        QCOMPARE(throttle.blockedForMs(guesser, 20), 0);
        QVERIFY(throttle.recordFailure(guesser, 20)); // the third within the window
        QCOMPARE(throttle.blockedForMs(guesser, 20), 5000);
        QCOMPARE(throttle.blockedForMs(guesser, 4000), 1020);
        QCOMPARE(throttle.blockedForMs(other, 4000), 0); // another address is not blocked
        QVERIFY(!throttle.recordFailure(guesser, 4000)); // blocked: not counted, not extended
        QCOMPARE(throttle.blockedForMs(guesser, 5020), 0);
        // The count starts again after the block.
        QVERIFY(!throttle.recordFailure(guesser, 5100));
        QVERIFY(!throttle.recordFailure(guesser, 5200));
        QVERIFY(throttle.recordFailure(guesser, 5300));
    }

    void slowGuessesStayUnderTheWindow()
    {
        AuthThrottle throttle({3, 1000, 5000});
        const QHostAddress peer(QStringLiteral("10.0.0.9"));
        for (int i = 0; i < 20; ++i)
            QVERIFY(!throttle.recordFailure(peer, qint64(i) * 600)); // 2 per window at most
        QCOMPARE(throttle.blockedForMs(peer, 20 * 600), 0);
    }

    void ipv6IsCountedPerSlash64AndMappedIpv4AsIpv4()
    {
        AuthThrottle throttle({2, 1000, 5000});
        throttle.recordFailure(QHostAddress(QStringLiteral("2001:db8:1:2::a")), 0);
        QVERIFY(throttle.recordFailure(QHostAddress(QStringLiteral("2001:db8:1:2::b")), 1));
        QVERIFY(throttle.blockedForMs(QHostAddress(QStringLiteral("2001:db8:1:2:ffff::1")), 2) > 0);
        QCOMPARE(throttle.blockedForMs(QHostAddress(QStringLiteral("2001:db8:1:3::a")), 2), 0);
        throttle.recordFailure(QHostAddress(QStringLiteral("::ffff:10.1.1.1")), 0);
        QVERIFY(throttle.recordFailure(QHostAddress(QStringLiteral("10.1.1.1")), 1));
    }

    void manyAddressesDoNotGrowWithoutBound()
    {
        AuthThrottle throttle({2, 1000, 5000});
        for (int i = 0; i < 20000; ++i)
            throttle.recordFailure(QHostAddress(quint32(0x0A000000 + i)), qint64(i) * 10);
        QVERIFY(throttle.trackedAddresses() <= AuthThrottle::MaxTracked);
    }
};

QTEST_GUILESS_MAIN(TestAuthThrottle)
#include "tst_auththrottle.moc"
