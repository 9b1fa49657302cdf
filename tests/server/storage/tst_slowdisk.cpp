// A disk that stops answering must not stop the calls: the storage thread takes the disk work,
// the main thread keeps accepting audio and running its event loop, the recorder sheds what
// exceeds its bound (counted, alarmed), and everything within the bound lands once the disk
// answers again. The "disk" here is the real storage thread held by a job that waits.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "diskhold.h"
#include "storage/auditanchor.h"
#include "storage/auditkey.h"
#include "storage/storage.h"
#include "storage/storagethread.h"
#include "storagetesthelpers.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestSlowDisk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aStuckDiskNeitherStallsNorGrowsWithoutBound()
    {
        QTemporaryDir dir;
        StorageConfig c;
        c.dataDir = dir.path();
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        c.recorder.maxQueuedBytes = 256 * 1024; // 8 s of audio
        CallStore store;
        MetricsRegistry metrics;
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        QSignalSpy failed(storage.recorder(), &CallRecorder::mediaWriteFailed);
        QCOMPARE(store.addCall("slow", std::nullopt), CallStore::Result::Ok);
        QCOMPARE(store.answer("slow", Actor::dispatcher("alice")), CallStore::Result::Ok);
        QVERIFY(storage.flush());

        // The disk stops: the storage thread is held until the test lets it go.
        DiskHold disk;
        StorageThread &jobs = storage.writer()->jobs();
        disk.hold(jobs);

        // 20 s of audio in 1 s pieces, each handed over at once as the recorder's flush timer
        // would: the main thread never waits for the disk (if it did, this loop would hang,
        // since only this thread releases the disk), and queued events still run.
        QByteArray sent;
        int delivered = 0;
        for (int s = 0; s < 20; ++s) {
            const QByteArray pcm = testPcm(16000, s);
            sent += pcm;
            QCOMPARE(store.addAudio("slow", pcm), CallStore::Result::Ok);
            storage.writer()->commitSoon();
            QMetaObject::invokeMethod(
                this, [&] { ++delivered; }, Qt::QueuedConnection);
            QCoreApplication::processEvents();
        }
        QCOMPARE(delivered, 20);
        // What went to the storage thread is bounded; the rest was shed, counted and alarmed.
        QVERIFY(jobs.pendingBytes() <= c.recorder.maxQueuedBytes + 32000);
        const quint64 lost = storage.recorder()->stats().lostAudioBytes;
        QVERIFY2(lost >= quint64(sent.size()) - quint64(c.recorder.maxQueuedBytes) - 32000,
                 qPrintable(QString::number(lost)));
        QVERIFY(!failed.isEmpty());
        QVERIFY(failed.last().at(0).toString().contains("too slow"));

        // The disk answers again: what was queued is written, in order, and the call ends
        // cleanly with the loss on record.
        disk.release();
        QVERIFY(storage.flush());
        QCOMPARE(store.end("slow", EndReason::DispatcherEnded, Actor::dispatcher("alice")),
                 CallStore::Result::Ok);
        QVERIFY(storage.flush());
        const auto call = storage.history()->loadLatest("slow");
        QVERIFY(call);
        QCOMPARE(call->recordings.size(), 1);
        const auto &rec = call->recordings.at(0);
        QCOMPARE(rec.lostBytes, qint64(lost));
        QCOMPARE(rec.bytes + rec.lostBytes, qint64(sent.size()));
        const QByteArray wav = readFile(rec.path);
        QCOMPARE(wav.size() - 44, rec.bytes);
        QCOMPARE(wav.mid(44, 32000), sent.left(32000)); // the start, kept in order
    }

    void theAuditAnchorWaitsForTheDiskOffTheMainThread()
    {
        // The anchor is rewritten with an fsync about once a second while entries are
        // committed; an fsync can wait seconds behind a busy disk's journal. It must wait on
        // the storage thread: here the main thread goes on while the disk is held, and the
        // anchor catches up once the disk answers.
        QTemporaryDir dir;
        StorageConfig c;
        c.dataDir = dir.filePath("data");
        c.auditKeyPath = dir.filePath("keys/audit.key");
        c.auditAnchorIntervalMs = 5;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        CallStore store;
        MetricsRegistry metrics;
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        const QString anchorPath = defaultAuditAnchorPath(c.auditKeyPath, c.dataDir);
        const AuditKey key = AuditKey::load(c.auditKeyPath).value();
        auto anchoredEntries = [&] {
            const auto anchor = readAuditAnchor(anchorPath, key);
            return anchor && anchor.value() ? anchor.value()->entries : qint64(-1);
        };
        const qint64 before = anchoredEntries();
        QVERIFY(before > 0);

        // New entries, committed: the anchor's timer starts as the commit is reported.
        QCOMPARE(store.addCall("audited", std::nullopt), CallStore::Result::Ok);
        QCOMPARE(store.answer("audited", Actor::dispatcher("alice")), CallStore::Result::Ok);
        QVERIFY(storage.flush());
        // Then the disk stops before the timer fires.
        DiskHold disk;
        StorageThread &jobs = storage.writer()->jobs();
        disk.hold(jobs);
        // The anchor's rewrite is queued behind the held disk, not done here.
        QVERIFY2(QTest::qWaitFor([&] { return jobs.pendingJobs() >= 2; }, 5000),
                 qPrintable(QString::number(anchoredEntries())));
        QCOMPARE(anchoredEntries(), before);
        disk.release();
        QVERIFY(QTest::qWaitFor([&] { return anchoredEntries() > before; }, 5000));
    }
};

QTEST_GUILESS_MAIN(TestSlowDisk)
#include "tst_slowdisk.moc"
