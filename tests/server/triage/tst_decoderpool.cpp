// DecoderPool on demand: nothing loaded without a prewarm, decoders loaded when acquired and
// handed back, and the idle ones beyond the few kept freed after their idle time (a hand-driven
// clock). Real pocketsphinx decoders (about half a second each to load).
#include "skiporfail.h"
#include "triage/decoderpool.h"

#include <QFile>
#include <QTest>

using namespace dispatch;

class TestDecoderPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(defaultSpeechModelDir()))
            DISPATCH_SKIP_OR_FAIL("pocketsphinx model not installed");
    }

    void loadsOnDemandAndFreesLongIdleDecoders()
    {
        qint64 nowMs = 1'000'000;
        DecoderPoolConfig config;
        config.prewarm = 0; // a console with a key: nothing before a call needs it
        config.keepIdleDecoders = 1;
        config.idleFreeAfterMs = 60000;
        config.clock = [&nowMs] { return nowMs; };
        DecoderPool pool(config);
        QCOMPARE(pool.loadedDecoders(), 0);
        QCOMPARE(pool.idleDecoders(), 0);

        QString error;
        ps_decoder_s *a = pool.acquire(&error);
        ps_decoder_s *b = pool.acquire(&error);
        ps_decoder_s *c = pool.acquire(&error);
        QVERIFY2(a && b && c, qPrintable(error));
        QCOMPARE(pool.loadedDecoders(), 3);
        pool.release(a);
        nowMs += 10000;
        pool.release(b);
        pool.release(c);
        QCOMPARE(pool.idleDecoders(), 3);
        QCOMPARE(pool.freeIdle(), 0); // not idle long enough

        nowMs += 50000; // a: 60 s idle, b and c: 50 s
        QCOMPARE(pool.freeIdle(), 1);
        QCOMPARE(pool.idleDecoders(), 2);
        nowMs += 10000;
        QCOMPARE(pool.freeIdle(), 1); // b; c is the one kept
        QCOMPARE(pool.idleDecoders(), 1);
        QCOMPARE(pool.loadedDecoders(), 1);
        nowMs += 600000;
        QCOMPARE(pool.freeIdle(), 0);

        // The kept one serves the next call at once; a second call loads another.
        ps_decoder_s *d = pool.acquire(&error);
        QCOMPARE(d, c);
        ps_decoder_s *e = pool.acquire(&error);
        QVERIFY(e);
        QCOMPARE(pool.loadedDecoders(), 2);
        pool.release(d);
        pool.release(e);
        QCOMPARE(pool.idleDecoders(), 2);
    }

    void prewarmLoadsWhereLocalIsTheTriage()
    {
        DecoderPoolConfig config;
        config.prewarm = 1;
        DecoderPool pool(config);
        QTRY_COMPARE_WITH_TIMEOUT(pool.idleDecoders(), 1, 30000);
        QCOMPARE(pool.loadedDecoders(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDecoderPool)
#include "tst_decoderpool.moc"
