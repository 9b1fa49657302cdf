#pragma once

#include "common/parseresult.h"

#include <QSqlDatabase>
#include <QString>

namespace dispatch {

// One SQLite connection (QSQLITE) to the console's database file, with its own connection
// name (no default connection, nothing global). Opening sets the pragmas and brings the schema
// up to date; a read-only open (used by --verify-audit) changes nothing on disk.
class Database
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadOnly
    };

    explicit Database(QString path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // ReadWrite: creates the file if needed, WAL, synchronous=NORMAL, foreign keys, and migrates
    // to targetVersion (the latest by default). Returns the schema version.
    Parsed<int> open(Mode mode = Mode::ReadWrite, int targetVersion = -1);
    void close();

    bool isOpen() const;
    QSqlDatabase &handle() { return m_db; }
    QString path() const { return m_path; }

    static QString fileName() { return QStringLiteral("dispatch.sqlite"); }

private:
    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace dispatch
