#include "storage/callrecorder.h"
#include "storage/batchwriter.h"
#include "storage/callrecording_p.h"
#include "storage/callseal.h"
#include "storage/recordingfiles.h"
#include "storage/storagelog.h"
#include "storage/storagethread.h"
#include "storage/wavwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace dispatch {

using recordingfiles::TrackResult;
using recordingfiles::TrackWrite;
using namespace callrecording;

CallRecorder::CallRecorder(CallStore &store, BatchWriter &writer, CallRecorderConfig config,
                           Clock clock, KeySource nextKey, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_writer(writer)
    , m_config(std::move(config))
    , m_clock(std::move(clock))
    , m_nextKey(std::move(nextKey))
{
    if (!m_config.monotonic)
        m_config.monotonic = steadyClock();
    m_writer.setBeforeFlush([this] { beforeFlush(); });
    connect(&store, &CallStore::timelineAppended, this, &CallRecorder::onTimeline);
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) { recording(id); });
    connect(&store, &CallStore::callStateChanged, this, [this](const QString &id) {
        if (Recording *rec = liveRecording(id)) {
            rec->dirty = true;
            m_writer.requestFlush();
        }
    });
    connect(&store, &CallStore::callAnswered, this, &CallRecorder::onAnswered);
    connect(&store, &CallStore::callEnded, this, &CallRecorder::onEnded);
    connect(&store, &CallStore::callRemoved, this,
            [this](const QString &id) { m_recordings.erase(id); });
    connect(&store, &CallStore::locationUpdated, this, &CallRecorder::onLocation);
    connect(&store, &CallStore::audioReceived, this, &CallRecorder::onAudio);
    connect(&store, &CallStore::talkBackRequested, this, &CallRecorder::onTalkBack);
    connect(&store, &CallStore::frameReceived, this, &CallRecorder::onFrame);
    connect(&store, &CallStore::vitalsUpdated, this, &CallRecorder::onVitals);
    connect(&store, &CallStore::transcriptUpdated, this, &CallRecorder::onTranscript);
    connect(&store, &CallStore::triageUpdated, this, &CallRecorder::onTriage);
}

CallRecorder::~CallRecorder()
{
    for (auto &[id, rec] : m_recordings) {
        if (!rec->ended)
            closeTracks(*rec, false);
    }
    m_writer.flush(); // runs the close jobs and writes their rows
    m_writer.setBeforeFlush({});
}

qint64 CallRecorder::keyOf(const QString &callId) const
{
    const auto it = m_recordings.find(callId);
    return it == m_recordings.end() ? 0 : it->second->key;
}

void CallRecorder::writeTrackRow(const Recording &rec, Track &track, bool finalized)
{
    if (!track.rowCreated || !track.wav)
        return;
    m_writer.enqueue(QStringLiteral("UPDATE recordings SET bytes = ?, duration_ms = ?, "
                                    "lost_bytes = ?, finalized = ? WHERE call = ? AND track = ?"),
                     {track.writtenBytes, track.writtenBytes / BytesPerMs, track.lostBytes,
                      finalized ? 1 : 0, rec.key, track.name});
    track.rowBytes = track.writtenBytes;
}

void CallRecorder::beforeFlush()
{
    const qint64 nowMs = m_config.monotonic();
    const bool syncData =
        m_config.audioSyncIntervalMs > 0 &&
        (!m_lastDataSyncMs || nowMs - *m_lastDataSyncMs >= m_config.audioSyncIntervalMs);
    if (syncData)
        m_lastDataSyncMs = nowMs;
    QList<TrackWrite> writes;
    for (auto &[id, rec] : m_recordings) {
        if (rec->ended)
            continue;
        if (rec->dirty) {
            writeCallRow(*rec);
            rec->dirty = false;
        }
        for (Track *t : {&rec->caller, &rec->talkBack}) {
            if (!t->wav || t->closed)
                continue;
            // The header follows the data every flush: even an unrepaired file left by a crash
            // plays up to the last flush.
            writes.append(takePending(*rec, *t));
            if (t->writtenBytes != t->rowBytes)
                writeTrackRow(*rec, *t, false);
        }
    }
    if (!writes.isEmpty())
        postWrites(std::move(writes), syncData, false);
}

TrackWrite CallRecorder::takePending(const Recording &rec, Track &track)
{
    TrackWrite w{rec.callId, track.name, track.wav, {}, 0};
    w.pieces.swap(track.pending);
    w.bytes = track.pendingBytes;
    track.pendingBytes = 0;
    return w;
}

