#pragma once

#include "common/parseresult.h"
#include "storage/auditkey.h"

#include <QDateTime>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QTimer>

#include <optional>

namespace dispatch {

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
// and once more on shutdown.
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
    // Entries were committed: the anchor follows within the interval.
    void noteCommitted();
    // Writes the anchor now if the committed chain moved since the last write.
    bool writeNow();

    const QString &path() const { return m_path; }

private:
    struct Head
    {
        qint64 entries = 0;
        QString hash;
        qint64 keyedFrom = 0;
    };
    std::optional<Head> committedHead() const;

    QSqlDatabase m_db;
    AuditKey m_key;
    QString m_path;
    QString m_dataDir;
    QTimer m_timer;
    qint64 m_writtenEntries = -1;
    QString m_writtenHead;
};

} // namespace dispatch
