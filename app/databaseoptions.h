#pragma once

#include "storage/databasetarget.h"
#include "storage/noderegistry.h"

#include <QCommandLineOption>
#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace dispatch {

// Where calls are kept and which engine node this is (docs/CLUSTER.md).
struct DatabaseOptions
{
    // --database: the SQLite file in the data dir (default) or a PostgreSQL server; its
    // password from --database-password-file or PGPASSWORD, never logged.
    DatabaseTarget database;
    int retentionDays = 30;                     // recordings and call history; 0 keeps everything
    qint64 minFreeBytes = 1024LL * 1024 * 1024; // storage alarm threshold
    // --node-name (default: the host name) and --node-url (empty: derived from the listening
    // address once the server listens, see defaultNodeUrls()).
    NodeConfig node;
};

// --database, --database-password-file, --retention-days, --min-free-mb, --node-name,
// --node-url.
struct DatabaseCommandLine
{
    DatabaseCommandLine();
    QList<QCommandLineOption> options() const;

    QCommandLineOption database;
    QCommandLineOption passwordFile;
    QCommandLineOption retentionDays;
    QCommandLineOption minFree;
    QCommandLineOption nodeName;
    QCommandLineOption nodeUrl;
};

// Reads the parsed options (and PGPASSWORD from `environment`). Returns an error for the
// operator (translated) or an empty string.
QString applyDatabaseOptions(const QCommandLineParser &parser, const DatabaseCommandLine &line,
                             const QStringList &environment, const QString &dataDir,
                             DatabaseOptions *out);

// Where phones and consoles reach this node when --node-url is not given: the server's own
// URL, with the host name in place of a wildcard listening address.
QStringList defaultNodeUrls(const QUrl &listening, const QHostAddress &listenAddress);

} // namespace dispatch
