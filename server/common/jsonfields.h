#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace dispatch::json {

// Parses one JSON object from untrusted bytes with a hard size limit.
Parsed<QJsonObject> parseObject(const QByteArray &bytes, qsizetype maxBytes);

// The one way protocol code reads fields of untrusted JSON. Each reader checks the type and the
// bounds of one field; the first problem is kept as a ProtocolError with code "bad_field" that
// names the field by its path ("you.name", "report.severity"), later reads are then harmless
// no-ops in effect, and the caller checks error() once at the end. A field that is absent or null
// is "not there": optional readers give std::nullopt and no error; required readers fail.
class FieldReader
{
public:
    // `path` names the object being read in error messages (empty for a message's top level).
    explicit FieldReader(QString path = QString());

    bool ok() const { return !m_error.has_value(); }
    const std::optional<ProtocolError> &error() const { return m_error; }
    // Every problem recorded (the first is error()), up to MaxFaults: for lenient readers that
    // keep the rest of a message and report what they ignored.
    static constexpr qsizetype MaxFaults = 16;
    const QList<ProtocolError> &faults() const { return m_faults; }
    // Records a problem with `key` (relative to this reader's path) unless one is recorded.
    void fail(QLatin1String key, const QString &why);
    // Records a problem with the value this reader reads as a whole (its own path).
    void reject(const QString &why);
    // A reader for an object nested under `key`, whose errors come back here (see merge()).
    FieldReader nested(QLatin1String key) const;
    // A reader for the index-th item of the array under `key` ("key[index]" in messages).
    FieldReader item(QLatin1String key, qsizetype index) const;
    // Takes over the first error of a nested reader, when this one has none yet, and its faults.
    void merge(const FieldReader &nestedReader);

    static bool present(const QJsonObject &o, QLatin1String key);

    // A string of at most maxChars characters; longer ones are refused.
    std::optional<QString> string(const QJsonObject &o, QLatin1String key, qsizetype maxChars);
    // Display text: longer than maxChars is cut, not refused (a long detail must not cost the
    // whole message). Wrong types are still refused.
    std::optional<QString> text(const QJsonObject &o, QLatin1String key, qsizetype maxChars);
    // A non-empty string of at most maxChars characters; an empty QString after a failure.
    QString requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars);
    // A finite number in [min, max].
    std::optional<double> number(const QJsonObject &o, QLatin1String key, double min, double max);
    // A whole number in [min, max] (written as a JSON number).
    std::optional<qint64> integer(const QJsonObject &o, QLatin1String key, qint64 min, qint64 max);
    // A non-negative int64 as proto3 JSON writes it: a whole number or a decimal string.
    std::optional<qint64> protoCount(const QJsonObject &o, QLatin1String key);
    std::optional<bool> boolean(const QJsonObject &o, QLatin1String key);
    std::optional<QJsonObject> object(const QJsonObject &o, QLatin1String key);
    // An array of at most maxItems items.
    std::optional<QJsonArray> array(const QJsonObject &o, QLatin1String key, qsizetype maxItems);
    // An array of objects: the objects up to the first item that is not one, which is a fault
    // ("key[i] must be an object"). Absent: none.
    QList<QJsonObject> objects(const QJsonObject &o, QLatin1String key, qsizetype maxItems);
    // An ISO 8601 time string (with or without milliseconds); "" is no time (how an invalid
    // QDateTime is written); anything else is refused.
    std::optional<QDateTime> time(const QJsonObject &o, QLatin1String key);

private:
    QString pathOf(QLatin1String key) const;
    std::optional<QJsonValue> valueOf(const QJsonObject &o, QLatin1String key) const;
    // Present and of `type`; otherwise fails with "must be <mustBe>" (absent: nullopt, no fault).
    std::optional<QJsonValue> typed(const QJsonObject &o, QLatin1String key, QJsonValue::Type type,
                                    const char *mustBe);

    void record(ProtocolError fault);

    QString m_path;
    std::optional<ProtocolError> m_error;
    QList<ProtocolError> m_faults;
};

// One-field shorthands over FieldReader, for code that reads a field or two.
Parsed<std::optional<QString>> optionalString(const QJsonObject &o, QLatin1String key,
                                              qsizetype maxChars);
Parsed<QString> requiredString(const QJsonObject &o, QLatin1String key, qsizetype maxChars);
Parsed<std::optional<double>> optionalNumber(const QJsonObject &o, QLatin1String key, double min,
                                             double max);
Parsed<std::optional<bool>> optionalBool(const QJsonObject &o, QLatin1String key);

ProtocolError badField(QLatin1String key, const QString &why);

} // namespace dispatch::json
