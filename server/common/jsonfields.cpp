#include "common/jsonfields.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace dispatch::json {

namespace {

ProtocolError badPath(const QString &path, const QString &why)
{
    return {QStringLiteral("bad_field"), QStringLiteral("field '%1' %2").arg(path, why)};
}

template<typename T> Parsed<T> resultOf(const FieldReader &r, T value)
{
    if (r.error())
        return *r.error();
    return value;
}

} // namespace

ProtocolError badField(QLatin1String key, const QString &why)
{
    return badPath(QString(key), why);
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

FieldReader::FieldReader(QString path)
    : m_path(std::move(path))
{}

QString FieldReader::pathOf(QLatin1String key) const
{
    return m_path.isEmpty() ? QString(key) : m_path + QLatin1Char('.') + key;
}

void FieldReader::record(ProtocolError fault)
{
    if (!m_error)
        m_error = fault;
    if (m_faults.size() < MaxFaults)
        m_faults.append(std::move(fault));
}

void FieldReader::fail(QLatin1String key, const QString &why)
{
    record(badPath(pathOf(key), why));
}

void FieldReader::reject(const QString &why)
{
    record(badPath(m_path, why));
}

FieldReader FieldReader::nested(QLatin1String key) const
{
    return FieldReader(pathOf(key));
}

FieldReader FieldReader::item(QLatin1String key, qsizetype index) const
{
    return FieldReader(pathOf(key) + QStringLiteral("[%1]").arg(index));
}

void FieldReader::merge(const FieldReader &nestedReader)
{
    if (!m_error && nestedReader.m_error)
        m_error = nestedReader.m_error;
    for (const ProtocolError &fault : nestedReader.m_faults) {
        if (m_faults.size() >= MaxFaults)
            break;
        m_faults.append(fault);
    }
}

bool FieldReader::present(const QJsonObject &o, QLatin1String key)
{
    const auto it = o.constFind(key);
    return it != o.constEnd() && !it->isNull();
}

std::optional<QJsonValue> FieldReader::valueOf(const QJsonObject &o, QLatin1String key) const
{
    const auto it = o.constFind(key);
    if (it == o.constEnd() || it->isNull())
        return std::nullopt;
    return *it;
}

std::optional<QJsonValue> FieldReader::typed(const QJsonObject &o, QLatin1String key,
                                             QJsonValue::Type type, const char *mustBe)
{
    auto v = valueOf(o, key);
    if (v && v->type() != type) {
        fail(key, QStringLiteral("must be %1").arg(QLatin1String(mustBe)));
        return std::nullopt;
    }
    return v;
}

std::optional<QString> FieldReader::string(const QJsonObject &o, QLatin1String key,
                                           qsizetype maxChars)
{
    const auto v = typed(o, key, QJsonValue::String, "a string");
    if (!v)
        return std::nullopt;
    QString s = v->toString();
    if (s.size() > maxChars) {
        fail(key, QStringLiteral("is longer than %1 characters").arg(maxChars));
        return std::nullopt;
    }
    return s;
}

std::optional<QString> FieldReader::text(const QJsonObject &o, QLatin1String key,
                                         qsizetype maxChars)
{
    const auto v = typed(o, key, QJsonValue::String, "a string");
    if (!v)
        return std::nullopt;
    return v->toString().left(maxChars);
}

QString FieldReader::requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars)
{
    auto s = string(o, key, maxChars);
    if (s && !s->isEmpty())
        return *s;
    fail(key, QStringLiteral("is required")); // a no-op when string() refused it already
    return QString();
}

