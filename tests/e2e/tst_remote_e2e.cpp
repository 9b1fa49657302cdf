// `dispatch-console --connect`: the real binary as a remote console of a real --headless host.
#include "auth/tokenstore.h"
#include "consoleprocess.h"
#include "testphone.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestRemoteE2e : public QObject
{
    Q_OBJECT

private:
    // Runs a remote console until its screenshot; returns its exit code, stderr in `log`.
    int runRemote(const QUrl &host, const QByteArray &token, const QString &png,
                  const QStringList &extra, QByteArray *log)
    {
        QUrl url = host;
        url.setScheme("ws");
        QProcess remote;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DISPATCH_REMOTE_TOKEN", QString::fromLatin1(token)); // not on the command line
        remote.setProcessEnvironment(env);
        remote.start(DISPATCH_CONSOLE_BIN,
                     QStringList{"--connect", url.toString(), "--screenshot", png, "--after", "4"} +
                         extra);
        if (!remote.waitForFinished(60'000)) {
            remote.kill();
            return -1;
        }
        *log = remote.readAllStandardError();
        return remote.exitStatus() == QProcess::NormalExit ? remote.exitCode() : -1;
    }

private Q_SLOTS:
    void remoteConsoleMirrorsTheHost()
    {
        ConsoleProcess host(QStringLiteral(DISPATCH_CONSOLE_BIN));
        auto token = TokenStore(host.dataDir() + "/tokens.json")
                         .issue("ana", Role::Dispatcher, {}, QDateTime::currentDateTimeUtc());
        QVERIFY(token.ok());
        const QUrl base = host.start({});
        QVERIFY(base.isValid());
        TestPhone phone(base, "remote-e2e");
        QVERIFY(phone.connected());
        phone.initiate();
        QVERIFY(!phone.credential().isEmpty()); // the host has made the call

        QTemporaryDir dir;
        const QString png = dir.filePath("remote.png");
        QByteArray log;
        QCOMPARE(runRemote(base, token.value(), png, {}, &log), 0);
        QVERIFY2(log.contains("hello from the host as \"ana\""), log.constData());
        QVERIFY2(log.contains("synchronised with the host: 1 live calls"), log.constData());
        QVERIFY(!log.contains(token.value())); // the token is never logged
        const QImage shot(png);
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() > 800);
        QTRY_VERIFY_WITH_TIMEOUT(
            host.standardError().contains("dashboard client ana (dispatcher) connected"), 5000);

        // The wall from another machine, too.
        QCOMPARE(runRemote(base, token.value(), dir.filePath("wall.png"), {"--wall"}, &log), 0);
        QVERIFY2(log.contains("synchronised with the host: 1 live calls"), log.constData());
        QCOMPARE(host.stop(), 0);
    }

    void wrongTokenIsRefusedAndSaysSo()
    {
        ConsoleProcess host(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = host.start({});
        QVERIFY(base.isValid());
        QTemporaryDir dir;
        QByteArray log;
        QCOMPARE(runRemote(base, "dct_not-a-real-token", dir.filePath("r.png"), {}, &log), 0);
        QVERIFY2(log.contains("reconnecting in"), log.constData());
        QVERIFY(!log.contains("hello from the host"));
        QTRY_VERIFY_WITH_TIMEOUT(host.standardError().contains("refused WebSocket /ws/dashboard"),
                                 5000);
        QCOMPARE(host.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRemoteE2e)
#include "tst_remote_e2e.moc"
