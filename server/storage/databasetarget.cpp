#include "storage/databasetarget.h"

#include <QFile>
#include <QUrl>

namespace dispatch {

namespace {

// The libpq keywords a site may set in the URL's query. Anything else (password above all)
// is refused rather than passed on.
const QStringList &allowedOptions()
{
    static const QStringList keys{QStringLiteral("target_session_attrs"),
                                  QStringLiteral("connect_timeout"),
                                  QStringLiteral("sslmode"),
                                  QStringLiteral("sslrootcert"),
                                  QStringLiteral("sslcert"),
                                  QStringLiteral("sslkey"),
                                  QStringLiteral("sslcrl"),
                                  QStringLiteral("application_name"),
                                  QStringLiteral("keepalives"),
                                  QStringLiteral("keepalives_idle"),
                                  QStringLiteral("keepalives_interval"),
                                  QStringLiteral("keepalives_count"),
                                  QStringLiteral("tcp_user_timeout"),
                                  QStringLiteral("gssencmode"),
                                  QStringLiteral("channel_binding")};
    return keys;
}

ProtocolError bad(const QString &why)
{
    return {QStringLiteral("bad_database"), why};
}

// QPSQL hands connect options to libpq as "key=value key=value" without quoting: a value with
// a space, a quote, a backslash or a semicolon would change the keywords.
bool isPlainValue(const QString &value)
{
    for (const QChar c : value) {
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('"') ||
            c == QLatin1Char('\\') || c == QLatin1Char(';') || c == QLatin1Char(',') ||
            c == QLatin1Char('=') || c.unicode() < 0x20)
            return false;
    }
    return !value.isEmpty();
}

QString decoded(const QString &part)
{
    return QUrl::fromPercentEncoding(part.toUtf8());
}

} // namespace

DatabaseTarget DatabaseTarget::sqlite(QString path)
{
    DatabaseTarget t;
    t.kind = Kind::Sqlite;
    t.sqlitePath = std::move(path);
    return t;
}

QString DatabaseTarget::describe() const
{
    if (kind == Kind::Sqlite)
        return QStringLiteral("sqlite:") + sqlitePath;
    QStringList where;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString host =
            hosts.at(i).contains(QLatin1Char(':')) && !hosts.at(i).startsWith(QLatin1Char('/'))
                ? QLatin1Char('[') + hosts.at(i) + QLatin1Char(']')
                : hosts.at(i);
        where << (ports.value(i) ? host + QLatin1Char(':') + QString::number(ports.value(i))
                                 : host);
    }
    QStringList query;
    for (const auto &option : options)
        query << option.first + QLatin1Char('=') + option.second;
    return QStringLiteral("postgresql://%1@%2/%3%4")
        .arg(user, where.join(QLatin1Char(',')), database,
             query.isEmpty() ? QString() : QLatin1Char('?') + query.join(QLatin1Char('&')));
}

QString DatabaseTarget::postgresConnectOptions() const
{
    QStringList out;
    if (!hosts.isEmpty())
        out << QStringLiteral("host=") + hosts.join(QLatin1Char(','));
    bool anyPort = false;
    QStringList portList;
    for (const quint16 port : ports) {
        anyPort = anyPort || port != 0;
        portList << (port ? QString::number(port) : QString());
    }
    if (anyPort)
        out << QStringLiteral("port=") + portList.join(QLatin1Char(','));
    bool hasTimeout = false;
    for (const auto &option : options) {
        hasTimeout = hasTimeout || option.first == QLatin1String("connect_timeout");
        out << option.first + QLatin1Char('=') + option.second;
    }
    // A host that drops packets (powered off) must not hold the start for minutes: libpq then
    // moves on to the next host.
    if (!hasTimeout)
        out << QStringLiteral("connect_timeout=10");
    return out.join(QLatin1Char(';'));
}

