#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace dispatch::test {

// The real dispatch-console binary as a child process: --headless on 127.0.0.1 port 0 with its
// own data dir. start() returns the URL from its "listening on" line.
class ConsoleProcess
{
public:
    explicit ConsoleProcess(QString binary);
    ~ConsoleProcess();

    QUrl start(const QStringList &extraArguments, int timeoutMs = 15'000);
    // SIGTERM and wait; returns the exit code (-1 when it did not exit cleanly).
    int stop(int timeoutMs = 10'000);
    QByteArray standardError();
    QString dataDir() const { return m_dataDir.path(); }
    QProcess &process() { return m_process; }

private:
    QString m_binary;
    QTemporaryDir m_dataDir;
    QTemporaryDir m_configDir; // XDG_CONFIG_HOME: the audit key and anchor, outside the data dir
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace dispatch::test
