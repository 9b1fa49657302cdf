#pragma once

#include "calls/callstore.h"
#include "common/clock.h"
#include "common/monotonicclock.h"
#include "storage/callhistory.h"
#include "storage/recordingfiles.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace dispatch {

class BatchWriter;
class WavWriter;

struct CallRecorderConfig
{
    QString dataDir;
    int framePeriodMs = 1000;           // keep at most one camera frame per period
    int audioSyncIntervalMs = 5000;     // fdatasync recordings this often (power loss); 0: never
    int talkBackAlignToleranceMs = 200; // a talk-back gap longer than this is filled with silence
    qint64 maxSilenceFillMs = 10 * 60 * 1000;
    // Recording bytes (audio, frames) waiting for the storage thread beyond which new media is
    // shed and counted as lost: a disk slower than the calls must not eat the memory.
    qint64 maxQueuedBytes = 64LL * 1024 * 1024;
    // Times the periods above and the offsets into a recording (talk-back alignment, frame
    // names); empty: steadyClock(). Rows keep wall-clock timestamps.
    MonotonicClock monotonic;
    // The engine node whose calls these are (calls.node; empty: NULL, a console on its own).
    QString node;
};

// Follows the CallStore and writes every call to the database and the recordings directory:
// the call row, timeline, triage history (dispatcher overrides beside the AI values they
// replaced), final transcript segments, vitals, the location track, camera frames (1 a second)
// and two mono WAV tracks, the caller's audio from ring to end and the dispatcher's talk-back.
//
// The disk work runs on the storage thread (the writer's StorageThread): each track's audio is
// gathered here and handed over once a flush (<= 250 ms), with the header refreshed, and
// fdatasync'd every audioSyncIntervalMs; camera frames, closing and sealing are storage jobs
// too. A killed console loses at most the last flush interval of audio, plus what a slow disk
// had not yet written. The database rows go through the BatchWriter. Ringing audio is recorded
// as it arrives, so the backlog handed over at answer is not written again (only when this
// recorder joined a call late and has none of its audio).
class CallRecorder : public QObject
{
    Q_OBJECT

public:
    struct Stats
    {
        quint64 audioBytes = 0;     // caller audio written
        quint64 talkBackBytes = 0;  // talk-back written (without silence fill)
        quint64 lostAudioBytes = 0; // not written because a write failed
        quint64 framesKept = 0;
        quint64 framesSkipped = 0; // more than one in a period
        quint64 writeFailures = 0;
    };

    // nextKey: a free calls.id for each new call, at once (never waiting on the database; see
    // CallKeys).
    using KeySource = std::function<qint64()>;
    CallRecorder(CallStore &store, BatchWriter &writer, CallRecorderConfig config, Clock clock,
                 KeySource nextKey, QObject *parent = nullptr);
    ~CallRecorder() override;

    // A call restored into the store from this database at start (an open follow-up, see
    // followuprestore.h): it has its row, so what changes later updates that row.
    void adoptEnded(const StoredCall &stored);
    // The database key of a call this recorder follows (0 when unknown).
    qint64 keyOf(const QString &callId) const;
    const Stats &stats() const { return m_stats; }
    bool isMediaFailing() const { return m_mediaFailing; }

    static QString callerTrack() { return QStringLiteral("caller"); }
    static QString talkBackTrack() { return QStringLiteral("talkback"); }

Q_SIGNALS:
    void mediaWriteFailed(const QString &error);
    void mediaWriteRecovered();
    // A call ended and its records are final: the digests of its recordings, transcript and
    // triage history (see callseal.h), for the audit trail to seal.
    void callSealed(const QString &callId, const QJsonObject &seal);

private:
    struct Track;
    struct Recording;

    Recording *recording(const QString &callId);
    Recording *liveRecording(const QString &callId);
    void onTimeline(const QString &callId, const CallEvent &event);
    void onAnswered(const QString &callId, const MediaBacklog &backlog);
    void onEnded(const QString &callId);
    void seal(const Recording &rec);
    void onLocation(const QString &callId, const GeoLocation &location);
    void onAudio(const QString &callId, const QByteArray &pcm);
    void onTalkBack(const QString &callId, const QByteArray &pcm);
    void onFrame(const QString &callId, const QByteArray &jpeg);
    void onVitals(const QString &callId, const VitalsSample &vitals);
    void onTranscript(const QString &callId, const TranscriptSegment &segment);
    void onTriage(const QString &callId, const TriageReport &report);

    void ensureTrack(Recording &rec, Track &track);
    void appendPiece(Recording &rec, Track &track, qint64 silenceBytes, const QByteArray &pcm);
    void appendAudio(Recording &rec, Track &track, const QByteArray &pcm);
    recordingfiles::TrackWrite takePending(const Recording &rec, Track &track);
    void postWrites(QList<recordingfiles::TrackWrite> writes, bool syncData, bool close);
    void applyTrackResult(const recordingfiles::TrackResult &result);
    void closeTracks(Recording &rec, bool sealAfter);
    void writeCallRow(const Recording &rec);
    void writeTrackRow(const Recording &rec, Track &track, bool finalized);
    void beforeFlush();
    void noteMediaResult(bool ok, const QString &error);
    // Milliseconds since the call rang, on the monotonic clock.
    qint64 sinceRingMs(const Recording &rec) const;

    CallStore &m_store;
    BatchWriter &m_writer;
    CallRecorderConfig m_config;
    Clock m_clock;
    KeySource m_nextKey;
    std::map<QString, std::unique_ptr<Recording>> m_recordings;
    Stats m_stats;
    bool m_mediaFailing = false;
    std::optional<qint64> m_lastDataSyncMs; // monotonic
};

} // namespace dispatch
