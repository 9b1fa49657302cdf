#pragma once

namespace dispatch::geo {

inline constexpr double EarthRadiusMeters = 6371008.8; // the mean radius (IUGG)

// Great-circle (haversine) distance in metres between two WGS 84 positions in degrees. Right
// at any latitude; positions on both sides of the antimeridian are not special-cased by the
// index that uses it (see AddressPoints).
double distanceMeters(double lat1, double lon1, double lat2, double lon2);

} // namespace dispatch::geo
