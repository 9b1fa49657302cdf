// The PostgreSQL backend (issue 20, storage half): the --database URL and its password rules,
// then against a real, throwaway server: the schema and its types, two connections migrating
// at once, a schema newer than the build, a host list whose first host is down, and a whole
// call recorded, searched, exported and its keyed audit trail verified.
#include "historyfixture.h"
#include "skiporfail.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/databasetarget.h"
#include "storage/migrations.h"
#include "storagetesthelpers.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace dispatch;
using namespace dispatch::test;

class TestPostgresStorage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_scratch;

    // A fresh, empty database on the suite's server.
    DatabaseTarget freshDatabase()
    {
        static int n = 0;
        return testDatabase(m_scratch.filePath(QStringLiteral("db-%1").arg(++n)));
    }
    PostgresServer &server() { return *TestDatabases::instance().server; }

    static void writeFile(const QString &path, const QByteArray &bytes,
                          QFileDevice::Permissions mode)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        QVERIFY(f.setPermissions(mode));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_scratch.isValid());
        qputenv("DISPATCH_TEST_DATABASE", "postgresql");
    }

    // ---- the option, without a server ----

    void sqliteIsTheDefault()
    {
        for (const QString &text :
             {QString(), QStringLiteral("sqlite"), QStringLiteral("SQLite")}) {
            const auto t = databaseFromOptions(text, QString(), "ignored", "/data/dispatch.sqlite");
            QVERIFY2(t, qPrintable(text));
            QVERIFY(!t->isPostgres());
            QCOMPARE(t->sqlitePath, QString("/data/dispatch.sqlite"));
            QVERIFY(t->password.isEmpty());
        }
    }

    void multiHostUrlReachesLibpq()
    {
        const auto t =
            parseDatabaseTarget("postgresql://disp@db1.example:5433,10.0.0.2,[fd00::5]:6543/calls"
                                "?target_session_attrs=read-write&sslmode=verify-full",
                                QString());
        QVERIFY2(t, qPrintable(t.error().message));
        QVERIFY(t->isPostgres());
        QCOMPARE(t->user, QString("disp"));
        QCOMPARE(t->database, QString("calls"));
        QCOMPARE(t->hosts, QStringList({"db1.example", "10.0.0.2", "fd00::5"}));
        QCOMPARE(t->ports, QList<quint16>({5433, 0, 6543}));
        QCOMPARE(t->postgresConnectOptions(),
                 QString("host=db1.example,10.0.0.2,fd00::5;port=5433,,6543;"
                         "target_session_attrs=read-write;sslmode=verify-full;"
                         "connect_timeout=10"));
        QCOMPARE(t->describe(), QString("postgresql://disp@db1.example:5433,10.0.0.2,"
                                        "[fd00::5]:6543/calls?target_session_attrs=read-write&"
                                        "sslmode=verify-full"));
        // A Unix socket directory, percent-encoded as libpq's own URLs have it.
        const auto socket = parseDatabaseTarget("postgres://disp@%2Frun%2Fpostgresql/calls", {});
        QVERIFY(socket);
        QCOMPARE(socket->hosts, QStringList({"/run/postgresql"}));
    }

    void refusesAPasswordInTheUrl()
    {
        for (const QString &url : {QStringLiteral("postgresql://disp:s3cret@db/calls"),
                                   QStringLiteral("postgresql://disp@db/calls?password=s3cret"),
                                   QStringLiteral("postgresql://disp@db/calls?PASSWORD=s3cret")}) {
            const auto t = databaseFromOptions(url, QString(), QString(), QString());
            QVERIFY2(!t, qPrintable(url));
            QCOMPARE(t.error().code, QString("password_in_url"));
            QVERIFY(!t.error().message.contains("s3cret"));
        }
    }

    void refusesWhatItWouldNotPassOnCleanly()
    {
        for (const QString &url :
             {QStringLiteral("mysql://disp@db/calls"), QStringLiteral("postgresql://db/calls"),
              QStringLiteral("postgresql://disp@db"),
              QStringLiteral("postgresql://disp@db:99999/c"),
              QStringLiteral("postgresql://disp@db/calls?options=-c%20x=1"),
              QStringLiteral("postgresql://disp@db/calls?sslmode=require%20host=evil"),
              QStringLiteral("postgresql://disp@db%20host=evil/calls"),
              QStringLiteral("postgresql://disp@db/ca'lls")}) {
            const auto t = parseDatabaseTarget(url, QString());
            QVERIFY2(!t, qPrintable(url));
            QCOMPARE(t.error().code, QString("bad_database"));
        }
    }

    void passwordFileMustBePrivate()
    {
        const QString path = m_scratch.filePath("pgpass");
        writeFile(path, "from-file\n",
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
        const QString url = "postgresql://disp@db/calls";
        auto t = databaseFromOptions(url, path, "from-env", QString());
        QVERIFY(!t);
        QCOMPARE(t.error().code, QString("password_file_mode"));
        QVERIFY(!t.error().message.contains("from-file"));
        writeFile(path, "from-file\n", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        t = databaseFromOptions(url, path, "from-env", QString());
        QVERIFY2(t, qPrintable(t.error().message));
        QCOMPARE(t->password, QString("from-file")); // the file wins over PGPASSWORD
        QVERIFY(!t->describe().contains("from-file"));
        t = databaseFromOptions(url, QString(), "from-env", QString());
        QCOMPARE(t->password, QString("from-env"));
        QVERIFY(!databaseFromOptions("sqlite", path, QString(), "x.sqlite"));
        QCOMPARE(databaseFromOptions(url, m_scratch.filePath("missing"), QString(), QString())
                     .error()
                     .code,
                 QString("password_file"));
    }

    // ---- against a real server ----

    void startServer()
    {
        if (const QString why = testDatabaseUnavailable(); !why.isEmpty())
            DISPATCH_SKIP_OR_FAIL(qPrintable(why));
    }

    void schemaTypesAndAppendOnlyAudit()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        Database db(freshDatabase());
        const auto version = db.open();
        QVERIFY2(version, qPrintable(version.error().message));
        QCOMPARE(version.value(), latestSchemaVersion());
        QCOMPARE(queryValue(db.handle(), "SELECT COUNT(*) FROM schema_version").toInt(),
                 schemaMigrations().size());
        // Milliseconds need 64 bits; PostgreSQL's REAL would shorten a coordinate.
        auto type = [&](const QString &table, const QString &column) {
            return queryValue(db.handle(),
                              QString("SELECT data_type FROM information_schema.columns WHERE "
                                      "table_name = '%1' AND column_name = '%2'")
                                  .arg(table, column))
                .toString();
        };
        QCOMPARE(type("calls", "ringing_at"), QString("bigint"));
        QCOMPARE(type("calls", "last_latitude"), QString("double precision"));
        QCOMPARE(type("vitals_samples", "heart_rate"), QString("double precision"));
        QSqlQuery q(db.handle());
        QVERIFY(q.exec("INSERT INTO audit_log (seq, at, actor, action, call_id, details, "
                       "prev_hash, hash) VALUES (1, 1, 'a', 'b', '', '{}', 'p', 'h')"));
        QVERIFY(!q.exec("UPDATE audit_log SET actor = 'mallory'"));
        QVERIFY(!q.exec("DELETE FROM audit_log"));
        QVERIFY(!q.exec("TRUNCATE audit_log"));
        QCOMPARE(queryValue(db.handle(), "SELECT actor FROM audit_log").toString(), QString("a"));
        // A second open finds the schema current and changes nothing.
        Database again(db.target());
        QCOMPARE(again.open().value(), latestSchemaVersion());
    }

    void twoConnectionsMigratingAtOnceMakeOneSchema()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        for (int round = 0; round < 3; ++round) {
            const DatabaseTarget target = freshDatabase();
            std::atomic<int> ready{0};
            QString results[2];
            auto node = [&](int i) {
                Database db(target);
                ++ready;
                while (ready.load() < 2) {
                } // both start together
                const auto opened = db.open();
                results[i] = opened ? QString::number(opened.value()) : opened.error().message;
            };
            std::thread a(node, 0);
            std::thread b(node, 1);
            a.join();
            b.join();
            const QString latest = QString::number(latestSchemaVersion());
            QCOMPARE(results[0], latest);
            QCOMPARE(results[1], latest);
            Database check(target);
            QVERIFY(check.open(Database::Mode::ReadOnly));
            QCOMPARE(queryValue(check.handle(), "SELECT COUNT(*) FROM schema_version").toInt(),
                     schemaMigrations().size());
        }
    }

    void refusesASchemaNewerThanTheBuild()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        const DatabaseTarget target = freshDatabase();
        {
            Database db(target);
            QVERIFY(db.open());
            QSqlQuery q(db.handle());
            QVERIFY(q.exec(QString("INSERT INTO schema_version VALUES (%1, 'from the future', 0)")
                               .arg(latestSchemaVersion() + 1)));
        }
        Database db(target);
        const auto opened = db.open();
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, QString("schema_too_new"));
    }

    void firstHostDownStillConnects()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        const DatabaseTarget live = freshDatabase();
        const quint16 dead = PostgresServer::deadPort();
        QVERIFY(dead != 0);
        auto list = parseDatabaseTarget(
            QString("postgresql://%1@127.0.0.1:%2,127.0.0.1:%3/%4?target_session_attrs=read-write"
                    "&connect_timeout=5")
                .arg(server().user())
                .arg(dead)
                .arg(server().port())
                .arg(live.database),
            QString());
        QVERIFY2(list, qPrintable(list.error().message));
        list.value().password = server().password();
        Database db(list.value());
        const auto opened = db.open();
        QVERIFY2(opened, qPrintable(opened.error().message));
        QCOMPARE(queryValue(db.handle(), "SELECT inet_server_port()").toInt(),
                 int(server().port()));
        // The dead host alone: a clear error naming where, never the password.
        DatabaseTarget deadOnly = list.value();
        deadOnly.hosts = {QStringLiteral("127.0.0.1")};
        deadOnly.ports = {dead};
        Database none(deadOnly);
        const auto refused = none.open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("cannot_open"));
        QVERIFY(!refused.error().message.contains(server().password()));
        // A wrong password is refused by the server (SCRAM), not accepted.
        DatabaseTarget wrong = live;
        wrong.password = QStringLiteral("not-the-password");
        Database denied(wrong);
        QVERIFY(!denied.open());
    }

    // A standby stand-in (a server whose sessions are read-only, as a hot standby reports them)
    // first in the list: with target_session_attrs=read-write libpq skips it for the primary,
    // as it would find a promoted standby; without, the console lands on it and cannot write.
    void readWriteSkipsAReadOnlyHost()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        PostgresServer standby(server().password(),
                               QStringLiteral("-c default_transaction_read_only=on"));
        QString why;
        QVERIFY2(standby.start(&why), qPrintable(why));
        auto url = [&](const QString &query) {
            auto t = parseDatabaseTarget(QString("postgresql://%1@127.0.0.1:%2,127.0.0.1:%3/"
                                                 "postgres%4")
                                             .arg(server().user())
                                             .arg(standby.port())
                                             .arg(server().port())
                                             .arg(query),
                                         QString());
            t.value().password = server().password();
            return t.value();
        };
        Database primary(url("?target_session_attrs=read-write"));
        const auto opened = primary.open();
        QVERIFY2(opened, qPrintable(opened.error().message));
        QCOMPARE(queryValue(primary.handle(), "SELECT inet_server_port()").toInt(),
                 int(server().port()));
        Database first(url(QString()));
        const auto refused = first.open();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains("read-only"),
                 qPrintable(refused.error().message));
    }

    void recordSearchExportAndVerifyTheKeyedTrail()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        QTemporaryDir dir;
        QTemporaryDir keys;
        QString why;
        {
            HistoryFixture fixture(dir.path());
            QVERIFY2(fixture.record(&why), qPrintable(why));
            Storage &storage = fixture.storage();
            QVERIFY(storage.databaseDescription().startsWith("postgresql://"));
            // Case-insensitive on both backends, in the transcript and the triage summary.
            HistoryQuery q;
            q.from = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
            q.to = QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC);
            q.text = "NOT Breathing";
            auto found = storage.history()->search(q);
            QVERIFY2(found, qPrintable(found.error().message));
            QCOMPARE(found->size(), 1);
            QCOMPARE(found->constFirst().callId, QString("med-berlin"));
            q.text = "kitchen FIRE";
            QCOMPARE(storage.history()->search(q)->constFirst().callId, QString("fire-potsdam"));
            // Doubles come back exactly (a REAL column would not).
            const auto med = storage.history()->loadLatest("med-berlin");
            QVERIFY(med);
            QVERIFY(med->lastLocation);
            QCOMPARE(med->lastLocation->latitude, 52.5200);
            QCOMPARE(med->lastLocation->longitude, 13.4050);
            QCOMPARE(med->transcript.size(), 4);
            QVERIFY(!med->recordings.isEmpty());
            QVERIFY(QFileInfo::exists(med->recordings.constFirst().path)); // in the data dir
            // Export, from the database on the server and the files in the data dir.
            QTemporaryDir target;
            const auto files = storage.exportCall("med-berlin", target.path(), "dispatcher:alice");
            QVERIFY2(files, qPrintable(files.error().message));
            QVERIFY(!files->isEmpty());
            for (const ExportedFile &f : files.value())
                QVERIFY(QFileInfo::exists(f.path));
        }
        const auto unkeyed = verifyTestAudit(dir.path());
        QVERIFY2(unkeyed.status == AuditVerification::Status::Valid,
                 qPrintable(unkeyed.reason + unkeyed.modified.join("; ")));
        QVERIFY(unkeyed.sealedCalls >= 5);

        // With a key: the HMAC chain, the anchor and every seal verify from the server's rows.
        QTemporaryDir keyed;
        const QString keyPath = keys.filePath("audit.key");
        {
            CallStore store;
            MetricsRegistry metrics;
            StorageConfig c;
            c.dataDir = keyed.path();
            c.database = testDatabase(keyed.path());
            c.auditKeyPath = keyPath;
            c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
            Storage storage(c, store, metrics);
            QVERIFY(storage.open());
            store.addCall("keyed-1", GeoLocation{48.858370, 2.294481, 3.5, QDateTime()});
            store.answer("keyed-1", Actor::dispatcher("alice"));
            store.addAudio("keyed-1", testPcm(3200, 9));
            VitalsSample v;
            v.heartRate = 71.3;
            v.heartRateConfidence = 0.87;
            v.receivedAt = QDateTime::currentDateTimeUtc();
            store.addVitals("keyed-1", v);
            store.addTranscript("keyed-1", {QDateTime::currentDateTimeUtc(), Speaker::Caller,
                                            "über den Zaun, ça va? \\ 'quoted' %_", true});
            store.end("keyed-1", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
            QVERIFY(storage.flush());
            const auto stored = storage.history()->loadLatest("keyed-1");
            QVERIFY(stored);
            QCOMPARE(stored->vitals.size(), 1);
            QCOMPARE(stored->vitals.constFirst().heartRate, std::optional<double>(71.3));
            QCOMPARE(stored->vitals.constFirst().heartRateConfidence, std::optional<double>(0.87));
            QCOMPARE(stored->transcript.constFirst().text,
                     QString("über den Zaun, ça va? \\ 'quoted' %_"));
        }
        AuditVerifyOptions options;
        options.keyPath = keyPath;
        const auto verified = verifyTestAudit(keyed.path(), options);
        QVERIFY2(verified.status == AuditVerification::Status::Valid,
                 qPrintable(verified.reason + verified.modified.join("; ")));
        QVERIFY(verified.keyedFrom > 0);
        QVERIFY(verified.sealedCalls >= 1);
    }

    // Without --node-name two consoles of one host are the same node (the host name): the
    // second is refused. Different names run together (tst_clusternodes).
    void oneProcessPerNodeName()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        QTemporaryDir first;
        QTemporaryDir second;
        const DatabaseTarget shared = testDatabase(first.path());
        CallStore storeA;
        CallStore storeB;
        MetricsRegistry metrics;
        StorageConfig a;
        a.dataDir = first.path();
        a.database = shared;
        a.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        StorageConfig b = a;
        b.dataDir = second.path();
        Storage one(a, storeA, metrics);
        QVERIFY(one.open());
        Storage two(b, storeB, metrics);
        const auto refused = two.open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("in_use"));
    }

    // Last: it stops the server. Queuing writes through a database outage within a bound is
    // not built yet (issue 20); this pins down what happens today: the storage alarm shows while
    // the server is gone, the writer keeps the rows and retries on a fresh connection, and they
    // land once the server is back.
    void serverGoneRaisesTheAlarmAndWritesResume()
    {
        if (!TestDatabases::instance().server)
            DISPATCH_SKIP_OR_FAIL("no PostgreSQL server");
        QTemporaryDir dir;
        CallStore store;
        MetricsRegistry metrics;
        StorageConfig c;
        c.dataDir = dir.path();
        c.database = testDatabase(dir.path());
        c.batching.retryIntervalMs = 50;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        store.addCall("outage-1", std::nullopt);
        store.answer("outage-1", Actor::dispatcher("alice"));
        QVERIFY(storage.flush());
        QVERIFY(storage.health().isOk());
        HistoryQuery all;
        all.from = QDateTime::currentDateTimeUtc().addDays(-1);
        all.to = QDateTime::currentDateTimeUtc().addDays(1);
        auto search = [&] {
            std::optional<Parsed<QList<StoredCall>>> result;
            storage.searchHistory(all, this,
                                  [&](const Parsed<QList<StoredCall>> &found) { result = found; });
            [&] { QTRY_VERIFY(result.has_value()); }();
            return result.value_or(ProtocolError{"timeout", "no answer"});
        };
        QCOMPARE(search()->size(), 1); // the history thread's connection is open now

        server().stop();
        store.addTranscript(
            "outage-1", {QDateTime::currentDateTimeUtc(), Speaker::Caller, "still talking", true});
        QVERIFY(!storage.flush());
        QVERIFY(!storage.health().isOk());
        QVERIFY(storage.writer()->pendingRows() > 0);

        QString why;
        QVERIFY2(server().restart(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(storage.health().isOk(), 20'000);
        QVERIFY(storage.flush());
        Database check(c.database);
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QCOMPARE(queryValue(check.handle(), "SELECT text FROM transcript_segments").toString(),
                 QString("still talking"));
        // The reads come back too: the main connection (history, export, retention, the audit
        // anchor) and the history thread's reconnect instead of failing until a restart.
        const auto reread = storage.history()->loadLatest("outage-1");
        QVERIFY2(reread, qPrintable(reread.error().message));
        QCOMPARE(reread->transcript.size(), 1);
        const auto found = search();
        QVERIFY2(found, qPrintable(found.error().message));
        QCOMPARE(found->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPostgresStorage)
#include "tst_postgresstorage.moc"
