// The run's site address points (--address-points): a file that loads gives the store its
// lookup; one that does not leaves the console running without addresses, and /health says why.
#include "siteaddresses.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

namespace {

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        return QString();
    f.write(bytes);
    return f.fileName();
}

const QByteArray OnePoint =
    R"({"type":"FeatureCollection","features":[{"type":"Feature",)"
    R"("geometry":{"type":"Point","coordinates":[-89.65,39.78]},)"
    R"("properties":{"Add_Number":123,"St_Name":"Main","Post_Comm":"Springfield"}},)"
    R"({"type":"Feature","geometry":null,"properties":{}}]})";

} // namespace

class TestSiteAddresses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notConfigured()
    {
        const SiteAddresses site = loadSiteAddresses(QString());
        QVERIFY(!site.available());
        QVERIFY(!site.lookup());
        const QJsonObject health = site.healthInfo(HttpApi::Audience::Public).toObject();
        QCOMPARE(health.value("available").toBool(true), false);
        QCOMPARE(health.value("reason").toString(), QString("not_configured"));
    }

    void loadsAndLooksUp()
    {
        QTemporaryDir dir;
        const SiteAddresses site = loadSiteAddresses(write(dir, "points.geojson", OnePoint));
        QVERIFY(site.available());
        const auto lookup = site.lookup();
        QVERIFY(lookup);
        const geo::AddressMatch near = lookup(GeoLocation{39.7801, -89.65, 5.0, {}});
        QVERIFY(near.found());
        QCOMPARE(near.address.streetLine(), QString("123 Main"));
        QCOMPARE(near.radiusMeters, 50.0);
        QVERIFY(!lookup(GeoLocation{39.79, -89.65, 5.0, {}}).found()); // ~1.1 km away
        const QJsonObject health = site.healthInfo(HttpApi::Audience::Public).toObject();
        QCOMPARE(health.value("available").toBool(), true);
        QCOMPARE(health.value("points").toInt(), 1);
        QCOMPARE(health.value("skipped").toInt(), 1);
        QCOMPARE(health.value("skipped_by").toObject().value("geometry is not a Point").toInt(), 1);
        QVERIFY(!health.contains("file")); // a path is for a token holder only
        const QJsonObject authenticated =
            site.healthInfo(HttpApi::Audience::Authenticated).toObject();
        QCOMPARE(authenticated.value("file").toString(), QString("points.geojson"));
    }

    void badFileLeavesTheConsoleWithoutAddresses_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("CSV") << QByteArray("lat,lon\n1,2\n") << "not_geojson";
        QTest::newRow("no usable point")
            << QByteArray(R"({"type":"FeatureCollection","features":[{"type":"Feature"}]})")
            << "no_points";
    }
    void badFileLeavesTheConsoleWithoutAddresses()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const SiteAddresses site = loadSiteAddresses(write(dir, "points.geojson", bytes));
        QVERIFY(!site.available());
        QVERIFY(!site.lookup());
        QCOMPARE(site.error.code, reason);
        const QJsonObject health = site.healthInfo(HttpApi::Audience::Authenticated).toObject();
        QCOMPARE(health.value("available").toBool(true), false);
        QCOMPARE(health.value("reason").toString(), reason);
        QVERIFY(!health.value("detail").toString().isEmpty());
    }

    void missingFile()
    {
        const SiteAddresses site = loadSiteAddresses("/nonexistent/points.geojson");
        QVERIFY(!site.available());
        QCOMPARE(site.error.code, QString("cannot_read"));
    }
};

QTEST_GUILESS_MAIN(TestSiteAddresses)
#include "tst_siteaddresses.moc"
