#include "triage/decoderpool.h"

#include "common/threadpriority.h"
#include "triage/domainlanguagemodel.h"

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/err.h>
#include <sphinxbase/ngram_model.h>

#include <QFile>

#include <algorithm>
#include <cmath>

#ifndef DISPATCH_POCKETSPHINX_MODEL_DIR
#define DISPATCH_POCKETSPHINX_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif

namespace dispatch {

Q_LOGGING_CATEGORY(lcTriageLocal, "dispatch.triage.local")

namespace {

// Giving a decoder's memory back is background work: it must not take a CPU from the thread
// that carries the calls' audio (common/threadpriority.h).
constexpr int ReaperNice = 10;

} // namespace

QString defaultSpeechModelDir()
{
    return QStringLiteral(DISPATCH_POCKETSPHINX_MODEL_DIR);
}

DecoderPool::DecoderPool(DecoderPoolConfig config)
    : m_config(std::move(config))
{
    static std::once_flag quiet;
    std::call_once(quiet, [] { err_set_logfp(nullptr); });
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    m_maxFull = m_config.maxFullDecoders > 0
                    ? m_config.maxFullDecoders
                    : std::max(1, static_cast<int>(m_config.fullCallsPerCore * cores));
    if (m_config.prewarm > 0) {
        m_prewarm = std::thread([this] {
            for (int i = 0; i < m_config.prewarm; ++i) {
                QString error;
                ps_decoder_s *d = create(&error);
                if (!d)
                    break;
                {
                    std::lock_guard lock(m_mutex);
                    ++m_loaded;
                }
                release(d);
            }
        });
    }
}

DecoderPool::~DecoderPool()
{
    if (m_prewarm.joinable())
        m_prewarm.join();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_reapWake.notify_one();
    if (m_reaper.joinable())
        m_reaper.join(); // it frees what it was given first
    for (const Idle &idle : m_idle)
        ps_free(idle.decoder);
}

void DecoderPool::reap(std::vector<ps_decoder_s *> decoders)
{
    if (decoders.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_toReap.insert(m_toReap.end(), decoders.begin(), decoders.end());
        if (!m_reaper.joinable())
            m_reaper = std::thread([this] { runReaper(); });
    }
    m_reapWake.notify_one();
}

void DecoderPool::runReaper()
{
    if (!lowerCurrentThreadPriority(ReaperNice))
        qCWarning(lcTriageLocal) << "cannot lower the decoder reaper's priority";
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_reapWake.wait(lock, [this] { return m_stopping || !m_toReap.empty(); });
        if (m_toReap.empty())
            return; // stopping, and nothing left to free
        const std::vector<ps_decoder_s *> batch = std::exchange(m_toReap, {});
        lock.unlock();
        for (ps_decoder_s *d : batch) {
            ps_free(d);
            if (m_config.decoderFreed)
                m_config.decoderFreed();
        }
        lock.lock();
    }
}

const char *DecoderPool::fullSearch()
{
    return "lm";
}

const char *DecoderPool::keywordSearch()
{
    return "kws";
}

ps_decoder_s *DecoderPool::acquire(QString *error, const std::function<bool()> &cancelled)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            ps_decoder_s *d = m_idle.back().decoder;
            m_idle.pop_back();
            return d;
        }
    }
    ps_decoder_s *d = create(error, cancelled);
    if (d) {
        std::lock_guard lock(m_mutex);
        ++m_loaded;
    }
    return d;
}

void DecoderPool::release(ps_decoder_s *decoder)
{
    if (!decoder)
        return;
    std::vector<ps_decoder_s *> toFree;
    {
        std::lock_guard lock(m_mutex);
        if (static_cast<int>(m_idle.size()) < m_config.maxIdleDecoders) {
            m_idle.push_back({decoder, m_config.clock()});
            decoder = nullptr;
        } else {
            --m_loaded;
        }
        freeIdleLocked(&toFree);
    }
    if (decoder)
        toFree.push_back(decoder);
    reap(std::move(toFree)); // freeing ~57 MiB takes a while
}

