#pragma once

// Private to CallRecorder: what it keeps per call and the value helpers its parts share
// (callrecorder.cpp: the media; callrecorderrows.cpp: the database rows).
#include "storage/callrecorder.h"
#include "storage/callseal.h"
#include "storage/wavwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>

namespace dispatch {

namespace callrecording {

inline constexpr qint64 BytesPerMs = 16000 * 2 / 1000; // 16 kHz s16le mono
// Ring-time transcript segments kept for a call after its end (its audio is at most 30 s).
inline constexpr qsizetype MaxLateSegments = 200;

inline QVariant ms(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
}

inline QVariant optional(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

inline QVariant text(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

inline QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// One segment of late_transcript_json, as CallHistory reads it back.
inline QJsonObject lateSegmentJson(const QDateTime &at, const QString &speaker, const QString &text)
{
    return {{QStringLiteral("at"), at.toMSecsSinceEpoch()},
            {QStringLiteral("speaker"), speaker},
            {QStringLiteral("text"), text}};
}

} // namespace callrecording

struct CallRecorder::Track
{
    explicit Track(QString trackName)
        : name(std::move(trackName))
    {}

    QString name;
    // Created here, then written, synced and closed only by storage jobs.
    std::shared_ptr<WavWriter> wav;
    QList<recordingfiles::AudioPiece> pending; // not yet handed to the storage thread
    qint64 pendingBytes = 0;                   // audio in `pending`
    qint64 queuedBytes = 0;  // the track's length as this thread has sent it (silence included)
    qint64 writtenBytes = 0; // on disk, as the last finished job said
    bool rowCreated = false;
    bool closed = false;
    qint64 rowBytes = -1; // data bytes the database row says
    qint64 lostBytes = 0;
};

struct CallRecorder::Recording
{
    qint64 key = 0;
    QString callId;
    QString mediaDir; // relative to the data dir
    QDateTime ringAt;
    qint64 ringMonotonicMs = 0; // the ring on the monotonic clock
    Track caller{CallRecorder::callerTrack()};
    Track talkBack{CallRecorder::talkBackTrack()};
    qint64 lastFrameBucket = -1;
    bool dirty = false;
    bool ended = false;
    QString lastAiReport; // JSON of the latest AI assessment, kept beside an override
    // An unanswered call's ring-time transcript, recognized after its end (late_transcript_json).
    QJsonArray lateTranscript;
    RowDigest transcriptDigest; // of the rows queued, for the call's seal
    RowDigest triageDigest;
};

} // namespace dispatch
