// A disk that fills up during a call: on a real, tiny tmpfs (needs root to mount; skipped
// otherwise, a failure under CI=true) and with an injected free-space probe for the low-space
// alarm.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "skiporfail.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"

#include <QDir>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace dispatch;
using namespace dispatch::test;

class TestDiskFull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lowSpaceRaisesTheAlarm()
    {
        QTemporaryDir dir;
        qint64 free = 10LL << 30;
        StorageConfig c;
        c.dataDir = dir.path();
        c.health.minFreeBytes = 1LL << 30;
        c.health.freeBytesProbe = [&free](const QString &) { return free; };
        CallStore store;
        MetricsRegistry metrics;
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        QVERIFY(storage.health().isOk());
        QSignalSpy changed(&storage.health(), &StorageHealth::stateChanged);
        free = 300LL << 20;
        storage.health().check();
        QCOMPARE(toString(storage.health().state()), QString("low_space"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(storage.health().detail().contains("300 MiB free"));
        QVERIFY(metrics.renderPrometheus().contains("dispatch_storage_ok 0"));
        free = 5LL << 30;
        storage.health().check();
        QVERIFY(storage.health().isOk());
        QCOMPARE(changed.count(), 2);
    }

    void unopenableDatabaseLeavesTheConsoleRunning()
    {
        QTemporaryDir dir;
        QFile junk(QDir(dir.path()).filePath(Database::fileName()));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(8192, 'x'));
        junk.close();
        CallStore store;
        MetricsRegistry metrics;
        StorageConfig c;
        c.dataDir = dir.path();
        Storage storage(c, store, metrics);
        QVERIFY(!storage.open());
        QCOMPARE(toString(storage.health().state()), QString("unavailable"));
        QVERIFY(!storage.isRecording());
        // Calls go on; nothing is recorded and nothing crashes.
        QCOMPARE(store.addCall("x", std::nullopt), CallStore::Result::Ok);
        QCOMPARE(store.answer("x", Actor::dispatcher("alice")), CallStore::Result::Ok);
        store.addAudio("x", testPcm(1600, 1));
        QCOMPARE(storage.appendAudit("dispatcher:alice", "playback", "x"), qint64(0));
        QCOMPARE(store.end("x", EndReason::DispatcherEnded, Actor::dispatcher("alice")),
                 CallStore::Result::Ok);
        QCOMPARE(QFile(junk.fileName()).size(), qint64(8192)); // never "repaired" into shape
    }

    void secondConsoleOnTheSameDataDirIsRefused()
    {
        QTemporaryDir dir;
        StorageConfig c;
        c.dataDir = dir.path();
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        CallStore store;
        MetricsRegistry metrics;
        Storage first(c, store, metrics);
        QVERIFY(first.open());
        Storage second(c, store, metrics);
        const auto refused = second.open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("in_use"));
        QCOMPARE(toString(second.health().state()), QString("unavailable"));
        QVERIFY(first.health().isOk());
    }

    void fullTmpfsDuringACall()
    {
        if (::geteuid() != 0)
            DISPATCH_SKIP_OR_FAIL("mounting a size-limited tmpfs needs root");
        QTemporaryDir base;
        const QString mnt = QDir(base.path()).filePath("small");
        QVERIFY(QDir().mkpath(mnt));
        if (QProcess::execute("mount", {"-t", "tmpfs", "-o", "size=1536k", "tmpfs", mnt}) != 0)
            DISPATCH_SKIP_OR_FAIL("cannot mount a tmpfs here (no CAP_SYS_ADMIN)");
        const auto unmount = qScopeGuard([&] { QProcess::execute("umount", {"-l", mnt}); });

        // Ballast an operator can delete to free room later.
        QFile ballast(QDir(mnt).filePath("ballast"));
        QVERIFY(ballast.open(QIODevice::WriteOnly));
        QCOMPARE(ballast.write(QByteArray(400 * 1024, 'b')), qint64(400 * 1024));
        ballast.close();

        QByteArray recorded;
        int segments = 0;
        QString wavPath;
        {
            StorageConfig c;
            c.dataDir = mnt;
            c.health.minFreeBytes = 64 * 1024;
            CallStore store;
            MetricsRegistry metrics;
            Storage storage(c, store, metrics);
            QVERIFY(storage.open());
            QSignalSpy changed(&storage.health(), &StorageHealth::stateChanged);
            store.addCall("full", std::nullopt);
            store.answer("full", Actor::dispatcher("alice"));

            // Audio (and a transcript line and vitals each second) until the disk is full.
            int chunk = 0;
            for (; chunk < 80 && !storage.recorder()->isMediaFailing(); ++chunk) {
                store.addAudio("full", testPcm(16000, chunk));
                store.addTranscript("full", {QDateTime::currentDateTimeUtc(), Speaker::Caller,
                                             QString("segment %1").arg(segments++), true});
                VitalsSample v;
                v.heartRate = 80 + chunk;
                store.addVitals("full", v);
                storage.flush();
            }
            QVERIFY2(storage.recorder()->isMediaFailing(), "the disk never filled");
            QCOMPARE(toString(storage.health().state()), QString("write_failing"));
            QVERIFY(!changed.isEmpty());
            QVERIFY(storage.health().detail().contains("recording"));
            const quint64 lostWhileFull = storage.recorder()->stats().lostAudioBytes;
            QVERIFY(lostWhileFull > 0);

            // The console keeps going: the call carries on, rows queue while the disk is full.
            for (int i = 0; i < 3; ++i) {
                store.addAudio("full", testPcm(16000, 100 + i));
                store.addTranscript("full", {QDateTime::currentDateTimeUtc(), Speaker::Caller,
                                             QString("segment %1").arg(segments++), true});
                storage.flush();
            }
            QVERIFY(storage.health().state() == StorageHealth::State::WriteFailing);

            // Someone frees space: writes resume, queued rows land, the alarm clears.
            QVERIFY(QFile::remove(ballast.fileName()));
            store.addAudio("full", testPcm(1600, 200));
            QVERIFY(storage.flush()); // the audio is written by the storage thread at a flush
            QVERIFY(!storage.recorder()->isMediaFailing());
            storage.health().check();
            QVERIFY2(storage.health().state() != StorageHealth::State::WriteFailing,
                     qPrintable(storage.health().detail()));
            QCOMPARE(store.end("full", EndReason::DispatcherEnded, Actor::dispatcher("alice")),
                     CallStore::Result::Ok);
            QVERIFY(storage.flush());
            QCOMPARE(storage.writer()->pendingRows(), 0);
            const auto call = storage.history()->loadLatest("full");
            QVERIFY(call);
            wavPath = call->recordings.at(0).path;
            QCOMPARE(call->recordings.at(0).lostBytes,
                     qint64(storage.recorder()->stats().lostAudioBytes));
            QCOMPARE(call->recordings.at(0).bytes, QFileInfo(wavPath).size() - 44);
            QCOMPARE(call->transcript.size(), segments); // no transcript row was lost
            QCOMPARE(call->endReason, QString("dispatcher_ended"));
        }
        // The database is intact and the recording is a valid WAV of whole samples.
        Database db(QDir(mnt).filePath(Database::fileName()));
        QVERIFY(db.open());
        QCOMPARE(queryValue(db.handle(), "PRAGMA integrity_check").toString(), QString("ok"));
        QCOMPARE(verifyAuditChain(db.handle()).status, AuditVerification::Status::Valid);
        const QByteArray wav = readFile(wavPath);
        QVERIFY(parseWavHeader(wav, wav.size())->finalized());
        QCOMPARE((wav.size() - 44) % 2, 0);
        db.close();
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
