#include "triage/speechrecognizer.h"

#include "common/threadpriority.h"
#include "triage/decoderpool.h"
#include "triage/noisesuppressor.h"

#include <pocketsphinx.h>

#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

namespace dispatch {

namespace {

constexpr qint64 BytesPerMs = 32; // 16 kHz x 2 bytes
constexpr qint64 ProgressEveryMs = 500;
constexpr qint64 RateWindowMs = 2000;
constexpr qint64 RecoverMaxBacklogMs = 500;

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double now()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Keyword spotting hypotheses as "first, second, ..." in the order they were heard.
QString keywordHypothesis(ps_decoder_t *ps)
{
    std::vector<std::pair<int, QString>> hits;
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        int start = 0;
        int end = 0;
        ps_seg_frames(seg, &start, &end);
        if (const char *w = ps_seg_word(seg))
            hits.emplace_back(start, QString::fromUtf8(w).trimmed());
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList words;
    for (const auto &h : hits)
        if (!h.second.isEmpty() && (words.isEmpty() || words.constLast() != h.second))
            words.append(h.second);
    return words.join(QStringLiteral(", "));
}

// Up to maxAlternatives distinct hypotheses from the N-best list, other than `best`. Filler
// and sentence markers ("<sil>", "[noise]") are dropped; the A* search is bounded by maxSteps.
QStringList alternatives(ps_decoder_t *ps, const QString &best, int maxAlternatives, int maxSteps)
{
    QStringList out;
    if (maxAlternatives <= 0 || maxSteps <= 0)
        return out;
    ps_nbest_t *nb = ps_nbest(ps);
    for (int step = 0; nb && step < maxSteps && out.size() < maxAlternatives; ++step) {
        int32 score = 0;
        const char *hyp = ps_nbest_hyp(nb, &score);
        QStringList words;
        if (hyp) {
            for (const QString &w : QString::fromUtf8(hyp).split(u' ', Qt::SkipEmptyParts))
                if (!w.startsWith(u'<') && !w.startsWith(u'[') && !w.startsWith(u'+'))
                    words.append(w);
        }
        const QString text = words.join(u' ');
        if (!text.isEmpty() && text != best && !out.contains(text))
            out.append(text);
        nb = ps_nbest_next(nb);
    }
    if (nb)
        ps_nbest_free(nb);
    return out;
}

QString hypothesis(ps_decoder_t *ps, RecognitionMode mode)
{
    if (mode == RecognitionMode::KeywordSpotting)
        return keywordHypothesis(ps);
    int32 score = 0;
    const char *hyp = ps_get_hyp(ps, &score);
    return hyp ? QString::fromUtf8(hyp).trimmed() : QString();
}

} // namespace

QString toString(RecognitionMode mode)
{
    switch (mode) {
    case RecognitionMode::Starting:
        return QStringLiteral("starting");
    case RecognitionMode::FullTranscript:
        return QStringLiteral("full");
    case RecognitionMode::KeywordSpotting:
        return QStringLiteral("keywords");
    case RecognitionMode::Failed:
        break;
    }
    return QStringLiteral("failed");
}

SpeechRecognizer::SpeechRecognizer(std::shared_ptr<DecoderPool> pool, SpeechRecognizerConfig config,
                                   QObject *parent)
    : QObject(parent)
    , m_pool(std::move(pool))
    , m_config(config)
{}

SpeechRecognizer::~SpeechRecognizer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void SpeechRecognizer::start()
{
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
}

void SpeechRecognizer::addAudio(const QByteArray &pcm16k)
{
    if (pcm16k.isEmpty())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_receivedBytes += pcm16k.size();
        if (m_finishing || m_mode.load() == RecognitionMode::Failed ||
            m_queuedBytes.load() + pcm16k.size() >
                m_config.maxQueuedMs * BytesPerMs + m_backlogBytes) {
            if (!m_finishing && m_mode.load() != RecognitionMode::Failed) {
                if (m_droppedBytes == 0)
                    qCWarning(lcTriageLocal) << "recognizer queue full: dropping audio";
                m_droppedBytes += pcm16k.size();
            }
            return;
        }
        m_queue.push_back(pcm16k);
        m_queuedBytes += pcm16k.size();
        if (m_queuedBytes.load() < m_config.batchMs * BytesPerMs)
            return; // the worker sleeps until a batch is ready
    }
    m_wake.notify_one();
}

