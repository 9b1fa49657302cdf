#include "triage/localtriagebackend.h"

#include <algorithm>

namespace dispatch {

struct LocalTriageBackend::CallState
{
    std::unique_ptr<SpeechRecognizer> recognizer;
    QList<TranscriptSegment> history; // final speech segments and typed text, in order
    std::optional<TranscriptSegment> partial;
    std::optional<VitalsSample> vitals;
    std::optional<TriageReport> last;
    QString lastCriticalReason;
    qint64 lastSpeechEndMs = -1;
    qint64 silenceMs = 0;
    qint64 assessedMs = 0;
    qint64 frames = 0;
    bool silent = false; // the silence rule currently holds
    bool ending = false;
    RecognitionMode mode = RecognitionMode::Starting;
    QSet<qsizetype> lowConfidence;              // indices into history the recognizer was unsure of
    QHash<qsizetype, QStringList> alternatives; // N-best alternatives of history entries
    qint64 speechMs = 0;                        // final full-recognition speech so far ...
    qint64 lowConfidenceMs = 0;                 // ... and how much of it was low confidence
    bool poorRecognition = false;
    bool degraded = false; // as last reported through degradedChanged
};

namespace {

constexpr qint64 PoorRecognitionMinSpeechMs = 2000;
const QString PoorRecognitionReason = QStringLiteral("low_recognition_confidence");

bool modeDegraded(RecognitionMode mode)
{
    return mode == RecognitionMode::KeywordSpotting || mode == RecognitionMode::Failed;
}

} // namespace

void LocalTriageBackend::updateDegraded(const QString &callId, CallState &call,
                                        const QString &reason)
{
    const bool degraded = modeDegraded(call.mode) || call.poorRecognition;
    if (degraded == call.degraded)
        return;
    call.degraded = degraded;
    Q_EMIT degradedChanged(callId, degraded, reason);
}

LocalTriageBackend::LocalTriageBackend(LocalTriageConfig config, QObject *parent)
    : TriageBackend(parent)
    , m_config(std::move(config))
{
    if (m_config.decoders.keyphrases.isEmpty())
        m_config.decoders.keyphrases = m_config.rules.keyphrases();
    if (m_config.decoders.domainPhrases.isEmpty()) {
        // The domain model speaks the rules' language: every phrase of every concept and cue.
        for (const ConceptRule &c : std::as_const(m_config.rules.concepts))
            m_config.decoders.domainPhrases += c.phrases;
        for (const auto *cues :
             {&m_config.rules.emotion.panicCues, &m_config.rules.emotion.distressCues,
              &m_config.rules.canSpeak.cues})
            for (const WeightedCue &c : *cues)
                m_config.decoders.domainPhrases.append(c.phrase);
    }
    m_pool = std::make_shared<DecoderPool>(m_config.decoders);
    if (m_config.decoders.idleFreeAfterMs > 0) {
        connect(&m_idleDecoders, &QTimer::timeout, this, [this] { m_pool->freeIdle(); });
        m_idleDecoders.start(std::clamp(m_config.decoders.idleFreeAfterMs / 6, 1000, 10000));
    }
}

LocalTriageBackend::~LocalTriageBackend()
{
    // Recognizers join their threads before the pool they borrow from goes.
    m_calls.clear();
}

void LocalTriageBackend::startCall(const QString &callId, const MediaBacklog &backlog)
{
    if (m_calls.contains(callId)) {
        qCWarning(lcTriageLocal) << "call already started:" << callId;
        return;
    }
    auto call = std::make_shared<CallState>();
    call->recognizer = std::make_unique<SpeechRecognizer>(m_pool, m_config.recognizer);
    SpeechRecognizer *rec = call->recognizer.get();
    connect(rec, &SpeechRecognizer::segmentRecognized, this,
            [this, callId](const RecognizedSegment &s) { onSegment(callId, s); });
    connect(rec, &SpeechRecognizer::progressed, this,
            [this, callId](qint64 ms, bool speech) { onProgress(callId, ms, speech); });
    connect(rec, &SpeechRecognizer::modeChanged, this,
            [this, callId](RecognitionMode mode, const QString &reason) {
                auto it = m_calls.find(callId);
                if (it == m_calls.end())
                    return;
                (*it)->mode = mode;
                const QString why = reason.isEmpty() ? toString(mode) : reason;
                updateDegraded(
                    callId, **it,
                    modeDegraded(mode) || !(*it)->poorRecognition ? why : PoorRecognitionReason);
            });
    connect(rec, &SpeechRecognizer::finished, this,
            [this, callId](const RecognizerStats &stats) { finishCall(callId, stats); });
    m_calls.insert(callId, call);
    // Ring-time audio: decoded with full recognition, faster than real time (see
    // SpeechRecognizer::addBacklogAudio), so a late answer is triaged like an early one. Queued
    // before the worker starts, so it starts in catch-up.
    for (const QByteArray &pcm : backlog.audio())
        rec->addBacklogAudio(pcm);
    rec->start();
    qCInfo(lcTriageLocal) << "call" << callId << "started with" << backlog.audioBytes()
                          << "backlog bytes";
}

void LocalTriageBackend::addAudio(const QString &callId, const QByteArray &pcm16k)
{
    auto it = m_calls.find(callId);
    if (it != m_calls.end() && !(*it)->ending)
        (*it)->recognizer->addAudio(pcm16k);
}

void LocalTriageBackend::addFrame(const QString &callId, const QByteArray &jpeg)
{
    Q_UNUSED(jpeg);
    auto it = m_calls.find(callId);
    if (it != m_calls.end())
        ++(*it)->frames;
}

void LocalTriageBackend::addVitals(const QString &callId, const VitalsSample &vitals)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    (*it)->vitals = vitals;
    reassess(callId, **it);
}

