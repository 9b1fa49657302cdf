#include "callscript.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#ifdef DISPATCH_CALLER_HAVE_GUI
#include <QBuffer>
#include <QImage>
#endif

namespace dispatch::caller {

namespace {

constexpr qint64 MaxScriptBytes = 16 * 1024 * 1024;
constexpr qint64 MaxFrameBytes = 2 * 1024 * 1024; // the server's limit for a decoded JPEG

Loaded<QByteArray> readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, QStringLiteral("cannot open %1: %2").arg(path, file.errorString())};
    if (file.size() > MaxScriptBytes)
        return {{}, QStringLiteral("%1 is too large").arg(path)};
    return {file.readAll(), {}};
}

Loaded<QJsonArray> arrayIn(const QByteArray &json, QLatin1String key)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return {
            {},
            QStringLiteral("bad JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset)};
    if (doc.isArray())
        return {doc.array(), {}};
    if (doc.isObject() && doc.object().value(key).isArray())
        return {doc.object().value(key).toArray(), {}};
    return {{}, QStringLiteral("expected an array or an object with \"%1\"").arg(key)};
}

std::optional<double> number(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

qint64 timeOf(const QJsonObject &o, qsizetype index, qint64 defaultStepMs)
{
    const auto t = number(o, QLatin1String("t"));
    return t ? static_cast<qint64>(std::llround(*t * 1000)) : index * defaultStepMs;
}

} // namespace

std::optional<Position> parsePosition(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() < 2 || parts.size() > 3)
        return std::nullopt;
    bool okLat = false;
    bool okLng = false;
    Position p;
    p.lat = parts[0].trimmed().toDouble(&okLat);
    p.lng = parts[1].trimmed().toDouble(&okLng);
    if (!okLat || !okLng || std::abs(p.lat) > 90 || std::abs(p.lng) > 180)
        return std::nullopt;
    if (parts.size() == 3) {
        bool ok = false;
        const double acc = parts[2].trimmed().toDouble(&ok);
        if (!ok || acc < 0)
            return std::nullopt;
        p.accuracy = acc;
    }
    return p;
}

Loaded<QList<TrackPoint>> parseTrack(const QByteArray &json)
{
    const auto array = arrayIn(json, QLatin1String("points"));
    if (!array.ok())
        return {{}, array.error};
    QList<TrackPoint> points;
    for (qsizetype i = 0; i < array.value.size(); ++i) {
        const QJsonObject o = array.value.at(i).toObject();
        const auto lat = number(o, QLatin1String("lat"));
        const auto lng = number(o, QLatin1String("lng"));
        if (!lat || !lng || std::abs(*lat) > 90 || std::abs(*lng) > 180)
            return {{}, QStringLiteral("track point %1 needs lat and lng in range").arg(i)};
        points.append({{*lat, *lng, number(o, QLatin1String("accuracy"))}, timeOf(o, i, 2000)});
    }
    if (points.isEmpty())
        return {{}, QStringLiteral("the track has no points")};
    return {points, {}};
}

Loaded<QList<TrackPoint>> loadTrack(const QString &path)
{
    const auto bytes = readSmallFile(path);
    if (!bytes.ok())
        return {{}, bytes.error};
    auto track = parseTrack(bytes.value);
    if (!track.ok())
        track.error = path + QStringLiteral(": ") + track.error;
    return track;
}

Position walk(const Position &start, qint64 ms, double metresPerSecond)
{
    const double metres = metresPerSecond * double(ms) / 1000.0;
    const double north = metres / std::sqrt(2.0);
    const double east = north;
    constexpr double MetresPerDegree = 111'320.0;
    Position p = start;
    p.lat += north / MetresPerDegree;
    p.lng += east / (MetresPerDegree * std::cos(start.lat * M_PI / 180.0));
    if (!p.accuracy)
        p.accuracy = 8;
    return p;
}

Loaded<QList<VitalsPoint>> parseVitals(const QByteArray &json)
{
    const auto array = arrayIn(json, QLatin1String("samples"));
    if (!array.ok())
        return {{}, array.error};
    QList<VitalsPoint> samples;
    for (qsizetype i = 0; i < array.value.size(); ++i) {
        const QJsonObject o = array.value.at(i).toObject();
        VitalsPoint v;
        v.hr = number(o, QLatin1String("hr"));
        v.hrConfidence = number(o, QLatin1String("hrConfidence"));
        v.breathing = number(o, QLatin1String("breathing"));
        v.breathingConfidence = number(o, QLatin1String("breathingConfidence"));
        v.atMs = timeOf(o, i, 1000);
        if (!v.hr && !v.breathing)
            return {{}, QStringLiteral("vitals sample %1 needs hr or breathing").arg(i)};
        samples.append(v);
    }
    if (samples.isEmpty())
        return {{}, QStringLiteral("no vitals samples")};
    return {samples, {}};
}

Loaded<QList<VitalsPoint>> loadVitals(const QString &path)
{
    const auto bytes = readSmallFile(path);
    if (!bytes.ok())
        return {{}, bytes.error};
    auto vitals = parseVitals(bytes.value);
    if (!vitals.ok())
        vitals.error = path + QStringLiteral(": ") + vitals.error;
    return vitals;
}

VitalsPoint demoVitals(qint64 ms)
{
    const double s = double(ms) / 1000.0;
    VitalsPoint v;
    v.hr = std::round(118 + 9 * std::sin(s / 7.0) + 3 * std::sin(s / 1.7));
    v.hrConfidence = 0.8;
    v.breathing = std::round(24 + 4 * std::sin(s / 11.0));
    v.breathingConfidence = 0.6;
    v.atMs = ms;
    return v;
}

bool isJpeg(const QByteArray &bytes)
{
    return bytes.size() > 3 && static_cast<uchar>(bytes[0]) == 0xFF &&
           static_cast<uchar>(bytes[1]) == 0xD8 && static_cast<uchar>(bytes[2]) == 0xFF;
}

Loaded<QList<QByteArray>> loadFrames(const QString &path)
{
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir dir(path);
        for (const QString &name : dir.entryList({QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"),
                                                  QStringLiteral("*.JPG"), QStringLiteral("*.JPEG"),
                                                  QStringLiteral("*.png"), QStringLiteral("*.PNG")},
                                                 QDir::Files, QDir::Name))
            files << dir.filePath(name);
        if (files.isEmpty())
            return {{}, QStringLiteral("no images in %1").arg(path)};
    } else {
        files << path;
    }
    QList<QByteArray> frames;
    for (const QString &file : files) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {{}, QStringLiteral("cannot open %1: %2").arg(file, f.errorString())};
        QByteArray bytes = f.size() <= 64 * 1024 * 1024 ? f.readAll() : QByteArray();
        if (!isJpeg(bytes)) {
#ifdef DISPATCH_CALLER_HAVE_GUI
            QImage image = QImage::fromData(bytes);
            if (image.isNull())
                return {{}, QStringLiteral("%1 is not an image this tool can read").arg(file)};
            if (std::max(image.width(), image.height()) > 768)
                image = image.scaled(768, 768, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            bytes.clear();
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "JPEG", 75);
#else
            return {{},
                    QStringLiteral("%1 is not a JPEG (this build converts JPEG only)").arg(file)};
#endif
        }
        if (bytes.size() > MaxFrameBytes)
            return {{}, QStringLiteral("%1 is larger than the 2 MiB frame limit").arg(file)};
        frames.append(bytes);
    }
    return {frames, {}};
}

} // namespace dispatch::caller
