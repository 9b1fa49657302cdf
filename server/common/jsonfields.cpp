#include "common/jsonfields.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace dispatch::json {

ProtocolError badField(QLatin1String key, const QString &why)
{
    return {QStringLiteral("bad_field"), QStringLiteral("field '%1' %2").arg(key, why)};
}

Parsed<QJsonObject> parseObject(const QByteArray &bytes, qsizetype maxBytes)
{
    if (bytes.size() > maxBytes)
        return ProtocolError{QStringLiteral("too_large"),
                             QStringLiteral("message of %1 bytes exceeds the limit of %2")
                                 .arg(bytes.size())
                                 .arg(maxBytes)};
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return ProtocolError{QStringLiteral("bad_json"),
                             QStringLiteral("invalid JSON at offset %1: %2")
                                 .arg(error.offset)
                                 .arg(error.errorString())};
    if (!doc.isObject())
        return ProtocolError{QStringLiteral("bad_json"), QStringLiteral("expected a JSON object")};
    return doc.object();
}

Parsed<std::optional<QString>> optionalString(const QJsonObject &o, QLatin1String key,
                                              qsizetype maxChars)
{
    const auto it = o.constFind(key);
    if (it == o.constEnd() || it->isNull())
        return std::optional<QString>{};
    if (!it->isString())
        return badField(key, QStringLiteral("must be a string"));
    QString s = it->toString();
    if (s.size() > maxChars)
        return badField(key, QStringLiteral("is longer than %1 characters").arg(maxChars));
    return std::optional<QString>{std::move(s)};
}

Parsed<QString> requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars)
{
    auto s = optionalString(o, key, maxChars);
    if (!s)
        return s.error();
    if (!s.value() || s.value()->isEmpty())
        return badField(key, QStringLiteral("is required"));
    return *s.value();
}

Parsed<std::optional<double>> optionalNumber(const QJsonObject &o, QLatin1String key, double min,
                                             double max)
{
    const auto it = o.constFind(key);
    if (it == o.constEnd() || it->isNull())
        return std::optional<double>{};
    if (!it->isDouble())
        return badField(key, QStringLiteral("must be a number"));
    const double v = it->toDouble();
    if (!std::isfinite(v) || v < min || v > max)
        return badField(key, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
    return std::optional<double>{v};
}

Parsed<std::optional<bool>> optionalBool(const QJsonObject &o, QLatin1String key)
{
    const auto it = o.constFind(key);
    if (it == o.constEnd() || it->isNull())
        return std::optional<bool>{};
    if (!it->isBool())
        return badField(key, QStringLiteral("must be true or false"));
    return std::optional<bool>{it->toBool()};
}

} // namespace dispatch::json
