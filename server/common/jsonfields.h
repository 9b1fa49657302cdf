#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace dispatch::json {

// Parses one JSON object from untrusted bytes with a hard size limit.
Parsed<QJsonObject> parseObject(const QByteArray &bytes, qsizetype maxBytes);

// Typed field readers. A missing optional field yields std::nullopt; a field present with the
// wrong type yields a ProtocolError with code "bad_field" naming the field.
Parsed<std::optional<QString>> optionalString(const QJsonObject &o, QLatin1String key,
                                              qsizetype maxChars);
Parsed<QString> requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars);
Parsed<std::optional<double>> optionalNumber(const QJsonObject &o, QLatin1String key, double min,
                                             double max);
Parsed<std::optional<bool>> optionalBool(const QJsonObject &o, QLatin1String key);

ProtocolError badField(QLatin1String key, const QString &why);

} // namespace dispatch::json
