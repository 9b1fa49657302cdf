#pragma once

#include "common/clock.h"
#include "common/metricsregistry.h"
#include "storage/auditanchor.h"
#include "storage/auditsink.h"
#include "storage/batchwriter.h"
#include "storage/callhistory.h"
#include "storage/callrecorder.h"
#include "storage/crashrecovery.h"
#include "storage/databasetarget.h"
#include "storage/incidentexport.h"
#include "storage/noderegistry.h"
#include "storage/retentionsweeper.h"
#include "storage/storagehealth.h"

#include <QLockFile>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace dispatch {

class AuditTrail;
class CallAuditor;
class CallKeys;
class CallStore;
class Database;
class StorageThread;
class MetricsRegistry;

struct StorageConfig
{
    QString dataDir;
    // The database: SQLite (with an empty path: <dataDir>/dispatch.sqlite, the default) or
    // PostgreSQL. Recordings and frames stay in the data dir either way.
    DatabaseTarget database;
    QString agencyId = QStringLiteral("psap.invalid"); // for exported incidents
    BatchWriterConfig batching;
    CallRecorderConfig recorder; // dataDir is taken from above
    RetentionConfig retention;
    StorageHealthConfig health;
    // The audit key, OUTSIDE the data dir (created 0600 on first start), and the anchor beside
    // it (empty: defaultAuditAnchorPath). Without a key path the trail is unkeyed and
    // unanchored: only tests and benchmarks run so; the app always gives one.
    QString auditKeyPath;
    QString auditAnchorPath;
    int auditAnchorIntervalMs = 1000; // the anchor follows committed entries this closely
    // This engine node: its name (one process per name on a database), its addresses, and its
    // heartbeat (PostgreSQL; docs/CLUSTER.md).
    NodeConfig node;
};

// The storage subsystem as one piece for the composition root: the database, crash recovery,
// the call recorder, the audit trail, retention, disk health and export. If the database cannot
// be opened the console still answers calls (a caller must never get no answer because a disk
// is broken): open() fails, health() is Unavailable, /health is not ready, and the log says so
// loudly; appendAudit() then logs and counts instead of recording. One console per data dir: a
// lock file keeps a second one from writing into the same database. On PostgreSQL several
// nodes share the database, one process per node name (see NodeRegistry).
class Storage : public QObject, public AuditSink
{
    Q_OBJECT

public:
    Storage(StorageConfig config, CallStore &store, MetricsRegistry &metrics,
            Clock clock = systemClock(), QObject *parent = nullptr);
    ~Storage() override;

    // Opens the database (<dataDir>/dispatch.sqlite by default), recovers from a crash, starts
    // recording and sweeping.
    Parsed<RecoveryReport> open();
    bool isRecording() const { return m_recorder != nullptr; }

    // For every subsystem that acts on calls (AI tool calls, transfers, playback): see
    // AuditTrail. Returns the entry's sequence number, 0 if storage is unavailable.
    qint64 appendAudit(const QString &actor, const QString &action, const QString &callId,
                       const QJsonObject &details = {}) override;

    // Writes the newest call with this id as an EIDO incident plus its recordings into
    // targetDir, and audits the export (files and checksums) as `actor`.
    Parsed<QList<ExportedFile>> exportCall(const QString &callId, const QString &targetDir,
                                           const QString &actor);

    // Read access for history and playback (invalid until open() succeeded), on this
    // thread's connection: single calls (open, export checks), not searches.
    std::optional<CallHistory> history() const;
    // A history search on the history thread, with a read-only connection of its own: a large
    // search never delays the UI, a call's audio or the writes. `done` runs on this thread,
    // unless `context` is gone by then.
    using HistorySearchDone = std::function<void(const Parsed<QList<StoredCall>> &)>;
    void searchHistory(const HistoryQuery &query, QObject *context, HistorySearchDone done);

    StorageHealth &health() { return *m_health; }
    // The database in use (the SQLite file, or the PostgreSQL URL without a password).
    QString databaseDescription() const { return m_config.database.describe(); }
    bool usesPostgres() const { return m_config.database.isPostgres(); }
    // How the audit trail compared with its anchor when open() ran (Consistent when it
    // matched, when there was no anchor yet, or without a key).
    const AnchorComparison &auditAtOpen() const { return m_auditAtOpen; }
    // The anchor file kept for this data dir (empty without a key).
    QString auditAnchorPath() const;
    // Commits everything queued (shutdown, tests).
    bool flush();

    // Inner parts, for tests and metrics (null until open() succeeded).
    BatchWriter *writer() const { return m_writer.get(); }
    CallRecorder *recorder() const { return m_recorder.get(); }
    RetentionSweeper *retention() const { return m_retention.get(); }
    NodeRegistry *node() const { return m_node.get(); }
    CallKeys *callKeys() const { return m_keys.get(); }
    // The database link as /health shows it: whether writes and heartbeats get through, the
    // last error, what waits in memory.
    bool databaseConnected() const;
    QString lastDatabaseError() const { return m_lastDatabaseError; }

private:
    AuditKey openAuditKey();
    // Puts the calls still awaiting a callback back into the store; returns those it restored
    // (for the recorder to adopt once it follows the store).
    QList<StoredCall> restoreOpenFollowUps();
    void checkAuditAnchor();
    // The main connection, reconnected if the server dropped it (see Database).
    bool ensureConnected(bool probe = false) const;

    StorageConfig m_config;
    CallStore &m_store;
    Clock m_clock;
    std::unique_ptr<StorageHealth> m_health;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<Database> m_db;        // this thread's connection: startup, history, export
    std::unique_ptr<StorageThread> m_jobs; // commits and recording writes
    std::unique_ptr<BatchWriter> m_writer;
    struct HistoryReader;
    std::unique_ptr<StorageThread> m_reads;  // history searches (created on the first one)
    std::shared_ptr<HistoryReader> m_reader; // touched only by jobs on m_reads
    std::unique_ptr<AuditTrail> m_audit;
    std::unique_ptr<AuditAnchorKeeper> m_anchor;
    AnchorComparison m_auditAtOpen;
    bool m_writesFailed = false; // since the last commit: the main connection may be gone too
    QString m_lastDatabaseError;
    bool m_heartbeatFailed = false; // since the last heartbeat that got through
    static constexpr int MaxRestoredFollowUps = 500;
    std::unique_ptr<NodeRegistry> m_node; // the name's session lock lives on m_db
    std::unique_ptr<CallKeys> m_keys;
    std::unique_ptr<CallRecorder> m_recorder;
    std::unique_ptr<CallAuditor> m_auditor;
    std::unique_ptr<RetentionSweeper> m_retention;
    std::vector<GaugeHandle> m_gauges; // last: removed first, before what they sample
};

} // namespace dispatch