void SpeechRecognizer::addBacklogAudio(const QByteArray &pcm16k)
{
    if (pcm16k.isEmpty())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_receivedBytes += pcm16k.size();
        if (m_finishing || m_mode.load() == RecognitionMode::Failed)
            return;
        m_queue.push_back(pcm16k);
        m_queuedBytes += pcm16k.size();
        m_backlogBytes += pcm16k.size();
        m_catchUpBytes += pcm16k.size();
        m_catchingUp = true;
        if (m_queuedBytes.load() < m_config.batchMs * BytesPerMs)
            return;
    }
    m_wake.notify_one();
}

void SpeechRecognizer::finish()
{
    {
        std::lock_guard lock(m_mutex);
        m_finishing = true;
        // Offline feeding (realtime false) queues a whole file and then finishes: all of it.
        // Ring-time audio not yet decoded is kept too: it is what the caller said first.
        const qint64 keep = std::max<qint64>(0, m_config.maxDrainMs) * BytesPerMs + m_catchUpBytes;
        while (m_config.realtime && !m_queue.empty() && m_queuedBytes.load() > keep) {
            m_droppedBytes += m_queue.front().size();
            m_queuedBytes -= m_queue.front().size();
            m_queue.pop_front();
        }
    }
    m_wake.notify_one();
}

RecognizerStats SpeechRecognizer::stats() const
{
    std::lock_guard lock(m_mutex);
    RecognizerStats s = m_workerStats;
    s.audioMs = m_receivedBytes / BytesPerMs;
    s.droppedMs = m_droppedBytes / BytesPerMs;
    s.processedMs = processedMs();
    s.mode = m_mode.load();
    return s;
}

void SpeechRecognizer::post(std::function<void()> f)
{
    QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
}

