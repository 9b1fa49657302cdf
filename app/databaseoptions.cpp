#include "databaseoptions.h"
#include "intoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSysInfo>

namespace dispatch {

DatabaseCommandLine::DatabaseCommandLine()
    : database(QStringLiteral("database"),
               QCoreApplication::translate(
                   "main", "Where calls are kept: sqlite (the file in the data dir) or "
                           "postgresql://USER@HOST[:PORT][,HOST2[:PORT2]]/DB[?options]. "
                           "The password comes from PGPASSWORD or "
                           "--database-password-file, never from the URL."),
               QStringLiteral("URL"), QStringLiteral("sqlite"))
    , passwordFile(
          QStringLiteral("database-password-file"),
          QCoreApplication::translate("main", "File holding the PostgreSQL password (mode 0600)."),
          QStringLiteral("FILE"))
    , retentionDays(QStringLiteral("retention-days"),
                    QCoreApplication::translate(
                        "main", "Delete calls and recordings older than this (0 keeps all)."),
                    QStringLiteral("DAYS"), QStringLiteral("30"))
    , minFree(
          QStringLiteral("min-free-mb"),
          QCoreApplication::translate("main", "Raise the storage alarm below this much free disk."),
          QStringLiteral("MIB"), QStringLiteral("1024"))
    , nodeName(QStringLiteral("node-name"),
               QCoreApplication::translate(
                   "main", "This engine node's name on a shared PostgreSQL database: 1-63 "
                           "letters, digits, '.', '_' or '-', one process per name "
                           "(default: the host name)."),
               QStringLiteral("NAME"))
    , nodeUrl(QStringLiteral("node-url"),
              QCoreApplication::translate(
                  "main", "Where phones and consoles reach this node (ws, wss, http or https; "
                          "repeat or separate with commas). Default: the listening address and "
                          "port, with the host name for a wildcard address."),
              QStringLiteral("URL"))
{}

QList<QCommandLineOption> DatabaseCommandLine::options() const
{
    return {database, passwordFile, retentionDays, minFree, nodeName, nodeUrl};
}

QString applyDatabaseOptions(const QCommandLineParser &parser, const DatabaseCommandLine &line,
                             const QStringList &environment, const QString &dataDir,
                             DatabaseOptions *out)
{
    QString error;
    const auto days = intOption(parser, line.retentionDays, 0, 36500, &error);
    if (!days)
        return error;
    out->retentionDays = static_cast<int>(*days);
    const auto minFreeMb = intOption(parser, line.minFree, 0, 1024LL * 1024 * 1024, &error);
    if (!minFreeMb)
        return error;
    out->minFreeBytes = *minFreeMb * 1024 * 1024;
    QString environmentPassword;
    for (const QString &entry : environment) {
        if (entry.startsWith(QLatin1String("PGPASSWORD=")))
            environmentPassword = entry.mid(11);
    }
    const auto target =
        databaseFromOptions(parser.value(line.database), parser.value(line.passwordFile),
                            environmentPassword, dataDir + QStringLiteral("/dispatch.sqlite"));
    if (!target)
        return QCoreApplication::translate("main", "Invalid --database: %1")
            .arg(target.error().message);
    out->database = target.value();
    out->node.name =
        parser.isSet(line.nodeName) ? parser.value(line.nodeName).trimmed() : defaultNodeName();
    if (!isValidNodeName(out->node.name))
        return QCoreApplication::translate("main", "Invalid --node-name: %1 (1-63 letters, "
                                                   "digits, '.', '_' or '-')")
            .arg(out->node.name);
    out->node.urls.clear();
    for (const QString &values : parser.values(line.nodeUrl)) {
        for (const QString &text : values.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QUrl url(text.trimmed(), QUrl::StrictMode);
            const QString scheme = url.scheme().toLower();
            const bool known = scheme == QLatin1String("ws") || scheme == QLatin1String("wss") ||
                               scheme == QLatin1String("http") || scheme == QLatin1String("https");
            // Written space-separated to the nodes table: a URL with a space is no URL.
            if (!url.isValid() || !known || url.host().isEmpty() ||
                text.trimmed().contains(QLatin1Char(' ')))
                return QCoreApplication::translate("main", "Invalid --node-url: %1 (expected "
                                                           "wss://host:port or https://host:port)")
                    .arg(text.trimmed());
            out->node.urls.append(url.toString());
        }
    }
    return QString();
}

QStringList defaultNodeUrls(const QUrl &listening, const QHostAddress &listenAddress)
{
    QUrl url = listening;
    if (listenAddress == QHostAddress::Any || listenAddress == QHostAddress::AnyIPv4 ||
        listenAddress == QHostAddress::AnyIPv6)
        url.setHost(QSysInfo::machineHostName());
    return {url.toString()};
}

} // namespace dispatch
