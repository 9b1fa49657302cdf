#include "storage/recordingfiles.h"
#include "storage/callseal.h"
#include "storage/storagelog.h"
#include "storage/wavwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

namespace dispatch::recordingfiles {

QString safeName(const QString &callId)
{
    QString out;
    for (const QChar c : callId.left(100)) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('.') ||
                        c == QLatin1Char('-') || c == QLatin1Char('_');
        out += ok ? c : QLatin1Char('_');
    }
    return out;
}

TrackResult writeTrack(const TrackWrite &w, const QString &dataDir, bool syncData, bool close)
{
    TrackResult r{w.callId, w.track, 0, 0, QString()};
    WavWriter &wav = *w.wav;
    QString error;
    if (!wav.isOpen()) {
        const QFileInfo file(wav.path());
        if (!QDir(dataDir).mkpath(file.absolutePath()) || !wav.open(&error)) {
            r.lostBytes = w.bytes;
            r.error = QStringLiteral("cannot create %1: %2").arg(file.fileName(), error);
            r.dataBytes = -1;
            return r;
        }
    }
    for (const AudioPiece &p : w.pieces) {
        if (p.silenceBytes > 0)
            wav.appendSilence(p.silenceBytes);
        if (!p.pcm.isEmpty() && !wav.append(p.pcm)) {
            r.lostBytes += p.pcm.size();
            r.error = wav.errorString();
        }
    }
    if (close) {
        if (!wav.close())
            r.error = wav.errorString();
    } else {
        wav.syncHeader();
        if (syncData)
            wav.syncData();
    }
    r.dataBytes = wav.dataBytes();
    return r;
}

QString writeFrame(const QString &dataDir, const QString &relDir, const QString &relPath,
                   const QByteArray &jpeg)
{
    // No fsync (QSaveFile would do one per frame): like the audio, frames only need to survive
    // the process, and the kernel writes them back within seconds.
    const QDir data(dataDir);
    const QString path = data.filePath(relPath);
    const QString part = path + QStringLiteral(".part");
    QFile file(part);
    bool ok = data.mkpath(relDir) &&
              file.open(QIODevice::WriteOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner) &&
              file.write(jpeg) == jpeg.size() && file.flush();
    QString error = file.errorString();
    file.close();
    if (ok && !QFile::rename(part, path)) {
        ok = false;
        error = QStringLiteral("cannot rename %1").arg(part);
    }
    if (ok)
        return QString();
    QFile::remove(part);
    return error.isEmpty() ? QStringLiteral("cannot write %1").arg(relPath) : error;
}

QJsonArray sealFiles(const QString &dataDir, const QStringList &relPaths)
{
    QJsonArray recordings;
    const QDir data(dataDir);
    for (const QString &relPath : relPaths) {
        qint64 bytes = 0;
        QString error;
        const QString sha256 = fileSha256(data.filePath(relPath), &bytes, &error);
        if (sha256.isEmpty()) {
            qCWarning(lcStorage) << "cannot seal recording" << relPath << ":" << error;
            continue;
        }
        recordings.append(QJsonObject{{QStringLiteral("track"), QFileInfo(relPath).baseName()},
                                      {QStringLiteral("path"), relPath},
                                      {QStringLiteral("bytes"), bytes},
                                      {QStringLiteral("sha256"), sha256}});
    }
    return recordings;
}

} // namespace dispatch::recordingfiles
