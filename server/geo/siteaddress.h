#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dispatch::geo {

// One site/structure address point, in the NENA GIS data model's parts (NENA-STA-006): what
// the site's address data says, never text made up by the engine. Empty parts are absent.
struct SiteAddress
{
    QString numberPrefix;    // AddNum_Pre
    QString number;          // Add_Number
    QString numberSuffix;    // AddNum_Suf
    QString preDirectional;  // St_PreDir
    QString preType;         // St_PreTyp
    QString streetName;      // St_Name
    QString postType;        // St_PosTyp
    QString postDirectional; // St_PosDir
    QString unit;            // Unit
    QString community;       // Post_Comm (or Inc_Muni)
    QString state;           // State
    QString postCode;        // Post_Code
    QString building;        // Building
    QString floor;           // Floor
    QString room;            // Room

    // The parts joined as they are written, no words added: "123 N Main St" and
    // "Springfield, IL 62701". Unit, building, floor and room are for the UI to label.
    QString streetLine() const;
    QString locality() const;
    bool operator==(const SiteAddress &o) const;
};

// The NENA field names and the parts they fill, in the order above (Post_Comm for community;
// readers of site data fall back to Inc_Muni), for everything that reads or writes them.
struct AddressField
{
    QLatin1String name;
    QString SiteAddress::*part;
};
const QList<AddressField> &addressFields();

// What reverse geocoding found for a location.
enum class AddressStatus
{
    NoData,     // the site has no address points (none loaded): nothing was looked up
    NoneWithin, // none within the search radius
    Found,
};

struct AddressMatch
{
    AddressStatus status = AddressStatus::NoData;
    SiteAddress address;       // when Found
    double distanceMeters = 0; // from the location to the point, when Found
    double radiusMeters = 0;   // how far it looked (NoneWithin and Found)

    bool found() const { return status == AddressStatus::Found; }
    bool operator==(const AddressMatch &o) const;
};

// Wire names: "no_data", "none_within", "found".
QString toString(AddressStatus s);
std::optional<AddressStatus> addressStatusFromString(const QString &s);

} // namespace dispatch::geo
