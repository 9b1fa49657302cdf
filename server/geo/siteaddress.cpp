#include "geo/siteaddress.h"

#include <QStringList>

namespace dispatch::geo {

namespace {

QString joined(std::initializer_list<QString> parts, QLatin1String separator)
{
    QStringList present;
    for (const QString &p : parts) {
        if (!p.isEmpty())
            present << p;
    }
    return present.join(separator);
}

} // namespace

const QList<AddressField> &addressFields()
{
    static const QList<AddressField> fields{
        {QLatin1String("AddNum_Pre"), &SiteAddress::numberPrefix},
        {QLatin1String("Add_Number"), &SiteAddress::number},
        {QLatin1String("AddNum_Suf"), &SiteAddress::numberSuffix},
        {QLatin1String("St_PreDir"), &SiteAddress::preDirectional},
        {QLatin1String("St_PreTyp"), &SiteAddress::preType},
        {QLatin1String("St_Name"), &SiteAddress::streetName},
        {QLatin1String("St_PosTyp"), &SiteAddress::postType},
        {QLatin1String("St_PosDir"), &SiteAddress::postDirectional},
        {QLatin1String("Unit"), &SiteAddress::unit},
        {QLatin1String("Post_Comm"), &SiteAddress::community},
        {QLatin1String("State"), &SiteAddress::state},
        {QLatin1String("Post_Code"), &SiteAddress::postCode},
        {QLatin1String("Building"), &SiteAddress::building},
        {QLatin1String("Floor"), &SiteAddress::floor},
        {QLatin1String("Room"), &SiteAddress::room}};
    return fields;
}

QString SiteAddress::streetLine() const
{
    const QString house = numberPrefix + number + numberSuffix;
    return joined({house, preDirectional, preType, streetName, postType, postDirectional},
                  QLatin1String(" "));
}

QString SiteAddress::locality() const
{
    return joined({community, joined({state, postCode}, QLatin1String(" "))}, QLatin1String(", "));
}

bool SiteAddress::operator==(const SiteAddress &o) const
{
    return numberPrefix == o.numberPrefix && number == o.number && numberSuffix == o.numberSuffix &&
           preDirectional == o.preDirectional && preType == o.preType &&
           streetName == o.streetName && postType == o.postType &&
           postDirectional == o.postDirectional && unit == o.unit && community == o.community &&
           state == o.state && postCode == o.postCode && building == o.building &&
           floor == o.floor && room == o.room;
}

bool AddressMatch::operator==(const AddressMatch &o) const
{
    return status == o.status && address == o.address && distanceMeters == o.distanceMeters &&
           radiusMeters == o.radiusMeters;
}

QString toString(AddressStatus s)
{
    switch (s) {
    case AddressStatus::NoData:
        return QStringLiteral("no_data");
    case AddressStatus::NoneWithin:
        return QStringLiteral("none_within");
    case AddressStatus::Found:
        return QStringLiteral("found");
    }
    return QString();
}

std::optional<AddressStatus> addressStatusFromString(const QString &s)
{
    for (AddressStatus v :
         {AddressStatus::NoData, AddressStatus::NoneWithin, AddressStatus::Found}) {
        if (toString(v) == s)
            return v;
    }
    return std::nullopt;
}

} // namespace dispatch::geo
