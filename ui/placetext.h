#pragma once

#include "domain/call.h"
#include "geo/siteaddress.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace dispatch {

// Where a call is, said the same way everywhere a person reads it: the caller card, the queue,
// the wall, the follow-up dialog and history. The site address when the site's address points
// named one, else the position at a precision that fits the place it is shown.
class PlaceText
{
    Q_DECLARE_TR_FUNCTIONS(PlaceText)

public:
    // "123 N Main St, Springfield, IL 62701 (Building A, Floor 2, Room 210, Unit 4)".
    static QString address(const geo::SiteAddress &address);
    // "≈ 12 m from 123 N Main St, Springfield", "No site address within 50 m of the location",
    // "No site address data".
    static QString match(const geo::AddressMatch &match);
    // "40.4168, -3.7038" at `decimals` (4 is ~11 m, as fine as a phone's fix means; 3 ~100 m).
    static QString coordinates(const GeoLocation &location, int decimals);
    // Short, for a table cell or a tile: the address's street line (with its unit) when one
    // was found, else the coordinates; empty without a location.
    static QString place(const std::optional<GeoLocation> &location, const geo::AddressMatch &match,
                         int decimals);
};

} // namespace dispatch
