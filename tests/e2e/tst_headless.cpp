// Runs the real dispatch-console binary in --headless mode as a child process and drives a
// call through it with real WebSocket clients.
#include "net/tlscredentials.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace dispatch;
using namespace dispatch::test;

class TestHeadless : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    QTemporaryDir m_dir;
    QByteArray m_out; // everything the console printed on stdout so far

    // Starts the console and returns the URL from its "listening on" line.
    QUrl start(QProcess &process, const QStringList &extra)
    {
        process.setProgram(QStringLiteral(DISPATCH_CONSOLE_BIN));
        process.setArguments(
            QStringList{"--headless", "--listen", "127.0.0.1:0", "--data-dir", m_dir.path()} +
            extra);
        process.start();
        if (!process.waitForStarted(5000))
            return {};
        m_out.clear();
        QRegularExpression re("listening on (\\S+)");
        QRegularExpressionMatch m;
        (void)QTest::qWaitFor(
            [&] {
                m_out += process.readAllStandardOutput();
                m = re.match(QString::fromUtf8(m_out));
                return m.hasMatch() || process.state() == QProcess::NotRunning;
            },
            10'000);
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }

    void stop(QProcess &process)
    {
        ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
        QVERIFY(process.waitForFinished(10'000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The consoles started here keep their default audit key (and its anchors) in a
        // throw-away config dir, never in the real one of whoever runs the tests.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    }

    void versionAndHelp()
    {
        QProcess p;
        p.start(QStringLiteral(DISPATCH_CONSOLE_BIN), {"--version"});
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("dispatch-console "));
        p.start(QStringLiteral(DISPATCH_CONSOLE_BIN), {"--listen", "bogus", "--headless"});
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--listen"));
    }

    void autoAnsweredCallEndToEnd()
    {
        QProcess console;
        const QUrl base = start(console, {"--auto-answer", "--dashboard-token", "e2e-token"});
        QVERIFY(base.isValid());

        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer e2e-token"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());

        TestClient signal;
        TestClient audio;
        signal.open(wsUrl(base, "/ws/signal", "call_id=e2e-1&role=caller"));
        audio.open(wsUrl(base, "/ws/audio", "call_id=e2e-1"));
        QVERIFY(signal.waitConnected() && audio.waitConnected());
        signal.sendJson(
            {{"type", "call_initiated"}, {"location", QJsonObject{{"lat", 51.5}, {"lng", -0.12}}}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());
        QCOMPARE(dashboard.waitForType("incoming_call").value("call_id").toString(),
                 QString("e2e-1"));
        QCOMPARE(dashboard.waitForType("call_state").value("answered_by").toString(),
                 QString("auto-answer"));
        for (int i = 0; i < 50; ++i)
            audio.socket().sendBinaryMessage(QByteArray(640, char(i)));
        signal.sendJson({{"type", "call_ended"}});
        QCOMPARE(dashboard.waitForType("call_ended").value("reason").toString(),
                 QString("caller_hung_up"));
        stop(console);
        QVERIFY(console.readAllStandardError().contains("call \"e2e-1\" ended"));
    }

    // The attack that opened issue 15: GET /health, unauthenticated, listed the call ids of
    // every call in triage; a call id was all a phone proved.
    void healthShowsNoCallIdWithoutAToken()
    {
        QProcess console;
        const QUrl base = start(console, {"--auto-answer", "--dashboard-token", "e2e-token"});
        QVERIFY(base.isValid());
        TestClient signal;
        signal.open(wsUrl(base, "/ws/signal", "call_id=secret-looking-call-7&role=caller"));
        QVERIFY(signal.waitConnected());
        signal.sendJson({{"type", "call_initiated"}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());

        QNetworkAccessManager http;
        auto get = [&](const QByteArray &token) {
            QUrl url = base;
            url.setPath("/health");
            QNetworkRequest request(url);
            if (!token.isEmpty())
                request.setRawHeader("Authorization", "Bearer " + token);
            QNetworkReply *reply = http.get(request);
            (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000);
            const QByteArray body = reply->readAll();
            reply->deleteLater();
            return body;
        };
        // The call is in triage (the local engine) once answered.
        QByteArray withToken;
        QVERIFY(QTest::qWaitFor(
            [&] {
                withToken = get("e2e-token");
                return withToken.contains("secret-looking-call-7");
            },
            10'000));
        const QByteArray anonymous = get(QByteArray());
        QVERIFY(!anonymous.isEmpty());
        QVERIFY2(!anonymous.contains("secret-looking-call-7"), anonymous.constData());
        const QJsonObject ai = QJsonDocument::fromJson(anonymous).object().value("ai").toObject();
        QCOMPARE(ai.value("calls_in_triage").toInt(), 1);
        QVERIFY(!get("wrong-token").contains("secret-looking-call-7"));
        stop(console);
    }

    void tlsListenerWithGivenCertificate()
    {
        const QString crt = m_dir.path() + "/given.crt";
        const QString key = m_dir.path() + "/given.key";
        QVERIFY(!TlsCredentials::generateSelfSigned(crt, key, {"localhost", "127.0.0.1"}));
        QProcess console;
        const QUrl base = start(console, {"--tls-cert", crt, "--tls-key", key});
        QByteArray log = console.readAllStandardError();
        QVERIFY2(base.isValid(), log.constData());
        QCOMPARE(base.scheme(), QString("https"));
        const QByteArray expected = TlsCredentials::load(crt, key)->sha256Fingerprint().toLatin1();
        QTRY_VERIFY2((log += console.readAllStandardError()).contains(expected), log.constData());
        TestClient phone;
        QSslConfiguration pinned = QSslConfiguration::defaultConfiguration();
        pinned.setCaCertificates(QSslCertificate::fromPath(crt));
        phone.socket().setSslConfiguration(pinned);
        phone.open(wsUrl(base, "/ws/signal", "call_id=tls-1"));
        QVERIFY(phone.waitConnected());
        stop(console);
    }

    void generatedCertificateOnFirstRun()
    {
        QTemporaryDir dataDir;
        QProcess console;
        console.setProgram(QStringLiteral(DISPATCH_CONSOLE_BIN));
        console.setArguments(
            {"--headless", "--tls", "--listen", "127.0.0.1:0", "--data-dir", dataDir.path()});
        console.start();
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += console.readAllStandardOutput()).contains("listening on"),
                                 15'000);
        QVERIFY(out.contains("listening on https://127.0.0.1:"));
        auto generated = TlsCredentials::load(dataDir.path() + "/tls/server.crt",
                                              dataDir.path() + "/tls/server.key");
        QVERIFY(generated);
        const QByteArray log = console.readAllStandardError();
        QVERIFY(log.contains("generated"));
        QVERIFY(log.contains(generated->sha256Fingerprint().toLatin1()));
        stop(console);
    }

    // --verify-audit reports a trail cut at its end in words and with exit code 1, where the
    // unkeyed chain used to say "intact"; the data dir is owner-only.
    void verifyAuditReportsATruncatedTrail()
    {
        QTemporaryDir dataDir;
        const QString key = m_config.filePath("verify-test/audit.key");
        for (int run = 0; run < 2; ++run) {
            QProcess console;
            console.setProgram(QStringLiteral(DISPATCH_CONSOLE_BIN));
            console.setArguments({"--headless", "--listen", "127.0.0.1:0", "--data-dir",
                                  dataDir.path(), "--audit-key", key});
            console.start();
            QByteArray out;
            QTRY_VERIFY_WITH_TIMEOUT(
                (out += console.readAllStandardOutput()).contains("listening on"), 15'000);
            stop(console);
        }
        QCOMPARE(QFile::permissions(dataDir.path()),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                     QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
        auto verify = [&](QByteArray *out) {
            QProcess p;
            p.start(QStringLiteral(DISPATCH_CONSOLE_BIN),
                    {"--verify-audit", "--data-dir", dataDir.path(), "--audit-key", key});
            if (!p.waitForFinished(10'000))
                return -1;
            *out = p.readAllStandardOutput() + p.readAllStandardError();
            return p.exitCode();
        };
        QByteArray out;
        QCOMPARE(verify(&out), 0);
        QVERIFY2(out.contains("audit trail intact"), out.constData());
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "cut");
            db.setDatabaseName(dataDir.filePath("dispatch.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("DROP TRIGGER audit_log_no_delete"));
            QVERIFY(q.exec("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase("cut");
        QCOMPARE(verify(&out), 1);
        QVERIFY2(out.contains("audit trail TRUNCATED"), out.constData());
    }

    void shutdownEndsLiveCalls()
    {
        QProcess console;
        const QUrl base = start(console, {"--dashboard-token", "t"});
        QVERIFY(base.isValid());
        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        TestClient signal;
        signal.open(wsUrl(base, "/ws/signal", "call_id=left-open"));
        QVERIFY(signal.waitConnected());
        signal.sendJson({{"type", "call_initiated"}});
        QVERIFY(!dashboard.waitForType("incoming_call").isEmpty());
        stop(console);
        QCOMPARE(signal.waitForType("call_ended").value("reason").toString(),
                 QString("server_shutdown"));
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
