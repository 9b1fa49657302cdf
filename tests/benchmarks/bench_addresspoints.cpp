// Reverse geocoding cost: loads N synthetic address points (a ~20 m lattice, like a dense
// town) and times nearest-address lookups at random positions in and around it.
//   bench_addresspoints [points=100000] [lookups=100000]
#include "geo/addresspoints.h"
#include "geo/geodesy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTextStream>

#include <cmath>

using namespace dispatch::geo;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int points = args.size() > 1 ? args.at(1).toInt() : 100000;
    const int lookups = args.size() > 2 ? args.at(2).toInt() : 100000;
    const int side = int(std::ceil(std::sqrt(double(points))));
    const double lat0 = 40.0, lon0 = -75.0;
    const double step = 20 / (EarthRadiusMeters * M_PI / 180.0);
    const double lonStep = step / std::cos(lat0 * M_PI / 180.0);
    QJsonArray features;
    for (int i = 0; i < points; ++i) {
        const QJsonObject geometry{
            {QStringLiteral("type"), QStringLiteral("Point")},
            {QStringLiteral("coordinates"),
             QJsonArray{lon0 + (i % side) * lonStep, lat0 + (i / side) * step}}};
        features.append(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("Feature")},
                        {QStringLiteral("geometry"), geometry},
                        {QStringLiteral("properties"),
                         QJsonObject{{QStringLiteral("Add_Number"), i},
                                     {QStringLiteral("St_Name"), QStringLiteral("Grid")}}}});
    }
    const QByteArray json =
        QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("FeatureCollection")},
                                  {QStringLiteral("features"), features}})
            .toJson(QJsonDocument::Compact);
    QElapsedTimer timer;
    timer.start();
    auto loaded = AddressPoints::fromGeoJson(json);
    const qint64 loadMs = timer.elapsed();
    QTextStream out(stdout);
    if (!loaded) {
        out << "load failed: " << loaded.error().message << Qt::endl;
        return 1;
    }
    QRandomGenerator random(18);
    int found = 0;
    timer.restart();
    for (int q = 0; q < lookups; ++q) {
        const double lat = lat0 + random.bounded(side * step * 1.2) - 0.1 * side * step;
        const double lon = lon0 + random.bounded(side * lonStep * 1.2) - 0.1 * side * lonStep;
        const double radius = 50 + random.bounded(200.0);
        found += loaded->nearest(lat, lon, radius).found() ? 1 : 0;
    }
    const qint64 ns = timer.nsecsElapsed();
    out << loaded->size() << " points (" << json.size() / (1024 * 1024) << " MB GeoJSON) loaded in "
        << loadMs << " ms; " << lookups << " lookups (radius 50-250 m), " << found << " found, "
        << double(ns) / lookups / 1000.0 << " us per lookup" << Qt::endl;
    return 0;
}