int DecoderPool::freeIdleLocked(std::vector<ps_decoder_s *> *out)
{
    if (m_config.idleFreeAfterMs <= 0)
        return 0;
    const qint64 now = m_config.clock();
    const int keep = std::max(0, m_config.keepIdleDecoders);
    int freed = 0;
    // The front ones have been idle longest.
    while (static_cast<int>(m_idle.size()) > keep &&
           now - m_idle.front().sinceMs >= m_config.idleFreeAfterMs) {
        out->push_back(m_idle.front().decoder);
        m_idle.erase(m_idle.begin());
        --m_loaded;
        ++freed;
    }
    return freed;
}

int DecoderPool::freeIdle()
{
    std::vector<ps_decoder_s *> toFree;
    {
        std::lock_guard lock(m_mutex);
        freeIdleLocked(&toFree);
    }
    const int freed = static_cast<int>(toFree.size());
    if (freed > 0)
        qCInfo(lcTriageLocal) << "freeing" << freed << "idle speech decoders";
    reap(std::move(toFree));
    return freed;
}

int DecoderPool::idleDecoders() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_idle.size());
}

int DecoderPool::loadedDecoders() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded;
}

bool DecoderPool::tryTakeFullSlot()
{
    std::lock_guard lock(m_mutex);
    if (m_fullInUse >= m_maxFull)
        return false;
    ++m_fullInUse;
    return true;
}

void DecoderPool::releaseFullSlot()
{
    std::lock_guard lock(m_mutex);
    m_fullInUse = std::max(0, m_fullInUse - 1);
}

int DecoderPool::fullInUse() const
{
    std::lock_guard lock(m_mutex);
    return m_fullInUse;
}

bool DecoderPool::hasKeywordSearch() const
{
    std::lock_guard lock(m_mutex);
    return !m_kwsFile.isEmpty();
}

QStringList DecoderPool::spottedKeyphrases() const
{
    std::lock_guard lock(m_mutex);
    return m_spotted;
}

ps_decoder_s *DecoderPool::create(QString *error, const std::function<bool()> &cancelled)
{
    std::lock_guard init(m_initMutex);
    if (cancelled && cancelled()) {
        *error = QStringLiteral("cancelled");
        return nullptr;
    }
    const QByteArray dir = QFile::encodeName(m_config.modelDir);
    const QByteArray hmm = dir + "/en-us";
    const QByteArray lm = dir + "/en-us.lm.bin";
    const QByteArray dict = dir + "/cmudict-en-us.dict";
    for (const QByteArray &path : {hmm, lm, dict}) {
        if (!QFile::exists(QFile::decodeName(path))) {
            *error = QStringLiteral("speech model not found: %1").arg(QFile::decodeName(path));
            return nullptr;
        }
    }
    cmd_ln_t *config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.constData(), "-dict",
                                   dict.constData(), nullptr);
    if (!config) {
        *error = QStringLiteral("bad pocketsphinx configuration");
        return nullptr;
    }
    ps_decoder_t *ps = ps_init(config);
    cmd_ln_free_r(config);
    if (!ps) {
        *error = QStringLiteral("pocketsphinx could not load %1").arg(m_config.modelDir);
        return nullptr;
    }
    if (!setLanguageModel(ps, lm) || ps_set_search(ps, fullSearch()) != 0) {
        ps_free(ps);
        *error = QStringLiteral("pocketsphinx could not load the language model");
        return nullptr;
    }
    bool haveKws = false;
    {
        std::lock_guard lock(m_mutex);
        haveKws = !m_kwsFile.isEmpty();
        if (!haveKws && m_kwsTried)
            return ps;
        m_kwsTried = true;
    }
    if (!haveKws && !writeKeyphraseFile(ps))
        return ps;
    const QByteArray kws = QFile::encodeName(m_kwsFile);
    if (ps_set_kws(ps, keywordSearch(), kws.constData()) != 0)
        qCWarning(lcTriageLocal) << "keyword search could not be set up";
    return ps;
}

