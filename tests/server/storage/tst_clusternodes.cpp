// Engine nodes on one PostgreSQL database (issue 20, slice 2): two nodes start together and
// see each other by the database's clock, a stopped node is seen dead within the window, the
// same node name twice is refused, one node's crash recovery leaves another's live calls
// alone, and call keys from both never collide (blocks reserved ahead; a node's own range
// when the database is away). Against a throwaway server (tests/support/postgresserver.*).
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "skiporfail.h"
#include "storage/batchwriter.h"
#include "storage/callkeys.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/noderegistry.h"
#include "storage/sqldialect.h"
#include "storage/storage.h"
#include "storage/storagethread.h"
#include "storagetesthelpers.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

namespace {

constexpr int HeartbeatMs = 100;
constexpr int DeadAfterMs = 1000;

// One engine node: its own data dir and call store, the shared database.
struct Node
{
    QTemporaryDir dir;
    CallStore store;
    MetricsRegistry metrics;
    std::unique_ptr<Storage> storage;

    // The groundwork of several nodes is tested with several writers on one database, which
    // a node refuses by default while the audit trail is one chain per database
    // (soleWriterNodeRefusesASecondWriter).
    Node(const QString &name, const DatabaseTarget &database, Clock clock = systemClock(),
         bool soleWriter = false)
    {
        StorageConfig c;
        c.dataDir = dir.path();
        c.database = database;
        c.node.name = name;
        c.node.urls = {QStringLiteral("wss://%1.example:8443").arg(name)};
        c.node.heartbeatIntervalMs = HeartbeatMs;
        c.node.deadAfterMs = DeadAfterMs;
        c.node.soleWriter = soleWriter;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        storage = std::make_unique<Storage>(c, store, metrics, std::move(clock));
    }
    std::optional<PeerNode> peer(const QString &name) const
    {
        if (!storage->node())
            return std::nullopt;
        for (const PeerNode &p : storage->node()->peers()) {
            if (p.name == name)
                return p;
        }
        return std::nullopt;
    }
    bool sees(const QString &name, bool alive) const
    {
        const auto p = peer(name);
        return p && p->alive == alive;
    }
};

} // namespace

