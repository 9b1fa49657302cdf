#include "geo/addressjson.h"

#include "common/jsonfields.h"

#include <cmath>

namespace dispatch::geo {

QJsonObject addressToJson(const AddressMatch &address)
{
    if (address.status == AddressStatus::NoData)
        return {};
    QJsonObject o{{QStringLiteral("source"), QStringLiteral("site_address_points")},
                  {QStringLiteral("status"), toString(address.status)},
                  {QStringLiteral("radius_m"), qRound(address.radiusMeters)}};
    if (address.found()) {
        o.insert(QStringLiteral("distance_m"), std::round(address.distanceMeters * 10) / 10);
        QJsonObject parts;
        for (const AddressField &f : addressFields()) {
            if (!(address.address.*f.part).isEmpty())
                parts.insert(f.name, address.address.*f.part);
        }
        o.insert(QStringLiteral("parts"), parts);
    }
    return o;
}

AddressMatch addressFromJson(json::FieldReader &reader, const QJsonObject &object)
{
    if (object.isEmpty())
        return {};
    AddressMatch match;
    const auto status = addressStatusFromString(
        reader.text(object, QLatin1String("status"), 32).value_or(QString()));
    match.radiusMeters = reader.number(object, QLatin1String("radius_m"), 0, 1e6).value_or(0);
    match.distanceMeters = reader.number(object, QLatin1String("distance_m"), 0, 1e6).value_or(0);
    const QJsonObject parts = reader.object(object, QLatin1String("parts")).value_or(QJsonObject());
    json::FieldReader partsReader = reader.nested(QLatin1String("parts"));
    for (const AddressField &f : addressFields())
        match.address.*f.part = partsReader.text(parts, f.name, 120).value_or(QString());
    reader.merge(partsReader);
    if (!status || !reader.ok())
        return {};
    match.status = *status;
    return match;
}

} // namespace dispatch::geo
