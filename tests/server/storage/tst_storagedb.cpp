// The database layer without calls: schema migrations, opening bad files, the batch writer's
// transactions and failure handling, and the audit trail's hash chain.
#include "storage/auditchain.h"
#include "storage/audittrail.h"
#include "storage/batchwriter.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

namespace {

QVariant scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return QVariant(QStringLiteral("error: ") + q.lastError().text());
    return q.value(0);
}

} // namespace

class TestStorageDb : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(3, 0), Qt::UTC);
    Clock clock()
    {
        return [this] { return m_now; };
    }

private Q_SLOTS:
    void freshDatabaseHasTheLatestSchemaAndPragmas()
    {
        Database db(m_dir.filePath("fresh.sqlite"));
        const auto version = db.open();
        QVERIFY2(version, qPrintable(version.error().message));
        QCOMPARE(version.value(), latestSchemaVersion());
        QCOMPARE(scalar(db.handle(), "PRAGMA journal_mode").toString(), QString("wal"));
        QCOMPARE(scalar(db.handle(), "PRAGMA synchronous").toInt(), 1); // NORMAL
        QCOMPARE(scalar(db.handle(), "PRAGMA foreign_keys").toInt(), 1);
        for (const char *table :
             {"calls", "timeline_events", "triage_reports", "transcript_segments", "vitals_samples",
              "locations", "recordings", "frames", "audit_log", "schema_version"})
            QVERIFY2(db.handle().tables().contains(table), table);
        // Opening again applies nothing twice.
        db.close();
        QCOMPARE(db.open().value(), latestSchemaVersion());
        QCOMPARE(scalar(db.handle(), "SELECT COUNT(*) FROM schema_version").toInt(),
                 latestSchemaVersion());
    }

    void migratesAVersionOneDatabase()
    {
        const QString path = m_dir.filePath("v1.sqlite");
        {
            Database v1(path);
            QCOMPARE(v1.open(Database::Mode::ReadWrite, 1).value(), 1);
            QVERIFY(!v1.handle().tables().contains("audit_log"));
            QSqlQuery q(v1.handle());
            QVERIFY(q.exec("INSERT INTO calls (id, call_id, state, ringing_at, media_dir) "
                           "VALUES (7, 'old-call', 'ended', 1000, 'recordings/x')"));
            QVERIFY(q.exec("INSERT INTO recordings (call, track, path, started_at, sample_rate, "
                           "bytes) VALUES (7, 'caller', 'recordings/x/caller.wav', 1000, 16000, "
                           "64000)"));
        }
        Database db(path);
        const auto version = db.open();
        QVERIFY2(version, qPrintable(version.error().message));
        QCOMPARE(version.value(), latestSchemaVersion());
        QCOMPARE(scalar(db.handle(), "SELECT call_id FROM calls WHERE id = 7").toString(),
                 QString("old-call"));
        // v3 added lost_bytes with a default for rows that existed before it.
        QCOMPARE(scalar(db.handle(), "SELECT lost_bytes FROM recordings WHERE call = 7").toInt(),
                 0);
        QVERIFY(db.handle().tables().contains("audit_log"));
        QCOMPARE(scalar(db.handle(), "SELECT group_concat(version) FROM schema_version").toString(),
                 QString("1,2,3,4,5,6,7,8,9"));
        // v7: a call from before follow-ups needs none.
        QVERIFY(scalar(db.handle(), "SELECT follow_up FROM calls WHERE id = 7").isNull());
        // v9: a call from before nodes is held by none; the nodes table starts empty.
        QVERIFY(scalar(db.handle(), "SELECT node FROM calls WHERE id = 7").isNull());
        QCOMPARE(scalar(db.handle(), "SELECT COUNT(*) FROM nodes").toInt(), 0);
        // v4 tags the hash version of every audit entry; older entries are unkeyed (1).
        QVERIFY(db.handle().record("audit_log").contains("version"));
    }

    void refusesWhatItDoesNotKnow()
    {
        // A database from a newer build is left alone.
        const QString newer = m_dir.filePath("newer.sqlite");
        {
            Database db(newer);
            QVERIFY(db.open());
            QSqlQuery q(db.handle());
            QVERIFY(q.exec("INSERT INTO schema_version VALUES (99, 'future', 0)"));
        }
        Database db(newer);
        const auto refused = db.open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("schema_too_new"));
        QVERIFY(!db.isOpen());

        // A file that is not a database at all.
        const QString junk = m_dir.filePath("junk.sqlite");
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'j'));
        f.close();
        Database bad(junk);
        QVERIFY(!bad.open());
        QCOMPARE(QFile(junk).size(), qint64(4096)); // untouched

        // Read-only open of a missing file does not create it.
        Database missing(m_dir.filePath("missing.sqlite"));
        QCOMPARE(missing.open(Database::Mode::ReadOnly).error().code, QString("not_found"));
        QVERIFY(!QFile::exists(m_dir.filePath("missing.sqlite")));
    }

    void batchesRowsIntoOneTransaction()
    {
        Database db(m_dir.filePath("batch.sqlite"));
        QVERIFY(db.open());
        BatchWriter writer(db.handle(), {});
        QSignalSpy committed(&writer, &BatchWriter::batchCommitted);
        for (int i = 0; i < 120; ++i)
            writer.enqueue("INSERT INTO calls (call_id, state, ringing_at, media_dir) "
                           "VALUES (?, 'ringing', ?, 'recordings/x')",
                           {QString("c%1").arg(i), i});
        QCOMPARE(writer.pendingRows(), 120);
        // The timer commits them, all together.
        QTRY_COMPARE(committed.count(), 1);
        QCOMPARE(committed.at(0).at(0).toInt(), 120);
        QCOMPARE(writer.stats().transactions, quint64(1));
        QCOMPARE(scalar(db.handle(), "SELECT COUNT(*) FROM calls").toInt(), 120);
    }

    void aBadRowIsSkippedNotBlocking()
    {
        Database db(m_dir.filePath("reject.sqlite"));
        QVERIFY(db.open());
        BatchWriter writer(db.handle(), {});
        writer.enqueue("INSERT INTO calls (id, call_id, state, ringing_at, media_dir) "
                       "VALUES (1, 'a', 'ringing', 1, 'recordings/a')",
                       {});
        // Violates the foreign key: no call 999.
        writer.enqueue("INSERT INTO timeline_events (call, at, kind) VALUES (999, 1, 'rang')", {});
        writer.enqueue("INSERT INTO timeline_events (call, at, kind) VALUES (1, 1, 'rang')", {});
        QVERIFY(writer.flush());
        QCOMPARE(writer.stats().rejectedRows, quint64(1));
        QCOMPARE(scalar(db.handle(), "SELECT COUNT(*) FROM timeline_events").toInt(), 1);
        QCOMPARE(writer.pendingRows(), 0);
    }

    void auditChainVerifiesAndNamesTheFirstBrokenEntry()
    {
        Database db(m_dir.filePath("audit.sqlite"));
        QVERIFY(db.open());
        BatchWriter writer(db.handle(), {});
        AuditTrail audit(&writer, clock());
        QVERIFY(audit.load(db.handle()));
        for (int i = 1; i <= 5; ++i) {
            m_now = m_now.addSecs(1);
            QCOMPARE(audit.appendAudit("ai:gemini", "triage_report", "call-1",
                                       {{"severity", i}, {"summary", "line\nbreak \"quoted\""}}),
                     qint64(i));
        }
        audit.appendAudit("dispatcher:alice", "export", QString(), {});
        QVERIFY(writer.flush());
        auto v = verifyAuditChain(db.handle());
        QCOMPARE(v.status, AuditVerification::Status::Valid);
        QCOMPARE(v.entries, qint64(6));
        QCOMPARE(v.headHash, audit.headHash());

        // Append-only: the database itself refuses edits and deletions.
        QSqlQuery q(db.handle());
        QVERIFY(!q.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"));
        QVERIFY(q.lastError().text().contains("append-only"));
        QVERIFY(!q.exec("DELETE FROM audit_log WHERE seq = 6"));

        // Someone who drops the trigger and edits a row is still caught, at that row.
        QVERIFY(q.exec("DROP TRIGGER audit_log_no_update"));
        QVERIFY(q.exec("UPDATE audit_log SET details = '{\"severity\":1}' WHERE seq = 3"));
        v = verifyAuditChain(db.handle());
        QCOMPARE(v.status, AuditVerification::Status::Broken);
        QCOMPARE(v.firstBrokenSeq, qint64(3));
        QCOMPARE(v.entries, qint64(2));

        // Recomputing that row's hash moves the break to the next entry's link.
        QSqlQuery row(db.handle());
        QVERIFY(row.exec("SELECT seq, at, actor, action, call_id, details, prev_hash FROM "
                         "audit_log WHERE seq = 3") &&
                row.next());
        AuditEntry e{row.value(0).toLongLong(), row.value(1).toLongLong(),
                     row.value(2).toString(),   row.value(3).toString(),
                     row.value(4).toString(),   row.value(5).toString(),
                     row.value(6).toString(),   QString()};
        row.finish();
        QVERIFY(q.exec(
            QString("UPDATE audit_log SET hash = '%1' WHERE seq = 3").arg(auditEntryHash(e))));
        v = verifyAuditChain(db.handle());
        QCOMPARE(v.firstBrokenSeq, qint64(4));

        // A deleted entry is a gap.
        QVERIFY(q.exec("DROP TRIGGER audit_log_no_delete"));
        QVERIFY(q.exec("DELETE FROM audit_log WHERE seq IN (3, 4)"));
        v = verifyAuditChain(db.handle());
        QCOMPARE(v.status, AuditVerification::Status::Broken);
        QCOMPARE(v.firstBrokenSeq, qint64(3));
        QVERIFY(v.reason.contains("missing"));
    }

    void chainContinuesAcrossRestarts()
    {
        const QString path = m_dir.filePath("restart.sqlite");
        QString head;
        {
            Database db(path);
            QVERIFY(db.open());
            BatchWriter writer(db.handle(), {});
            AuditTrail audit(&writer, clock());
            QVERIFY(audit.load(db.handle()));
            audit.appendAudit("system", "storage_opened", QString());
            audit.appendAudit("dispatcher:bob", "answer", "c9");
            head = audit.headHash();
        }
        Database db(path);
        QVERIFY(db.open());
        BatchWriter writer(db.handle(), {});
        AuditTrail audit(&writer, clock());
        QVERIFY(audit.load(db.handle()));
        QCOMPARE(audit.lastSeq(), qint64(2));
        QCOMPARE(audit.headHash(), head);
        audit.appendAudit("dispatcher:bob", "end", "c9", {{"reason", "dispatcher_ended"}});
        QVERIFY(writer.flush());
        const auto v = verifyAuditChain(db.handle());
        QCOMPARE(v.status, AuditVerification::Status::Valid);
        QCOMPARE(v.entries, qint64(3));
    }

    void canonicalFormIsUnambiguous()
    {
        AuditEntry a{1, 5, "ab", "c", "", "{}", auditGenesisHash(), QString()};
        AuditEntry b{1, 5, "a", "bc", "", "{}", auditGenesisHash(), QString()};
        QVERIFY(canonicalAuditBytes(a) != canonicalAuditBytes(b));
        QVERIFY(auditEntryHash(a) != auditEntryHash(b));
        QCOMPARE(auditEntryHash(a).size(), 64);
        // Oversized details are replaced by their checksum, bounded.
        QJsonObject big{{"blob", QString(AuditEntry::MaxDetailsBytes, 'x')}};
        const QString stub = canonicalAuditDetails(big);
        QVERIFY(stub.size() < 200);
        QVERIFY(stub.contains("sha256"));
    }
};

QTEST_GUILESS_MAIN(TestStorageDb)
#include "tst_storagedb.moc"
