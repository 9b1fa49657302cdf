#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace dispatch {

class WavWriter;

// The disk operations of a call's recording, run by storage jobs on the StorageThread (the
// CallRecorder decides what to record and when; these only touch files and report back).
namespace recordingfiles {

// A call's directory name from its id: call ids come from phones, so only the protocol's
// characters are kept, and a leading key (added by the caller) makes "." or ".." harmless.
QString safeName(const QString &callId);

// A run of a track's audio: silence first (talk-back alignment), then samples.
struct AudioPiece
{
    qint64 silenceBytes = 0;
    QByteArray pcm;
};

// One track's audio handed over in one job.
struct TrackWrite
{
    QString callId;
    QString track;
    std::shared_ptr<WavWriter> wav;
    QList<AudioPiece> pieces;
    qint64 bytes = 0; // audio in `pieces`
};

// What a job did to one track.
struct TrackResult
{
    QString callId;
    QString track;
    qint64 dataBytes = 0; // the file's data bytes after the job; -1 when it could not be created
    qint64 lostBytes = 0; // not written by this job
    QString error;        // empty: every write succeeded
};

// Creates the file if needed (and its directory), appends the pieces, then refreshes the
// header (fdatasync too when syncData) or closes the file.
TrackResult writeTrack(const TrackWrite &w, const QString &dataDir, bool syncData, bool close);

// Writes a camera frame under a temporary name and renames it: a crash never leaves half a
// JPEG under the real name. Empty on success, else why not.
QString writeFrame(const QString &dataDir, const QString &relDir, const QString &relPath,
                   const QByteArray &jpeg);

// The {track, path, bytes, sha256} of each closed recording, read back from disk: what is
// sealed is exactly what a later reader gets. Files that cannot be read are logged and left out.
QJsonArray sealFiles(const QString &dataDir, const QStringList &relPaths);

} // namespace recordingfiles
} // namespace dispatch
