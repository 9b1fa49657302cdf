// DecoderPool on demand: nothing loaded without a prewarm, decoders loaded when acquired and
// handed back, and the idle ones beyond the few kept freed after their idle time (a hand-driven
// clock). Real pocketsphinx decoders (about half a second each to load).
#include "skiporfail.h"
#include "triage/decoderpool.h"

#include <QFile>
#include <QTest>

#include <mutex>
#include <thread>
#include <vector>

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

    // Freeing a decoder takes 50-250 ms: never on the thread that asked (the engine's, which
    // carries every call's audio), and everything handed over is freed by the time the pool
    // is gone.
    void decodersAreFreedOffTheCallersThread()
    {
        qint64 nowMs = 1'000'000;
        std::mutex mutex;
        std::vector<std::thread::id> freedOn;
        DecoderPoolConfig config;
        config.prewarm = 0;
        config.keepIdleDecoders = 0;
        config.maxIdleDecoders = 1;
        config.idleFreeAfterMs = 1000;
        config.clock = [&nowMs] { return nowMs; };
        config.decoderFreed = [&] {
            std::lock_guard lock(mutex);
            freedOn.push_back(std::this_thread::get_id());
        };
        const auto freedCount = [&] {
            std::lock_guard lock(mutex);
            return freedOn.size();
        };
        {
            DecoderPool pool(config);
            QString error;
            ps_decoder_s *a = pool.acquire(&error);
            ps_decoder_s *b = pool.acquire(&error);
            QVERIFY2(a && b, qPrintable(error));
            pool.release(a); // kept idle
            pool.release(b); // beyond maxIdleDecoders: freed at once, on the reaper
            QCOMPARE(pool.loadedDecoders(), 1);
            QTRY_COMPARE(freedCount(), size_t(1));
            nowMs += 1000;
            QCOMPARE(pool.freeIdle(), 1);
            QCOMPARE(pool.loadedDecoders(), 0);
        } // the second may still be waiting for the reaper: the destructor lets it finish
        QCOMPARE(freedCount(), size_t(2));
        for (const std::thread::id id : freedOn)
            QVERIFY(id != std::this_thread::get_id());
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
