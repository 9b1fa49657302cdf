#pragma once

#include "common/parseresult.h"
#include "storage/auditkey.h"

#include <QDateTime>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>

namespace dispatch {

class BatchWriter;

// Where the audit chain stood last, kept OUTSIDE the data dir (beside the key): the number of
// entries and the head hash. A hash chain alone cannot show that its newest entries were cut
// off, or that the whole table was replaced by a recomputed one; comparing with the anchor can.
//
// File (JSON, mode 0600, replaced atomically):
//   {"format": "dispatch-audit-anchor", "version": 1, "data_dir": "/abs/data/dir",
//    "entries": 1234, "head": "<64 hex>", "keyed_from": 17, "key_id": "<16 hex>",
//    "updated": "2026-11-22T03:00:00.000Z", "mac": "<HMAC-SHA256 of the fields, hex>"}
struct AuditAnchor
{
    qint64 entries = 0;
    QString head;
    qint64 keyedFrom = 0; // the first keyed entry (0: none yet)
    QString keyId;
    QString dataDir;
    QDateTime updated;
};

// The anchor of the chain in `dataDir`, beside the key: <key dir>/audit-<16 hex of the data
// dir's absolute path>.anchor, so consoles with different data dirs can share one key.
QString defaultAuditAnchorPath(const QString &keyPath, const QString &dataDir);

// nullopt when there is no anchor file yet; an error when it cannot be read, is not an anchor
// or its MAC does not verify with `key`.
Parsed<std::optional<AuditAnchor>> readAuditAnchor(const QString &path, const AuditKey &key);
Parsed<bool> writeAuditAnchor(const QString &path, const AuditAnchor &anchor, const AuditKey &key);

// How a chain compares with its anchor.
struct AnchorComparison
{
    enum class Finding
    {
        Consistent,
        Truncated,
        Rewritten,
        Emptied
    };
    Finding finding = Finding::Consistent;
    QString reason;
};
QString findingName(AnchorComparison::Finding finding);

// entries: the chain's last sequence number; hashAtAnchor: the hash of its entry number
// anchor.entries (empty if there is none); keyedFrom: its first keyed entry (0: none).
AnchorComparison compareWithAnchor(qint64 entries, const QString &hashAtAnchor, qint64 keyedFrom,
                                   const AuditAnchor &anchor);

// Keeps the anchor of a running console: checks the chain against it at start, then rewrites
// it (throttled to one write per interval, each write logged) as audit entries are committed,
// and once more on shutdown. Once writeInBackground() is called, the rewrites that follow
// commits run on the storage thread (the head read through the writer's connection, the
// anchor's fsync there too): an fsync can wait seconds behind a busy disk's journal, and the
// main thread carries the calls' audio.
class AuditAnchorKeeper : public QObject
{
    Q_OBJECT

public:
    AuditAnchorKeeper(QSqlDatabase db, AuditKey key, QString anchorPath, QString dataDir,
                      int intervalMs = 1000, QObject *parent = nullptr);
    ~AuditAnchorKeeper() override;

    // Compares the committed chain with the anchor on disk. No anchor file: Consistent (the
    // caller logs that anchoring starts now).
    AnchorComparison checkAtStart(bool *hadAnchor = nullptr);
    // From now on the rewrites after commits run as `writer`'s storage jobs.
    void writeInBackground(BatchWriter *writer) { m_background = writer; }
    // Entries were committed: the anchor follows within the interval.
    void noteCommitted();
    // Writes the anchor now, on this thread, if the committed chain moved since the last write.
    // At start and at shutdown (after the writer's flush, when no storage job is running).
    bool writeNow();

    const QString &path() const { return m_path; }

private:
    // The head last written, shared by the writes on this thread and on the storage thread.
    struct Written
    {
        std::mutex mutex;
        qint64 entries = -1;
        QString head;
    };
    void writeSoon();

    QSqlDatabase m_db;
    AuditKey m_key;
    QString m_path;
    QString m_dataDir;
    QTimer m_timer;
    BatchWriter *m_background = nullptr;
    std::shared_ptr<Written> m_written = std::make_shared<Written>();
};

} // namespace dispatch
