#pragma once

#include <QByteArray>

#include <optional>
#include <vector>

namespace dispatch::qr {

// A QR code symbol: size x size modules, true = dark. No quiet zone.
struct QrMatrix
{
    int version = 0;
    int size = 0;
    std::vector<bool> modules; // row-major

    bool at(int x, int y) const { return modules[static_cast<size_t>(y * size + x)]; }
};

// Longest payload accepted: a join link is far shorter, and a phone camera reads a version-10
// symbol (57 x 57 modules) from a screen; longer data would be hard to scan.
inline constexpr int MaxBytes = 213;

// Encodes `data` as a QR code (ISO/IEC 18004) with Debian's libqrencode: byte mode, error
// correction level M, the smallest version that fits, the mask the library scores best.
// Returns std::nullopt when the data is longer than MaxBytes or the library fails.
std::optional<QrMatrix> encode(const QByteArray &data);

// The symbol as a standalone SVG image: one path of dark squares, a white background and a
// quiet zone of `border` modules, `moduleSize` user units per module.
QByteArray toSvg(const QrMatrix &matrix, int border = 4, int moduleSize = 8);

} // namespace dispatch::qr