void LocalTriageBackend::addCallerText(const QString &callId, const QString &text)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end() || text.trimmed().isEmpty())
        return;
    (*it)->history.append(
        TranscriptSegment{m_config.clock(), Speaker::CallerText, text.left(4000), true});
    reassess(callId, **it);
}

void LocalTriageBackend::endCall(const QString &callId)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end() || (*it)->ending)
        return;
    (*it)->ending = true;
    (*it)->recognizer->finish();
}

qint64 LocalTriageBackend::assessedAudioMs(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    return it == m_calls.cend() ? -1 : (*it)->assessedMs;
}

qint64 LocalTriageBackend::queuedAudioMs(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    return it == m_calls.cend() ? 0 : (*it)->recognizer->queuedMs();
}

RecognitionMode LocalTriageBackend::recognitionMode(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    return it == m_calls.cend() ? RecognitionMode::Failed : (*it)->mode;
}

void LocalTriageBackend::onSegment(const QString &callId, const RecognizedSegment &segment)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    CallState &call = **it;
    // The dispatcher must see that a degraded transcript holds only spotted phrases.
    const QString text = segment.mode == RecognitionMode::KeywordSpotting
                             ? QStringLiteral("[keywords] ") + segment.text
                             : segment.text;
    const TranscriptSegment t{m_config.clock(), Speaker::Caller, text, segment.final};
    if (segment.final) {
        if (segment.mode == RecognitionMode::FullTranscript) {
            const qint64 ms = std::max<qint64>(0, segment.endMs - segment.startMs);
            call.speechMs += ms;
            if (!segment.alternatives.isEmpty())
                call.alternatives.insert(call.history.size(), segment.alternatives);
            if (segment.lowConfidence) {
                call.lowConfidence.insert(call.history.size());
                call.lowConfidenceMs += ms;
            }
            // Speech present but mostly recognized with low confidence: say so.
            const bool poor = call.speechMs >= PoorRecognitionMinSpeechMs &&
                              call.lowConfidenceMs * 2 >= call.speechMs;
            if (poor != call.poorRecognition) {
                call.poorRecognition = poor;
                updateDegraded(callId, call,
                               poor ? PoorRecognitionReason : QStringLiteral("recognition_ok"));
            }
        }
        call.history.append(t);
        call.partial.reset();
        Q_EMIT utteranceRecognized(callId, segment);
        call.lastSpeechEndMs = segment.endMs;
        call.silenceMs = 0;
    } else {
        call.partial = t;
    }
    call.assessedMs = std::max(call.assessedMs, segment.endMs);
    Q_EMIT transcriptProduced(callId, t);
    reassess(callId, call);
}

void LocalTriageBackend::onProgress(const QString &callId, qint64 processedMs, bool inSpeech)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    CallState &call = **it;
    call.silenceMs =
        (inSpeech || call.lastSpeechEndMs < 0) ? 0 : processedMs - call.lastSpeechEndMs;
    const qint64 threshold = m_config.rules.silence.afterSpeechMs;
    const bool silent = threshold > 0 && call.silenceMs >= threshold;
    if (silent != call.silent) {
        call.silent = silent;
        call.assessedMs = std::max(call.assessedMs, processedMs);
        reassess(callId, call);
    }
}

void LocalTriageBackend::reassess(const QString &callId, CallState &call)
{
    TriageInput in;
    in.segments = call.history;
    if (call.partial)
        in.segments.append(*call.partial);
    in.vitals = call.vitals;
    in.silenceAfterSpeechMs = call.silenceMs;
    in.keywordSpottingOnly = call.mode == RecognitionMode::KeywordSpotting;
    in.lowConfidenceSegments = call.lowConfidence;
    in.alternatives = call.alternatives;
    in.recognitionPoor = call.poorRecognition;
    if (!hasEvidence(in))
        return;
    TriageReport report = assessTriage(m_config.rules, in);
    // Words that match nothing ("hello", "my") are not yet an assessment worth showing.
    const bool assessed = report.responseType != ResponseType::Unknown || report.critical ||
                          !report.canSpeak || report.severity > TriageReport::MinSeverity ||
                          report.emotionalState == EmotionalState::Unresponsive;
    if (!call.last && !assessed)
        return;
    report.producedAt = m_config.clock();
    const bool changed = !call.last || !call.last->sameAssessment(report);
    const bool newCritical = report.critical && report.criticalReason != call.lastCriticalReason;
    call.last = report;
    if (!changed)
        return;
    Q_EMIT reportProduced(callId, report);
    if (newCritical) {
        call.lastCriticalReason = report.criticalReason;
        qCInfo(lcTriageLocal) << "call" << callId << "flagged critical";
        Q_EMIT criticalFlagged(callId, report.criticalReason, report.severity);
    } else if (!report.critical) {
        call.lastCriticalReason.clear();
    }
}

void LocalTriageBackend::finishCall(const QString &callId, const RecognizerStats &stats)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    std::shared_ptr<CallState> call = *it;
    m_calls.erase(it);
    qCInfo(lcTriageLocal).nospace()
        << "call " << callId << " finished: " << stats.processedMs << " ms decoded, rtf "
        << stats.realTimeFactor() << ", dropped " << stats.droppedMs << " ms, " << call->frames
        << " frames ignored";
    Q_EMIT recognitionFinished(callId, stats);
    Q_EMIT callFinished(callId);
    // The recognizer's thread has ended; delete it outside its own signal.
    call->recognizer.release()->deleteLater();
}

} // namespace dispatch
