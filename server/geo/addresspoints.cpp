#include "geo/addresspoints.h"

#include "geo/geodesy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcGeo, "dispatch.geo")

namespace dispatch::geo {

namespace {

constexpr double CellDegrees = 0.0025; // ~280 m of latitude: a 250 m search spans 2-3 rows
constexpr double MetersPerDegree = EarthRadiusMeters * 3.14159265358979323846 / 180.0;
constexpr qsizetype MaxPartChars = 120;

ProtocolError refusal(const char *code, const QString &message)
{
    return ProtocolError{QLatin1String(code), message};
}

// A property as text: strings trimmed (and cut), whole numbers without a fraction (Add_Number
// is an integer in the model), anything else absent.
QString part(const QJsonObject &properties, QLatin1String key)
{
    const QJsonValue v = properties.value(key);
    if (v.isString())
        return v.toString().trimmed().left(MaxPartChars);
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d);
    }
    return QString();
}

SiteAddress addressFrom(const QJsonObject &p)
{
    SiteAddress a;
    for (const AddressField &f : addressFields())
        a.*f.part = part(p, f.name);
    if (a.community.isEmpty())
        a.community = part(p, QLatin1String("Inc_Muni"));
    return a;
}

} // namespace

double AddressPoints::searchRadius(std::optional<double> accuracyMeters)
{
    const double accuracy =
        accuracyMeters && std::isfinite(*accuracyMeters) ? *accuracyMeters : MinRadiusMeters;
    return std::clamp(accuracy, MinRadiusMeters, MaxRadiusMeters);
}

std::uint64_t AddressPoints::cellOf(qint64 row, qint64 col)
{
    const auto r = std::uint64_t(std::uint32_t(row + 0x80000000LL));
    const auto c = std::uint64_t(std::uint32_t(col + 0x80000000LL));
    return (r << 32) | c;
}

Parsed<AddressPoints> AddressPoints::load(const QString &path, Limits limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refusal("cannot_read",
                       QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > limits.maxFileBytes)
        return refusal("too_large", QStringLiteral("%1 is %2 MB, more than the %3 MB allowed")
                                        .arg(path)
                                        .arg(file.size() / (1024 * 1024))
                                        .arg(limits.maxFileBytes / (1024 * 1024)));
    const QByteArray bytes = file.read(limits.maxFileBytes + 1);
    auto points = fromGeoJson(bytes, limits);
    if (points)
        qCInfo(lcGeo) << "address points from" << path << ":" << points->size() << "loaded,"
                      << points->report().skipped << "skipped";
    return points;
}

