// The audit trail against someone who can write the data dir but not the key beside it: a
// keyed chain, an anchor outside the data dir, seals over each call's recordings, transcript
// and triage, and owner-only files. Each tampering the old unkeyed chain let through is tried
// here and must be reported, each in its own words.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace dispatch;
using namespace dispatch::test;

namespace {

// A raw connection, as an intruder with write access to the file would use.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        const bool ok = q.exec(sql);
        if (!ok)
            qWarning() << sql << q.lastError().text();
        return ok;
    }
    QSqlDatabase &handle() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

int mode(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

} // namespace

class TestAuditTamper : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(3, 0), Qt::UTC);
    std::unique_ptr<QTemporaryDir> m_root; // one per test: data dir and key dir side by side

    Clock clock()
    {
        return [this] { return m_now; };
    }
    QString dataDir() const { return m_root->filePath("data"); }
    QString keyPath() const { return m_root->filePath("keys/audit.key"); }
    QString dbPath() const { return QDir(dataDir()).filePath(Database::fileName()); }
    StorageConfig config() const
    {
        StorageConfig c;
        c.dataDir = dataDir();
        c.auditKeyPath = keyPath();
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        return c;
    }
    AuditVerification verify() const
    {
        AuditVerifyOptions options;
        options.keyPath = keyPath();
        return verifyAuditLog(dataDir(), options);
    }

    // A console that takes one call (audio, a transcript line, an AI report, an override) and
    // shuts down cleanly, leaving its anchor behind.
    void runOneCall(const QString &id, StorageConfig c)
    {
        CallStore store({}, clock());
        MetricsRegistry metrics;
        Storage storage(c, store, metrics, clock());
        QVERIFY(storage.open());
        store.addCall(id, GeoLocation{52.52, 13.405, 12.0, m_now});
        store.addAudio(id, testPcm(1600, 1));
        store.answer(id, Actor::dispatcher("alice"));
        store.addTranscript(id, {m_now, Speaker::Caller, "he is not breathing", true});
        TriageReport ai;
        ai.source = TriageSource::Local;
        ai.severity = 4;
        ai.situationSummary = "Adult not breathing";
        store.setTriage(id, ai);
        ai.severity = 5;
        store.overrideTriage(id, ai, Actor::supervisor("carol"));
        m_now = m_now.addSecs(1);
        store.addAudio(id, testPcm(1600, 2));
        store.sendTalkBack(id, testPcm(800, 3));
        store.end(id, EndReason::DispatcherEnded, Actor::dispatcher("alice"));
        QVERIFY(storage.flush());
    }
    void runOneCall(const QString &id) { runOneCall(id, config()); }

    qint64 entries()
    {
        RawDb db(dbPath());
        return queryValue(db.handle(), "SELECT COUNT(*) FROM audit_log").toLongLong();
    }

