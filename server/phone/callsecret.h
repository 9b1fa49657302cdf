#pragma once

#include <QString>

namespace dispatch {

// A call's secret: 256 bits from the operating system's CSPRNG (getrandom through
// QRandomGenerator::system()), base64url without padding (43 characters).
QString newCallSecret();

// Compares in time that does not depend on where the strings differ.
bool callSecretMatches(const QString &expected, const QString &presented);

} // namespace dispatch
