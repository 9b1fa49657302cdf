#pragma once

#include "common/parseresult.h"
#include "storage/databasetarget.h"

#include <QSqlDatabase>
#include <QString>

namespace dispatch {

class SqlDialect;

// One connection to the console's database, with its own connection name (no default
// connection, nothing global): the SQLite file (QSQLITE) or a PostgreSQL server (QPSQL), as
// the DatabaseTarget says. Every connection the storage opens goes through here (main thread,
// the writer's storage thread, the history thread, --verify-audit). Opening sets the
// connection up and brings the schema up to date; a read-only open changes nothing.
class Database
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadOnly
    };

    explicit Database(DatabaseTarget target);
    explicit Database(QString sqlitePath);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // ReadWrite: SQLite creates the file if needed, WAL, synchronous=NORMAL, foreign keys;
    // both migrate to targetVersion (the latest by default). ReadOnly: refuses a database
    // without a schema. Returns the schema version.
    Parsed<int> open(Mode mode = Mode::ReadWrite, int targetVersion = -1);
    void close();

    bool isOpen() const;
    // Whether the connection is up. A PostgreSQL connection the server dropped (a restart, a
    // promoted standby) is opened again in place, through the host list: every copy of
    // handle() shares it. Returns true when it was up or came back. libpq notices a dropped
    // connection only when a query fails: `probe` sends one first.
    bool ensureConnected(bool *reconnected = nullptr, bool probe = false);
    QSqlDatabase &handle() { return m_db; }
    // The SQLite file (empty on PostgreSQL).
    QString path() const { return m_target.sqlitePath; }
    const DatabaseTarget &target() const { return m_target; }
    const SqlDialect &dialect() const;

    static QString fileName() { return QStringLiteral("dispatch.sqlite"); }

private:
    Parsed<int> openSqlite(Mode mode, int targetVersion);
    Parsed<int> openPostgres(Mode mode, int targetVersion);
    Parsed<int> finishOpen(Mode mode, int targetVersion);
    bool setUpPostgresSession(QString *error);
    QString where() const; // for messages: the file, or the URL without a password

    DatabaseTarget m_target;
    Mode m_mode = Mode::ReadWrite;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace dispatch
