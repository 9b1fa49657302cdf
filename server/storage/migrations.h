#pragma once

#include "common/parseresult.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace dispatch {

class SqlDialect;

// One step of the schema. Steps are applied in order, each in its own transaction together
// with the schema_version row that records it, so a crash leaves the database at a version.
struct Migration
{
    int version = 0;
    QString description;
    QStringList statements;
};

// The whole history of the schema, oldest first. Never edit a released step: append a new one.
// Without a dialect: SQLite's text.
const QList<Migration> &schemaMigrations();
const QList<Migration> &schemaMigrations(const SqlDialect &dialect);
int latestSchemaVersion();

// The version recorded in schema_version (0 for an empty database).
Parsed<int> schemaVersion(QSqlDatabase &db);

// Brings the database to targetVersion (the latest by default). A database newer than this
// build is refused rather than touched. On PostgreSQL one transaction under an advisory lock:
// nodes starting together migrate once.
Parsed<int> migrateSchema(QSqlDatabase &db, int targetVersion = -1);

} // namespace dispatch
