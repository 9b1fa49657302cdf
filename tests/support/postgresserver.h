#pragma once

#include <QString>
#include <QTemporaryDir>

namespace dispatch::test {

// A throwaway PostgreSQL server for one test process: initdb and pg_ctl (from
// /usr/lib/postgresql/15/bin, or DISPATCH_PG_BIN) in a temporary directory, listening on a free
// loopback port and on a Unix socket in that directory, with password (SCRAM) authentication
// over TCP. As root (CI) the server runs as the unprivileged `postgres` user through runuser,
// since PostgreSQL refuses to run as root. Stopped and removed when destroyed.
class PostgresServer
{
public:
    // `password`: the superuser's (empty: a random one). `serverOptions`: more "-c name=value"
    // for the server (a standby stand-in: "-c default_transaction_read_only=on").
    explicit PostgresServer(QString password = {}, QString serverOptions = {});
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // False, with the reason, when PostgreSQL is not installed or does not start.
    bool start(QString *why);
    // Stops at once (as a crash or a power cut would: pg_ctl -m immediate) / starts again on the
    // same port with the same data.
    void stop();
    bool restart(QString *why);
    bool isRunning() const { return m_running; }

    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("dispatch"); }
    QString password() const { return m_password; }
    // postgresql://dispatch@127.0.0.1:PORT/DB (no password: give password() separately).
    QString url(const QString &database) const;
    // Creates an empty database with a fresh name and returns the name (empty on failure).
    QString createDatabase(QString *why);
    // A loopback port nothing listens on (a host that is down).
    static quint16 deadPort();
    // Where initdb and pg_ctl are.
    static QString binDir();

private:
    bool run(const QString &program, const QStringList &arguments, QString *why,
             int timeoutMs = 60'000);

    QTemporaryDir m_dir;
    QString m_password;
    QString m_serverOptions;
    quint16 m_port = 0;
    bool m_running = false;
    int m_databases = 0;
};

} // namespace dispatch::test
