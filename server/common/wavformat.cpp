#include "common/wavformat.h"

#include <QString>
#include <QtEndian>

#include <cstring>

namespace dispatch {

namespace {

constexpr quint16 FormatPcm = 1;
constexpr quint16 FormatExtensible = 0xFFFE;
constexpr quint32 UnknownSize = 0xFFFFFFFFu;

ProtocolError wavError(const char *code, const QString &message)
{
    return ProtocolError{QString::fromLatin1(code), message};
}

} // namespace

Parsed<WavFormat> parseWavFormat(const char *body, quint32 size)
{
    if (size < 16)
        return wavError("bad_format", QStringLiteral("fmt chunk is %1 bytes, needs 16").arg(size));
    quint16 tag = qFromLittleEndian<quint16>(body);
    WavFormat f;
    f.channels = qFromLittleEndian<quint16>(body + 2);
    f.sampleRate = static_cast<int>(qFromLittleEndian<quint32>(body + 4));
    f.blockAlign = qFromLittleEndian<quint16>(body + 12);
    f.bitsPerSample = qFromLittleEndian<quint16>(body + 14);
    if (tag == FormatExtensible) {
        if (size < 40)
            return wavError("bad_format",
                            QStringLiteral("extensible fmt chunk is %1 bytes, needs 40").arg(size));
        tag = qFromLittleEndian<quint16>(body + 24); // the sub-format GUID starts with the tag
    }
    if (tag != FormatPcm)
        return wavError("unsupported_encoding",
                        QStringLiteral("encoding %1 is not integer PCM").arg(tag));
    if (f.bitsPerSample != 8 && f.bitsPerSample != 16)
        return wavError("unsupported_encoding",
                        QStringLiteral("%1-bit samples are not supported").arg(f.bitsPerSample));
    if (f.sampleRate <= 0 || f.sampleRate > 384000)
        return wavError("bad_format", QStringLiteral("sample rate %1 Hz").arg(f.sampleRate));
    if (f.channels <= 0)
        return wavError("bad_format", QStringLiteral("no channels"));
    if (f.blockAlign != f.channels * f.bitsPerSample / 8)
        return wavError("bad_format", QStringLiteral("block align %1 does not match %2 channels")
                                          .arg(f.blockAlign)
                                          .arg(f.channels));
    return f;
}

QByteArray canonicalWavHeader(quint32 dataBytes, const WavFormat &format)
{
    QByteArray h(44, '\0');
    char *p = h.data();
    std::memcpy(p, "RIFF", 4);
    qToLittleEndian<quint32>(dataBytes == UnknownSize ? UnknownSize : dataBytes + 36, p + 4);
    std::memcpy(p + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, p + 16); // fmt chunk size
    qToLittleEndian<quint16>(FormatPcm, p + 20);
    qToLittleEndian<quint16>(static_cast<quint16>(format.channels), p + 22);
    qToLittleEndian<quint32>(static_cast<quint32>(format.sampleRate), p + 24);
    qToLittleEndian<quint32>(static_cast<quint32>(format.sampleRate * format.blockAlign), p + 28);
    qToLittleEndian<quint16>(static_cast<quint16>(format.blockAlign), p + 32);
    qToLittleEndian<quint16>(static_cast<quint16>(format.bitsPerSample), p + 34);
    std::memcpy(p + 36, "data", 4);
    qToLittleEndian<quint32>(dataBytes, p + 40);
    return h;
}

} // namespace dispatch
