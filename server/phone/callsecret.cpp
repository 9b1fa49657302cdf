#include "phone/callsecret.h"

#include <QByteArray>
#include <QRandomGenerator>

#include <array>

namespace dispatch {

QString newCallSecret()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray raw(reinterpret_cast<const char *>(words.data()),
                         static_cast<qsizetype>(words.size() * sizeof(quint32)));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool callSecretMatches(const QString &expected, const QString &presented)
{
    if (expected.isEmpty())
        return false;
    const QByteArray a = expected.toLatin1();
    const QByteArray b = presented.toLatin1();
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ (i < b.size() ? b.at(i) : 0));
    return diff == 0;
}

} // namespace dispatch