private Q_SLOTS:
    void init()
    {
        m_root = std::make_unique<QTemporaryDir>();
        QVERIFY(m_root->isValid());
    }

    void untouchedChainVerifies()
    {
        runOneCall("c-1");
        runOneCall("c-2");
        const AuditVerification v = verify();
        QVERIFY2(v.status == AuditVerification::Status::Valid, qPrintable(v.reason));
        QCOMPARE(v.keyedFrom, qint64(1));
        QCOMPARE(v.entries, entries());
        QCOMPARE(v.sealedCalls, qint64(2));
        // Every entry is keyed; the anchor beside the key names the head.
        RawDb db(dbPath());
        QCOMPARE(
            queryValue(db.handle(), "SELECT COUNT(*) FROM audit_log WHERE version != 2").toInt(),
            0);
        const QString anchorPath = defaultAuditAnchorPath(keyPath(), dataDir());
        QVERIFY(QFile::exists(anchorPath));
        const auto anchor = readAuditAnchor(anchorPath, AuditKey::load(keyPath()).value());
        QVERIFY(anchor && anchor.value());
        QCOMPARE(anchor.value()->entries, v.entries);
        QCOMPARE(anchor.value()->head, v.headHash);
        // The seal names both tracks with their digests.
        const QJsonObject seal =
            QJsonDocument::fromJson(queryValue(db.handle(), "SELECT details FROM audit_log WHERE "
                                                            "action = 'call_sealed' AND "
                                                            "call_id = 'c-1'")
                                        .toString()
                                        .toUtf8())
                .object();
        QCOMPARE(seal.value("recordings").toArray().size(), 2);
        QCOMPARE(seal.value("transcript").toObject().value("rows").toInt(), 1);
        QCOMPARE(seal.value("triage").toObject().value("rows").toInt(), 2);
        // Without the key, a keyed chain cannot be vouched for.
        QCOMPARE(verifyAuditLog(dataDir()).status, AuditVerification::Status::CannotOpen);
    }

    void deletingTheNewestEntriesIsTruncation()
    {
        runOneCall("c-1");
        const qint64 before = entries();
        {
            RawDb db(dbPath());
            QVERIFY(db.exec("DROP TRIGGER audit_log_no_delete"));
            QVERIFY(db.exec(QString("DELETE FROM audit_log WHERE seq > %1").arg(before - 3)));
        }
        // The remaining chain verifies on its own; only the anchor shows what is missing.
        AuditVerification v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Truncated);
        QVERIFY2(v.reason.contains("newest 3 entries"), qPrintable(v.reason));

        // A console started on it says so at once: log, storage health, and the chain itself.
        CallStore store({}, clock());
        MetricsRegistry metrics;
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression("AUDIT TRAIL TRUNCATED"));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression("STORAGE audit_alarm"));
        Storage storage(config(), store, metrics, clock());
        QVERIFY(storage.open());
        QCOMPARE(findingName(storage.auditAtOpen().finding), QString("truncated"));
        QCOMPARE(toString(storage.health().state()), toString(StorageHealth::State::AuditAlarm));
        QVERIFY(storage.health().detail().contains("truncated"));
        QVERIFY(storage.flush());
        RawDb db(dbPath());
        QCOMPARE(queryValue(db.handle(), "SELECT COUNT(*) FROM audit_log WHERE action = "
                                         "'audit_anchor_mismatch'")
                     .toInt(),
                 1);
    }

    void aChainRecomputedWithoutTheKeyIsDetected()
    {
        runOneCall("c-1");
        // What the old tool let anyone do: rewrite every entry (here: erase the supervisor's
        // override) and recompute the plain SHA-256 chain.
        auto rewrite = [this](bool downgrade) {
            RawDb db(dbPath());
            QVERIFY(db.exec("DROP TRIGGER IF EXISTS audit_log_no_update"));
            QSqlQuery q(db.handle());
            QVERIFY(q.exec("SELECT seq, at, actor, action, call_id, details, version FROM "
                           "audit_log ORDER BY seq"));
            QList<AuditEntry> all;
            while (q.next())
                all.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                            q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                            QString(), QString(), q.value(6).toInt()});
            q.finish();
            QString previous = auditGenesisHash();
            for (AuditEntry &e : all) {
                if (e.actor == "supervisor:carol")
                    e.actor = "dispatcher:alice";
                if (downgrade)
                    e.version = AuditEntry::LegacyVersion;
                e.prevHash = previous;
                QByteArray bytes = canonicalAuditBytes(e);
                e.hash = QString::fromLatin1(
                    QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
                previous = e.hash;
                QSqlQuery u(db.handle());
                u.prepare("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ?, version = ? "
                          "WHERE seq = ?");
                u.addBindValue(e.actor);
                u.addBindValue(e.prevHash);
                u.addBindValue(e.hash);
                u.addBindValue(e.version);
                u.addBindValue(e.seq);
                QVERIFY(u.exec());
            }
        };
        // Kept as keyed entries: the first one's MAC does not verify.
        rewrite(false);
        AuditVerification v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Broken);
        QCOMPARE(v.firstBrokenSeq, qint64(1));
        // Passed off as an old unkeyed chain: every hash verifies, but it is not the anchored
        // chain.
        rewrite(true);
        v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Rewritten);

        CallStore store({}, clock());
        MetricsRegistry metrics;
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression("AUDIT TRAIL REWRITTEN"));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression("STORAGE audit_alarm"));
        Storage storage(config(), store, metrics, clock());
        QVERIFY(storage.open());
        QCOMPARE(findingName(storage.auditAtOpen().finding), QString("rewritten"));
    }

    void anEmptiedTrailIsDetected()
    {
        runOneCall("c-1");
        {
            RawDb db(dbPath());
            QVERIFY(db.exec("DROP TRIGGER audit_log_no_delete"));
            QVERIFY(db.exec("DELETE FROM audit_log"));
        }
        const AuditVerification v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Emptied);
        // A missing anchor is reported too, not taken for a fresh start.
        QVERIFY(QFile::remove(defaultAuditAnchorPath(keyPath(), dataDir())));
        runOneCall("c-2"); // re-anchors (and logs that anchoring starts now)
        QVERIFY(QFile::remove(defaultAuditAnchorPath(keyPath(), dataDir())));
        QCOMPARE(verify().status, AuditVerification::Status::Unanchored);
    }

    void aModifiedRecordingOrTranscriptIsDetected()
    {
        runOneCall("c-1");
        runOneCall("c-2");
        QVERIFY(verify().isIntact());
        RawDb db(dbPath());
        const QString wav =
            QDir(dataDir()).filePath(queryValue(db.handle(), "SELECT r.path FROM recordings r "
                                                             "JOIN calls c ON c.id = r.call WHERE "
                                                             "c.call_id = 'c-1' AND r.track = "
                                                             "'caller'")
                                         .toString());
        QFile f(wav);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(100));
        QVERIFY(f.write("\x7f\x7f", 2) == 2); // two samples changed, same size
        f.close();
        AuditVerification v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Modified);
        QCOMPARE(v.modified.size(), 1);
        QVERIFY2(v.modified.constFirst().contains("c-1") &&
                     v.modified.constFirst().contains("caller.wav"),
                 qPrintable(v.modified.constFirst()));

        QVERIFY(db.exec("UPDATE transcript_segments SET text = 'he is breathing' WHERE call = "
                        "(SELECT id FROM calls WHERE call_id = 'c-2')"));
        v = verify();
        QCOMPARE(v.modified.size(), 2);
        QVERIFY2(v.modified.at(1).contains("c-2") && v.modified.at(1).contains("transcript"),
                 qPrintable(v.modified.at(1)));

        // Deleting a call's rows is no way out either (retention would have audited it).
        QVERIFY(db.exec("PRAGMA foreign_keys = ON"));
        QVERIFY(db.exec("DELETE FROM calls WHERE call_id = 'c-2'"));
        v = verify();
        QVERIFY(v.modified.at(1).contains("deleted"));
    }

    void unkeyedEntriesAreSealedByTheFirstKeyedOne()
    {
        StorageConfig unkeyed = config();
        unkeyed.auditKeyPath.clear();
        runOneCall("old-1", unkeyed); // written before this console kept a key
        const qint64 legacy = entries();
        runOneCall("new-1");
        AuditVerification v = verify();
        QVERIFY2(v.isIntact(), qPrintable(v.reason));
        QCOMPARE(v.keyedFrom, legacy + 1);
        // A legacy entry altered and re-hashed: its own hash verifies, the link to the first
        // keyed entry does not.
        {
            RawDb db(dbPath());
            QVERIFY(db.exec("DROP TRIGGER audit_log_no_update"));
            QSqlQuery q(db.handle());
            QVERIFY(q.exec(QString("SELECT seq, at, actor, action, call_id, details, prev_hash "
                                   "FROM audit_log WHERE seq = %1")
                               .arg(legacy)) &&
                    q.next());
            AuditEntry e{q.value(0).toLongLong(),
                         q.value(1).toLongLong(),
                         "mallory",
                         q.value(3).toString(),
                         q.value(4).toString(),
                         q.value(5).toString(),
                         q.value(6).toString(),
                         QString(),
                         1};
            q.finish();
            QVERIFY(db.exec(QString("UPDATE audit_log SET actor = 'mallory', hash = '%1' WHERE "
                                    "seq = %2")
                                .arg(auditEntryHash(e))
                                .arg(legacy)));
        }
        v = verify();
        QCOMPARE(v.status, AuditVerification::Status::Broken);
        QCOMPARE(v.firstBrokenSeq, legacy + 1);
    }

    void recordsAreOwnerOnly()
    {
        const mode_t old = ::umask(022); // a desktop session's umask
        QVERIFY(QDir().mkpath(dataDir()));
        QVERIFY(QFile::setPermissions(
            dataDir(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                           QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                           QFileDevice::ExeOther));
        QCOMPARE(mode(dataDir()), 0755);
        {
            CallStore store({}, clock());
            MetricsRegistry metrics;
            Storage storage(config(), store, metrics, clock());
            QVERIFY(storage.open());
            store.addCall("m-1", std::nullopt);
            store.addAudio("m-1", testPcm(1600, 1));
            store.addFrame("m-1", QByteArray("\xFF\xD8\xFF frame"));
            store.answer("m-1", Actor::dispatcher("alice"));
            store.end("m-1", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
            QVERIFY(storage.flush());
            QTemporaryDir exportDir;
            const auto exported =
                storage.exportCall("m-1", exportDir.filePath("out"), "dispatcher:alice");
            QVERIFY(exported);
            for (const ExportedFile &file : exported.value())
                QCOMPARE(mode(file.path), 0600);
        }
        ::umask(old);
        QCOMPARE(mode(dataDir()), 0700); // tightened, with a log line
        QCOMPARE(mode(dbPath()), 0600);
        for (const char *suffix : {"-wal", "-shm"}) {
            if (QFile::exists(dbPath() + suffix))
                QCOMPARE(mode(dbPath() + QLatin1String(suffix)), 0600);
        }
        RawDb db(dbPath());
        const QString wav = QDir(dataDir()).filePath(
            queryValue(db.handle(), "SELECT path FROM recordings WHERE track = 'caller'")
                .toString());
        QCOMPARE(mode(wav), 0600);
        const QString frame = QDir(dataDir()).filePath(
            queryValue(db.handle(), "SELECT path FROM frames LIMIT 1").toString());
        QCOMPARE(mode(frame), 0600);
        QCOMPARE(mode(keyPath()), 0600);
        QCOMPARE(mode(QFileInfo(keyPath()).absolutePath()), 0700);
        QCOMPARE(mode(defaultAuditAnchorPath(keyPath(), dataDir())), 0600);
    }
};

QTEST_GUILESS_MAIN(TestAuditTamper)
#include "tst_audittamper.moc"
