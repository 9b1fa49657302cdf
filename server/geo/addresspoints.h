#pragma once

#include "common/parseresult.h"
#include "geo/siteaddress.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace dispatch::geo {

// What a site's address file may hold.
struct AddressPointsLimits
{
    qint64 maxFileBytes = 200LL * 1024 * 1024;
    qsizetype maxFeatures = 2'000'000;
};

// The site's address points (a GeoJSON FeatureCollection of NENA "Site/Structure Address
// Point" features), indexed in a grid of ~280 m cells for "the nearest address within R metres
// of a position". Immutable once loaded: lookups are const and may run on any thread.
// Antimeridian-free: points and searches are not wrapped across +-180 deg longitude.
class AddressPoints
{
public:
    using Limits = AddressPointsLimits;
    // What loading kept and what it skipped, by reason ("geometry is not a Point", ...).
    struct LoadReport
    {
        qsizetype loaded = 0;
        qsizetype skipped = 0;
        QMap<QString, qsizetype> skippedBy;
    };
    // The search radius: max(50 m, the fix's accuracy), at most 250 m.
    static constexpr double MinRadiusMeters = 50;
    static constexpr double MaxRadiusMeters = 250;
    static double searchRadius(std::optional<double> accuracyMeters);

    AddressPoints() = default;

    // A FeatureCollection from a file or bytes. Refused (code "not_geojson", "too_large",
    // "cannot_read", "too_many_features") when it is not one as a whole; single features that
    // are bad are skipped and counted in report().
    static Parsed<AddressPoints> load(const QString &path, Limits limits = Limits());
    static Parsed<AddressPoints> fromGeoJson(const QByteArray &json, Limits limits = Limits());

    const LoadReport &report() const { return m_report; }
    qsizetype size() const { return qsizetype(m_points.size()); }

    // The nearest point within radiusMeters (NoneWithin when there is none; NoData when empty).
    AddressMatch nearest(double lat, double lon, double radiusMeters) const;

private:
    struct Point
    {
        std::uint64_t cell;
        double lat;
        double lon;
        qsizetype address; // index into m_addresses
    };
    static std::uint64_t cellOf(qint64 row, qint64 col);
    void add(double lat, double lon, SiteAddress address);
    void buildIndex();

    std::vector<Point> m_points; // sorted by cell once loaded
    QList<SiteAddress> m_addresses;
    LoadReport m_report;
};

} // namespace dispatch::geo
