#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace dispatch::caller {

struct Position
{
    double lat = 0;
    double lng = 0;
    std::optional<double> accuracy;
};

// A position the phone reports `atMs` after the call starts.
struct TrackPoint
{
    Position position;
    qint64 atMs = 0;
};

// A vitals sample the phone sends `atMs` after the call starts.
struct VitalsPoint
{
    std::optional<double> hr;
    std::optional<double> hrConfidence;
    std::optional<double> breathing;
    std::optional<double> breathingConfidence;
    qint64 atMs = 0;
};

template<typename T> struct Loaded
{
    T value{};
    QString error; // empty when loading worked
    bool ok() const { return error.isEmpty(); }
};

// "LAT,LNG" or "LAT,LNG,ACCURACY" (degrees, metres).
std::optional<Position> parsePosition(const QString &text);

// A JSON array of {"lat","lng","accuracy"?,"t"?} (t: seconds after the call starts; without it
// points are 2 s apart), or an object with such an array under "points".
Loaded<QList<TrackPoint>> parseTrack(const QByteArray &json);
Loaded<QList<TrackPoint>> loadTrack(const QString &path);

// Where a caller walking at `metresPerSecond` (heading north-east) from `start` is after `ms`.
Position walk(const Position &start, qint64 ms, double metresPerSecond = 1.4);

// A JSON array of {"hr"?,"hrConfidence"?,"breathing"?,"breathingConfidence"?,"t"?} (without t
// samples are 1 s apart), or an object with such an array under "samples".
Loaded<QList<VitalsPoint>> parseVitals(const QByteArray &json);
Loaded<QList<VitalsPoint>> loadVitals(const QString &path);

// A plausible distressed caller's vitals at `ms`: fast, slowly varying heart rate and breathing.
VitalsPoint demoVitals(qint64 ms);

// Camera frames: JPEG files are sent as they are; other images are converted to JPEG (scaled to
// at most 768 px) when the tool was built with QtGui. `path` is a file or a folder (its images
// in name order).
Loaded<QList<QByteArray>> loadFrames(const QString &path);
bool isJpeg(const QByteArray &bytes);

} // namespace dispatch::caller