void CallRecorder::postWrites(QList<TrackWrite> writes, bool syncData, bool close)
{
    qint64 bytes = 0;
    for (const TrackWrite &w : writes)
        bytes += w.bytes;
    StorageThread &jobs = m_writer.jobs();
    if (bytes > 0 && !close && jobs.pendingBytes() + bytes > m_config.maxQueuedBytes) {
        // The disk has fallen this far behind: shed the audio (counted) rather than let the
        // queue eat the memory the calls need. A closing track is always written.
        for (const TrackWrite &w : writes) {
            if (w.bytes > 0)
                applyTrackResult({w.callId, w.track, -1, w.bytes,
                                  QStringLiteral("the disk is too slow: %1 MiB of recordings "
                                                 "waiting")
                                      .arg(jobs.pendingBytes() >> 20)});
        }
        return;
    }
    const QString dataDir = m_config.dataDir;
    jobs.post(
        this,
        [writes = std::move(writes), syncData, close, dataDir, this]() {
            QList<TrackResult> results;
            for (const TrackWrite &w : writes)
                results.append(recordingfiles::writeTrack(w, dataDir, syncData, close));
            return StorageThread::Completion([this, results] {
                for (const TrackResult &r : results)
                    applyTrackResult(r);
            });
        },
        bytes);
}

void CallRecorder::applyTrackResult(const TrackResult &r)
{
    Recording *rec = nullptr;
    if (const auto it = m_recordings.find(r.callId); it != m_recordings.end())
        rec = it->second.get();
    if (rec) {
        Track &t = r.track == rec->caller.name ? rec->caller : rec->talkBack;
        if (r.dataBytes >= 0)
            t.writtenBytes = r.dataBytes;
        t.lostBytes += r.lostBytes;
        if (rec->ended && t.closed)
            writeTrackRow(*rec, t, true);
    }
    m_stats.lostAudioBytes += r.lostBytes;
    noteMediaResult(r.error.isEmpty(), r.error);
    m_writer.requestFlush();
}

void CallRecorder::closeTracks(Recording &rec, bool sealAfter)
{
    QList<TrackWrite> writes;
    for (Track *t : {&rec.caller, &rec.talkBack}) {
        if (!t->wav || t->closed)
            continue;
        writes.append(takePending(rec, *t));
        t->closed = true;
    }
    if (!writes.isEmpty())
        postWrites(std::move(writes), false, true);
    if (sealAfter)
        seal(rec);
}

void CallRecorder::noteMediaResult(bool ok, const QString &error)
{
    if (ok) {
        if (m_mediaFailing) {
            m_mediaFailing = false;
            qCInfo(lcStorage) << "recording writes recovered";
            Q_EMIT mediaWriteRecovered();
        }
        return;
    }
    ++m_stats.writeFailures;
    if (!m_mediaFailing) {
        m_mediaFailing = true;
        qCCritical(lcStorage) << "recording write failed:" << error;
        Q_EMIT mediaWriteFailed(error);
    }
}

void CallRecorder::ensureTrack(Recording &rec, Track &track)
{
    if (track.wav)
        return;
    const QString relPath = rec.mediaDir + QLatin1Char('/') + track.name + QStringLiteral(".wav");
    m_writer.enqueue(QStringLiteral("INSERT INTO recordings (call, track, path, started_at, "
                                    "sample_rate) VALUES (?, ?, ?, ?, 16000) "
                                    "ON CONFLICT (call, track) DO NOTHING"),
                     {rec.key, track.name, relPath, ms(rec.ringAt)});
    track.rowCreated = true;
    // Every file on disk is known to the database: the row's commit job is posted before any
    // job that writes the file (the track has no writer during this commitSoon, so its flush
    // hook posts nothing for it). The file is created by the first job that writes it, and
    // retried by every later one while it cannot be.
    m_writer.commitSoon();
    track.wav = std::make_shared<WavWriter>(QDir(m_config.dataDir).filePath(relPath));
}

void CallRecorder::appendPiece(Recording &rec, Track &track, qint64 silenceBytes,
                               const QByteArray &pcm)
{
    ensureTrack(rec, track);
    // Batched: the storage thread gets each track's audio once a flush (<= 250 ms), one write
    // instead of one per 20 ms chunk.
    if (silenceBytes == 0 && !track.pending.isEmpty())
        track.pending.last().pcm.append(pcm);
    else
        track.pending.append({silenceBytes, pcm});
    track.pendingBytes += pcm.size();
    track.queuedBytes += silenceBytes + pcm.size();
    m_writer.requestFlush();
}

void CallRecorder::appendAudio(Recording &rec, Track &track, const QByteArray &pcm)
{
    appendPiece(rec, track, 0, pcm);
}

void CallRecorder::onAnswered(const QString &callId, const MediaBacklog &backlog)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    const bool haveRingingAudio = rec->caller.wav != nullptr;
    if (haveRingingAudio || backlog.audio().isEmpty()) {
        // Already written chunk by chunk while the call rang (and from ring, not only the last
        // 30 s the backlog keeps): writing it again would double the start of the call.
        qCDebug(lcStorage) << "call" << callId << "answered; backlog of" << backlog.audioBytes()
                           << "bytes already recorded";
        return;
    }
    qCInfo(lcStorage) << "call" << callId << "joined late: recording" << backlog.audioBytes()
                      << "bytes of ringing audio from the backlog";
    for (const QByteArray &pcm : backlog.audio()) {
        appendAudio(*rec, rec->caller, pcm);
        m_stats.audioBytes += pcm.size();
    }
}

