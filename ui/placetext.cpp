#include "placetext.h"

#include <QStringList>

namespace dispatch {

QString PlaceText::address(const geo::SiteAddress &a)
{
    QStringList parts;
    if (!a.streetLine().isEmpty())
        parts << a.streetLine();
    if (!a.locality().isEmpty())
        parts << a.locality();
    QStringList within;
    if (!a.building.isEmpty())
        within << tr("Building %1").arg(a.building);
    if (!a.floor.isEmpty())
        within << tr("Floor %1").arg(a.floor);
    if (!a.room.isEmpty())
        within << tr("Room %1").arg(a.room);
    if (!a.unit.isEmpty())
        within << tr("Unit %1").arg(a.unit);
    QString text = parts.join(QStringLiteral(", "));
    if (!within.isEmpty())
        text = tr("%1 (%2)").arg(text, within.join(QStringLiteral(", ")));
    return text;
}

QString PlaceText::match(const geo::AddressMatch &m)
{
    switch (m.status) {
    case geo::AddressStatus::Found:
        return tr("≈ %1 m from %2").arg(qRound(m.distanceMeters)).arg(address(m.address));
    case geo::AddressStatus::NoneWithin:
        return tr("No site address within %1 m of the location").arg(qRound(m.radiusMeters));
    case geo::AddressStatus::NoData:
        break;
    }
    return tr("No site address data");
}

QString PlaceText::coordinates(const GeoLocation &l, int decimals)
{
    return tr("%1, %2").arg(l.latitude, 0, 'f', decimals).arg(l.longitude, 0, 'f', decimals);
}

QString PlaceText::place(const std::optional<GeoLocation> &location, const geo::AddressMatch &m,
                         int decimals)
{
    if (m.found() && !m.address.streetLine().isEmpty()) {
        return m.address.unit.isEmpty()
                   ? m.address.streetLine()
                   : tr("%1, Unit %2").arg(m.address.streetLine(), m.address.unit);
    }
    return location ? coordinates(*location, decimals) : QString();
}

} // namespace dispatch
