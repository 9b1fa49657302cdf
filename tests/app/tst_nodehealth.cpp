// What /health says about the engine node and its database link (addNodeHealth): the public
// audience sees the node's name and whether the link works; a token holder also where the
// database is, the last error, the queued rows, the node's URLs and its peers. The peers'
// values themselves are tst_clusternodes' (PostgreSQL).
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/httpapi.h"
#include "nodehealth.h"
#include "storage/storage.h"

#include "auth/accesspolicy.h"
#include "auth/requestauthenticator.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

class TestNodeHealth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nodeAndDatabaseByAudience()
    {
        QTemporaryDir dir;
        CallStore store;
        MetricsRegistry metrics;
        StorageConfig c;
        c.dataDir = dir.path();
        c.node.name = QStringLiteral("edge-1");
        c.node.urls = {QStringLiteral("wss://edge1.example:8443")};
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        Storage storage(c, store, metrics);
        QVERIFY(storage.open());
        const AccessPolicy policy("admin-token", {}, 4);
        RequestAuthenticator auth(
            policy, {}, metrics, [](const QHostAddress &, const QString &) {},
            [] { return qint64(0); });
        HttpApi api(store, metrics, auth);
        addNodeHealth(api, storage);

        const QJsonObject open = api.health(HttpApi::Audience::Public);
        QCOMPARE(open.value("node").toObject(), QJsonObject({{"name", "edge-1"}}));
        QVERIFY(!open.contains("peers"));
        const QJsonObject link = open.value("database").toObject();
        QCOMPARE(link.value("kind").toString(), QString("sqlite"));
        QCOMPARE(link.value("connected").toBool(), true);
        QVERIFY(!link.contains("where"));
        QVERIFY(!link.contains("last_error"));

        const QJsonObject full = api.health(HttpApi::Audience::Authenticated);
        const QJsonObject node = full.value("node").toObject();
        QCOMPARE(node.value("urls").toArray(), QJsonArray({"wss://edge1.example:8443"}));
        QVERIFY(node.contains("heartbeat_age_ms"));
        QCOMPARE(full.value("peers").toArray(), QJsonArray()); // SQLite: a console on its own
        const QJsonObject detail = full.value("database").toObject();
        QVERIFY(detail.value("where").toString().endsWith("dispatch.sqlite"));
        QVERIFY(detail.value("last_error").isNull());
        QCOMPARE(detail.value("queued_rows").toInt(-1), 0);
        QVERIFY(detail.contains("last_commit_ms"));
    }

    void unavailableStorageHasNoNode()
    {
        QTemporaryDir dir;
        CallStore store;
        MetricsRegistry metrics;
        StorageConfig c;
        c.database = DatabaseTarget::sqlite(QStringLiteral("/proc/no-such-dir/dispatch.sqlite"));
        c.dataDir = dir.path();
        Storage storage(c, store, metrics);
        QVERIFY(!storage.open());
        const AccessPolicy policy("admin-token", {}, 4);
        RequestAuthenticator auth(
            policy, {}, metrics, [](const QHostAddress &, const QString &) {},
            [] { return qint64(0); });
        HttpApi api(store, metrics, auth);
        addNodeHealth(api, storage);
        const QJsonObject h = api.health(HttpApi::Audience::Public);
        QVERIFY(h.value("node").isNull());
        QCOMPARE(h.value("database").toObject().value("connected").toBool(), false);
    }
};

QTEST_GUILESS_MAIN(TestNodeHealth)
#include "tst_nodehealth.moc"
