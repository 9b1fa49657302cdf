#include "geo/geodesy.h"

#include <algorithm>
#include <cmath>

namespace dispatch::geo {

double distanceMeters(double lat1, double lon1, double lat2, double lon2)
{
    constexpr double rad = 3.14159265358979323846 / 180.0;
    const double dLat = (lat2 - lat1) * rad;
    const double dLon = (lon2 - lon1) * rad;
    const double s = std::sin(dLat / 2);
    const double t = std::sin(dLon / 2);
    const double h = s * s + std::cos(lat1 * rad) * std::cos(lat2 * rad) * t * t;
    return 2 * EarthRadiusMeters * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

} // namespace dispatch::geo