Parsed<DatabaseTarget> parseDatabaseTarget(const QString &text, const QString &sqlitePath)
{
    const QString value = text.trimmed();
    if (value.isEmpty() || value.compare(QLatin1String("sqlite"), Qt::CaseInsensitive) == 0)
        return DatabaseTarget::sqlite(sqlitePath);
    QString rest;
    for (const QLatin1String scheme :
         {QLatin1String("postgresql://"), QLatin1String("postgres://")})
        if (value.startsWith(scheme, Qt::CaseInsensitive))
            rest = value.mid(scheme.size());
    if (rest.isEmpty())
        return bad(QStringLiteral("expected sqlite or postgresql://USER@HOST[:PORT]/DB"));
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return bad(QStringLiteral("the URL names no database (postgresql://USER@HOST/DB)"));
    const QString authority = rest.left(slash);
    QString path = rest.mid(slash + 1);
    QString query;
    if (const qsizetype q = path.indexOf(QLatin1Char('?')); q >= 0) {
        query = path.mid(q + 1);
        path = path.left(q);
    }
    DatabaseTarget t;
    t.kind = DatabaseTarget::Kind::Postgres;
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return bad(QStringLiteral("the URL names no user (postgresql://USER@HOST/DB)"));
    const QString userInfo = authority.left(at);
    if (userInfo.contains(QLatin1Char(':')))
        return ProtocolError{QStringLiteral("password_in_url"),
                             QStringLiteral("the database URL carries a password, which every "
                                            "user of this machine can read from the process "
                                            "list: give it in PGPASSWORD or "
                                            "--database-password-file instead")};
    t.user = decoded(userInfo);
    t.database = decoded(path);
    if (!isPlainValue(t.user) || !isPlainValue(t.database))
        return bad(QStringLiteral("the user or database name is empty or has a character this "
                                  "console does not pass on (space, quote, backslash, ;)"));
    for (const QString &entry : authority.mid(at + 1).split(QLatin1Char(','))) {
        QString host = entry;
        QString port;
        if (host.startsWith(QLatin1Char('['))) {
            const qsizetype close = host.indexOf(QLatin1Char(']'));
            if (close < 0)
                return bad(QStringLiteral("unclosed [ in host %1").arg(entry));
            port = host.mid(close + 1);
            host = host.mid(1, close - 1);
            if (!port.isEmpty() && !port.startsWith(QLatin1Char(':')))
                return bad(QStringLiteral("bad host %1").arg(entry));
            port = port.mid(1);
        } else if (const qsizetype colon = host.lastIndexOf(QLatin1Char(':')); colon >= 0) {
            port = host.mid(colon + 1);
            host = host.left(colon);
        }
        host = decoded(host);
        if (!isPlainValue(host))
            return bad(QStringLiteral("bad host '%1'").arg(entry));
        quint16 number = 0;
        if (!port.isEmpty()) {
            bool ok = false;
            const uint p = port.toUInt(&ok);
            if (!ok || p == 0 || p > 65535)
                return bad(QStringLiteral("bad port in %1").arg(entry));
            number = static_cast<quint16>(p);
        }
        t.hosts << host;
        t.ports << number;
    }
    for (const QString &pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString key = decoded(pair.left(eq)).toLower();
        const QString val = eq < 0 ? QString() : decoded(pair.mid(eq + 1));
        if (key == QLatin1String("password"))
            return ProtocolError{QStringLiteral("password_in_url"),
                                 QStringLiteral("the database URL carries a password, which "
                                                "every user of this machine can read from the "
                                                "process list: give it in PGPASSWORD or "
                                                "--database-password-file instead")};
        if (!allowedOptions().contains(key))
            return bad(QStringLiteral("unknown or unsupported connection option '%1'").arg(key));
        if (!isPlainValue(val))
            return bad(QStringLiteral("bad value for %1").arg(key));
        t.options.append({key, val});
    }
    return t;
}

Parsed<QString> readDatabasePasswordFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return ProtocolError{QStringLiteral("password_file"),
                             QStringLiteral("no password file at %1").arg(path)};
    const QFileDevice::Permissions open = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                          QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                          QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (file.permissions() & open)
        return ProtocolError{QStringLiteral("password_file_mode"),
                             QStringLiteral("the password file %1 can be read or written by "
                                            "other users: chmod 600 it")
                                 .arg(path)};
    if (!file.open(QIODevice::ReadOnly))
        return ProtocolError{QStringLiteral("password_file"),
                             QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    const QByteArray line = file.readLine(4096);
    QString password = QString::fromUtf8(line);
    while (password.endsWith(QLatin1Char('\n')) || password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    if (password.isEmpty())
        return ProtocolError{QStringLiteral("password_file"),
                             QStringLiteral("the password file %1 is empty").arg(path)};
    return password;
}

Parsed<DatabaseTarget> databaseFromOptions(const QString &url, const QString &passwordFile,
                                           const QString &environmentPassword,
                                           const QString &sqlitePath)
{
    auto target = parseDatabaseTarget(url, sqlitePath);
    if (!target)
        return target;
    if (!target->isPostgres()) {
        if (!passwordFile.isEmpty())
            return bad(QStringLiteral("a password file is for a postgresql:// database"));
        return target;
    }
    if (!passwordFile.isEmpty()) {
        const auto password = readDatabasePasswordFile(passwordFile);
        if (!password)
            return password.error();
        target.value().password = password.value();
    } else {
        target.value().password = environmentPassword;
    }
    return target;
}

} // namespace dispatch
