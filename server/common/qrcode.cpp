#include "common/qrcode.h"

#include <QString>

#include <qrencode.h>

#include <memory>

namespace dispatch::qr {

std::optional<QrMatrix> encode(const QByteArray &data)
{
    if (data.size() > MaxBytes)
        return std::nullopt;
    // QRcode_encodeData takes 8-bit data as it is (no Kanji or alphanumeric guessing); version 0
    // picks the smallest version that holds it.
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(data.size()),
                          reinterpret_cast<const unsigned char *>(data.constData()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return std::nullopt;
    QrMatrix m;
    m.version = code->version;
    m.size = code->width;
    m.modules.resize(static_cast<size_t>(m.size) * static_cast<size_t>(m.size));
    for (size_t i = 0; i < m.modules.size(); ++i)
        m.modules[i] = (code->data[i] & 1) != 0; // bit 0: dark; the others are the library's
    return m;
}

QByteArray toSvg(const QrMatrix &matrix, int border, int moduleSize)
{
    const int side = (matrix.size + 2 * border) * moduleSize;
    QByteArray path;
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x) {
            if (matrix.at(x, y))
                path += "M" + QByteArray::number(x + border) + "," +
                        QByteArray::number(y + border) + "h1v1h-1z";
        }
    }
    const QByteArray viewBox = QByteArray::number(matrix.size + 2 * border);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
           QByteArray::number(side) + "\" height=\"" + QByteArray::number(side) +
           "\" viewBox=\"0 0 " + viewBox + " " + viewBox +
           "\" shape-rendering=\"crispEdges\">\n"
           "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
           "<path fill=\"#000000\" d=\"" +
           path + "\"/>\n</svg>\n";
}

} // namespace dispatch::qr
