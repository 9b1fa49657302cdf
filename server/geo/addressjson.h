#pragma once

#include "geo/siteaddress.h"

#include <QJsonObject>

namespace dispatch::json {
class FieldReader;
}

namespace dispatch::geo {

// An address match as JSON, the one form for the wire (PROTOCOL.md, ext) and the database:
// {source: "site_address_points", status, radius_m, distance_m?, parts?: {NENA name: text}};
// an empty object for NoData.
QJsonObject addressToJson(const AddressMatch &address);

// Reads addressToJson()'s object back. A status this build does not know, or parts that are
// not strings, cost the address (NoData, the error in `reader`), never what holds it.
AddressMatch addressFromJson(json::FieldReader &reader, const QJsonObject &object);

} // namespace dispatch::geo
