#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

namespace dispatch {

// Where the SQL of SQLite and PostgreSQL differ, in one place. The schema and the queries are
// written once (SQLite's spelling, which PostgreSQL mostly shares); what differs is asked here:
// column types, the append-only guard, case-insensitive LIKE, reading a JSON field, and which
// errors mean "try again later". Everything else (ON CONFLICT, partial indexes, ON DELETE
// CASCADE, COALESCE, LIMIT) is the same on both.
class SqlDialect
{
public:
    enum class Kind
    {
        Sqlite,
        Postgres
    };

    static const SqlDialect &sqlite();
    static const SqlDialect &postgres();
    // The dialect of an open connection (by its Qt driver).
    static const SqlDialect &of(const QSqlDatabase &db);

    Kind kind() const { return m_kind; }
    bool isPostgres() const { return m_kind == Kind::Postgres; }
    QString driverName() const;

    // A schema statement written for SQLite, in this dialect. On PostgreSQL: INTEGER PRIMARY KEY
    // (SQLite's rowid) is a BIGINT identity, INTEGER is BIGINT (times are milliseconds, past
    // 32 bits), REAL is DOUBLE PRECISION (PostgreSQL's REAL is 4 bytes: a coordinate would come
    // back changed). SQLite's text is returned unchanged.
    QString schemaStatement(const QString &sqlite) const;
    // Statements that make `table` append-only (UPDATE and DELETE fail; on PostgreSQL also
    // TRUNCATE). On SQLite exactly the triggers the schema has always had.
    QStringList appendOnlyGuard(const QString &table) const;
    // The operator for a case-insensitive LIKE: SQLite's LIKE folds ASCII only, PostgreSQL's
    // ILIKE folds every letter.
    QString caseInsensitiveLike() const;
    // The text of `key` in the JSON object held as text in `column`.
    QString jsonText(const QString &column, const QString &key) const;
    // Whether a failed statement means the database cannot take writes right now (busy, disk
    // full, connection lost, a standby not yet promoted) rather than that the row is wrong.
    bool isTransient(const QSqlError &error) const;

    // Nodes on one database (issue 20, docs/CLUSTER.md). The DATABASE's clock, in milliseconds
    // since the epoch, as an SQL expression: nodes judge each other's heartbeats by it, never by
    // their own clocks (hosts' clocks differ).
    QString nowMs() const;
    // Schema statements for the shared sequences: call keys are reserved in blocks of
    // CallKeyBlockSize (one sequence value = one block, the first above every existing key) and
    // each node name gets a number once. None on SQLite: one console per file, MAX(id) + 1.
    QStringList clusterSequences() const;
    // The number a newly registered node gets, as an SQL expression.
    QString nextNodeNumber() const;
    // The statement that reserves the next block of call keys (its one value times
    // CallKeyBlockSize is the block's first key); empty where keys are not shared (SQLite).
    QString reserveCallKeyBlock() const;
    // The statement that takes the session lock of node `number` (one true or false); empty
    // where the database admits one process anyway (SQLite: the data dir's lock file).
    QString tryNodeLock(qint64 number) const;
    // The same for the one node that may write to a database while the audit trail is one
    // chain per database (NodeConfig::soleWriter).
    QString trySoleWriterLock() const;

    static constexpr qint64 CallKeyBlockSize = 1000;

private:
    explicit SqlDialect(Kind kind)
        : m_kind(kind)
    {}
    Kind m_kind;
};

} // namespace dispatch
