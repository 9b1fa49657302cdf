#include "calls/callstore.h"
#include "mapview.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineView>

using namespace dispatch;

class TestMapView : public QObject
{
    Q_OBJECT

    // Asks the page itself, so the test proves what Leaflet draws, not what we sent.
    QVariant evaluate(MapView &map, const QString &js)
    {
        QVariant result;
        bool done = false;
        map.view()->page()->runJavaScript(js, [&](const QVariant &v) {
            result = v;
            done = true;
        });
        (void)QTest::qWaitFor([&] { return done; }, 5000);
        return result;
    }
    int markersOnPage(MapView &map)
    {
        return evaluate(map, QStringLiteral("dispatchMap.markerCount()")).toInt();
    }

private Q_SLOTS:
    void stateFollowsTheStore()
    {
        CallStore store;
        MapView map(store, {});
        store.addCall("a", GeoLocation{48.85, 2.35, 25.0, store.now()});
        store.addCall("b", std::nullopt); // no location: not on the map
        store.updateLocation("a", GeoLocation{48.86, 2.36, 10.0, store.now()});
        map.setSelectedCall("a");
        const QJsonObject state = QJsonDocument::fromJson(map.stateJson()).object();
        const QJsonArray calls = state.value("calls").toArray();
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.at(0).toObject().value("accepted").toBool(), false);
        QCOMPARE(calls.at(0).toObject().value("label").toString(), QString("a (unverified)"));
        QCOMPARE(calls.at(0).toObject().value("accuracy").toDouble(), 10.0);
        QCOMPARE(state.value("track").toArray().size(), 2);
        store.acceptLocation("a", Actor::dispatcher("me"));
        QCOMPARE(QJsonDocument::fromJson(map.stateJson())
                     .object()
                     .value("calls")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("accepted")
                     .toBool(),
                 true);
    }

    void pageDrawsLiveCallsOffline()
    {
        CallStore store;
        MapView map(store, {});
        map.resize(600, 400);
        map.show();
        QTRY_VERIFY_WITH_TIMEOUT(map.isPageReady(), 20'000);
        QCOMPARE(markersOnPage(map), 0);
        store.addCall("a", GeoLocation{40.0, -3.0, 30.0, store.now()});
        store.addCall("b", GeoLocation{41.0, 2.0, std::nullopt, store.now()});
        map.setSelectedCall("a");
        QTRY_COMPARE_WITH_TIMEOUT(markersOnPage(map), 2, 10'000);
        // Ended unanswered, the caller waits for a callback: still on the map, said so.
        store.end("b", EndReason::CallerHungUp);
        const QJsonArray calls =
            QJsonDocument::fromJson(map.stateJson()).object().value("calls").toArray();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.at(1).toObject().value("label").toString(), QString("b (call back)"));
        QVERIFY(store.resolveFollowUp("b", FollowUp::CalledBack, Actor::dispatcher("me")) ==
                CallStore::Result::Ok);
        QTRY_COMPARE_WITH_TIMEOUT(markersOnPage(map), 1, 10'000);
        // The offline basemap loaded from the embedded resources.
        QTRY_COMPARE_WITH_TIMEOUT(
            evaluate(map, QStringLiteral("document.body.dataset.basemap || ''")).toString(),
            QString("loaded"), 10'000);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestMapView test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_mapview.moc"
