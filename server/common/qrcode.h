#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace dispatch::qr {

// A QR code symbol: size x size modules, true = dark. No quiet zone.
struct QrMatrix
{
    int version = 0;
    int mask = -1;
    int size = 0;
    std::vector<bool> modules; // row-major

    bool at(int x, int y) const { return modules[static_cast<size_t>(y * size + x)]; }
};

// Largest payload in byte mode with error correction M that versions 1-10 hold.
inline constexpr int MaxBytes = 213;

// Encodes `data` as a QR code (ISO/IEC 18004): byte mode, error correction level M, the smallest
// version from 1 to 10 that fits. `forceMask` 0-7 picks the mask pattern; otherwise the mask
// with the lowest penalty score is chosen, as the standard says. Returns std::nullopt when the
// data is longer than MaxBytes.
std::optional<QrMatrix> encode(const QByteArray &data, int forceMask = -1);

// The symbol as a standalone SVG image: one path of dark squares, a white background and a
// quiet zone of `border` modules, `moduleSize` user units per module.
QByteArray toSvg(const QrMatrix &matrix, int border = 4, int moduleSize = 8);

} // namespace dispatch::qr
