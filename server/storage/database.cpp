#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/privatefiles.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcStorage, "dispatch.storage")

namespace dispatch {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("dispatch.storage.%1").arg(counter.fetchAndAddRelaxed(1));
}

bool pragma(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

Database::Database(DatabaseTarget target)
    : m_target(std::move(target))
    , m_connectionName(nextConnectionName())
{}

Database::Database(QString sqlitePath)
    : Database(DatabaseTarget::sqlite(std::move(sqlitePath)))
{}

QString Database::where() const
{
    return m_target.isPostgres() ? m_target.describe() : m_target.sqlitePath;
}

const SqlDialect &Database::dialect() const
{
    return m_target.isPostgres() ? SqlDialect::postgres() : SqlDialect::sqlite();
}

Database::~Database()
{
    close();
}

bool Database::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

void Database::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Database::ensureConnected(bool *reconnected, bool probe)
{
    if (reconnected)
        *reconnected = false;
    if (!m_db.isValid())
        return false;
    if (probe && m_target.isPostgres() && m_db.isOpen())
        QSqlQuery(m_db).exec(QStringLiteral("SELECT 1"));
    if (m_db.isOpen())
        return true;
    if (!m_target.isPostgres())
        return false;
    m_db.close();
    QString error;
    if (!m_db.open() || !setUpPostgresSession(&error)) {
        qCWarning(lcStorage).noquote() << "cannot reconnect to" << m_target.describe() << ":"
                                       << (error.isEmpty() ? m_db.lastError().text() : error);
        return false;
    }
    qCInfo(lcStorage).noquote() << "reconnected to" << m_target.describe();
    if (reconnected)
        *reconnected = true;
    return true;
}

bool Database::setUpPostgresSession(QString *error)
{
    // Notices ("already exists, skipping") would go to stderr through libpq, past our logging.
    QStringList setup{QStringLiteral("SET client_min_messages TO warning")};
    if (m_mode == Mode::ReadOnly)
        setup << QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    for (const QString &sql : setup) {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

Parsed<int> Database::open(Mode mode, int targetVersion)
{
    close();
    m_mode = mode;
    return m_target.isPostgres() ? openPostgres(mode, targetVersion)
                                 : openSqlite(mode, targetVersion);
}

Parsed<int> Database::openPostgres(Mode mode, int targetVersion)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return ProtocolError{QStringLiteral("no_driver"),
                             QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed "
                                            "(Debian: libqt6sql6-psql)")};
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    m_db.setDatabaseName(m_target.database);
    m_db.setUserName(m_target.user);
    // Empty: libpq's own sources (PGPASSWORD, ~/.pgpass, a client certificate).
    m_db.setPassword(m_target.password);
    // Host list, ports, target_session_attrs: straight to libpq's conninfo, where several hosts
    // are tried in order until one (with read-write: the primary) accepts.
    m_db.setConnectOptions(m_target.postgresConnectOptions());
    if (!m_db.open()) {
        const QString why = QStringLiteral("cannot connect to %1: %2")
                                .arg(m_target.describe(), m_db.lastError().text());
        close();
        return ProtocolError{QStringLiteral("cannot_open"), why};
    }
    if (QString why; !setUpPostgresSession(&why)) {
        close();
        return ProtocolError{QStringLiteral("cannot_open"), why};
    }
    return finishOpen(mode, targetVersion);
}

Parsed<int> Database::openSqlite(Mode mode, int targetVersion)
{
    const QString &path = m_target.sqlitePath;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return ProtocolError{QStringLiteral("no_driver"),
                             QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed")};
    if (mode == Mode::ReadOnly && !QFileInfo::exists(path))
        return ProtocolError{QStringLiteral("not_found"),
                             QStringLiteral("no database at %1").arg(path)};
    if (mode == Mode::ReadWrite) {
        // Created 0600 before SQLite sees it (an empty file is a new database to SQLite, and
        // it gives its -wal and -shm files the database's mode); an older, more open file is
        // tightened.
        QFile file(path);
        if (!file.exists() && file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                                        QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            file.close();
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            if (QFileInfo::exists(path + suffix))
                makePrivateFile(path + suffix);
        }
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    // Busy timeout: a reader (verify, an export) never makes the writer fail outright.
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
    if (mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    auto fail = [this](const QString &code, const QString &why) {
        close();
        return ProtocolError{code, why};
    };
    if (!m_db.open())
        return fail(QStringLiteral("cannot_open"),
                    QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text()));
    QString error;
    if (mode == Mode::ReadWrite) {
        // WAL: readers (history, export, verify) never block the recorder, and a commit is one
        // sequential append. synchronous=NORMAL: in WAL mode a commit is not fsynced, only
        // checkpoints are. A crash of the process (kill -9) loses nothing committed, since the WAL
        // is in the OS already; a power cut may roll back the last commits but never corrupts the
        // file. FULL would fsync on every commit (milliseconds each on a laptop SSD, far more on a
        // busy disk) for protection the recordings themselves do not have either.
        if (!pragma(m_db, QStringLiteral("PRAGMA journal_mode=WAL"), &error) ||
            !pragma(m_db, QStringLiteral("PRAGMA synchronous=NORMAL"), &error) ||
            !pragma(m_db, QStringLiteral("PRAGMA foreign_keys=ON"), &error) ||
            !pragma(m_db, QStringLiteral("PRAGMA journal_size_limit=16777216"), &error))
            return fail(QStringLiteral("cannot_open"),
                        QStringLiteral("cannot configure %1: %2").arg(path, error));
    }
    return finishOpen(mode, targetVersion);
}

Parsed<int> Database::finishOpen(Mode mode, int targetVersion)
{
    auto fail = [this](const QString &code, const QString &why) {
        close();
        return ProtocolError{code, why};
    };
    if (mode == Mode::ReadOnly) {
        // Reading a schema we do not know would be guessing.
        const auto version = schemaVersion(m_db);
        if (!version)
            return fail(version.error().code, version.error().message);
        if (version.value() == 0)
            return fail(QStringLiteral("not_a_database"),
                        QStringLiteral("%1 is not a dispatch-console database").arg(where()));
        return version;
    }
    const auto version = migrateSchema(m_db, targetVersion);
    if (!version)
        return fail(version.error().code, version.error().message);
    qCInfo(lcStorage).noquote() << "database" << where() << "open at schema version"
                                << version.value();
    return version;
}

} // namespace dispatch