std::optional<double> FieldReader::number(const QJsonObject &o, QLatin1String key, double min,
                                          double max)
{
    const auto v = typed(o, key, QJsonValue::Double, "a number");
    if (!v)
        return std::nullopt;
    const double d = v->toDouble();
    if (!std::isfinite(d) || d < min || d > max) {
        fail(key, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
        return std::nullopt;
    }
    return d;
}

std::optional<qint64> FieldReader::integer(const QJsonObject &o, QLatin1String key, qint64 min,
                                           qint64 max)
{
    const auto v = valueOf(o, key);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble();
    // Compared as doubles first: a huge number must not overflow the conversion.
    if (!v->isDouble() || !std::isfinite(d) || std::floor(d) != d || d < double(min) ||
        d > double(max)) {
        fail(key, QStringLiteral("must be a whole number between %1 and %2").arg(min).arg(max));
        return std::nullopt;
    }
    return static_cast<qint64>(d);
}

std::optional<qint64> FieldReader::protoCount(const QJsonObject &o, QLatin1String key)
{
    const auto v = valueOf(o, key);
    if (!v)
        return std::nullopt;
    bool ok = false;
    qint64 n = 0;
    if (v->isDouble()) {
        const double d = v->toDouble();
        ok = std::isfinite(d) && d >= 0 && d < 9.0e15 && std::floor(d) == d;
        n = ok ? static_cast<qint64>(d) : 0;
    } else if (v->isString()) {
        n = v->toString().toLongLong(&ok);
        ok = ok && n >= 0;
    }
    if (!ok) {
        fail(key, QStringLiteral("must be a non-negative integer"));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> FieldReader::boolean(const QJsonObject &o, QLatin1String key)
{
    const auto v = typed(o, key, QJsonValue::Bool, "true or false");
    return v ? std::optional<bool>(v->toBool()) : std::nullopt;
}

std::optional<QJsonObject> FieldReader::object(const QJsonObject &o, QLatin1String key)
{
    const auto v = typed(o, key, QJsonValue::Object, "an object");
    return v ? std::optional<QJsonObject>(v->toObject()) : std::nullopt;
}

std::optional<QJsonArray> FieldReader::array(const QJsonObject &o, QLatin1String key,
                                             qsizetype maxItems)
{
    const auto v = typed(o, key, QJsonValue::Array, "an array");
    if (!v)
        return std::nullopt;
    QJsonArray a = v->toArray();
    if (a.size() > maxItems) {
        fail(key, QStringLiteral("has more than %1 items").arg(maxItems));
        return std::nullopt;
    }
    return a;
}

QList<QJsonObject> FieldReader::objects(const QJsonObject &o, QLatin1String key, qsizetype maxItems)
{
    QList<QJsonObject> out;
    const QJsonArray items = array(o, key, maxItems).value_or(QJsonArray());
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject()) {
            FieldReader bad = item(key, i);
            bad.reject(QStringLiteral("must be an object"));
            merge(bad);
            break;
        }
        out.append(items.at(i).toObject());
    }
    return out;
}

std::optional<QDateTime> FieldReader::time(const QJsonObject &o, QLatin1String key)
{
    auto s = string(o, key, 64);
    if (!s || s->isEmpty())
        return std::nullopt; // "" is what an invalid QDateTime is written as: no time
    const QDateTime t = QDateTime::fromString(*s, Qt::ISODateWithMs);
    if (!t.isValid()) {
        fail(key, QStringLiteral("is not an ISO 8601 time"));
        return std::nullopt;
    }
    return t;
}

Parsed<std::optional<QString>> optionalString(const QJsonObject &o, QLatin1String key,
                                              qsizetype maxChars)
{
    FieldReader r;
    auto s = r.string(o, key, maxChars);
    return resultOf(r, s);
}

Parsed<QString> requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars)
{
    FieldReader r;
    QString s = r.requiredString(o, key, maxChars);
    return resultOf(r, s);
}

Parsed<std::optional<double>> optionalNumber(const QJsonObject &o, QLatin1String key, double min,
                                             double max)
{
    FieldReader r;
    auto d = r.number(o, key, min, max);
    return resultOf(r, d);
}

Parsed<std::optional<bool>> optionalBool(const QJsonObject &o, QLatin1String key)
{
    FieldReader r;
    auto b = r.boolean(o, key);
    return resultOf(r, b);
}

} // namespace dispatch::json
