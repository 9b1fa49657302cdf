#include "appoptions.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

class TestAppOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const auto r = parseAppOptions({"dispatch-console"}, {});
        QVERIFY(r.options);
        QVERIFY(!r.options->headless);
        QCOMPARE(r.options->server.address, QHostAddress(QStringLiteral("0.0.0.0")));
        QCOMPARE(r.options->server.port, quint16(8443));
        QVERIFY(r.options->server.dashboardToken.isEmpty());
        QVERIFY(!r.options->dataDir.isEmpty());
        QVERIFY(r.options->addressPointsPath.isEmpty());
        const auto withPoints =
            parseAppOptions({"dispatch-console", "--address-points", "/srv/points.geojson"}, {});
        QVERIFY(withPoints.options);
        QCOMPARE(withPoints.options->addressPointsPath, QString("/srv/points.geojson"));
    }

    void guiDecidedByTheParser_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("gui");
        QTest::newRow("console") << QStringList{"dispatch-console"} << true;
        QTest::newRow("headless") << QStringList{"dispatch-console", "--headless"} << false;
        QTest::newRow("help") << QStringList{"dispatch-console", "--help"} << false;
        QTest::newRow("version") << QStringList{"dispatch-console", "--version"} << false;
        QTest::newRow("verify audit") << QStringList{"dispatch-console", "--verify-audit"} << false;
        QTest::newRow("list tokens") << QStringList{"dispatch-console", "--list-tokens"} << false;
        QTest::newRow("error goes to the terminal")
            << QStringList{"dispatch-console", "--no-such-option"} << false;
        // A raw scan of argv took this value of --data-dir for the --headless switch.
        QTest::newRow("option value is not a switch")
            << QStringList{"dispatch-console", "--data-dir", "--headless"} << true;
    }

    void guiDecidedByTheParser()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, gui);
        QCOMPARE(runNeedsGui(arguments, {}), gui);
    }

    void everything()
    {
        const auto r = parseAppOptions(
            {"dispatch-console", "--headless", "--listen", "127.0.0.1:0", "--data-dir", "/tmp/x",
             "--dashboard-token", "cli", "--auto-answer", "--tls-cert", "c.pem", "--tls-key",
             "k.pem", "--tls", "--allow-plaintext", "--allowed-origin", "https://wall.local"},
            {"DISPATCH_DASHBOARD_TOKEN=env"});
        QVERIFY2(r.options, qPrintable(r.error));
        const AppOptions &o = *r.options;
        QVERIFY(o.headless);
        QVERIFY(o.autoAnswer);
        QCOMPARE(o.server.address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(o.server.port, quint16(0));
        QCOMPARE(o.dataDir, QString("/tmp/x"));
        QCOMPARE(o.server.dataDir, QString("/tmp/x"));
        QCOMPARE(o.server.dashboardToken, QByteArray("cli")); // the flag wins over the env
        QCOMPARE(o.server.tlsCertPath, QString("c.pem"));
        QVERIFY(o.server.allowPlaintext);
        QVERIFY(o.server.forceTls);
        QCOMPARE(o.server.allowedOrigins, QStringList{"https://wall.local"});
    }

    void tokenFromEnvironment()
    {
        const auto r = parseAppOptions({"dispatch-console"},
                                       {"PATH=/bin", "DISPATCH_DASHBOARD_TOKEN=abc=def"});
        QCOMPARE(r.options->server.dashboardToken, QByteArray("abc=def"));
    }

    void geminiOptions()
    {
        auto r = parseAppOptions({"dispatch-console"}, {});
        QCOMPARE(toString(r.options->ai.mode), toString(TriageMode::Auto));
        QVERIFY(!r.options->ai.wantsGemini()); // auto without a key: local
        QCOMPARE(r.options->ai.maxSessions, 3);
        QVERIFY(r.options->ai.endpoint.isEmpty());

        r = parseAppOptions({"dispatch-console"},
                            {"GEMINI_API_KEY=k-1", "DISPATCH_GEMINI_ENDPOINT=wss://gw.local:9443"});
        QVERIFY(r.options->ai.wantsGemini());
        QCOMPARE(r.options->ai.apiKey, QString("k-1"));
        QCOMPARE(r.options->ai.endpoint, QUrl("wss://gw.local:9443"));

        r = parseAppOptions({"dispatch-console", "--triage", "GEMINI", "--gemini-endpoint",
                             "ws://127.0.0.1:9100", "--gemini-model",
                             "gemini-3.1-flash-live-preview", "--gemini-max-sessions", "5",
                             "--gemini-text-reports"},
                            {"GEMINI_API_KEY=k-2", "DISPATCH_GEMINI_ENDPOINT=wss://ignored"});
        QVERIFY2(r.options, qPrintable(r.error));
        const AiOptions &ai = r.options->ai;
        QCOMPARE(toString(ai.mode), toString(TriageMode::Gemini));
        QCOMPARE(ai.endpoint, QUrl("ws://127.0.0.1:9100")); // the flag wins over the env
        QCOMPARE(ai.model, QString("gemini-3.1-flash-live-preview"));
        QCOMPARE(ai.maxSessions, 5);
        QVERIFY(ai.textReports);
        QCOMPARE(ai.localShadows, -1); // auto unless asked

        r = parseAppOptions({"dispatch-console", "--local-shadows", "0"}, {});
        QCOMPARE(r.options->ai.localShadows, 0);
        r = parseAppOptions({"dispatch-console", "--local-shadows", "12"}, {});
        QCOMPARE(r.options->ai.localShadows, 12);
        r = parseAppOptions({"dispatch-console", "--local-shadows", "auto"}, {});
        QCOMPARE(r.options->ai.localShadows, -1);

        r = parseAppOptions({"dispatch-console", "--triage", "local"}, {"GEMINI_API_KEY=k"});
        QVERIFY(!r.options->ai.wantsGemini()); // local even with a key
    }

    void vertexBackend()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("sa.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // The key is not used here (nothing is signed): a PEM-looking placeholder will do.
        const QJsonObject account{
            {"type", "service_account"},
            {"project_id", "my-project"},
            {"private_key_id", "k1"},
            {"private_key", "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n"},
            {"client_email", "sa@my-project.iam.gserviceaccount.com"},
            {"token_uri", "https://oauth2.googleapis.com/token"}};
        f.write(QJsonDocument(account).toJson());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        auto r = parseAppOptions({"x"}, {});
        QVERIFY(!r.options->ai.backend.isVertex()); // the Developer API stays the default
        r = parseAppOptions({"x", "--gemini-backend", "vertex"},
                            {"GOOGLE_APPLICATION_CREDENTIALS=" + path});
        QVERIFY2(r.options, qPrintable(r.error));
        const GeminiBackendOptions &b = r.options->ai.backend;
        QVERIFY(b.isVertex());
        QCOMPARE(b.project, QString("my-project")); // from the file
        QCOMPARE(b.location, QString("us-central1"));
        QCOMPARE(b.vertexEndpoint(), QUrl("wss://us-central1-aiplatform.googleapis.com"));
        QVERIFY(r.options->ai.wantsGemini()); // no GEMINI_API_KEY needed
        r = parseAppOptions({"x", "--gemini-backend", "vertex", "--vertex-credentials", path,
                             "--vertex-project", "other-project", "--vertex-location", "global"},
                            {});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->ai.backend.project, QString("other-project"));
        QCOMPARE(r.options->ai.backend.vertexEndpoint(), QUrl("wss://aiplatform.googleapis.com"));

        // Refused like ssh refuses a private key others can read.
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                 QFileDevice::ReadGroup));
        r = parseAppOptions({"x", "--gemini-backend", "vertex", "--vertex-credentials", path}, {});
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains("chmod 600"), qPrintable(r.error));
        r = parseAppOptions({"x", "--gemini-backend", "vertex"}, {});
        QVERIFY(r.error.contains("--vertex-credentials"));
        r = parseAppOptions({"x", "--gemini-backend", "bedrock"}, {});
        QVERIFY(r.error.contains("developer or vertex"));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("bad listen") << QStringList{"x", "--listen", "nowhere"};
        QTest::newRow("bad port") << QStringList{"x", "--listen", "127.0.0.1:70000"};
        QTest::newRow("unknown option") << QStringList{"x", "--frobnicate"};
        QTest::newRow("cert without key") << QStringList{"x", "--tls-cert", "c.pem"};
        QTest::newRow("stray argument") << QStringList{"x", "stray"};
        QTest::newRow("negative retention") << QStringList{"x", "--retention-days", "-1"};
        QTest::newRow("retention not a number") << QStringList{"x", "--retention-days", "a"};
        QTest::newRow("free space not a number") << QStringList{"x", "--min-free-mb", "lots"};
        QTest::newRow("bad triage mode") << QStringList{"x", "--triage", "cloud"};
        QTest::newRow("endpoint without host") << QStringList{"x", "--gemini-endpoint", "wss://"};
        QTest::newRow("endpoint scheme") << QStringList{"x", "--gemini-endpoint", "ftp://h"};
        QTest::newRow("negative budget") << QStringList{"x", "--gemini-max-sessions", "-1"};
        QTest::newRow("budget not a number") << QStringList{"x", "--gemini-max-sessions", "two"};
        QTest::newRow("negative shadows") << QStringList{"x", "--local-shadows", "-2"};
        QTest::newRow("shadows not a number") << QStringList{"x", "--local-shadows", "many"};
        QTest::newRow("connect without token") << QStringList{"x", "--connect", "wss://h:8443"};
        QTest::newRow("connect to http")
            << QStringList{"x", "--connect", "https://h:8443", "--token", "t"};
        QTest::newRow("connect without host")
            << QStringList{"x", "--connect", "wss://", "--token", "t"};
        QTest::newRow("token in clear off the machine")
            << QStringList{"x", "--connect", "ws://10.1.2.3:8443", "--token", "t"};
        QTest::newRow("remote console headless")
            << QStringList{"x", "--connect", "wss://h:8443", "--token", "t", "--headless"};
        QTest::newRow("no connections per address")
            << QStringList{"x", "--max-connections-per-address", "0"};
        QTest::newRow("connections per address not a number")
            << QStringList{"x", "--max-connections-per-address", "many"};
        QTest::newRow("API key in clear off the machine")
            << QStringList{"x", "--gemini-endpoint", "ws://gw.example:9000"};
        QTest::newRow("API key over http off the machine")
            << QStringList{"x", "--gemini-endpoint", "http://10.0.0.5"};
        QTest::newRow("API key in clear, even with --allow-plaintext")
            << QStringList{"x", "--gemini-endpoint", "ws://10.0.0.5:9", "--allow-plaintext"};
    }

    // ws:// would send the API key in clear: only to this machine (a local fake or gateway).
    void geminiEndpointInClearOnlyOnLoopback()
    {
        for (const QString endpoint : {"ws://127.0.0.1:9100", "ws://localhost:9", "ws://[::1]:9",
                                       "http://127.0.0.2", "wss://gw.example:9443"}) {
            const auto r = parseAppOptions({"x", "--gemini-endpoint", endpoint}, {});
            QVERIFY2(r.options, qPrintable(endpoint + ": " + r.error));
        }
        const auto r =
            parseAppOptions({"x"}, {"GEMINI_API_KEY=k", "DISPATCH_GEMINI_ENDPOINT=ws://gw:80"});
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains("in clear"), qPrintable(r.error));
        QVERIFY(!r.error.contains("k\n")); // the key is not in the message
    }

    // QtWebEngine's helper processes (and any QProcess) inherit the environment: the secrets
    // are read once and taken out of it.
    void secretsAreTakenOutOfTheEnvironment()
    {
        qputenv("GEMINI_API_KEY", "AIza-test-key");
        qputenv("DISPATCH_DASHBOARD_TOKEN", "bootstrap-test-token");
        qputenv("DISPATCH_REMOTE_TOKEN", "remote-test-token");
        qputenv("PGPASSWORD", "pg-test-token");
        qputenv("DISPATCH_NOT_A_SECRET", "kept");
        const QStringList environment = takeSecretsFromEnvironment();
        QVERIFY(environment.contains("GEMINI_API_KEY=AIza-test-key"));
        QVERIFY(environment.contains("DISPATCH_DASHBOARD_TOKEN=bootstrap-test-token"));
        const auto r = parseAppOptions({"x"}, environment);
        QCOMPARE(r.options->ai.apiKey, QString("AIza-test-key"));
        QCOMPARE(r.options->server.dashboardToken, QByteArray("bootstrap-test-token"));
        QCOMPARE(r.options->remote.token, QByteArray("remote-test-token"));
        const auto pg =
            parseAppOptions({"x", "--database", "postgresql://d@db/calls"}, environment);
        QCOMPARE(pg.options->storage.database.password, QString("pg-test-token"));
        for (const char *name : SecretEnvironmentVariables)
            QVERIFY2(!qEnvironmentVariableIsSet(name), name);
        QCOMPARE(qgetenv("DISPATCH_NOT_A_SECRET"), QByteArray("kept"));
        // What a child process sees.
        QProcess child;
        child.start(QStringLiteral("/usr/bin/env"), {});
        QVERIFY(child.waitForFinished(5000));
        const QByteArray childEnvironment = child.readAllStandardOutput();
        QVERIFY(childEnvironment.contains("DISPATCH_NOT_A_SECRET=kept"));
        QVERIFY(!childEnvironment.contains("test-key"));
        QVERIFY(!childEnvironment.contains("test-token"));
    }

    void connectionsPerAddress()
    {
        auto r = parseAppOptions({"x"}, {});
        QCOMPARE(r.options->server.maxConnectionsPerAddress, 64);
        r = parseAppOptions({"x", "--max-connections-per-address", "3000"}, {});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->server.maxConnectionsPerAddress, 3000);
    }
    void errors()
    {
        QFETCH(QStringList, args);
        const auto r = parseAppOptions(args, {});
        QVERIFY(!r.options);
        QVERIFY(!r.error.isEmpty());
    }

    void remoteConsole()
    {
        auto r = parseAppOptions({"x"}, {});
        QVERIFY(!r.options->remote.enabled());
        r = parseAppOptions({"x", "--connect", "wss://host.local:8443", "--fingerprint", "AB:CD"},
                            {"DISPATCH_REMOTE_TOKEN=dct_secret"});
        QVERIFY2(r.options, qPrintable(r.error));
        QVERIFY(r.options->remote.enabled());
        QCOMPARE(r.options->remote.url, QUrl("wss://host.local:8443"));
        QCOMPARE(r.options->remote.token, QByteArray("dct_secret"));
        QCOMPARE(r.options->remote.fingerprint, QString("AB:CD"));
        // ws:// is fine on loopback, and the flag wins over the environment.
        r = parseAppOptions({"x", "--connect", "ws://127.0.0.1:9000", "--token", "cli"},
                            {"DISPATCH_REMOTE_TOKEN=env"});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->remote.token, QByteArray("cli"));
        r = parseAppOptions(
            {"x", "--connect", "ws://10.1.2.3:9000", "--token", "t", "--allow-plaintext"}, {});
        QVERIFY2(r.options, qPrintable(r.error));
    }

    void storageOptions()
    {
        auto r = parseAppOptions({"x"}, {});
        QCOMPARE(r.options->storage.retentionDays, 30);
        QCOMPARE(r.options->storage.minFreeBytes, 1024LL * 1024 * 1024);
        QVERIFY(!r.options->verifyAudit);
        r = parseAppOptions({"x", "--verify-audit", "--data-dir", "/d", "--retention-days", "0",
                             "--min-free-mb", "200"},
                            {});
        QVERIFY2(r.options, qPrintable(r.error));
        QVERIFY(r.options->verifyAudit);
        QCOMPARE(r.options->dataDir, QString("/d"));
        QCOMPARE(r.options->storage.retentionDays, 0);
        QCOMPARE(r.options->storage.minFreeBytes, 200LL * 1024 * 1024);
        // The database: the file in the data dir unless a PostgreSQL URL is given.
        QVERIFY(!r.options->storage.database.isPostgres());
        QCOMPARE(r.options->storage.database.sqlitePath, QString("/d/dispatch.sqlite"));
        r = parseAppOptions(
            {"x", "--headless", "--database",
             "postgresql://disp@db1:5433,db2/calls?target_session_attrs=read-write"},
            {"PGPASSWORD=from-env"});
        QVERIFY2(r.options, qPrintable(r.error));
        QVERIFY(r.options->storage.database.isPostgres());
        QCOMPARE(r.options->storage.database.hosts, QStringList({"db1", "db2"}));
        QCOMPARE(r.options->storage.database.password, QString("from-env"));
        // Never on the command line, where ps shows it to everyone.
        r = parseAppOptions({"x", "--database", "postgresql://disp:hunter2@db/calls"}, {});
        QVERIFY(!r.options);
        QVERIFY(r.error.contains("PGPASSWORD"));
        QVERIFY(!r.error.contains("hunter2"));
        r = parseAppOptions({"x", "--database-password-file", "/nonexistent/pw"}, {});
        QVERIFY(!r.options); // a password file is for a PostgreSQL database
        // Integer options share one range check and one wording.
        r = parseAppOptions({"x", "--retention-days", "-1"}, {});
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains("--retention-days takes 0-36500"), qPrintable(r.error));
        r = parseAppOptions({"x", "--max-connections-per-address", "0"}, {});
        QVERIFY2(r.error.contains("--max-connections-per-address takes 1-100000"),
                 qPrintable(r.error));
        r = parseAppOptions({"x", "--gemini-max-sessions", "many"}, {});
        QVERIFY2(r.error.contains("--gemini-max-sessions takes 0-1000"), qPrintable(r.error));
    }

    void nodeOptions()
    {
        auto r = parseAppOptions({"x"}, {});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->storage.node.name, defaultNodeName());
        QVERIFY(isValidNodeName(r.options->storage.node.name));
        QVERIFY(r.options->storage.node.urls.isEmpty()); // derived once listening
        r = parseAppOptions({"x", "--headless", "--node-name", "edge-1.site_a", "--node-url",
                             "wss://edge1.example:8443, https://edge1.example:8443", "--node-url",
                             "ws://10.0.0.5:9000"},
                            {});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->storage.node.name, QString("edge-1.site_a"));
        QCOMPARE(r.options->storage.node.urls,
                 QStringList({"wss://edge1.example:8443", "https://edge1.example:8443",
                              "ws://10.0.0.5:9000"}));
        for (const char *bad : {"a b", "", "x/y",
                                "0123456789012345678901234567890123456789012345"
                                "678901234567890123"}) {
            r = parseAppOptions({"x", "--node-name", bad}, {});
            QVERIFY2(!r.options, bad);
            QVERIFY2(r.error.contains("--node-name"), qPrintable(r.error));
        }
        for (const char *bad : {"ftp://edge1:21", "edge1:8443", "wss://"}) {
            r = parseAppOptions({"x", "--node-url", bad}, {});
            QVERIFY2(!r.options, bad);
            QVERIFY2(r.error.contains("--node-url"), qPrintable(r.error));
        }
        // The default: the server's URL, the host name for a wildcard address.
        QCOMPARE(defaultNodeUrls(QUrl("https://127.0.0.1:8443"), QHostAddress::Any),
                 QStringList{"https://" + QSysInfo::machineHostName() + ":8443"});
        QCOMPARE(defaultNodeUrls(QUrl("http://10.1.2.3:9000"), QHostAddress("10.1.2.3")),
                 QStringList{"http://10.1.2.3:9000"});
        QVERIFY(parseAppOptions({"x", "--help"}, {}).helpText.contains("--node-name"));
    }

    void help()
    {
        const auto r = parseAppOptions({"x", "--help"}, {});
        QVERIFY(!r.options);
        QVERIFY(r.helpText.contains("--headless"));
        QVERIFY(r.helpText.contains("--dashboard-token"));
    }

    void listenAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << "10.0.0.5:9000" << true << "10.0.0.5" << 9000;
        QTest::newRow("any") << ":8443" << true << QHostAddress(QHostAddress::Any).toString()
                             << 8443;
        QTest::newRow("ipv6") << "[::1]:1234" << true << "::1" << 1234;
        QTest::newRow("no port") << "127.0.0.1" << false << "" << 0;
        QTest::newRow("hostname") << "example.org:80" << false << "" << 0;
    }
    void listenAddresses()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, host);
        QFETCH(int, port);
        QHostAddress a;
        quint16 p = 0;
        QCOMPARE(parseListenAddress(text, &a, &p), ok);
        if (ok) {
            QCOMPARE(a.toString(), host);
            QCOMPARE(int(p), port);
        }
    }
};

QTEST_GUILESS_MAIN(TestAppOptions)
#include "tst_appoptions.moc"
