#include "siteaddresses.h"

#include <QFileInfo>
#include <QJsonObject>

namespace dispatch {

SiteAddresses loadSiteAddresses(const QString &path)
{
    SiteAddresses site;
    site.path = path;
    if (path.isEmpty())
        return site;
    auto points = geo::AddressPoints::load(path);
    if (!points) {
        site.error = points.error();
        return site;
    }
    site.points = std::make_shared<const geo::AddressPoints>(std::move(points.value()));
    if (site.points->size() == 0)
        site.error = {QStringLiteral("no_points"),
                      QStringLiteral("%1 holds no usable address point").arg(path)};
    return site;
}

std::function<geo::AddressMatch(const GeoLocation &)> SiteAddresses::lookup() const
{
    if (!available())
        return {};
    return [points = points](const GeoLocation &l) {
        return points->nearest(l.latitude, l.longitude,
                               geo::AddressPoints::searchRadius(l.accuracyMeters));
    };
}

QJsonValue SiteAddresses::healthInfo(HttpApi::Audience audience) const
{
    QJsonObject o{{QStringLiteral("available"), available()},
                  {QStringLiteral("points"), points ? points->size() : 0}};
    if (path.isEmpty())
        o.insert(QStringLiteral("reason"), QStringLiteral("not_configured"));
    else if (!available())
        o.insert(QStringLiteral("reason"), error.code);
    if (points) {
        o.insert(QStringLiteral("skipped"), points->report().skipped);
        QJsonObject by;
        const auto &skipped = points->report().skippedBy;
        for (auto it = skipped.cbegin(); it != skipped.cend(); ++it)
            by.insert(it.key(), it.value());
        o.insert(QStringLiteral("skipped_by"), by);
    }
    if (audience == HttpApi::Audience::Authenticated && !path.isEmpty()) {
        o.insert(QStringLiteral("file"), QFileInfo(path).fileName());
        if (!available())
            o.insert(QStringLiteral("detail"), error.message);
    }
    return o;
}

} // namespace dispatch