bool DecoderPool::setLanguageModel(ps_decoder_s *ps, const QByteArray &generalLm)
{
    const double w = m_config.domainLmWeight;
    if (w <= 0 || w >= 1 || m_config.domainPhrases.isEmpty())
        return ps_set_lm_file(ps, fullSearch(), generalLm.constData()) == 0;
    if (!m_domainLmTried) {
        m_domainLmTried = true;
        // Only sentences whose every word the dictionary knows.
        QStringList known;
        for (const QString &s : domainSentences(m_config.domainPhrases, {})) {
            bool ok = true;
            for (const QString &word : s.split(u' ', Qt::SkipEmptyParts)) {
                char *pron = ps_lookup_word(ps, word.toUtf8().constData());
                ok = ok && pron;
                ckd_free(pron);
            }
            if (ok)
                known.append(s);
        }
        const QString path = m_dir.filePath(QStringLiteral("domain.arpa"));
        QFile f(path);
        const QByteArray arpa = buildArpa(known);
        if (m_dir.isValid() && !known.isEmpty() && f.open(QIODevice::WriteOnly) &&
            f.write(arpa) == arpa.size()) {
            f.close();
            m_domainLmFile = path;
            qCInfo(lcTriageLocal) << "domain language model:" << known.size() << "sentences,"
                                  << arpa.size() << "bytes, weight" << w;
        } else {
            qCWarning(lcTriageLocal) << "domain language model not built: general model only";
        }
    }
    if (m_domainLmFile.isEmpty())
        return ps_set_lm_file(ps, fullSearch(), generalLm.constData()) == 0;
    cmd_ln_t *config = ps_get_config(ps);
    logmath_t *lmath = ps_get_logmath(ps);
    ngram_model_t *general = ngram_model_read(config, generalLm.constData(), NGRAM_AUTO, lmath);
    ngram_model_t *domain =
        ngram_model_read(config, QFile::encodeName(m_domainLmFile).constData(), NGRAM_ARPA, lmath);
    if (!general || !domain) {
        if (general)
            ngram_model_free(general);
        if (domain)
            ngram_model_free(domain);
        return ps_set_lm_file(ps, fullSearch(), generalLm.constData()) == 0;
    }
    ngram_model_t *models[2] = {general, domain};
    char generalName[] = "general";
    char domainName[] = "domain";
    char *names[2] = {generalName, domainName};
    float32 weights[2] = {static_cast<float32>(1 - w), static_cast<float32>(w)};
    ngram_model_t *set = ngram_model_set_init(config, models, names, weights, 2);
    if (!set)
        return ps_set_lm_file(ps, fullSearch(), generalLm.constData()) == 0;
    const bool ok = ps_set_lm(ps, fullSearch(), set) == 0;
    ngram_model_free(set); // the decoder holds its own reference
    return ok;
}

bool DecoderPool::writeKeyphraseFile(ps_decoder_s *decoder)
{
    if (m_config.keyphrases.isEmpty() || !m_dir.isValid())
        return false;
    QByteArray lines;
    QStringList spotted;
    int dropped = 0;
    for (const QString &phrase : std::as_const(m_config.keyphrases)) {
        int phones = 0;
        bool known = true;
        const QStringList words = phrase.split(u' ', Qt::SkipEmptyParts);
        for (const QString &w : words) {
            const QByteArray word = w.toUtf8();
            char *pron = ps_lookup_word(decoder, word.constData());
            if (!pron) {
                known = false;
                break;
            }
            phones += static_cast<int>(QByteArray(pron).count(' ')) + 1;
            ckd_free(pron);
        }
        if (!known || words.isEmpty() || phones < m_config.kwsMinPhones) {
            ++dropped;
            continue;
        }
        spotted.append(phrase);
        const int exponent =
            std::max(1, static_cast<int>(std::lround(m_config.kwsExponentPerPhone * phones)));
        lines += phrase.toUtf8() + " /1e-" + QByteArray::number(exponent) + "/\n";
    }
    const QString path = m_dir.filePath(QStringLiteral("keyphrases.txt"));
    QFile f(path);
    if (spotted.isEmpty() || !f.open(QIODevice::WriteOnly) || f.write(lines) != lines.size())
        return false;
    f.close();
    qCInfo(lcTriageLocal) << "keyword spotting listens for" << spotted.size() << "phrases;"
                          << dropped << "unknown or too short";
    std::lock_guard lock(m_mutex);
    m_kwsFile = path;
    m_spotted = spotted;
    return true;
}

} // namespace dispatch
