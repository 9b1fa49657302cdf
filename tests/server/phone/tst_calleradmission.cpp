#include "calls/mediabacklog.h"
#include "phone/callsecret.h"
#include "phone/newcalllimiter.h"

#include <QSet>
#include <QTest>

using namespace dispatch;

class TestCallerAdmission : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ringingCallsPerAddressAreCapped()
    {
        NewCallLimiter limiter({2, 100, 60'000});
        using V = NewCallLimiter::Verdict;
        QCOMPARE(limiter.admit("10.0.0.1", 0, 0), V::Admit);
        QCOMPARE(limiter.admit("10.0.0.1", 1, 0), V::Admit);
        QCOMPARE(limiter.admit("10.0.0.1", 2, 0), V::TooManyRinging);
        QCOMPARE(limiter.admit("10.0.0.2", 0, 0), V::Admit);  // another address is not affected
        QCOMPARE(limiter.admit("10.0.0.1", 1, 10), V::Admit); // one was answered meanwhile
    }

    void newCallsPerAddressAreRateLimited()
    {
        NewCallLimiter limiter({0, 3, 60'000});
        using V = NewCallLimiter::Verdict;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limiter.admit("a", 0, i * 1000), V::Admit);
        QCOMPARE(limiter.admit("a", 0, 10'000), V::TooFast);
        QCOMPARE(limiter.admit("b", 0, 10'000), V::Admit);
        QCOMPARE(limiter.admit("a", 0, 59'999), V::TooFast);
        QCOMPARE(limiter.admit("a", 0, 60'000), V::Admit); // the first start left the window
        QCOMPARE(limiter.admit("a", 0, 60'001), V::TooFast);
    }

    void zeroMeansNoCap()
    {
        NewCallLimiter limiter({0, 0, 60'000});
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(limiter.admit("a", i, 0), NewCallLimiter::Verdict::Admit);
    }

    void secretsAreLongRandomAndUrlSafe()
    {
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const QString s = newCallSecret();
            QCOMPARE(s.size(), 43); // 256 bits, base64url, no padding
            for (const QChar c : s)
                QVERIFY(c.isLetterOrNumber() || c == '-' || c == '_');
            seen.insert(s);
        }
        QCOMPARE(seen.size(), 1000);
    }

    void secretsCompareExactly()
    {
        const QString s = newCallSecret();
        QVERIFY(callSecretMatches(s, s));
        QVERIFY(!callSecretMatches(s, s.left(42)));
        QVERIFY(!callSecretMatches(s, s + 'a'));
        QVERIFY(!callSecretMatches(s, QString()));
        QVERIFY(!callSecretMatches(QString(), QString())); // no secret issued: nothing matches
        QString flipped = s;
        flipped[20] = flipped[20] == 'a' ? 'b' : 'a';
        QVERIFY(!callSecretMatches(s, flipped));
    }

    void ringingFramesAreKeptAtOneASecondAndBoundedInBytes()
    {
        MediaBacklog backlog(1000, 30, 5000, 1000);
        const QByteArray frame(2000, 'j');
        for (int i = 0; i < 50; ++i)
            backlog.appendFrame(frame, i * 100); // 10 frames a second for 5 s
        QCOMPARE(backlog.frames().size(), 2);    // 5 kept at 1/s, then only 5000 bytes of them
        QCOMPARE(backlog.frameBytes(), 4000);
        QCOMPARE(backlog.droppedFrames(), 48);
    }
};

QTEST_APPLESS_MAIN(TestCallerAdmission)
#include "tst_calleradmission.moc"
