#include "storage/storage.h"

#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "common/threadpriority.h"
#include "storage/audittrail.h"
#include "storage/callauditor.h"
#include "storage/callkeys.h"
#include "storage/database.h"
#include "storage/followuprestore.h"
#include "storage/privatefiles.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"
#include "storage/storagethread.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QPointer>

namespace dispatch {

namespace {
// Nice steps of the history thread below the others (decoders run at 10).
constexpr int HistoryThreadNice = 5;
} // namespace

// The history thread's read-only connection, opened by its first search.
struct Storage::HistoryReader
{
    DatabaseTarget database;
    QString dataDir;
    std::unique_ptr<Database> db;

    Parsed<QList<StoredCall>> search(const HistoryQuery &query)
    {
        // A dropped PostgreSQL connection shows only when a query fails: then once more, on a
        // connection opened again.
        for (int attempt = 0;; ++attempt) {
            if (db && !db->ensureConnected())
                db.reset();
            if (!db) {
                auto opened = std::make_unique<Database>(database);
                if (const auto version = opened->open(Database::Mode::ReadOnly); !version)
                    return version.error();
                db = std::move(opened);
            }
            auto found = CallHistory(db->handle(), dataDir).search(query);
            if (found || db->isOpen() || attempt > 0)
                return found;
        }
    }
};

Storage::Storage(StorageConfig config, CallStore &store, MetricsRegistry &metrics, Clock clock,
                 QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_store(store)
    , m_clock(std::move(clock))
    , m_health(std::make_unique<StorageHealth>(m_config.dataDir, m_config.health))
{
    m_config.recorder.dataDir = m_config.dataDir;
    if (!m_config.database.isPostgres() && m_config.database.sqlitePath.isEmpty())
        m_config.database.sqlitePath = QDir(m_config.dataDir).filePath(Database::fileName());
    const QPointer<Storage> self(this);
    auto stat = [self](auto read) {
        return [self, read]() -> MetricsRegistry::Samples {
            if (!self)
                return {};
            return {{QString(), static_cast<double>(read(*self))}};
        };
    };
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_recorded_audio_bytes"),
        QStringLiteral("Caller audio bytes written to recordings"),
        stat([](Storage &s) { return s.m_recorder ? s.m_recorder->stats().audioBytes : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_lost_audio_bytes"),
        QStringLiteral("Audio bytes not recorded because a write failed"),
        stat([](Storage &s) { return s.m_recorder ? s.m_recorder->stats().lostAudioBytes : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_rows_written"), QStringLiteral("Database rows committed"),
        stat([](Storage &s) { return s.m_writer ? s.m_writer->stats().rowsWritten : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_transactions"),
        QStringLiteral("Database transactions committed"),
        stat([](Storage &s) { return s.m_writer ? s.m_writer->stats().transactions : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_pending_rows"),
        QStringLiteral("Rows waiting to be committed"),
        stat([](Storage &s) { return s.m_writer ? s.m_writer->pendingRows() : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_dropped_rows"),
        QStringLiteral("Vitals/location/frame rows shed while the disk failed"),
        stat([](Storage &s) { return s.m_writer ? s.m_writer->stats().droppedRows : 0; })));
    m_gauges.push_back(metrics.addGauge(QStringLiteral("dispatch_storage_free_bytes"),
                                        QStringLiteral("Free bytes on the data dir's filesystem"),
                                        stat([](Storage &s) { return s.m_health->freeBytes(); })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_ok"), QStringLiteral("1 when storage is healthy"),
        stat([](Storage &s) { return s.m_health->isOk() ? 1 : 0; })));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_storage_database_connected"),
                         QStringLiteral("1 when database writes and node heartbeats get through"),
                         stat([](Storage &s) { return s.databaseConnected() ? 1 : 0; })));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_node_peers_alive"),
                         QStringLiteral("Other nodes on the database with a recent heartbeat"),
                         stat([](Storage &s) { return s.m_node ? s.m_node->alivePeers() : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_node_peers"), QStringLiteral("Other nodes the database knows"),
        stat([](Storage &s) { return s.m_node ? s.m_node->peers().size() : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_node_heartbeat_age_seconds"),
        QStringLiteral("Seconds since this node's heartbeat last reached the database"),
        [self]() -> MetricsRegistry::Samples {
            if (!self || !self->m_node || self->m_node->heartbeatAgeMs() < 0)
                return {};
            return {{QString(), self->m_node->heartbeatAgeMs() / 1000.0}};
        }));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_storage_call_keys_reserved"),
                         QStringLiteral("Call keys reserved ahead and not yet used"),
                         stat([](Storage &s) { return s.m_keys ? s.m_keys->available() : 0; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_storage_call_keys_offline"),
        QStringLiteral("Call keys taken from this node's own range (the database was away)"),
        stat([](Storage &s) { return s.m_keys ? s.m_keys->stats().offlineKeys : 0; })));
}

Storage::~Storage()
{
    if (m_reads) {
        // The reader's connection belongs to the history thread: closed there.
        m_reads->post(nullptr, [reader = std::move(m_reader)]() mutable {
            reader.reset();
            return StorageThread::Completion();
        });
        m_reads.reset(); // runs what is queued, then joins
    }
    // Recorder first (it closes recordings and queues their last rows), writer last.
    m_retention.reset();
    m_auditor.reset();
    m_recorder.reset();
    m_keys.reset();
    m_node.reset();
    if (m_writer)
        m_writer->flush();
    if (m_anchor)
        m_anchor->writeNow(); // the last committed head, for the next start to compare with
    m_anchor.reset();
}

QString Storage::auditAnchorPath() const
{
    if (m_config.auditKeyPath.isEmpty())
        return QString();
    return m_config.auditAnchorPath.isEmpty()
               ? defaultAuditAnchorPath(m_config.auditKeyPath, m_config.dataDir)
               : m_config.auditAnchorPath;
}

QList<StoredCall> Storage::restoreOpenFollowUps()
{
    // Before the recorder and the auditor follow the store: what restore() announces is already
    // recorded and audited. The recorder adopts each row afterwards (adoptEnded).
    const auto open = history()->openFollowUps(MaxRestoredFollowUps);
    if (!open) {
        qCCritical(lcStorage).noquote()
            << "cannot read the open follow-ups, callers waiting for a callback are NOT in the "
               "queue (see history):"
            << open.error().message;
        return {};
    }
    QList<StoredCall> restored;
    for (const StoredCall &stored : open.value()) {
        const auto call = callFromStored(stored);
        if (!call) {
            qCWarning(lcStorage).noquote() << "follow-up not restored:" << call.error().message;
            continue;
        }
        if (m_store.restore(call.value()) != CallStore::Result::Ok) {
            qCWarning(lcStorage) << "follow-up of call" << stored.callId
                                 << "not restored: the id is in use";
            continue;
        }
        restored.append(stored);
    }
    if (!restored.isEmpty())
        qCInfo(lcStorage) << restored.size()
                          << "call(s) awaiting a callback restored into the queue";
    if (open->size() == MaxRestoredFollowUps)
        qCWarning(lcStorage) << "at least" << MaxRestoredFollowUps
                             << "open follow-ups: the older ones are only in history";
    return restored;
}

AuditKey Storage::openAuditKey()
{
    if (m_config.auditKeyPath.isEmpty()) {
        qCWarning(lcStorage) << "no audit key configured: the audit trail is unkeyed and "
                                "unanchored (whoever can write the database can rewrite it)";
        return {};
    }
    const QString keyPath = QFileInfo(m_config.auditKeyPath).absoluteFilePath();
    const QString dataDir = QFileInfo(m_config.dataDir).absoluteFilePath();
    if (keyPath.startsWith(dataDir + QLatin1Char('/')) ||
        auditAnchorPath().startsWith(dataDir + QLatin1Char('/')))
        qCCritical(lcStorage).noquote()
            << "the audit key or its anchor is INSIDE the data dir" << dataDir
            << ": whoever can write the data dir can rewrite the audit trail";
    bool created = false;
    const auto key = AuditKey::loadOrCreate(keyPath, &created);
    if (!key) {
        qCCritical(lcStorage).noquote()
            << "AUDIT KEY UNAVAILABLE - the audit trail is written unkeyed:" << key.error().message;
        m_health->setAuditAlarm(QStringLiteral("audit key unavailable, entries written unkeyed (") +
                                key.error().message + QLatin1Char(')'));
        return {};
    }
    return key.value();
}

void Storage::checkAuditAnchor()
{
    bool hadAnchor = false;
    m_auditAtOpen = m_anchor->checkAtStart(&hadAnchor);
    if (m_auditAtOpen.finding != AnchorComparison::Finding::Consistent) {
        qCCritical(lcStorage).noquote()
            << "AUDIT TRAIL" << findingName(m_auditAtOpen.finding).toUpper() << "-"
            << m_auditAtOpen.reason << "(anchor" << m_anchor->path() << ")";
        m_health->setAuditAlarm(findingName(m_auditAtOpen.finding) + QStringLiteral(": ") +
                                m_auditAtOpen.reason);
        m_audit->appendAudit(QStringLiteral("system"), QStringLiteral("audit_anchor_mismatch"),
                             QString(),
                             {{QStringLiteral("finding"), findingName(m_auditAtOpen.finding)},
                              {QStringLiteral("reason"), m_auditAtOpen.reason},
                              {QStringLiteral("anchor"), m_anchor->path()}});
    } else if (!hadAnchor && m_audit->lastSeq() > 0) {
        const QString why = QStringLiteral("no anchor at %1 for a trail of %2 entries: anchoring "
                                           "starts now")
                                .arg(m_anchor->path())
                                .arg(m_audit->lastSeq());
        if (m_audit->chainIsKeyed()) {
            // A keyed trail always had an anchor: someone removed it, or the key moved.
            m_auditAtOpen = {AnchorComparison::Finding::Rewritten, why};
            qCCritical(lcStorage).noquote() << "AUDIT TRAIL UNANCHORED -" << why;
            m_health->setAuditAlarm(why);
        } else {
            qCWarning(lcStorage).noquote() << why;
        }
    }
    if (!m_audit->chainIsKeyed()) {
        // The first keyed entry: its MAC covers the head of the unkeyed entries before it.
        m_audit->appendAudit(QStringLiteral("system"), QStringLiteral("audit_keyed"), QString(),
                             {{QStringLiteral("unkeyed_entries"), m_audit->lastSeq()}});
    }
}

Parsed<RecoveryReport> Storage::open()
{
    auto unavailable = [this](const ProtocolError &e) {
        m_keys.reset();
        m_node.reset();
        m_anchor.reset();
        m_audit.reset();
        m_writer.reset();
        m_jobs.reset();
        m_db.reset();
        qCCritical(lcStorage).noquote()
            << "STORAGE UNAVAILABLE - calls will be answered but NOT recorded:" << e.message;
        m_health->setUnavailable(e.message);
        return e;
    };
    QString dirError;
    if (!ensurePrivateDir(m_config.dataDir, &dirError) && !QFileInfo(m_config.dataDir).isDir())
        return unavailable({QStringLiteral("cannot_open"), dirError});
    m_lock = std::make_unique<QLockFile>(
        QDir(m_config.dataDir).filePath(QStringLiteral("dispatch.lock")));
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        return unavailable({QStringLiteral("in_use"),
                            QStringLiteral("%1 is in use by another console (pid %2 on %3)")
                                .arg(m_config.dataDir)
                                .arg(pid)
                                .arg(host)});
    }
    m_db = std::make_unique<Database>(m_config.database);
    if (const auto opened = m_db->open(); !opened)
        return unavailable(opened.error());
    // One process per node name (PostgreSQL: a session lock held while this connection lives),
    // so crash recovery below takes only the calls this node held: other nodes' live calls are
    // theirs (or, for a dead node, the failover's), never "interrupted" by our start.
    m_node = std::make_unique<NodeRegistry>(m_config.node);
    if (const auto claimed = m_node->claim(m_db->handle()); !claimed)
        return unavailable(claimed.error());
    const bool shared = m_db->dialect().isPostgres();
    const auto recovered = recoverAfterCrash(m_db->handle(), m_config.dataDir,
                                             shared ? m_node->config().name : QString());
    if (!recovered)
        return unavailable(recovered.error());
    if (shared)
        m_node->reportDeadNodesCalls(m_db->handle());
    const auto firstKeys = reserveFirstCallKeys(m_db->handle());
    if (!firstKeys)
        return unavailable(firstKeys.error());
    const auto offlineKeys = offlineCallKeys(m_db->handle(), m_node->number());
    if (!offlineKeys)
        return unavailable(offlineKeys.error());

    m_jobs = std::make_unique<StorageThread>();
    m_writer = std::make_unique<BatchWriter>(*m_jobs, m_config.database, m_config.batching);
    m_keys = std::make_unique<CallKeys>(firstKeys.value(), offlineKeys.value(),
                                        shared ? m_writer.get() : nullptr);
    const AuditKey key = openAuditKey();
    m_audit = std::make_unique<AuditTrail>(m_writer.get(), m_clock, key);
    if (const auto loaded = m_audit->load(m_db->handle()); !loaded)
        return unavailable(loaded.error());
    if (!key.isNull()) {
        m_anchor =
            std::make_unique<AuditAnchorKeeper>(m_db->handle(), key, auditAnchorPath(),
                                                m_config.dataDir, m_config.auditAnchorIntervalMs);
        checkAuditAnchor();
    }
    for (const QString &callId : recovered->interruptedCalls)
        m_audit->appendAudit(QStringLiteral("system"), QStringLiteral("call_interrupted"), callId,
                             {{QStringLiteral("reason"),
                               QStringLiteral("the console stopped without ending the call")}});
    const QList<StoredCall> restored = restoreOpenFollowUps();
    const int restoredFollowUps = static_cast<int>(restored.size());
    m_audit->appendAudit(QStringLiteral("system"), QStringLiteral("storage_opened"), QString(),
                         {{QStringLiteral("interrupted_calls"), recovered->interruptedCalls.size()},
                          {QStringLiteral("repaired_recordings"), recovered->repairedRecordings},
                          {QStringLiteral("restored_follow_ups"), restoredFollowUps}});
    m_writer->flush();
    if (m_anchor) {
        m_anchor->writeNow();
        m_anchor->writeInBackground(m_writer.get()); // from now on, off the main thread
    }

    m_config.recorder.node = m_node->config().name;
    m_recorder = std::make_unique<CallRecorder>(m_store, *m_writer, m_config.recorder, m_clock,
                                                [keys = m_keys.get()] { return keys->take(); });
    for (const StoredCall &call : restored)
        m_recorder->adoptEnded(call);
    m_auditor = std::make_unique<CallAuditor>(m_store, *m_audit);
    m_retention = std::make_unique<RetentionSweeper>(m_db->handle(), *m_writer, *m_audit,
                                                     m_config.dataDir, m_config.retention, m_clock);

    connect(m_writer.get(), &BatchWriter::batchFailed, this, [this](const QString &error) {
        m_writesFailed = true;
        m_lastDatabaseError = error;
        m_health->noteWriteFailed(QStringLiteral("database"), error);
    });
    connect(m_writer.get(), &BatchWriter::batchCommitted, this, [this] {
        m_health->noteWriteRecovered(QStringLiteral("database"));
        if (m_writesFailed) // the anchor and retention read through this connection
            ensureConnected(true);
        m_writesFailed = false;
        if (m_anchor)
            m_anchor->noteCommitted();
    });
    connect(m_recorder.get(), &CallRecorder::callSealed, this,
            [this](const QString &callId, const QJsonObject &seal) {
                m_audit->appendAudit(QStringLiteral("system"), QStringLiteral("call_sealed"),
                                     callId, seal);
                m_writer->requestFlush();
            });
    connect(m_recorder.get(), &CallRecorder::mediaWriteFailed, this, [this](const QString &error) {
        m_health->noteWriteFailed(QStringLiteral("recording"), error);
    });
    connect(m_recorder.get(), &CallRecorder::mediaWriteRecovered, this,
            [this] { m_health->noteWriteRecovered(QStringLiteral("recording")); });
    connect(m_node.get(), &NodeRegistry::heartbeatDone, this, [this] {
        if (!m_node->lastError().isEmpty()) {
            m_lastDatabaseError = m_node->lastError();
            m_heartbeatFailed = true;
        } else if (m_heartbeatFailed) {
            // The server came back: the node name's lock went with the main connection's old
            // session. Taken again now, not at the next history read.
            m_heartbeatFailed = false;
            ensureConnected(true);
        }
    });
    m_node->start(*m_writer);
    m_health->start();
    m_retention->start();
    RecoveryReport report = recovered.value();
    report.restoredFollowUps = restoredFollowUps;
    return report;
}

qint64 Storage::appendAudit(const QString &actor, const QString &action, const QString &callId,
                            const QJsonObject &details)
{
    if (!m_audit) {
        qCWarning(lcStorage) << "audit entry NOT recorded (storage unavailable):" << actor << action
                             << callId;
        return 0;
    }
    return m_audit->appendAudit(actor, action, callId, details);
}

bool Storage::databaseConnected() const
{
    return m_writer && !m_writer->isFailing() && m_node && m_node->lastError().isEmpty();
}

bool Storage::ensureConnected(bool probe) const
{
    bool reconnected = false;
    if (!m_db || !m_db->ensureConnected(&reconnected, probe))
        return false;
    // The node name's session lock went with the old connection.
    if (reconnected && m_node && !m_node->reclaim(m_db->handle()))
        qCCritical(lcStorage).noquote()
            << "after reconnecting, another process holds node name" << m_node->config().name
            << "on" << m_config.database.describe() << ": both now write to it";
    return true;
}

std::optional<CallHistory> Storage::history() const
{
    if (!ensureConnected())
        return std::nullopt;
    return CallHistory(m_db->handle(), m_config.dataDir);
}

void Storage::searchHistory(const HistoryQuery &query, QObject *context, HistorySearchDone done)
{
    if (!m_db) {
        done(ProtocolError{QStringLiteral("unavailable"), QStringLiteral("storage unavailable")});
        return;
    }
    if (!m_reads) {
        m_reads = std::make_unique<StorageThread>(StorageThread::Mode::Threaded, nullptr,
                                                  QStringLiteral("history"));
        // Searches give way to the main thread (calls' audio, the UI) and to the writes: a
        // dispatcher's search arrives a little later on a saturated machine, a chunk never does.
        m_reads->post(nullptr, [] {
            if (!lowerCurrentThreadPriority(HistoryThreadNice))
                qCWarning(lcStorage) << "cannot lower the history thread's priority";
            return StorageThread::Completion();
        });
        m_reader = std::make_shared<HistoryReader>();
        m_reader->database = m_config.database;
        m_reader->dataDir = m_config.dataDir;
    }
    m_reads->post(context, [reader = m_reader, query, done = std::move(done)]() {
        auto found = reader->search(query);
        return StorageThread::Completion([done, found] { done(found); });
    });
}

Parsed<QList<ExportedFile>> Storage::exportCall(const QString &callId, const QString &targetDir,
                                                const QString &actor)
{
    const auto history = this->history();
    if (!history)
        return ProtocolError{QStringLiteral("unavailable"), QStringLiteral("storage unavailable")};
    flush(); // export what we know now, not what is still queued
    const auto call = history->loadLatest(callId);
    if (!call)
        return call.error();
    IncidentExportContext context;
    context.agencyId = m_config.agencyId;
    context.agentId = actor;
    context.exportedAt = m_clock();
    context.softwareVersion = QStringLiteral(DISPATCH_VERSION);
    const auto files = exportIncident(call.value(), context, targetDir);
    QJsonArray written;
    if (files) {
        for (const ExportedFile &f : files.value())
            written.append(QJsonObject{{QStringLiteral("file"), QFileInfo(f.path).fileName()},
                                       {QStringLiteral("bytes"), f.bytes},
                                       {QStringLiteral("sha256"), f.sha256}});
    }
    appendAudit(actor, QStringLiteral("export"), callId,
                {{QStringLiteral("target"), QDir(targetDir).absolutePath()},
                 {QStringLiteral("format"), QStringLiteral("nena-eido-json")},
                 {QStringLiteral("ok"), files.ok()},
                 {QStringLiteral("error"), files.ok() ? QString() : files.error().message},
                 {QStringLiteral("files"), written}});
    flush();
    return files;
}

bool Storage::flush()
{
    return m_writer ? m_writer->flush() : false;
}

} // namespace dispatch
