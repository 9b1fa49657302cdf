#include "consoleprocess.h"

#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

namespace dispatch::test {

ConsoleProcess::ConsoleProcess(QString binary)
    : m_binary(std::move(binary))
{}

ConsoleProcess::~ConsoleProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        stop();
}

QUrl ConsoleProcess::start(const QStringList &extraArguments, int timeoutMs)
{
    m_process.setProgram(m_binary);
    // The default audit key lives in the user's config dir: a throw-away one per console, never
    // the real one of whoever runs the tests.
    QProcessEnvironment env = m_process.processEnvironment();
    if (env.isEmpty())
        env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_configDir.path());
    m_process.setProcessEnvironment(env);
    m_process.setArguments(QStringList{QStringLiteral("--headless"), QStringLiteral("--listen"),
                                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                                       m_dataDir.path()} +
                           extraArguments);
    m_process.start();
    if (!m_process.waitForStarted(timeoutMs))
        return {};
    static const QRegularExpression re(QStringLiteral("listening on (\\S+)"));
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            m_out += m_process.readAllStandardOutput();
            match = re.match(QString::fromUtf8(m_out));
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

int ConsoleProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(timeoutMs);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QByteArray ConsoleProcess::standardError()
{
    m_err += m_process.readAllStandardError();
    return m_err;
}

} // namespace dispatch::test
