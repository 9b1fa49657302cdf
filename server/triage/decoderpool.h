#pragma once

#include "common/monotonicclock.h"

#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

struct ps_decoder_s;

namespace dispatch {

Q_DECLARE_LOGGING_CATEGORY(lcTriageLocal)

// The Debian location of the pocketsphinx en-US model (configurable at build time).
QString defaultSpeechModelDir();

struct DecoderPoolConfig
{
    QString modelDir = defaultSpeechModelDir();
    QStringList
        keyphrases; // keyword-spotting phrases (words missing from the dictionary are dropped)
    // Calls that may use full (language-model) recognition at once; the rest start in keyword
    // spotting. 0 picks fullCallsPerCore x cores.
    int maxFullDecoders = 0;
    double fullCallsPerCore = 2.0;
    int maxIdleDecoders = 4; // initialized decoders kept for the next calls ...
    // ... of which those beyond keepIdleDecoders are freed once idle for idleFreeAfterMs
    // (freeIdle()): a decoder is ~57 MiB, and a console that had a burst of local calls should
    // not keep paying for it. 0: kept for good.
    int keepIdleDecoders = 1;
    int idleFreeAfterMs = 60000;
    // Decoders initialized in the background at construction: 1 where the local engine is the
    // triage (no key), 0 where it only backs Gemini up (the first shadow or failover loads one).
    int prewarm = 1;
    MonotonicClock clock = steadyClock(); // idle times
    // Decoders are freed on the pool's own low-priority thread, never the caller's: freeing
    // ~57 MiB takes 50-250 ms, which on the engine's thread would hold every call's audio that
    // long. Called there after each one is freed (tests see where it ran); may be empty.
    std::function<void()> decoderFreed;
    // Keyword-spotting threshold 1e-(k x phones) for a phrase of that many phones: a short
    // word needs a strict threshold or it fires on everything, a long phrase a lenient one or
    // it never fires. Phrases shorter than kwsMinPhones are not spotted.
    double kwsExponentPerPhone = 1.5;
    int kwsMinPhones = 5; // measured: see docs/TRIAGE.md "degraded mode"
    // Emergency-domain trigram model built from these phrases (the rules'), interpolated with
    // the general model at this weight; 0 or no phrases: the general model alone.
    QStringList domainPhrases;
    double domainLmWeight = 0.2;
};

// Shares initialized pocketsphinx decoders between calls: a decoder takes ~0.4 s of CPU to
// load, so finished calls hand theirs back and the next call starts at once. Also keeps the
// budget of calls allowed full recognition. Thread-safe: recognizer workers call it.
class DecoderPool
{
public:
    explicit DecoderPool(DecoderPoolConfig config);
    ~DecoderPool();
    DecoderPool(const DecoderPool &) = delete;
    DecoderPool &operator=(const DecoderPool &) = delete;

    // An idle decoder or a new one (slow). Each has the full search and, when keyphrases were
    // given, a "kws" search. Returns nullptr and sets *error when the model cannot be loaded,
    // or when `cancelled` says so while waiting for its turn to load one (decoders load one at
    // a time, seconds each: a shutting-down recognizer must not wait for that).
    ps_decoder_s *acquire(QString *error, const std::function<bool()> &cancelled = {});
    void release(ps_decoder_s *decoder);

    // Frees the decoders idle for idleFreeAfterMs beyond keepIdleDecoders (the longest idle
    // first); returns how many. Its owner calls it now and then; release() does too. The
    // memory is given back on the pool's reaper thread, shortly after.
    int freeIdle();
    int idleDecoders() const;
    int loadedDecoders() const; // initialized and not freed: in use by calls, or idle

    bool tryTakeFullSlot();
    void releaseFullSlot();
    int maxFullDecoders() const { return m_maxFull; }
    int fullInUse() const;

    bool hasKeywordSearch() const;
    QStringList spottedKeyphrases() const; // after the first decoder was made
    static const char *fullSearch();
    static const char *keywordSearch();

private:
    ps_decoder_s *create(QString *error, const std::function<bool()> &cancelled = {});
    bool writeKeyphraseFile(ps_decoder_s *decoder);
    bool setLanguageModel(ps_decoder_s *decoder, const QByteArray &generalLm);

    DecoderPoolConfig m_config;
    int m_maxFull = 1;
    mutable std::mutex m_mutex;
    std::mutex m_initMutex; // pocketsphinx init touches global state: one at a time
    struct Idle
    {
        ps_decoder_s *decoder = nullptr;
        qint64 sinceMs = 0;
    };
    int freeIdleLocked(std::vector<ps_decoder_s *> *out); // guarded by m_mutex; frees nothing
    void reap(std::vector<ps_decoder_s *> decoders);      // hands them to the reaper thread
    void runReaper();

    std::thread m_reaper; // started by the first reap(), joined by the destructor
    std::condition_variable m_reapWake;
    std::vector<ps_decoder_s *> m_toReap; // guarded by m_mutex
    bool m_stopping = false;              // guarded by m_mutex

    std::vector<Idle> m_idle; // the most recently released last
    int m_loaded = 0;         // guarded by m_mutex
    int m_fullInUse = 0;
    QTemporaryDir m_dir;
    QString m_kwsFile;
    QString m_domainLmFile; // built once, at the first decoder (guarded by m_initMutex)
    bool m_domainLmTried = false;
    QStringList m_spotted;
    bool m_kwsTried = false;
    std::thread m_prewarm;
};

} // namespace dispatch
