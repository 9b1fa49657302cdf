// The caller and location card: who is calling, how to reach them again, where they are, how
// sure that is, and the site address nearest to it (from the site's address points).
#include "audioexitmain.h"
#include "calldetailpanel.h"
#include "callercard.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "geo/addresspoints.h"
#include "geo/geodesy.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "placetext.h"
#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTest>

#include <cmath>
#include <memory>

using namespace dispatch;

namespace {

const QString PhoneId = "3f2a9c1e-7b4d-4e21-9a0c-5d1e2f3a4b5c"; // a phone page's UUID
constexpr double Lat = 39.78172, Lon = -89.65015;               // the caller's fix

double northBy(double meters)
{
    return Lat + meters / (geo::EarthRadiusMeters * M_PI / 180.0);
}

QJsonObject point(double lat, double lon, const QJsonObject &properties)
{
    return {{"type", "Feature"},
            {"geometry", QJsonObject{{"type", "Point"}, {"coordinates", QJsonArray{lon, lat}}}},
            {"properties", properties}};
}

// Two address points: 123 N Main St 12 m north of the fix, 125 N Main St 40 m north.
geo::AddressPoints sitePoints()
{
    const QJsonObject main{{"Add_Number", 123}, {"St_PreDir", "N"},    {"St_Name", "Main"},
                           {"St_PosTyp", "St"}, {"Unit", "4B"},        {"Post_Comm", "Springfield"},
                           {"State", "IL"},     {"Post_Code", "62701"}};
    QJsonObject next = main;
    next["Add_Number"] = 125;
    next.remove("Unit");
    const QJsonArray features{point(northBy(12), Lon, main), point(northBy(40), Lon, next)};
    auto points = geo::AddressPoints::fromGeoJson(
        QJsonDocument(QJsonObject{{"type", "FeatureCollection"}, {"features", features}}).toJson());
    return points ? points.value() : geo::AddressPoints();
}

} // namespace

