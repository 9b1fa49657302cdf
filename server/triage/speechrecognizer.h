#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace dispatch {

class DecoderPool;

enum class RecognitionMode
{
    Starting,        // the decoder is loading; audio is queued
    FullTranscript,  // language-model recognition: every word
    KeywordSpotting, // degraded: only the rules' keyphrases are heard
    Failed           // no recognition (model missing); audio is discarded
};

QString toString(RecognitionMode mode);

struct SpeechRecognizerConfig
{
    qint64 maxQueuedMs = 30000;     // bounded queue: audio beyond it is dropped and counted
    qint64 degradeBacklogMs = 4000; // backlog at which a decoder that is not keeping up degrades
    double degradeRtf = 0.9;        // ... "not keeping up": recent processing / audio time
    qint64 hardBacklogMs = 12000;   // backlog at which it degrades whatever the measured speed
    qint64 recoverAfterMs = 20000;  // audio time in keyword spotting before full is tried again
    qint64 partialIntervalMs = 400; // how often a partial hypothesis is taken while speaking
    // The worker wakes when this much audio is queued (or finish() was called) and decodes it
    // in one go: fewer wake-ups and decoder calls per second, at most this much added latency.
    qint64 batchMs = 100;
    // false for offline feeding (an evaluator pushing a file): the backlog is the feeder's
    // doing, so it never triggers degradation.
    bool realtime = true;
    bool forceKeywordSpotting = false;
    // speexdsp noise suppression on every 20 ms frame before the decoder (when built with
    // speexdsp); suppressDb is the most a noise band is attenuated.
    bool noiseSuppression = true;
    int noiseSuppressDb = -25;
    // A final utterance whose posterior per frame is below this is low confidence.
    double minLogPosteriorPerFrame = -0.03;
    // Hypotheses taken from pocketsphinx's N-best list of each final utterance (full
    // recognition): the best one plus up to nbest - 1 distinct alternatives, which the rules
    // read for critical findings only (docs/TRIAGE.md "Issue 17, third slice"). 1: no N-best,
    // the default: on the non-blind sets 5 found no critical call more and cost precision.
    int nbest = 1;
    // Bound on the A* search behind the N-best list: hypotheses looked at (duplicates that
    // differ only in timing or fillers count) before giving up on finding more.
    int nbestMaxSteps = 40;
    // Nice value of the worker thread (Linux): decoding is background work, and at equal
    // priority a few busy decoders starve the server thread that relays every call's audio.
    int workerNice = 10;
    // Real time only: at finish(), queued audio beyond this (the oldest) is dropped and
    // counted. A decoder that fell behind would otherwise hold its memory and thread long after
    // the call, and under overload those draining decoders piled up without bound.
    qint64 maxDrainMs = 5000;
};

struct RecognizedSegment
{
    QString text;
    bool final = false;
    qint64 startMs = 0; // audio time of the utterance start
    qint64 endMs = 0;   // audio time processed when the hypothesis was taken
    RecognitionMode mode = RecognitionMode::FullTranscript;
    // Final full-recognition segments: the hypothesis' posterior probability per 10 ms frame
    // (natural log; 0 = certain) and whether it is below the configured floor. Noise and
    // misrecognition give very low values (docs/TRIAGE.md).
    double logPosteriorPerFrame = 0;
    bool lowConfidence = false;
    // Final full-recognition segments: other hypotheses of the same utterance from the N-best
    // list, most likely first, each different from `text` and from each other.
    QStringList alternatives = {};
};

struct RecognizerStats
{
    qint64 audioMs = 0;     // received
    qint64 processedMs = 0; // decoded
    qint64 droppedMs = 0;   // refused by the full queue
    double busySeconds = 0; // wall time inside the decoder
    double cpuSeconds = 0;  // CPU time of the worker thread
    RecognitionMode mode = RecognitionMode::Starting;
    int modeSwitches = 0;

    double realTimeFactor() const { return processedMs > 0 ? busySeconds * 1000 / processedMs : 0; }
    double cpuRealTimeFactor() const
    {
        return processedMs > 0 ? cpuSeconds * 1000 / processedMs : 0;
    }
};

// Streaming pocketsphinx recognition of one call on its own worker thread. Fed 16 kHz s16le
// PCM through a bounded queue; produces partial and final segments (utterances end where
// pocketsphinx's voice activity detection says speech stopped). It measures its own speed and,
// when it cannot keep up or the pool's budget of full decoders is used up, switches to keyword
// spotting and says so (modeChanged) instead of silently falling behind.
class SpeechRecognizer : public QObject
{
    Q_OBJECT

public:
    SpeechRecognizer(std::shared_ptr<DecoderPool> pool, SpeechRecognizerConfig config,
                     QObject *parent = nullptr);
    ~SpeechRecognizer() override;

    void start();
    void addAudio(const QByteArray &pcm16k);
    // Audio recorded before the call was answered (the ring-time backlog), handed over at once.
    // It is decoded with full recognition faster than real time: while the recognizer catches
    // up through it, the backlog it creates is expected and does not count as falling behind
    // (it degrades only if its measured speed says it would never catch up). It is not bounded
    // by maxQueuedMs (the console bounds the backlog itself) and is not dropped at finish().
    void addBacklogAudio(const QByteArray &pcm16k);
    // No more audio: drains the queue, emits the last final segment, then finished().
    void finish();

    qint64 queuedMs() const { return m_queuedBytes.load() / 32; }
    qint64 processedMs() const { return m_processedSamples.load() / 16; }
    RecognitionMode mode() const { return m_mode.load(); }
    RecognizerStats stats() const;

Q_SIGNALS:
    void segmentRecognized(const dispatch::RecognizedSegment &segment);
    void speechStarted(qint64 audioMs);
    // Every ~500 ms of decoded audio: where decoding is and whether the caller is speaking.
    void progressed(qint64 processedMs, bool inSpeech);
    void modeChanged(dispatch::RecognitionMode mode, const QString &reason);
    void finished(const dispatch::RecognizerStats &stats);

private:
    void run();
    void post(std::function<void()> f);

    std::shared_ptr<DecoderPool> m_pool;
    SpeechRecognizerConfig m_config;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<QByteArray> m_queue;
    bool m_finishing = false;
    bool m_stopping = false;
    std::atomic<qint64> m_queuedBytes{0};
    qint64 m_backlogBytes = 0; // ring-time audio handed over (guarded by m_mutex)
    // Ring-time audio not yet decoded; while > 0 or until the queue is short again the
    // recognizer is catching up (guarded by m_mutex).
    qint64 m_catchUpBytes = 0;
    std::atomic<bool> m_catchingUp{false};
    std::atomic<qint64> m_processedSamples{0};
    std::atomic<RecognitionMode> m_mode{RecognitionMode::Starting};
    qint64 m_receivedBytes = 0;
    qint64 m_droppedBytes = 0;
    RecognizerStats m_workerStats; // guarded by m_mutex
};

} // namespace dispatch
