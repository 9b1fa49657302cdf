#pragma once

#include "common/parseresult.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace dispatch {

// Which database a console keeps its calls in: the SQLite file in its data dir (the default)
// or a PostgreSQL server shared by several machines (issue 20). A value: Database opens it,
// once per connection (main thread, the writer's storage thread, the history thread).
struct DatabaseTarget
{
    enum class Kind
    {
        Sqlite,
        Postgres
    };
    Kind kind = Kind::Sqlite;
    QString sqlitePath; // Sqlite: the file

    // Postgres: what libpq needs. hosts and ports are parallel lists (a port of 0 is libpq's
    // default); several hosts are tried in order (libpq multi-host), and with
    // target_session_attrs=read-write only a primary is taken, so a promoted standby is found.
    QString user;
    QString database;
    QStringList hosts;    // names, addresses, or a directory holding the Unix socket
    QList<quint16> ports; // one per host
    QList<QPair<QString, QString>> options; // libpq keywords from the URL's query
    QString password;                       // never logged, never part of describe()

    static DatabaseTarget sqlite(QString path);
    bool isPostgres() const { return kind == Kind::Postgres; }
    // For logs and /health: the kind and where, never the password.
    QString describe() const;
    // libpq's connection keywords (host, port, target_session_attrs, ...), as QPSQL's connect
    // options take them ("key=value;key=value"); user, database and password go separately.
    QString postgresConnectOptions() const;
};

// The value of --database: "sqlite" (the file `sqlitePath`) or
// postgresql://USER@HOST[:PORT][,HOST2[:PORT2]...]/DB[?key=value&...]. A URL that carries a
// password is refused (the command line is visible to every user through ps); the password
// comes from PGPASSWORD or a file (readDatabasePasswordFile). Only known libpq keywords are
// accepted in the query, and no value may carry a quote, a space or a semicolon.
Parsed<DatabaseTarget> parseDatabaseTarget(const QString &text, const QString &sqlitePath);

// The password in `path` (its first line): refused unless only the owner can read or write the
// file (mode 0600 or stricter), as ssh does with a private key.
Parsed<QString> readDatabasePasswordFile(const QString &path);

// --database with its password: from the file if one is given (see readDatabasePasswordFile),
// else `environmentPassword` (PGPASSWORD). A password file for SQLite is refused.
Parsed<DatabaseTarget> databaseFromOptions(const QString &url, const QString &passwordFile,
                                           const QString &environmentPassword,
                                           const QString &sqlitePath);

} // namespace dispatch
