#pragma once

#include "common/parseresult.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace dispatch {

// One step of the schema. Steps are applied in order, each in its own transaction together
// with the schema_version row that records it, so a crash leaves the database at a version.
struct Migration
{
    int version = 0;
    QString description;
    QStringList statements;
};

// The whole history of the schema, oldest first. Never edit a released step: append a new one.
const QList<Migration> &schemaMigrations();
int latestSchemaVersion();

// The version recorded in schema_version (0 for an empty database).
Parsed<int> schemaVersion(QSqlDatabase &db);

// Brings the database to targetVersion (the latest by default). A database newer than this
// build is refused rather than touched.
Parsed<int> migrateSchema(QSqlDatabase &db, int targetVersion = -1);

} // namespace dispatch