Parsed<AddressPoints> AddressPoints::fromGeoJson(const QByteArray &json, Limits limits)
{
    if (json.size() > limits.maxFileBytes)
        return refusal(
            "too_large",
            QStringLiteral("more than %1 MB of GeoJSON").arg(limits.maxFileBytes / (1024 * 1024)));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return refusal(
            "not_geojson",
            QStringLiteral("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
    const QJsonObject root = doc.object();
    if (!doc.isObject() ||
        root.value(QLatin1String("type")).toString() != QLatin1String("FeatureCollection"))
        return refusal("not_geojson", QStringLiteral("not a GeoJSON FeatureCollection"));
    const QJsonValue featuresValue = root.value(QLatin1String("features"));
    if (!featuresValue.isArray())
        return refusal("not_geojson", QStringLiteral("a FeatureCollection without features"));
    const QJsonArray features = featuresValue.toArray();
    if (features.size() > limits.maxFeatures)
        return refusal("too_many_features", QStringLiteral("%1 features, more than the %2 allowed")
                                                .arg(features.size())
                                                .arg(limits.maxFeatures));

    AddressPoints points;
    points.m_points.reserve(std::size_t(features.size()));
    qsizetype index = -1;
    for (const QJsonValue &item : features) {
        ++index;
        auto skip = [&points, index](const QString &why) {
            ++points.m_report.skipped;
            ++points.m_report.skippedBy[why];
            if (points.m_report.skipped <= 10)
                qCWarning(lcGeo) << "address point" << index << "skipped:" << why;
        };
        const QJsonObject feature = item.toObject();
        if (!item.isObject() ||
            feature.value(QLatin1String("type")).toString() != QLatin1String("Feature")) {
            skip(QStringLiteral("not a Feature"));
            continue;
        }
        const QJsonObject geometry = feature.value(QLatin1String("geometry")).toObject();
        if (geometry.value(QLatin1String("type")).toString() != QLatin1String("Point")) {
            skip(QStringLiteral("geometry is not a Point"));
            continue;
        }
        const QJsonArray xy = geometry.value(QLatin1String("coordinates")).toArray();
        const double lon = xy.size() >= 2 && xy.at(0).isDouble() ? xy.at(0).toDouble() : NAN;
        const double lat = xy.size() >= 2 && xy.at(1).isDouble() ? xy.at(1).toDouble() : NAN;
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            skip(QStringLiteral("coordinates are not a longitude, latitude pair"));
            continue;
        }
        SiteAddress address = addressFrom(feature.value(QLatin1String("properties")).toObject());
        if (address.streetName.isEmpty()) {
            skip(QStringLiteral("no St_Name"));
            continue;
        }
        points.add(lat, lon, std::move(address));
    }
    points.buildIndex();
    if (points.m_report.skipped > 0) {
        for (auto it = points.m_report.skippedBy.cbegin(); it != points.m_report.skippedBy.cend();
             ++it)
            qCWarning(lcGeo) << "address points skipped:" << it.value() << "x" << it.key();
    }
    return points;
}

void AddressPoints::add(double lat, double lon, SiteAddress address)
{
    const auto row = qint64(std::floor(lat / CellDegrees));
    const auto col = qint64(std::floor(lon / CellDegrees));
    m_points.push_back({cellOf(row, col), lat, lon, m_addresses.size()});
    m_addresses.append(std::move(address));
    ++m_report.loaded;
}

void AddressPoints::buildIndex()
{
    std::sort(m_points.begin(), m_points.end(),
              [](const Point &a, const Point &b) { return a.cell < b.cell; });
}

AddressMatch AddressPoints::nearest(double lat, double lon, double radiusMeters) const
{
    AddressMatch match;
    if (m_points.empty())
        return match;
    match.status = AddressStatus::NoneWithin;
    match.radiusMeters = radiusMeters;
    if (!std::isfinite(lat) || !std::isfinite(lon) || !(radiusMeters > 0))
        return match;
    // The band of rows, then for each the columns that can hold a point within the radius:
    // a degree of longitude is narrowest at the band's poleward edge.
    const double dLat = radiusMeters / MetersPerDegree;
    const double poleward = std::min(90.0, std::abs(lat) + dLat);
    const double cosLat = std::cos(poleward * 3.14159265358979323846 / 180.0);
    const double dLon = cosLat > 1e-9 ? std::min(180.0, dLat / cosLat) : 180.0;
    const auto row0 = qint64(std::floor((lat - dLat) / CellDegrees));
    const auto row1 = qint64(std::floor((lat + dLat) / CellDegrees));
    const auto col0 = qint64(std::floor(std::max(-180.0, lon - dLon) / CellDegrees));
    const auto col1 = qint64(std::floor(std::min(180.0, lon + dLon) / CellDegrees));
    const Point *best = nullptr;
    double bestDistance = radiusMeters;
    auto byCell = [](const Point &p, std::uint64_t cell) { return p.cell < cell; };
    for (qint64 row = row0; row <= row1; ++row) {
        // Cells of one row are contiguous in the order: one range per row.
        auto it = std::lower_bound(m_points.begin(), m_points.end(), cellOf(row, col0), byCell);
        const std::uint64_t last = cellOf(row, col1);
        for (; it != m_points.end() && it->cell <= last; ++it) {
            const double d = distanceMeters(lat, lon, it->lat, it->lon);
            if (d <= bestDistance) {
                bestDistance = d;
                best = &*it;
            }
        }
    }
    if (best) {
        match.status = AddressStatus::Found;
        match.address = m_addresses.at(best->address);
        match.distanceMeters = bestDistance;
    }
    return match;
}

} // namespace dispatch::geo
