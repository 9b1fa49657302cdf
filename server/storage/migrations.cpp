#include "storage/migrations.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

namespace {

// Times are INTEGER milliseconds since the epoch (UTC). Paths are relative to the data dir,
// so a data dir can be moved or restored elsewhere. calls.id is our own key: a phone may reuse
// a call id after a restart, so the phone's id (call_id) is not unique. Written in SQLite's
// spelling (the append-only guard from the dialect); buildMigrations() translates the rest.
QList<Migration> schemaSteps(const SqlDialect &dialect)
{
    QList<Migration> m;
    m.append({1,
              QStringLiteral("calls, timeline, triage, transcript, vitals, locations, media"),
              {
                  QStringLiteral("CREATE TABLE calls ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call_id TEXT NOT NULL,"
                                 " state TEXT NOT NULL,"
                                 " end_reason TEXT,"
                                 " ringing_at INTEGER NOT NULL,"
                                 " answered_at INTEGER,"
                                 " ended_at INTEGER,"
                                 " first_triage_at INTEGER,"
                                 " answered_by TEXT,"
                                 " interrupted INTEGER NOT NULL DEFAULT 0,"
                                 " last_latitude REAL,"
                                 " last_longitude REAL,"
                                 " last_accuracy_m REAL,"
                                 " last_location_at INTEGER,"
                                 " severity INTEGER,"
                                 " response_type TEXT,"
                                 " media_dir TEXT NOT NULL)"),
                  QStringLiteral("CREATE INDEX calls_by_call_id ON calls(call_id)"),
                  QStringLiteral("CREATE INDEX calls_by_ringing_at ON calls(ringing_at)"),
                  QStringLiteral("CREATE TABLE timeline_events ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " kind TEXT NOT NULL,"
                                 " detail TEXT)"),
                  QStringLiteral("CREATE TABLE triage_reports ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " source TEXT NOT NULL,"
                                 " origin TEXT NOT NULL CHECK (origin IN ('ai', 'human')),"
                                 " severity INTEGER NOT NULL,"
                                 " response_type TEXT NOT NULL,"
                                 " report_json TEXT NOT NULL,"
                                 " replaced_ai_json TEXT)"),
                  QStringLiteral("CREATE TABLE transcript_segments ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " speaker TEXT NOT NULL,"
                                 " text TEXT NOT NULL)"),
                  QStringLiteral("CREATE TABLE vitals_samples ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " heart_rate REAL,"
                                 " heart_rate_confidence REAL,"
                                 " breathing_rate REAL,"
                                 " breathing_confidence REAL,"
                                 " phone_timestamp_ms INTEGER)"),
                  QStringLiteral("CREATE TABLE locations ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " latitude REAL NOT NULL,"
                                 " longitude REAL NOT NULL,"
                                 " accuracy_m REAL)"),
                  QStringLiteral("CREATE TABLE recordings ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " track TEXT NOT NULL,"
                                 " path TEXT NOT NULL,"
                                 " started_at INTEGER NOT NULL,"
                                 " sample_rate INTEGER NOT NULL,"
                                 " bytes INTEGER NOT NULL DEFAULT 0,"
                                 " duration_ms INTEGER NOT NULL DEFAULT 0,"
                                 " finalized INTEGER NOT NULL DEFAULT 0,"
                                 " UNIQUE (call, track))"),
                  QStringLiteral("CREATE TABLE frames ("
                                 " id INTEGER PRIMARY KEY,"
                                 " call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
                                 " at INTEGER NOT NULL,"
                                 " path TEXT NOT NULL,"
                                 " bytes INTEGER NOT NULL)"),
                  QStringLiteral("CREATE INDEX timeline_by_call ON timeline_events(call)"),
                  QStringLiteral("CREATE INDEX triage_by_call ON triage_reports(call)"),
                  QStringLiteral("CREATE INDEX transcript_by_call ON transcript_segments(call)"),
                  QStringLiteral("CREATE INDEX vitals_by_call ON vitals_samples(call)"),
                  QStringLiteral("CREATE INDEX locations_by_call ON locations(call)"),
                  QStringLiteral("CREATE INDEX recordings_by_call ON recordings(call)"),
                  QStringLiteral("CREATE INDEX frames_by_call ON frames(call)"),
              }});
    m.append({2,
              QStringLiteral("append-only, hash-chained audit trail"),
              {
                  // call_id is the phone's id as text, not a reference: the audit trail outlives
                  // the calls that retention deletes.
                  QStringLiteral("CREATE TABLE audit_log ("
                                 " seq INTEGER PRIMARY KEY,"
                                 " at INTEGER NOT NULL,"
                                 " actor TEXT NOT NULL,"
                                 " action TEXT NOT NULL,"
                                 " call_id TEXT NOT NULL,"
                                 " details TEXT NOT NULL,"
                                 " prev_hash TEXT NOT NULL,"
                                 " hash TEXT NOT NULL)"),
              }});
    m.last().statements += dialect.appendOnlyGuard(QStringLiteral("audit_log"));
    m.append({3,
              QStringLiteral("audio lost to write failures, per recording"),
              {
                  QStringLiteral("ALTER TABLE recordings ADD COLUMN lost_bytes INTEGER NOT NULL "
                                 "DEFAULT 0"),
              }});
    m.append({4,
              QStringLiteral("audit entries name their hash version (1 SHA-256, 2 HMAC-SHA256)"),
              {
                  // Entries written before keeping a key stay version 1 and still verify; the
                  // first keyed entry seals them (its MAC covers their head).
                  QStringLiteral("ALTER TABLE audit_log ADD COLUMN version INTEGER NOT NULL "
                                 "DEFAULT 1"),
              }});
    m.append({5,
              QStringLiteral("how the dispatcher closed a call (disposition code)"),
              {
                  // NULL for calls ended without one (routine calls, callers, shutdowns).
                  QStringLiteral("ALTER TABLE calls ADD COLUMN disposition TEXT"),
              }});
    m.append({6,
              QStringLiteral("who acknowledged a call's latest critical flag, and when"),
              {
                  // The actor ("dispatcher:alice"); NULL while unacknowledged or never flagged.
                  QStringLiteral("ALTER TABLE calls ADD COLUMN critical_acknowledged_by TEXT"),
                  QStringLiteral("ALTER TABLE calls ADD COLUMN critical_acknowledged_at INTEGER"),
              }});
    m.append({7,
              QStringLiteral("follow-up of abandoned and lost calls; their ring-time assessment"),
              {
                  // NULL for calls that need none; "open" until a dispatcher resolves it.
                  QStringLiteral("ALTER TABLE calls ADD COLUMN follow_up TEXT"),
                  QStringLiteral("ALTER TABLE calls ADD COLUMN follow_up_by TEXT"),
                  QStringLiteral("ALTER TABLE calls ADD COLUMN follow_up_at INTEGER"),
                  // The assessment of an abandoned call's ring-time audio, made after the call
                  // ended and was sealed: kept on the call row, outside the sealed triage rows.
                  QStringLiteral("ALTER TABLE calls ADD COLUMN late_triage_json TEXT"),
              }});
    m.append({8,
              QStringLiteral("a call's site address; an abandoned call's ring-time transcript"),
              {
                  // geo::addressToJson() of the last location's address; NULL when the site has
                  // no address points (nothing was looked up).
                  QStringLiteral("ALTER TABLE calls ADD COLUMN address_json TEXT"),
                  // The final segments recognized in an abandoned call's ring-time audio after
                  // the call ended and was sealed, as a JSON array ({at, speaker, text}).
                  QStringLiteral("ALTER TABLE calls ADD COLUMN late_transcript_json TEXT"),
                  // Read at every start (the callbacks still due): without it a scan of every
                  // call ever recorded.
                  QStringLiteral("CREATE INDEX calls_open_follow_up ON calls (ringing_at) "
                                 "WHERE follow_up = 'open'"),
              }});
    m.append({9,
              QStringLiteral("engine nodes: identity and heartbeat; the node holding each call"),
              {
                  // One row per node name, kept after it stops (a stopped node is a dead peer).
                  // Times are the DATABASE's clock (SqlDialect::nowMs()); urls space-separated.
                  QStringLiteral("CREATE TABLE nodes ("
                                 " name TEXT PRIMARY KEY,"
                                 " number INTEGER NOT NULL UNIQUE,"
                                 " urls TEXT NOT NULL,"
                                 " pid INTEGER NOT NULL,"
                                 " version TEXT NOT NULL,"
                                 " started_at INTEGER NOT NULL,"
                                 " heartbeat_at INTEGER NOT NULL)"),
                  // NULL for calls written before nodes existed (one console per database).
                  QStringLiteral("ALTER TABLE calls ADD COLUMN node TEXT"),
                  // Crash recovery reads a node's live calls at every start.
                  QStringLiteral("CREATE INDEX calls_live_by_node ON calls (node) "
                                 "WHERE ended_at IS NULL"),
              }});
    m.last().statements += dialect.clusterSequences();
    return m;
}

QList<Migration> buildMigrations(const SqlDialect &dialect)
{
    QList<Migration> steps = schemaSteps(dialect);
    for (Migration &step : steps) {
        for (QString &sql : step.statements)
            sql = dialect.schemaStatement(sql);
    }
    return steps;
}

// Any number, the same in every build: the key of the transaction-scoped lock that lets one
// node at a time migrate a shared PostgreSQL database.
constexpr qint64 MigrationLockKey = 0x64697370617463; // "dispatc"

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

const QList<Migration> &schemaMigrations()
{
    return schemaMigrations(SqlDialect::sqlite());
}

const QList<Migration> &schemaMigrations(const SqlDialect &dialect)
{
    static const QList<Migration> sqlite = buildMigrations(SqlDialect::sqlite());
    static const QList<Migration> postgres = buildMigrations(SqlDialect::postgres());
    return dialect.isPostgres() ? postgres : sqlite;
}

int latestSchemaVersion()
{
    return schemaMigrations().constLast().version;
}

Parsed<int> schemaVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("schema_version")))
        return 0;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")) || !q.next())
        return ProtocolError{QStringLiteral("db"), q.lastError().text()};
    return q.value(0).toInt();
}

