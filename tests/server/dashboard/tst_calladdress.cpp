// A call's site address: looked up by the CallStore when its location moves, carried on the
// dashboard wire (snapshot, incoming_call, location_update) and mirrored by a remote console
// as the host found it.
#include "calls/callstore.h"
#include "dashboard/dashboardevents.h"
#include "geo/geodesy.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace dispatch;
using namespace dispatch::dashboard;

namespace {

const QDateTime t0 = QDateTime::fromString("2026-11-22T10:00:00.000Z", Qt::ISODateWithMs);

geo::AddressMatch found(const QString &number, double distance)
{
    geo::AddressMatch m;
    m.status = geo::AddressStatus::Found;
    m.address.number = number;
    m.address.preDirectional = "N";
    m.address.streetName = "Main";
    m.address.postType = "St";
    m.address.community = "Springfield";
    m.address.state = "IL";
    m.address.unit = "4B";
    m.distanceMeters = distance;
    m.radiusMeters = 50;
    return m;
}

// `meters` north of a position.
GeoLocation north(const GeoLocation &from, double meters)
{
    GeoLocation l = from;
    l.latitude += meters / (geo::EarthRadiusMeters * M_PI / 180.0);
    return l;
}

} // namespace

class TestCallAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storeLooksUpWhenTheFixMoves()
    {
        int lookups = 0;
        CallStoreConfig config;
        config.addressLookup = [&lookups](const GeoLocation &l) {
            ++lookups;
            return found(QString::number(qRound(l.latitude * 1e5)), 12);
        };
        CallStore store(config, [] { return t0; });
        const GeoLocation start{39.78, -89.65, 8.0, t0};
        QVERIFY(store.addCall("c1", start) == CallStore::Result::Ok);
        QCOMPARE(lookups, 1);
        QCOMPARE(toString(store.call("c1")->address.status), toString(geo::AddressStatus::Found));
        QCOMPARE(store.call("c1")->address.address.number, QStringLiteral("3978000"));

        QSignalSpy updated(&store, &CallStore::locationUpdated);
        // GPS jitter of a few metres: a new fix, the same address, no lookup.
        QVERIFY(store.updateLocation("c1", north(start, 4)) == CallStore::Result::Ok);
        QVERIFY(store.updateLocation("c1", north(start, 9)) == CallStore::Result::Ok);
        QCOMPARE(updated.count(), 2);
        QCOMPARE(lookups, 1);
        // Moved more than 10 m from where it was looked up: looked up again, before the signal.
        QObject::connect(&store, &CallStore::locationUpdated, &store,
                         [&store](const QString &id, const GeoLocation &l) {
                             QCOMPARE(store.call(id)->address.address.number,
                                      QString::number(qRound(l.latitude * 1e5)));
                         });
        QVERIFY(store.updateLocation("c1", north(start, 25)) == CallStore::Result::Ok);
        QCOMPARE(lookups, 2);
        // The accuracy worsened by more than 10 m (a wider search radius): looked up again.
        GeoLocation vague = north(start, 25);
        vague.accuracyMeters = 80;
        QVERIFY(store.updateLocation("c1", vague) == CallStore::Result::Ok);
        QCOMPARE(lookups, 3);
    }

    void noAddressDataIsNoData()
    {
        CallStore store({}, [] { return t0; });
        QVERIFY(store.addCall("c1", GeoLocation{39.78, -89.65, 8.0, t0}) == CallStore::Result::Ok);
        QCOMPARE(toString(store.call("c1")->address.status), toString(geo::AddressStatus::NoData));
        QVERIFY(store.addCall("c2", std::nullopt) == CallStore::Result::Ok);
        QCOMPARE(toString(store.call("c2")->address.status), toString(geo::AddressStatus::NoData));
    }

    void mirrorTakesTheHostsAddress()
    {
        int lookups = 0;
        CallStoreConfig config;
        config.addressLookup = [&lookups](const GeoLocation &) {
            ++lookups;
            return geo::AddressMatch();
        };
        CallStore store(config, [] { return t0; });
        QVERIFY(store.addCall("c1", std::nullopt) == CallStore::Result::Ok);
        QSignalSpy updated(&store, &CallStore::locationUpdated);
        const GeoLocation fix{39.78, -89.65, 8.0, t0};
        QVERIFY(store.mirrorLocation("c1", fix, found("123", 12)) == CallStore::Result::Ok);
        QCOMPARE(lookups, 0);
        QVERIFY(store.call("c1")->address == found("123", 12));
        // The same fix with a new address from the host still reaches the views.
        QVERIFY(store.mirrorLocation("c1", fix, found("125", 9)) == CallStore::Result::Ok);
        QCOMPARE(updated.count(), 2);
        QCOMPARE(store.call("c1")->address.address.number, QStringLiteral("125"));
        QCOMPARE(store.call("c1")->track.size(), 1);
        // And nothing changed: no signal.
        QVERIFY(store.mirrorLocation("c1", fix, found("125", 9)) == CallStore::Result::Ok);
        QCOMPARE(updated.count(), 2);
    }

    void snapshotCarriesTheAddress_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("found") << int(geo::AddressStatus::Found);
        QTest::newRow("none within") << int(geo::AddressStatus::NoneWithin);
        QTest::newRow("no data") << int(geo::AddressStatus::NoData);
    }
    void snapshotCarriesTheAddress()
    {
        QFETCH(int, status);
        Call c;
        c.id = "c-42";
        c.ringingSince = t0;
        c.location = GeoLocation{39.78, -89.65, 8.0, t0};
        c.address = found("123", 12.3);
        c.address.status = geo::AddressStatus(status);
        if (c.address.status != geo::AddressStatus::Found) {
            c.address.address = {};
            c.address.distanceMeters = 0;
        }
        if (c.address.status == geo::AddressStatus::NoData)
            c.address.radiusMeters = 0;
        const QJsonObject snapshot = callSnapshot(c, t0);
        QCOMPARE(snapshot.contains("address"), c.address.status != geo::AddressStatus::NoData);
        if (c.address.found()) {
            const QJsonObject a = snapshot.value("address").toObject();
            QCOMPARE(a.value("source").toString(), QStringLiteral("site_address_points"));
            QCOMPARE(a.value("status").toString(), QStringLiteral("found"));
            QCOMPARE(a.value("distance_m").toDouble(), 12.3);
            QCOMPARE(a.value("parts").toObject().value("St_Name").toString(),
                     QStringLiteral("Main"));
            QVERIFY(!a.value("parts").toObject().contains("Floor")); // empty parts are left out
        }
        const auto parsed = callFromSnapshot(snapshot, t0);
        QVERIFY(parsed);
        QVERIFY(parsed->address == c.address);

        // incoming_call and location_update carry it too.
        const auto incoming = parseEvent(encodeCallUpdate(c, CallUpdateKind::Incoming, t0), t0);
        QVERIFY(incoming);
        QVERIFY(std::get<CallUpdate>(incoming.value()).call.address == c.address);
        const auto moved =
            parseEvent(encodeEvent(LocationUpdate{"c-42", *c.location, c.address}), t0);
        QVERIFY(moved);
        QVERIFY(std::get<LocationUpdate>(moved.value()).address == c.address);
    }

    // A host's address this console cannot read costs the address, never the call.
    void badAddressIsNoData_data()
    {
        QTest::addColumn<QByteArray>("address");
        QTest::newRow("unknown status") << QByteArray(R"({"status":"guessed","radius_m":50})");
        QTest::newRow("part not a string")
            << QByteArray(R"({"status":"found","parts":{"St_Name":["Main"]}})");
        QTest::newRow("negative distance")
            << QByteArray(R"({"status":"found","distance_m":-3,"parts":{"St_Name":"Main"}})");
    }
    void badAddressIsNoData()
    {
        QFETCH(QByteArray, address);
        Call c;
        c.id = "c-42";
        c.ringingSince = t0;
        c.location = GeoLocation{39.78, -89.65, 8.0, t0};
        QJsonObject snapshot = callSnapshot(c, t0);
        snapshot.insert("address", QJsonDocument::fromJson(address).object());
        const auto parsed = callFromSnapshot(snapshot, t0);
        QVERIFY(parsed);
        QCOMPARE(toString(parsed->address.status), toString(geo::AddressStatus::NoData));
        QVERIFY(parsed->location.has_value());
    }
};

QTEST_GUILESS_MAIN(TestCallAddress)
#include "tst_calladdress.moc"
