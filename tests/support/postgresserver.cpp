#include "postgresserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QUuid>

#include <pwd.h>
#include <unistd.h>

namespace dispatch::test {

namespace {

// Hands `path` (and what is in it) to the user the server runs as.
bool chownTree(const QString &path, uid_t uid, gid_t gid)
{
    if (::chown(QFile::encodeName(path).constData(), uid, gid) != 0)
        return false;
    const QFileInfo info(path);
    if (!info.isDir())
        return true;
    for (const QFileInfo &entry :
         QDir(path).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (!chownTree(entry.absoluteFilePath(), uid, gid))
            return false;
    }
    return true;
}

} // namespace

PostgresServer::PostgresServer(QString password, QString serverOptions)
    : m_password(password.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                    : std::move(password))
    , m_serverOptions(std::move(serverOptions))
{}

PostgresServer::~PostgresServer()
{
    stop();
}

QString PostgresServer::binDir()
{
    const QString configured = qEnvironmentVariable("DISPATCH_PG_BIN");
    return configured.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : configured;
}

quint16 PostgresServer::deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there any more: a connection is refused at once
    return port;
}

bool PostgresServer::run(const QString &program, const QStringList &arguments, QString *why,
                         int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    const QString binary = QDir(binDir()).filePath(program);
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                            binary} +
                    arguments);
    else
        p.start(binary, arguments);
    if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != 0) {
        *why = QStringLiteral("%1 failed: %2 %3")
                   .arg(program, p.errorString(), QString::fromLocal8Bit(p.readAll()));
        return false;
    }
    return true;
}

bool PostgresServer::start(QString *why)
{
    if (m_running)
        return true;
    if (!QFileInfo::exists(QDir(binDir()).filePath(QStringLiteral("initdb")))) {
        *why = QStringLiteral("PostgreSQL is not installed (no initdb in %1; Debian: "
                              "postgresql-15)")
                   .arg(binDir());
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        *why = QStringLiteral("the Qt PostgreSQL driver is not installed (libqt6sql6-psql)");
        return false;
    }
    if (!m_dir.isValid()) {
        *why = QStringLiteral("no temporary directory");
        return false;
    }
    const QString passwordFile = m_dir.filePath(QStringLiteral("password"));
    {
        QFile f(passwordFile);
        if (!f.open(QIODevice::WriteOnly) || f.write(m_password.toUtf8() + '\n') < 0) {
            *why = QStringLiteral("cannot write %1").arg(passwordFile);
            return false;
        }
    }
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            *why = QStringLiteral("running as root, and there is no postgres user to run the "
                                  "server as");
            return false;
        }
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                QFileDevice::ExeOther);
        if (!chownTree(m_dir.path(), pw->pw_uid, pw->pw_gid)) {
            *why = QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
            return false;
        }
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!run(QStringLiteral("initdb"),
             {QStringLiteral("-D"), data, QStringLiteral("-U"), user(),
              QStringLiteral("--pwfile=") + passwordFile, QStringLiteral("--auth-local=trust"),
              QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
              QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync"),
              QStringLiteral("--no-instructions")},
             why))
        return false;
    // A port is free between this probe and the server's bind unless something else takes it
    // in those milliseconds; a second try covers that.
    for (int attempt = 0; attempt < 2 && !m_running; ++attempt) {
        m_port = deadPort();
        m_running = restart(why);
    }
    return m_running;
}

bool PostgresServer::restart(QString *why)
{
    if (m_running)
        return true;
    const QString options = QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off "
                                           "-c full_page_writes=off -c max_connections=50")
                                .arg(m_port)
                                .arg(m_dir.path()) +
                            QLatin1Char(' ') + m_serverOptions;
    m_running = run(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")),
                     QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")),
                     QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"),
                     QStringLiteral("-o"), options, QStringLiteral("start")},
                    why);
    return m_running;
}

void PostgresServer::stop()
{
    if (!m_running)
        return;
    QString why;
    run(QStringLiteral("pg_ctl"),
        {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
         QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
        &why);
    m_running = false;
}

QString PostgresServer::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user()).arg(m_port).arg(database);
}

QString PostgresServer::createDatabase(QString *why)
{
    const QString name = QStringLiteral("test_%1").arg(++m_databases);
    const QString connection = QStringLiteral("postgresserver.admin");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setUserName(user());
        db.setPassword(m_password);
        db.setDatabaseName(QStringLiteral("postgres"));
        if (!db.open()) {
            *why = db.lastError().text();
        } else {
            QSqlQuery q(db);
            ok = q.exec(QStringLiteral("CREATE DATABASE %1").arg(name));
            if (!ok)
                *why = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return ok ? name : QString();
}

} // namespace dispatch::test