class TestClusterNodes : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_scratch;

    DatabaseTarget freshDatabase()
    {
        static int n = 0;
        return testDatabase(m_scratch.filePath(QStringLiteral("db-%1").arg(++n)));
    }
    static bool haveServer() { return TestDatabases::instance().server != nullptr; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_scratch.isValid());
        qputenv("DISPATCH_TEST_DATABASE", "postgresql");
        if (const QString why = testDatabaseUnavailable(); !why.isEmpty())
            DISPATCH_SKIP_OR_FAIL(
                qPrintable("PostgreSQL binaries missing or not starting: " + why));
    }

    void nodeNames()
    {
        for (const char *good : {"a", "edge-1.site_a", "N0DE"})
            QVERIFY2(isValidNodeName(good), good);
        for (const QString &bad : {QString(), QStringLiteral("a b"), QStringLiteral("a/b"),
                                   QStringLiteral("ünï"), QString(64, QLatin1Char('x'))})
            QVERIFY2(!isValidNodeName(bad), qPrintable(bad));
        QVERIFY(isValidNodeName(QString(63, QLatin1Char('x'))));
        QVERIFY(isValidNodeName(defaultNodeName()));
    }

    // Node b's wall clock is an hour ahead: liveness is the database's clock, so a skewed host
    // is still alive (a node that compared its own clock with the other's stamp would not).
    void twoNodesStartTogetherAndSeeEachOther()
    {
        const DatabaseTarget db = freshDatabase();
        Node a("node-a", db);
        Node b("node-b", db, [] { return QDateTime::currentDateTimeUtc().addSecs(3600); });
        const auto openedA = a.storage->open();
        QVERIFY2(openedA, qPrintable(openedA.error().message));
        const auto openedB = b.storage->open();
        QVERIFY2(openedB, qPrintable(openedB.error().message));
        QTRY_VERIFY(a.sees("node-b", true));
        QTRY_VERIFY(b.sees("node-a", true));
        QCOMPARE(a.peer("node-b")->urls, QStringList{"wss://node-b.example:8443"});
        QVERIFY(a.peer("node-b")->heartbeatAgeMs < DeadAfterMs);
        QVERIFY(!a.peer("node-a")); // itself is no peer
        QCOMPARE(a.storage->node()->alivePeers(), 1);
        QVERIFY(a.storage->databaseConnected());
        QVERIFY(a.storage->node()->heartbeatAgeMs() >= 0);
        QVERIFY(a.storage->node()->number() != b.storage->node()->number());
        const QString metrics = a.metrics.renderPrometheus();
        QVERIFY2(metrics.contains("dispatch_node_peers_alive 1"), qPrintable(metrics));
        QVERIFY(metrics.contains("dispatch_storage_database_connected 1"));
        QVERIFY(metrics.contains("dispatch_node_heartbeat_age_seconds"));
    }

    void stoppedNodeIsSeenDeadWithinTheWindow()
    {
        const DatabaseTarget db = freshDatabase();
        Node a("node-a", db);
        auto b = std::make_unique<Node>("node-b", db);
        QVERIFY(a.storage->open());
        QVERIFY(b->storage->open());
        QTRY_VERIFY(a.sees("node-b", true));
        QElapsedTimer stopped;
        stopped.start();
        b.reset(); // its heartbeats stop
        QTRY_VERIFY_WITH_TIMEOUT(a.sees("node-b", false), 3 * DeadAfterMs);
        // Not long before the window (its last heartbeat preceded the stop by a round at most).
        QVERIFY2(stopped.elapsed() >= DeadAfterMs / 2,
                 qPrintable(QString::number(stopped.elapsed())));
        QVERIFY(a.peer("node-b")->heartbeatAgeMs > DeadAfterMs);
        QCOMPARE(a.storage->node()->alivePeers(), 0);
        QVERIFY(a.metrics.renderPrometheus().contains("dispatch_node_peers_alive 0"));
    }

    void sameNodeNameTwiceIsRefused()
    {
        const DatabaseTarget db = freshDatabase();
        auto first = std::make_unique<Node>("twin", db);
        QVERIFY(first->storage->open());
        Node second("twin", db);
        const auto refused = second.storage->open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("in_use"));
        QVERIFY2(refused.error().message.contains("twin"), qPrintable(refused.error().message));
        QVERIFY(refused.error().message.contains("--node-name"));
        QVERIFY(!second.storage->health().isOk());
        // Another name runs beside it; once the first process is gone the name is free again.
        Node other("other", db);
        QVERIFY(other.storage->open());
        first.reset();
        Node again("twin", db);
        const auto opened = again.storage->open();
        QVERIFY2(opened, qPrintable(opened.error().message));
    }

    // Until the audit trail is per node, a second node writing to the database would collide
    // with the first one's audit entries and lose them: by default it is refused, clearly, and
    // the first one is left alone.
    void soleWriterNodeRefusesASecondWriter()
    {
        const DatabaseTarget db = freshDatabase();
        auto first = std::make_unique<Node>("first", db, systemClock(), true);
        QVERIFY(first->storage->open());
        Node second("second", db, systemClock(), true);
        const auto refused = second.storage->open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("in_use"));
        QVERIFY2(refused.error().message.contains("audit trail"),
                 qPrintable(refused.error().message));
        QVERIFY(first->storage->health().isOk());
        QVERIFY(first->storage->appendAudit("system", "still_writing", QString(), {}) > 0);
        first.reset(); // once it is gone, another node may write
        Node third("third", db, systemClock(), true);
        const auto opened = third.storage->open();
        QVERIFY2(opened, qPrintable(opened.error().message));
    }

    // Node b stopped without ending its call (a crash, as the database sees it); node a has a
    // live call with audio being recorded. b's restart ends ITS call as interrupted; a's call
    // and its recording row stay as they are.
    void crashRecoveryLeavesAnotherNodesLiveCallsAlone()
    {
        const DatabaseTarget db = freshDatabase();
        Node a("node-a", db);
        QVERIFY(a.storage->open());
        a.store.addCall("a-live", std::nullopt);
        a.store.answer("a-live", Actor::dispatcher("alice"));
        a.store.addAudio("a-live", testPcm(1600, 1));
        QVERIFY(a.storage->flush());
        {
            Node crashed("node-b", db);
            QVERIFY(crashed.storage->open());
            crashed.store.addCall("b-cut-off", std::nullopt);
            QVERIFY(crashed.storage->flush());
        } // destroyed without ending the call
        Node b("node-b", db);
        const auto report = b.storage->open();
        QVERIFY2(report, qPrintable(report.error().message));
        QCOMPARE(report->interruptedCalls, QStringList{"b-cut-off"});
        Database check(db);
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QCOMPARE(queryValue(check.handle(), "SELECT end_reason FROM calls WHERE call_id = "
                                            "'b-cut-off'")
                     .toString(),
                 QString("interrupted"));
        QVERIFY(queryValue(check.handle(), "SELECT ended_at FROM calls WHERE call_id = 'a-live'")
                    .isNull());
        QCOMPARE(queryValue(check.handle(), "SELECT node FROM calls WHERE call_id = 'a-live'")
                     .toString(),
                 QString("node-a"));
        QCOMPARE(queryValue(check.handle(), "SELECT COUNT(*) FROM recordings r JOIN calls c ON "
                                            "c.id = r.call WHERE c.call_id = 'a-live' AND "
                                            "r.finalized = 0")
                     .toInt(),
                 1);
        // a keeps recording it.
        a.store.end("a-live", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
        QVERIFY(a.storage->flush());
        QCOMPARE(queryValue(check.handle(), "SELECT end_reason FROM calls WHERE call_id = "
                                            "'a-live'")
                     .toString(),
                 QString("dispatcher_ended"));
    }

    // More calls than one block of keys on each node, created in turn: every key unique, each
    // node's keys from its own blocks (the second block reserved in the background), and each
    // call row names its node.
    void keysNeverCollideAcrossNodes()
    {
        const DatabaseTarget db = freshDatabase();
        Node a("node-a", db);
        Node b("node-b", db);
        QVERIFY(a.storage->open());
        QVERIFY(b.storage->open());
        const int perNode = int(SqlDialect::CallKeyBlockSize) + 300;
        // Calls come in bursts of 200 per node, the next block arriving between them. (A burst
        // of a whole block on a loaded machine can outrun the storage thread: those keys then
        // come from the node's own range, unique still: ownRangeWhenTheDatabaseIsAway.)
        auto blockAhead = [](const Node &n) {
            return n.storage->callKeys()->available() >= SqlDialect::CallKeyBlockSize;
        };
        for (int i = 0; i < perNode; ++i) {
            if (i % 200 == 0)
                QTRY_VERIFY(blockAhead(a) && blockAhead(b));
            a.store.addCall(QStringLiteral("a-%1").arg(i), std::nullopt);
            b.store.addCall(QStringLiteral("b-%1").arg(i), std::nullopt);
        }
        QVERIFY(a.storage->flush());
        QVERIFY(b.storage->flush());
        QCOMPARE(a.storage->writer()->stats().rejectedRows, quint64(0));
        QCOMPARE(b.storage->writer()->stats().rejectedRows, quint64(0));
        Database check(db);
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QCOMPARE(queryValue(check.handle(), "SELECT COUNT(DISTINCT id) FROM calls").toInt(),
                 2 * perNode);
        QCOMPARE(queryValue(check.handle(), "SELECT COUNT(*) FROM calls WHERE node = 'node-a' "
                                            "AND call_id LIKE 'a-%'")
                     .toInt(),
                 perNode);
        // Blocks of one node never hold a key of the other.
        QCOMPARE(queryValue(check.handle(),
                            QString("SELECT COUNT(*) FROM calls x JOIN calls y ON x.id / %1 = "
                                    "y.id / %1 WHERE x.node <> y.node")
                                .arg(SqlDialect::CallKeyBlockSize))
                     .toInt(),
                 0);
        QVERIFY(a.storage->callKeys()->stats().blocksReserved >= 1);
        QCOMPARE(a.storage->callKeys()->stats().offlineKeys, quint64(0));
        QVERIFY(a.storage->callKeys()->available() >= SqlDialect::CallKeyBlockSize);
    }

    // The reserved keys run out while the database is away: keys come from the node's own
    // range at once (no waiting), and blocks are reserved again once it can be asked.
    void ownRangeWhenTheDatabaseIsAway()
    {
        const DatabaseTarget live = freshDatabase();
        DatabaseTarget away = live;
        away.ports = {PostgresServer::deadPort()};
        const qint64 number = 5;
        const CallKeyBlock offline{OfflineCallKeyBase + number * OfflineCallKeysPerNode,
                                   OfflineCallKeyBase + (number + 1) * OfflineCallKeysPerNode};
        StorageThread thread;
        BatchWriter unreachable(thread, away);
        CallKeys keys({100, 103}, offline, &unreachable);
        QCOMPARE(keys.take(), qint64(100));
        QCOMPARE(keys.take(), qint64(101));
        QCOMPARE(keys.take(), qint64(102));
        QTRY_VERIFY_WITH_TIMEOUT(keys.stats().reserveFailures > 0, 15'000);
        QCOMPARE(keys.take(), offline.first);
        QCOMPARE(keys.take(), offline.first + 1);
        QCOMPARE(keys.stats().offlineKeys, quint64(2));

        // The same node after a restart starts its range above what it already used.
        Database db(live);
        QVERIFY(db.open());
        QSqlQuery q(db.handle());
        QVERIFY(q.exec(QString("INSERT INTO calls (id, call_id, state, ringing_at, media_dir) "
                               "VALUES (%1, 'x', 'ended', 0, 'd')")
                           .arg(offline.first + 1)));
        const auto resumed = offlineCallKeys(db.handle(), number);
        QVERIFY2(resumed, qPrintable(resumed.error().message));
        QCOMPARE(resumed->first, offline.first + 2);
        QCOMPARE(offlineCallKeys(db.handle(), number + 1)->first, offline.end); // the next node's

        // With the database reachable the blocks come back and the range is left alone.
        StorageThread liveThread;
        BatchWriter reachable(liveThread, live);
        CallKeys again({200, 201}, offline, &reachable);
        QCOMPARE(again.take(), qint64(200));
        QTRY_VERIFY(again.available() >= SqlDialect::CallKeyBlockSize);
        QVERIFY(again.take() < OfflineCallKeyBase);
        QCOMPARE(again.stats().offlineKeys, quint64(0));
    }

    // A database from before nodes: the first block of keys lies above every key in use.
    void keysStartAboveCallsFromBeforeNodes()
    {
        const DatabaseTarget db = freshDatabase();
        {
            Database v8(db);
            QCOMPARE(v8.open(Database::Mode::ReadWrite, 8).value(), 8);
            QSqlQuery q(v8.handle());
            QVERIFY(q.exec("INSERT INTO calls (id, call_id, state, ringing_at, media_dir) VALUES "
                           "(2345, 'old', 'ended', 0, 'd')"));
        }
        Database migrated(db);
        QCOMPARE(migrated.open().value(), latestSchemaVersion());
        const auto block = reserveFirstCallKeys(migrated.handle());
        QVERIFY2(block, qPrintable(block.error().message));
        QCOMPARE(block->first, qint64(3000));
        QCOMPARE(block->size(), SqlDialect::CallKeyBlockSize);
        QCOMPARE(reserveCallKeyBlock(migrated.handle())->first, qint64(4000));
    }

    // Last: it restarts the server. The name's lock lives in the main connection's session,
    // which the restart ends: once heartbeats get through again it is taken again, so a second
    // process with the same name is still refused.
    void nameStaysHeldAcrossADatabaseRestart()
    {
        const DatabaseTarget db = freshDatabase();
        Node a("held", db);
        QVERIFY(a.storage->open());
        PostgresServer &server = *TestDatabases::instance().server;
        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!a.storage->node()->lastError().isEmpty(), 10'000);
        QVERIFY(!a.storage->databaseConnected());
        QString why;
        QVERIFY2(server.restart(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(a.storage->databaseConnected(), 20'000);
        Node twin("held", db);
        const auto refused = twin.storage->open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("in_use"));
    }

    // SQLite: one console per file as before (its lock file), keys MAX(id) + 1, no heartbeats.
    void sqliteKeepsItsBehaviour()
    {
        QTemporaryDir dir;
        CallStore store;
        MetricsRegistry metrics;
        StorageConfig c;
        c.dataDir = dir.path();
        c.node.name = QStringLiteral("solo");
        c.node.heartbeatIntervalMs = HeartbeatMs;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        store.addCall("s-1", std::nullopt);
        store.addCall("s-2", std::nullopt);
        QVERIFY(storage.flush());
        Database check(DatabaseTarget::sqlite(dir.filePath(Database::fileName())));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QCOMPARE(queryValue(check.handle(), "SELECT MIN(id) FROM calls").toInt(), 1);
        QCOMPARE(queryValue(check.handle(), "SELECT MAX(id) FROM calls").toInt(), 2);
        QCOMPARE(queryValue(check.handle(), "SELECT node FROM calls WHERE id = 2").toString(),
                 QString("solo"));
        QVERIFY(storage.node()->peers().isEmpty());
        QCOMPARE(storage.callKeys()->stats().blocksReserved, quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestClusterNodes)
#include "tst_clusternodes.moc"
