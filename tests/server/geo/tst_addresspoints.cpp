#include "geo/addresspoints.h"
#include "geo/geodesy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryFile>
#include <QTest>

#include <cmath>

using namespace dispatch;
using namespace dispatch::geo;

namespace {

constexpr double MetersPerDegree = EarthRadiusMeters * M_PI / 180.0;

QJsonObject point(double lat, double lon, const QJsonObject &properties)
{
    return {{"type", "Feature"},
            {"geometry", QJsonObject{{"type", "Point"}, {"coordinates", QJsonArray{lon, lat}}}},
            {"properties", properties}};
}

QJsonObject street(const QString &number, const QString &name)
{
    return {{"Add_Number", number}, {"St_Name", name}, {"St_PosTyp", "St"}};
}

QByteArray collection(const QJsonArray &features)
{
    return QJsonDocument(QJsonObject{{"type", "FeatureCollection"}, {"features", features}})
        .toJson(QJsonDocument::Compact);
}

// `meters` east of (lat, lon), along the parallel.
double eastBy(double lat, double lon, double meters)
{
    return lon + meters / (MetersPerDegree * std::cos(lat * M_PI / 180.0));
}

} // namespace

class TestAddressPoints : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distanceIsGreatCircle_data()
    {
        QTest::addColumn<double>("lat1");
        QTest::addColumn<double>("lon1");
        QTest::addColumn<double>("lat2");
        QTest::addColumn<double>("lon2");
        QTest::addColumn<double>("meters");
        QTest::newRow("same point") << 40.0 << -75.0 << 40.0 << -75.0 << 0.0;
        QTest::newRow("one degree of latitude") << 10.0 << 20.0 << 11.0 << 20.0 << 111195.08;
        // A degree of longitude at 60 deg is half of one at the equator.
        QTest::newRow("equator, one degree east") << 0.0 << 0.0 << 0.0 << 1.0 << 111195.08;
        QTest::newRow("60 deg, 0.001 deg east") << 60.0 << 10.0 << 60.0 << 10.001 << 55.598;
        QTest::newRow("80 deg, 0.01 deg east") << 80.0 << 10.0 << 80.0 << 10.01 << 193.09;
    }
    void distanceIsGreatCircle()
    {
        QFETCH(double, lat1);
        QFETCH(double, lon1);
        QFETCH(double, lat2);
        QFETCH(double, lon2);
        QFETCH(double, meters);
        QVERIFY2(std::abs(distanceMeters(lat1, lon1, lat2, lon2) - meters) < 0.05,
                 qPrintable(QString::number(distanceMeters(lat1, lon1, lat2, lon2), 'f', 3)));
    }

    void searchRadiusFollowsAccuracy_data()
    {
        QTest::addColumn<double>("accuracy"); // < 0: none
        QTest::addColumn<double>("radius");
        QTest::newRow("no accuracy") << -1.0 << 50.0;
        QTest::newRow("5 m fix") << 5.0 << 50.0;
        QTest::newRow("120 m fix") << 120.0 << 120.0;
        QTest::newRow("2 km fix is capped") << 2000.0 << 250.0;
    }
    void searchRadiusFollowsAccuracy()
    {
        QFETCH(double, accuracy);
        QFETCH(double, radius);
        const std::optional<double> a = accuracy < 0 ? std::nullopt : std::optional(accuracy);
        QCOMPARE(AddressPoints::searchRadius(a), radius);
    }

    void parsesNenaFields()
    {
        QJsonObject full{{"AddNum_Pre", "A"},     {"Add_Number", 123},
                         {"AddNum_Suf", "B"},     {"St_PreDir", "N"},
                         {"St_PreTyp", "Avenue"}, {"St_Name", "Main"},
                         {"St_PosTyp", "St"},     {"St_PosDir", "SW"},
                         {"Unit", "4"},           {"Post_Comm", "Springfield"},
                         {"State", "IL"},         {"Post_Code", "62701"},
                         {"Building", "North"},   {"Floor", 2},
                         {"Room", "210"}};
        QJsonObject muni{{"Add_Number", "7"}, {"St_Name", "Oak"}, {"Inc_Muni", "Shelbyville"}};
        auto points = AddressPoints::fromGeoJson(
            collection({point(39.78, -89.65, full), point(39.79, -89.66, muni)}));
        QVERIFY(points);
        QCOMPARE(points->size(), 2);
        QCOMPARE(points->report().skipped, 0);
        const AddressMatch m = points->nearest(39.78, -89.65, 50);
        QCOMPARE(toString(m.status), toString(AddressStatus::Found));
        QCOMPARE(m.address.number, QStringLiteral("123"));
        QCOMPARE(m.address.streetLine(), QStringLiteral("A123B N Avenue Main St SW"));
        QCOMPARE(m.address.locality(), QStringLiteral("Springfield, IL 62701"));
        QCOMPARE(m.address.unit, QStringLiteral("4"));
        QCOMPARE(m.address.building, QStringLiteral("North"));
        QCOMPARE(m.address.floor, QStringLiteral("2"));
        QCOMPARE(m.address.room, QStringLiteral("210"));
        QVERIFY(m.distanceMeters < 0.01);
        const AddressMatch oak = points->nearest(39.79, -89.66, 50);
        QCOMPARE(oak.address.community, QStringLiteral("Shelbyville")); // Inc_Muni stands in
        QCOMPARE(oak.address.streetLine(), QStringLiteral("7 Oak"));
    }

    void skipsBadFeaturesWithReasons()
    {
        const QJsonObject ok = street("1", "Main");
        const QJsonArray features{
            point(10, 10, ok),
            QJsonValue("a string"),
            QJsonObject{{"type", "Polygon"}},
            QJsonObject{
                {"type", "Feature"},
                {"geometry", QJsonObject{{"type", "LineString"}, {"coordinates", QJsonArray{}}}},
                {"properties", ok}},
            point(95, 10, ok),  // latitude out of range
            point(10, 190, ok), // longitude out of range
            QJsonObject{{"type", "Feature"},
                        {"geometry",
                         QJsonObject{{"type", "Point"}, {"coordinates", QJsonArray{"10", "10"}}}},
                        {"properties", ok}},
            point(10, 10, QJsonObject{{"Add_Number", 5}}), // no street name
            point(10.001, 10, street("2", "Main")),
        };
        auto points = AddressPoints::fromGeoJson(collection(features));
        QVERIFY(points);
        QCOMPARE(points->size(), 2);
        const auto &report = points->report();
        QCOMPARE(report.loaded, 2);
        QCOMPARE(report.skipped, 7);
        QCOMPARE(report.skippedBy.value("not a Feature"), 2);
        QCOMPARE(report.skippedBy.value("geometry is not a Point"), 1);
        QCOMPARE(report.skippedBy.value("coordinates are not a longitude, latitude pair"), 3);
        QCOMPARE(report.skippedBy.value("no St_Name"), 1);
    }

    void refusesWhatIsNotGeoJson_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code");
        QTest::newRow("not JSON") << QByteArray("id,lat,lon\n1,2,3\n") << "not_geojson";
        QTest::newRow("an array") << QByteArray("[]") << "not_geojson";
        QTest::newRow("a single Feature")
            << QJsonDocument(point(1, 1, street("1", "Main"))).toJson() << "not_geojson";
        QTest::newRow("no features")
            << QByteArray(R"({"type":"FeatureCollection"})") << "not_geojson";
        QTest::newRow("features not an array")
            << QByteArray(R"({"type":"FeatureCollection","features":{}})") << "not_geojson";
    }
    void refusesWhatIsNotGeoJson()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        auto points = AddressPoints::fromGeoJson(bytes);
        QVERIFY(!points);
        QCOMPARE(points.error().code, code);
        QVERIFY(!points.error().message.isEmpty());
    }

    void boundsFileSizeAndFeatureCount()
    {
        const QByteArray three =
            collection({point(1, 1, street("1", "A")), point(1, 2, street("2", "B")),
                        point(1, 3, street("3", "C"))});
        AddressPoints::Limits limits;
        limits.maxFeatures = 2;
        auto many = AddressPoints::fromGeoJson(three, limits);
        QVERIFY(!many);
        QCOMPARE(many.error().code, QStringLiteral("too_many_features"));
        limits = {};
        limits.maxFileBytes = three.size() - 1;
        auto large = AddressPoints::fromGeoJson(three, limits);
        QVERIFY(!large);
        QCOMPARE(large.error().code, QStringLiteral("too_large"));

        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(three);
        file.flush();
        auto fromFile = AddressPoints::load(file.fileName());
        QVERIFY(fromFile);
        QCOMPARE(fromFile->size(), 3);
        auto tooLarge = AddressPoints::load(file.fileName(), limits);
        QVERIFY(!tooLarge);
        QCOMPARE(tooLarge.error().code, QStringLiteral("too_large"));
        auto missing = AddressPoints::load(file.fileName() + QStringLiteral(".missing"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("cannot_read"));
    }

    void nearestWithinRadius()
    {
        const double lat = 39.7817, lon = -89.6501;
        auto points = AddressPoints::fromGeoJson(
            collection({point(lat, eastBy(lat, lon, 30), street("30", "East")),
                        point(lat + 12 / MetersPerDegree, lon, street("12", "North")),
                        point(lat - 200 / MetersPerDegree, lon, street("200", "South"))}));
        QVERIFY(points);
        AddressMatch m = points->nearest(lat, lon, 50);
        QCOMPARE(toString(m.status), toString(AddressStatus::Found));
        QCOMPARE(m.address.streetName, QStringLiteral("North"));
        QVERIFY(std::abs(m.distanceMeters - 12) < 0.1);
        QCOMPARE(m.radiusMeters, 50.0);
        // From just south of the southern point, it is the nearest.
        m = points->nearest(lat - 190 / MetersPerDegree, lon, 50);
        QCOMPARE(m.address.streetName, QStringLiteral("South"));
        QVERIFY(std::abs(m.distanceMeters - 10) < 0.1);
    }

    void noneWithinRadius()
    {
        const double lat = 39.7817, lon = -89.6501;
        auto points = AddressPoints::fromGeoJson(
            collection({point(lat, eastBy(lat, lon, 80), street("80", "East"))}));
        QVERIFY(points);
        const AddressMatch m = points->nearest(lat, lon, 50);
        QCOMPARE(toString(m.status), toString(AddressStatus::NoneWithin));
        QCOMPARE(m.radiusMeters, 50.0);
        QVERIFY(m.address.streetName.isEmpty());
        QCOMPARE(toString(points->nearest(lat, lon, 100).status), toString(AddressStatus::Found));
        // No points at all: no data, not "none within".
        QCOMPARE(toString(AddressPoints().nearest(lat, lon, 250).status),
                 toString(AddressStatus::NoData));
    }

    // At high latitude a degree of longitude is short: the index must look in enough columns,
    // and the distance is along the sphere, not in degrees.
    void highLatitudeDistance_data()
    {
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("east");
        QTest::addColumn<double>("radius");
        QTest::newRow("Tromso 69.65, 114 m east") << 69.65 << 114.0 << 150.0;
        QTest::newRow("Svalbard 78.22, 231 m east") << 78.22 << 231.0 << 250.0;
        QTest::newRow("Alert 82.5, 240 m east") << 82.5 << 240.0 << 250.0;
        QTest::newRow("southern 77.85, 200 m east") << -77.85 << 200.0 << 250.0;
    }
    void highLatitudeDistance()
    {
        QFETCH(double, lat);
        QFETCH(double, east);
        QFETCH(double, radius);
        const double lon = 18.95;
        auto points = AddressPoints::fromGeoJson(
            collection({point(lat, eastBy(lat, lon, east), street("1", "Polar"))}));
        QVERIFY(points);
        const AddressMatch m = points->nearest(lat, lon, radius);
        QCOMPARE(toString(m.status), toString(AddressStatus::Found));
        QVERIFY2(std::abs(m.distanceMeters - east) < 0.5,
                 qPrintable(QString::number(m.distanceMeters)));
        QCOMPARE(toString(points->nearest(lat, lon, east - 5).status),
                 toString(AddressStatus::NoneWithin));
    }

    // 100k points on a ~20 m lattice: every lookup agrees with a brute-force search.
    void hundredThousandPoints()
    {
        const double lat0 = 40.0, lon0 = -75.0;
        const double step = 20 / MetersPerDegree;
        QJsonArray features;
        QList<std::pair<double, double>> all;
        for (int i = 0; i < 317; ++i) {
            for (int j = 0; j < 317; ++j) {
                const double lat = lat0 + i * step;
                const double lon = lon0 + j * step / std::cos(lat0 * M_PI / 180.0);
                features.append(point(lat, lon, street(QString::number(i * 1000 + j), "Grid")));
                all.append({lat, lon});
            }
        }
        auto points = AddressPoints::fromGeoJson(collection(features));
        QVERIFY(points);
        QCOMPARE(points->size(), 317 * 317);
        QVERIFY(points->size() >= 100000);
        QRandomGenerator random(18);
        for (int q = 0; q < 200; ++q) {
            const double lat = lat0 + random.bounded(317 * step * 1.1) - 0.05 * 317 * step;
            const double lon = lon0 + random.bounded(317 * step * 1.6) - 0.05 * 317 * step;
            double best = 1e18;
            for (const auto &[plat, plon] : all)
                best = std::min(best, distanceMeters(lat, lon, plat, plon));
            const AddressMatch m = points->nearest(lat, lon, 50);
            if (best <= 50) {
                QCOMPARE(toString(m.status), toString(AddressStatus::Found));
                QVERIFY(std::abs(m.distanceMeters - best) < 1e-6);
            } else {
                QCOMPARE(toString(m.status), toString(AddressStatus::NoneWithin));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestAddressPoints)
#include "tst_addresspoints.moc"