class TestCallerCard : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 12, 7), QTime(13, 0), Qt::UTC);
    std::shared_ptr<const geo::AddressPoints> m_points =
        std::make_shared<const geo::AddressPoints>(sitePoints());

    CallStoreConfig withAddresses()
    {
        CallStoreConfig config;
        config.addressLookup = [points = m_points](const GeoLocation &l) {
            return points->nearest(l.latitude, l.longitude,
                                   geo::AddressPoints::searchRadius(l.accuracyMeters));
        };
        return config;
    }
    Clock clock()
    {
        return [this] { return m_now; };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(m_points->size(), 2);
        applyTheme(*qApp, Theme::Dark);
    }

    void noCallNoLocation()
    {
        CallStore store(withAddresses(), clock());
        CallerCard card(store);
        QCOMPARE(card.callerText(), QStringLiteral("No call selected"));
        QVERIFY(card.locationText().isEmpty());
        store.addCall(PhoneId, std::nullopt);
        card.setCall(PhoneId);
        QCOMPARE(card.callerText(), QStringLiteral("Caller 3f2a9c1e"));
        QCOMPARE(card.findChild<QLabel *>("callerLabel")->toolTip(), "Caller " + PhoneId);
        QCOMPARE(card.callbackText(), QStringLiteral("Callback: phone page/app (no phone number)"));
        QVERIFY(card.findChild<QLabel *>("callbackMethod")->toolTip().contains("call credential"));
        QCOMPARE(card.locationText(), QStringLiteral("No location yet"));
        QVERIFY(card.verificationText().isEmpty());
        QVERIFY(card.addressText().isEmpty());
    }

    void locationWithItsAddress()
    {
        CallStore store(withAddresses(), clock());
        CallerCard card(store);
        store.addCall(PhoneId, std::nullopt);
        card.setCall(PhoneId);
        store.updateLocation(PhoneId, GeoLocation{Lat, Lon, 8.4, m_now});
        QCOMPARE(card.locationText(), QStringLiteral("39.7817, -89.6501 ± 8 m · fix 0 s ago"));
        QCOMPARE(card.findChild<QLabel *>("callerLocation")->toolTip(),
                 QStringLiteral("39.781720, -89.650150 (WGS 84)"));
        QCOMPARE(card.verificationText(),
                 QStringLiteral("Unverified (phone GPS) · Ctrl+L accepts"));
        QCOMPARE(card.addressText(),
                 QStringLiteral("≈ 12 m from 123 N Main St, Springfield, IL 62701 (Unit 4B)"));

        // The fix ages on the card's own tick.
        m_now = m_now.addSecs(75);
        QTRY_COMPARE(card.locationText(),
                     QStringLiteral("39.7817, -89.6501 ± 8 m · fix 1 min ago"));

        // A person verified it.
        QVERIFY(store.acceptLocation(PhoneId, Actor::dispatcher("ana")) == CallStore::Result::Ok);
        QCOMPARE(card.verificationText(), QStringLiteral("Verified by ana"));

        // The caller walked 30 m north: now nearer the next house.
        store.updateLocation(PhoneId, GeoLocation{northBy(30), Lon, 8.4, m_now});
        QCOMPARE(card.addressText(),
                 QStringLiteral("≈ 10 m from 125 N Main St, Springfield, IL 62701"));

        // 300 m away from every point: said so, with how far it looked.
        store.updateLocation(PhoneId, GeoLocation{northBy(340), Lon, 20, m_now});
        QCOMPARE(card.addressText(), QStringLiteral("No site address within 50 m of the location"));
    }

    void siteWithoutAddressData()
    {
        CallStore store({}, clock());
        CallerCard card(store);
        store.addCall(PhoneId, GeoLocation{Lat, Lon, 1234.0, m_now});
        card.setCall(PhoneId);
        QCOMPARE(card.locationText(), QStringLiteral("39.7817, -89.6501 ± 1234 m · fix 0 s ago"));
        QCOMPARE(card.addressText(), QStringLiteral("No site address data"));
    }

    void addressFormatting_data()
    {
        QTest::addColumn<QStringList>("parts"); // number, street, community, building, floor, room
        QTest::addColumn<QString>("text");
        QTest::newRow("street only") << QStringList{"", "Main", "", "", "", ""} << "Main";
        QTest::newRow("building, floor, room")
            << QStringList{"7", "Oak", "Shelbyville", "North", "2", "210"}
            << "7 Oak, Shelbyville (Building North, Floor 2, Room 210)";
    }
    void addressFormatting()
    {
        QFETCH(QStringList, parts);
        QFETCH(QString, text);
        geo::SiteAddress a;
        a.number = parts.at(0);
        a.streetName = parts.at(1);
        a.community = parts.at(2);
        a.building = parts.at(3);
        a.floor = parts.at(4);
        a.room = parts.at(5);
        QCOMPARE(PlaceText::address(a), text);
    }

    // In the console at 1366x768 (screenshot for docs/screenshots), in the detail panel under
    // the header, and it does not make the window wider than the screen.
    void inTheConsoleAt1366()
    {
        CallStore store(withAddresses(), clock());
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        store.addCall(PhoneId, GeoLocation{Lat, Lon, 8.4, m_now.addSecs(-12)});
        store.answer(PhoneId, Actor::dispatcher("ana"));
        window.selectCall(PhoneId);
        window.resize(1366, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        CallerCard *card = window.detailPanel()->callerCard();
        QVERIFY(card->isVisible());
        QCOMPARE(card->addressText(),
                 QStringLiteral("≈ 12 m from 123 N Main St, Springfield, IL 62701 (Unit 4B)"));
        QCOMPARE(card->locationText(), QStringLiteral("39.7817, -89.6501 ± 8 m · fix 12 s ago"));
        const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(min.width() <= 1366, qPrintable(QString::number(min.width())));
        QVERIFY2(min.height() <= 720, qPrintable(QString::number(min.height())));
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window.grab().save(SCREENSHOT_DIR "/caller-card-1366.png"));
        QVERIFY(card->grab().save(SCREENSHOT_DIR "/caller-card.png"));
    }
};

DISPATCH_UI_TEST_MAIN(TestCallerCard)
#include "tst_callercard.moc"
