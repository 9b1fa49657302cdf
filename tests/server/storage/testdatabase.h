#pragma once

// The database a storage suite runs on. By default the SQLite file in the data dir, as the
// console has it. With DISPATCH_TEST_DATABASE=postgresql (the suites' second registration in
// CMakeLists.txt) each data dir gets a fresh database of its own on one throwaway PostgreSQL
// server for the whole test process: the same cases then run on both backends.
#include "postgresserver.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/databasetarget.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>

#include <memory>

namespace dispatch::test {

inline bool testsWantPostgres()
{
    return qEnvironmentVariable("DISPATCH_TEST_DATABASE") == QLatin1String("postgresql");
}

struct TestDatabases
{
    std::unique_ptr<PostgresServer> server;
    QString failure;
    QHash<QString, DatabaseTarget> byDataDir;

    static TestDatabases &instance()
    {
        static TestDatabases databases;
        return databases;
    }
};

// Empty when the suite can run; otherwise why not (PostgreSQL wanted but missing). Starts the
// server on first use; it stops when the application object goes.
inline QString testDatabaseUnavailable()
{
    TestDatabases &d = TestDatabases::instance();
    if (!testsWantPostgres() || d.server || !d.failure.isEmpty())
        return d.failure;
    auto server = std::make_unique<PostgresServer>();
    if (!server->start(&d.failure))
        return d.failure;
    d.server = std::move(server);
    qAddPostRoutine([] { TestDatabases::instance().server.reset(); });
    return QString();
}

// The database for a data dir (the same one every time it is asked for that dir).
inline DatabaseTarget testDatabase(const QString &dataDir)
{
    const QString sqlitePath = QDir(dataDir).filePath(Database::fileName());
    if (!testsWantPostgres())
        return DatabaseTarget::sqlite(sqlitePath);
    TestDatabases &d = TestDatabases::instance();
    if (const auto it = d.byDataDir.constFind(dataDir); it != d.byDataDir.constEnd())
        return it.value();
    if (!testDatabaseUnavailable().isEmpty())
        qFatal("PostgreSQL wanted but unavailable: %s", qPrintable(d.failure));
    QString why;
    const QString name = d.server->createDatabase(&why);
    if (name.isEmpty())
        qFatal("cannot create a test database: %s", qPrintable(why));
    auto target = parseDatabaseTarget(d.server->url(name), sqlitePath);
    if (!target)
        qFatal("bad test database URL: %s", qPrintable(target.error().message));
    target.value().password = d.server->password();
    d.byDataDir.insert(dataDir, target.value());
    return target.value();
}

// A copy of a data dir (a crash test) uses the original's database: SQLite's file was copied
// with the dir; a PostgreSQL database is where it was.
inline void shareTestDatabase(const QString &fromDataDir, const QString &toDataDir)
{
    if (!testsWantPostgres())
        return;
    DatabaseTarget target = testDatabase(fromDataDir);
    target.sqlitePath = QDir(toDataDir).filePath(Database::fileName());
    TestDatabases::instance().byDataDir.insert(toDataDir, target);
}

// verifyAuditLog() of a data dir, on its test database.
inline AuditVerification verifyTestAudit(const QString &dataDir, AuditVerifyOptions options = {})
{
    options.database = testDatabase(dataDir);
    return verifyAuditLog(dataDir, options);
}

} // namespace dispatch::test
