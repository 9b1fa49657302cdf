#pragma once

#include "domain/call.h"
#include "geo/addresspoints.h"
#include "host/httpapi.h"

#include <QString>

#include <functional>
#include <memory>

namespace dispatch {

// The site's address points as this run has them (--address-points): loaded, or why not. A
// file that will not load never stops the console; /health says so ("addresses").
struct SiteAddresses
{
    QString path; // empty: none configured
    std::shared_ptr<const geo::AddressPoints> points;
    ProtocolError error; // when path is set and points is null

    bool available() const { return points && points->size() > 0; }
    // For CallStoreConfig::addressLookup: empty when there are no points.
    std::function<geo::AddressMatch(const GeoLocation &)> lookup() const;
    // {available, points, skipped, skipped_by, reason?, file?} (the file name only when
    // authenticated: a path says something about the host).
    QJsonValue healthInfo(HttpApi::Audience audience) const;
};

SiteAddresses loadSiteAddresses(const QString &path);

} // namespace dispatch