void SpeechRecognizer::run()
{
    // Live decoding is background work at a lower priority. Catching up through a ring-time
    // backlog is the most urgent work there is (a call was just answered): it runs at normal
    // priority and the thread is lowered once it has caught up (lowering needs no privilege,
    // raising again would).
    bool lowered = false;
    auto lowerPriority = [&] {
        if (lowered)
            return;
        lowered = true;
        // Per-thread on Linux: only this worker is lowered.
        if (!lowerCurrentThreadPriority(m_config.workerNice))
            qCWarning(lcTriageLocal) << "cannot lower the recognizer thread's priority";
    };
    if (!m_catchingUp.load())
        lowerPriority();
    QString error;
    auto stopping = [this] {
        std::lock_guard lock(m_mutex);
        return m_stopping;
    };
    ps_decoder_t *ps = m_pool->acquire(&error, stopping);
    if (!ps && stopping())
        return; // shut down before a decoder was ours: nothing was recognized, nothing to say
    auto setMode = [this](RecognitionMode mode, const QString &reason) {
        m_mode = mode;
        post([this, mode, reason] { Q_EMIT modeChanged(mode, reason); });
    };
    if (!ps) {
        qCWarning(lcTriageLocal) << "speech recognition unavailable:" << error;
        {
            std::lock_guard lock(m_mutex);
            m_queue.clear();
            m_queuedBytes = 0;
        }
        setMode(RecognitionMode::Failed, error);
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_finishing || m_stopping; });
        lock.unlock();
        const RecognizerStats s = stats();
        post([this, s] { Q_EMIT finished(s); });
        return;
    }

    const bool kwsAvailable = m_pool->hasKeywordSearch();
    bool fullSlot = false;
    bool degraded = false; // keyword spotting because of load (may recover)
    RecognitionMode mode = RecognitionMode::FullTranscript;
    QString reason;
    if (m_config.forceKeywordSpotting && kwsAvailable) {
        mode = RecognitionMode::KeywordSpotting;
        reason = QStringLiteral("keyword spotting requested");
    } else if (m_pool->tryTakeFullSlot()) {
        fullSlot = true;
    } else if (kwsAvailable) {
        mode = RecognitionMode::KeywordSpotting;
        degraded = true;
        reason = QStringLiteral("%1 calls already use full recognition, the budget for this "
                                "machine: keyword spotting only")
                     .arg(m_pool->maxFullDecoders());
    }
    ps_set_search(ps, mode == RecognitionMode::KeywordSpotting ? DecoderPool::keywordSearch()
                                                               : DecoderPool::fullSearch());
    setMode(mode, reason);

    double busy = 0;
    double cpuStart = threadCpuSeconds();
    double windowBusy = 0;
    qint64 windowSamples = 0;
    double recentRtf = 0;
    double catchUpBusy = 0;
    qint64 catchUpSamples = 0;
    qint64 samples = 0;
    bool inSpeech = false;
    bool heardSpeech = false;
    qint64 uttStartMs = 0;
    qint64 lastPartialMs = 0;
    qint64 lastProgressMs = 0;
    qint64 degradedAtMs = 0;
    int switches = 0;
    QString lastPartial;
    QByteArray carry;

    auto emitSegment = [&](const QString &text, bool final) {
        if (text.isEmpty())
            return;
        RecognizedSegment seg{text, final, uttStartMs, samples / 16, mode};
        post([this, seg] { Q_EMIT segmentRecognized(seg); });
    };
    auto endUtterance = [&] {
        ps_end_utt(ps);
        const QString text = hypothesis(ps, mode);
        if (!text.isEmpty()) {
            RecognizedSegment seg{text, true, uttStartMs, samples / 16, mode};
            const int frames = ps_get_n_frames(ps);
            if (mode == RecognitionMode::FullTranscript && frames > 0) {
                // Posterior of the best path over the lattice (logmath units -> natural log).
                const double logProb = logmath_log_to_ln(ps_get_logmath(ps), ps_get_prob(ps));
                seg.logPosteriorPerFrame = logProb / frames;
                seg.lowConfidence = seg.logPosteriorPerFrame < m_config.minLogPosteriorPerFrame;
            }
            if (mode == RecognitionMode::FullTranscript)
                seg.alternatives =
                    alternatives(ps, text, m_config.nbest - 1, m_config.nbestMaxSteps);
            post([this, seg] { Q_EMIT segmentRecognized(seg); });
        }
        lastPartial.clear();
    };
    auto switchTo = [&](RecognitionMode next, const QString &why) {
        endUtterance();
        ps_set_search(ps, next == RecognitionMode::KeywordSpotting ? DecoderPool::keywordSearch()
                                                                   : DecoderPool::fullSearch());
        ps_start_utt(ps);
        mode = next;
        ++switches;
        qCInfo(lcTriageLocal) << "recognizer switched to" << toString(next) << "-" << why;
        setMode(next, why);
    };

    std::unique_ptr<NoiseSuppressor> denoiser;
    if (m_config.noiseSuppression && NoiseSuppressor::available())
        denoiser = std::make_unique<NoiseSuppressor>(m_config.noiseSuppressDb);

    ps_start_utt(ps);
    for (;;) {
        QByteArray chunk;
        {
            const qint64 batchBytes = m_config.batchMs * BytesPerMs;
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::milliseconds(2 * m_config.batchMs + 1), [&] {
                return m_stopping || m_finishing || m_queuedBytes.load() >= batchBytes;
            });
            if (m_stopping)
                break;
            if (m_queue.empty()) {
                if (m_finishing)
                    break; // drained
                continue;
            }
            // Take up to one batch (at least one chunk) and decode it in one call.
            while (!m_queue.empty() &&
                   (chunk.isEmpty() || chunk.size() + m_queue.front().size() <= batchBytes)) {
                chunk += m_queue.front();
                m_queuedBytes -= m_queue.front().size();
                m_queue.pop_front();
            }
            m_catchUpBytes = std::max<qint64>(0, m_catchUpBytes - chunk.size());
            // Caught up: the ring-time audio is decoded and the queue is short again.
            if (m_catchingUp.load() && m_catchUpBytes == 0 &&
                m_queuedBytes.load() < m_config.degradeBacklogMs * BytesPerMs)
                m_catchingUp = false;
        }
        if (!carry.isEmpty()) {
            chunk.prepend(carry);
            carry.clear();
        }
        if (chunk.size() % 2) {
            carry = chunk.right(1);
            chunk.chop(1);
        }
        if (denoiser)
            chunk = denoiser->process(chunk);
        const qint64 n = chunk.size() / 2;
        if (n == 0)
            continue;
        const double t0 = now();
        ps_process_raw(ps, reinterpret_cast<const int16 *>(chunk.constData()),
                       static_cast<size_t>(n), FALSE, FALSE);
        const double spent = now() - t0;
        busy += spent;
        windowBusy += spent;
        windowSamples += n;
        samples += n;
        m_processedSamples = samples;
        const qint64 atMs = samples / 16;
        if (windowSamples >= RateWindowMs * 16) {
            recentRtf = windowBusy * 16000 / static_cast<double>(windowSamples);
            windowBusy = 0;
            windowSamples = 0;
        }

        const bool speech = ps_get_in_speech(ps) != 0;
        if (speech && !inSpeech) {
            uttStartMs = atMs;
            lastPartialMs = atMs;
            if (!heardSpeech) {
                heardSpeech = true;
                post([this, atMs] { Q_EMIT speechStarted(atMs); });
            }
        }
        bool boundary = false;
        if (!speech && inSpeech) {
            endUtterance();
            ps_start_utt(ps);
            boundary = true;
        } else if (speech && atMs - lastPartialMs >= m_config.partialIntervalMs) {
            lastPartialMs = atMs;
            const QString partial = hypothesis(ps, mode);
            if (partial != lastPartial) {
                lastPartial = partial;
                emitSegment(partial, false);
            }
        }
        inSpeech = speech;
        if (atMs - lastProgressMs >= ProgressEveryMs) {
            lastProgressMs = atMs;
            post([this, atMs, speech] { Q_EMIT progressed(atMs, speech); });
        }

        // Keep up or degrade visibly. While catching up through the ring-time backlog, a long
        // queue is expected; only a speed at which it would never catch up degrades.
        const qint64 backlogMs = m_queuedBytes.load() / BytesPerMs;
        const bool catchingUp = m_catchingUp.load();
        if (catchingUp) {
            catchUpBusy += spent;
            catchUpSamples += n;
        } else {
            lowerPriority();
        }
        // While catching up, a short stall (another process took the cores) is no verdict:
        // only the speed over the whole catch-up (at least 5 s of it) decides.
        const double catchUpRtf =
            catchUpSamples > 0 ? catchUpBusy * 16000 / static_cast<double>(catchUpSamples) : 0;
        const bool slow =
            backlogMs > m_config.degradeBacklogMs &&
            (catchingUp ? catchUpSamples >= 5 * 16000 && catchUpRtf > m_config.degradeRtf
                        : recentRtf > m_config.degradeRtf);
        if (m_config.realtime && mode == RecognitionMode::FullTranscript && kwsAvailable &&
            (slow || (!catchingUp && backlogMs > m_config.hardBacklogMs))) {
            if (fullSlot)
                m_pool->releaseFullSlot();
            fullSlot = false;
            degraded = true;
            degradedAtMs = atMs;
            switchTo(RecognitionMode::KeywordSpotting,
                     QStringLiteral("falling behind (backlog %1 s, real-time factor %2): keyword "
                                    "spotting only")
                         .arg(backlogMs / 1000.0, 0, 'f', 1)
                         .arg(catchingUp ? catchUpRtf : recentRtf, 0, 'f', 2));
        } else if (boundary && degraded && mode == RecognitionMode::KeywordSpotting &&
                   atMs - degradedAtMs >= m_config.recoverAfterMs &&
                   backlogMs < RecoverMaxBacklogMs && m_pool->tryTakeFullSlot()) {
            fullSlot = true;
            degraded = false;
            switchTo(RecognitionMode::FullTranscript,
                     QStringLiteral("caught up: full recognition resumed"));
        }
        {
            std::lock_guard lock(m_mutex);
            m_workerStats.busySeconds = busy;
            m_workerStats.cpuSeconds = threadCpuSeconds() - cpuStart;
            m_workerStats.modeSwitches = switches;
        }
    }
    if (denoiser) {
        const QByteArray rest = denoiser->flush();
        if (!rest.isEmpty())
            ps_process_raw(ps, reinterpret_cast<const int16 *>(rest.constData()),
                           static_cast<size_t>(rest.size() / 2), FALSE, FALSE);
        m_processedSamples = samples + rest.size() / 2;
    }
    endUtterance();
    if (fullSlot)
        m_pool->releaseFullSlot();
    m_pool->release(ps);
    const RecognizerStats s = stats();
    post([this, s] { Q_EMIT finished(s); });
}

} // namespace dispatch
