// Retention with an injected clock: what is older than the limit goes, with its files, and
// nothing else does.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "skiporfail.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"
#include "testdatabase.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestRetention : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    Clock clock()
    {
        return [this] { return m_now; };
    }
    StorageConfig config(const QString &dir, int days)
    {
        StorageConfig c;
        c.dataDir = dir;
        c.database = testDatabase(dir);
        c.retention.days = days;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        return c;
    }
    void recordCall(CallStore &store, const QString &id, bool end)
    {
        store.addCall(id, std::nullopt);
        store.answer(id, Actor::dispatcher("alice"));
        store.addAudio(id, testPcm(1600, 1));
        store.addFrame(id, QByteArray("\xFF\xD8\xFF frame"));
        store.addTranscript(id, {m_now, Speaker::Caller, "words", true});
        if (end)
            store.end(id, EndReason::DispatcherEnded, Actor::dispatcher("alice"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = testDatabaseUnavailable(); !why.isEmpty())
            DISPATCH_SKIP_OR_FAIL(qPrintable(why));
    }

    void deletesOldCallsWithTheirFilesAndNothingElse()
    {
        QTemporaryDir dir;
        CallStore store({}, clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path(), 30), store, metrics, clock());
        QVERIFY(storage.open());

        recordCall(store, "old", true);         // ends on day 0
        recordCall(store, "still-live", false); // rang on day 0, never ended (live)
        m_now = m_now.addDays(2);
        recordCall(store, "recent", true); // ends on day 2
        QVERIFY(storage.flush());
        const auto history = *storage.history();
        const StoredCall old = history.loadLatest("old").value();
        const StoredCall recent = history.loadLatest("recent").value();
        const StoredCall live = history.loadLatest("still-live").value();
        QVERIFY(QFileInfo::exists(old.recordings.at(0).path));
        QVERIFY(QFileInfo::exists(old.frames.at(0).path));

        // Day 30 exactly: nothing is old enough yet.
        m_now = m_now.addDays(28);
        QCOMPARE(storage.retention()->sweep(), 0);

        // Day 31: only the call that ended on day 0 goes.
        m_now = m_now.addDays(1);
        QSignalSpy swept(storage.retention(), &RetentionSweeper::sweepFinished);
        QCOMPARE(storage.retention()->sweep(), 1);
        QCOMPARE(swept.count(), 1);
        QVERIFY(!history.loadLatest("old"));
        QVERIFY(!QDir(old.mediaDir).exists());
        QVERIFY(!QFileInfo::exists(old.recordings.at(0).path));
        QVERIFY(history.loadLatest("recent"));
        QVERIFY(QFileInfo::exists(recent.recordings.at(0).path));
        QVERIFY(history.loadLatest("still-live"));
        QVERIFY(QFileInfo::exists(live.recordings.at(0).path));

        Database db(testDatabase(dir.path()));
        QVERIFY(db.open(Database::Mode::ReadOnly));
        // Child rows went with the call (foreign keys cascade), the others' stayed.
        QCOMPARE(queryValue(db.handle(), QString("SELECT COUNT(*) FROM transcript_segments "
                                                 "WHERE call = %1")
                                             .arg(old.key))
                     .toInt(),
                 0);
        QCOMPARE(queryValue(db.handle(), "SELECT COUNT(*) FROM transcript_segments").toInt(), 2);
        QCOMPARE(queryValue(db.handle(), "SELECT COUNT(*) FROM recordings").toInt(), 2);
        // The audit trail keeps everything, including what was deleted and why.
        QVERIFY(queryValue(db.handle(), "SELECT COUNT(*) FROM audit_log WHERE call_id = 'old'")
                    .toInt() > 0);
        QVERIFY(queryValue(db.handle(), "SELECT details FROM audit_log WHERE action = "
                                        "'retention_delete'")
                    .toString()
                    .contains("\"old\""));
        QCOMPARE(verifyAuditChain(db.handle()).status, AuditVerification::Status::Valid);

        // Sweeping again deletes nothing more.
        QCOMPARE(storage.retention()->sweep(), 0);
    }

    void sweepsAtStartAndOnItsTimer()
    {
        QTemporaryDir dir;
        {
            CallStore store({}, clock());
            MetricsRegistry metrics;
            Storage storage(config(dir.path(), 30), store, metrics, clock());
            QVERIFY(storage.open());
            recordCall(store, "ancient", true);
        }
        m_now = m_now.addDays(45);
        CallStore store({}, clock());
        MetricsRegistry metrics;
        StorageConfig c = config(dir.path(), 30);
        c.retention.sweepIntervalMs = 20;
        Storage storage(c, store, metrics, clock());
        QVERIFY(storage.open()); // the sweep at start
        QVERIFY(!storage.history()->loadLatest("ancient"));
        recordCall(store, "next", true);
        QVERIFY(storage.flush()); // committed on the storage thread: there before the sweep
        QVERIFY(storage.history()->loadLatest("next"));
        QSignalSpy swept(storage.retention(), &RetentionSweeper::sweepFinished);
        m_now = m_now.addDays(31);
        QTRY_VERIFY(!storage.history()->loadLatest("next"));
        QVERIFY(!swept.isEmpty());
    }

    void zeroDaysKeepsEverything()
    {
        QTemporaryDir dir;
        CallStore store({}, clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path(), 0), store, metrics, clock());
        QVERIFY(storage.open());
        recordCall(store, "forever", true);
        m_now = m_now.addYears(10);
        QCOMPARE(storage.retention()->sweep(), 0);
        QVERIFY(storage.flush()); // the call's last rows are committed on the storage thread
        QVERIFY(storage.history()->loadLatest("forever"));
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