void CallRecorder::onEnded(const QString &callId)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    writeCallRow(*rec);
    rec->ended = true;
    rec->dirty = false;
    closeTracks(*rec, true);
    m_writer.commitSoon();
}

void CallRecorder::seal(const Recording &rec)
{
    // Read back from disk on the storage thread, after the close job: what is sealed is
    // exactly what a later reader gets. (A long call's file is read once: about a second per
    // hour of audio, which no longer stalls the calls.)
    QStringList relPaths;
    for (const Track *t : {&rec.caller, &rec.talkBack}) {
        if (t->wav)
            relPaths.append(rec.mediaDir + QLatin1Char('/') + t->name + QStringLiteral(".wav"));
    }
    const QJsonObject digests{{QStringLiteral("call_key"), rec.key},
                              {QStringLiteral("transcript"), rec.transcriptDigest.toJson()},
                              {QStringLiteral("triage"), rec.triageDigest.toJson()}};
    const QString dataDir = m_config.dataDir;
    const QString callId = rec.callId;
    m_writer.jobs().post(this, [this, relPaths, seal = digests, dataDir, callId]() mutable {
        seal.insert(QStringLiteral("recordings"), recordingfiles::sealFiles(dataDir, relPaths));
        return StorageThread::Completion([this, callId, seal] {
            if (const auto it = m_recordings.find(callId); it != m_recordings.end()) {
                const Recording &r = *it->second;
                qCInfo(lcStorage) << "call" << callId << "recorded:" << r.caller.writtenBytes
                                  << "bytes caller audio," << r.talkBack.writtenBytes
                                  << "bytes talk-back," << r.caller.lostBytes + r.talkBack.lostBytes
                                  << "bytes lost";
            }
            Q_EMIT callSealed(callId, seal);
        });
    });
}

void CallRecorder::onAudio(const QString &callId, const QByteArray &pcm)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    appendAudio(*rec, rec->caller, pcm);
    m_stats.audioBytes += pcm.size();
}

qint64 CallRecorder::sinceRingMs(const Recording &rec) const
{
    return m_config.monotonic() - rec.ringMonotonicMs;
}

void CallRecorder::onTalkBack(const QString &callId, const QByteArray &pcm)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    // Talk-back comes in bursts; silence between bursts keeps this track aligned with the
    // caller's (both start at ring) so the two play together.
    const qint64 expected = sinceRingMs(*rec) * BytesPerMs;
    const qint64 gap = expected - rec->talkBack.queuedBytes;
    const qint64 silence = gap > m_config.talkBackAlignToleranceMs * BytesPerMs
                               ? qMin(gap, m_config.maxSilenceFillMs * BytesPerMs)
                               : 0;
    appendPiece(*rec, rec->talkBack, silence - silence % 2, pcm);
    m_stats.talkBackBytes += pcm.size();
}

void CallRecorder::onFrame(const QString &callId, const QByteArray &jpeg)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    const qint64 offsetMs = qMax<qint64>(0, sinceRingMs(*rec));
    const qint64 bucket = offsetMs / qMax(1, m_config.framePeriodMs);
    if (bucket == rec->lastFrameBucket) {
        ++m_stats.framesSkipped;
        return;
    }
    const QString dir = rec->mediaDir + QStringLiteral("/frames");
    const QString relPath = dir + QStringLiteral("/%1.jpg").arg(offsetMs, 9, 10, QLatin1Char('0'));
    rec->lastFrameBucket = bucket;
    StorageThread &jobs = m_writer.jobs();
    if (jobs.pendingBytes() + jpeg.size() > m_config.maxQueuedBytes) {
        ++m_stats.framesSkipped;
        return;
    }
    const QString dataDir = m_config.dataDir;
    const qint64 key = rec->key;
    const QDateTime at = m_clock();
    jobs.post(
        this,
        [this, dataDir, dir, relPath, jpeg, key, at]() {
            const QString error = recordingfiles::writeFrame(dataDir, dir, relPath, jpeg);
            return StorageThread::Completion([this, error, key, at, relPath, bytes = jpeg.size()] {
                noteMediaResult(error.isEmpty(), error);
                if (!error.isEmpty())
                    return;
                ++m_stats.framesKept;
                m_writer.enqueue(
                    QStringLiteral(
                        "INSERT INTO frames (call, at, path, bytes) VALUES (?, ?, ?, ?)"),
                    {key, ms(at), relPath, bytes}, BatchWriter::Priority::Droppable);
            });
        },
        jpeg.size());
}

} // namespace dispatch