Parsed<int> migrateSchema(QSqlDatabase &db, int targetVersion)
{
    const SqlDialect &dialect = SqlDialect::of(db);
    if (targetVersion < 0)
        targetVersion = latestSchemaVersion();
    QString error;
    // PostgreSQL: the whole migration is one transaction (its DDL is transactional) under a
    // transaction-scoped advisory lock, so two nodes starting together cannot both migrate:
    // the second waits, then finds the schema current. SQLite: one transaction per step; the
    // file's lock already admits one writer.
    const bool wholeInOne = dialect.isPostgres();
    auto failed = [&](const QString &code, const QString &why) -> Parsed<int> {
        if (wholeInOne)
            db.rollback();
        return ProtocolError{code, why};
    };
    if (wholeInOne) {
        if (!db.transaction())
            return ProtocolError{QStringLiteral("db"), db.lastError().text()};
        if (!exec(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(MigrationLockKey),
                  &error))
            return failed(QStringLiteral("db"), error);
    }
    if (!exec(db,
              dialect.schemaStatement(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                                     " version INTEGER PRIMARY KEY,"
                                                     " description TEXT NOT NULL,"
                                                     " applied_at INTEGER NOT NULL)")),
              &error))
        return failed(QStringLiteral("db"), error);
    const auto current = schemaVersion(db);
    if (!current)
        return failed(current.error().code, current.error().message);
    if (current.value() > latestSchemaVersion())
        return failed(QStringLiteral("schema_too_new"),
                      QStringLiteral("the database has schema version %1 but this build "
                                     "knows only up to %2; refusing to touch it")
                          .arg(current.value())
                          .arg(latestSchemaVersion()));
    for (const Migration &m : schemaMigrations(dialect)) {
        if (m.version <= current.value() || m.version > targetVersion)
            continue;
        if (!wholeInOne && !db.transaction())
            return ProtocolError{QStringLiteral("db"), db.lastError().text()};
        bool ok = true;
        for (const QString &sql : m.statements) {
            if (!exec(db, sql, &error)) {
                ok = false;
                break;
            }
        }
        if (ok) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO schema_version (version, description, "
                                     "applied_at) VALUES (?, ?, ?)"));
            q.addBindValue(m.version);
            q.addBindValue(m.description);
            q.addBindValue(QDateTime::currentMSecsSinceEpoch());
            ok = q.exec();
            if (!ok)
                error = q.lastError().text();
        }
        if (!wholeInOne && ok && !db.commit()) {
            ok = false;
            error = db.lastError().text();
        }
        if (!ok) {
            db.rollback();
            return ProtocolError{QStringLiteral("migration_failed"),
                                 QStringLiteral("schema step %1 (%2) failed: %3")
                                     .arg(m.version)
                                     .arg(m.description, error)};
        }
        qCInfo(lcStorage) << "database schema migrated to version" << m.version << "-"
                          << m.description;
    }
    if (wholeInOne && !db.commit()) {
        error = db.lastError().text();
        db.rollback();
        return ProtocolError{QStringLiteral("migration_failed"),
                             QStringLiteral("cannot commit the schema: %1").arg(error)};
    }
    return schemaVersion(db);
}

} // namespace dispatch
