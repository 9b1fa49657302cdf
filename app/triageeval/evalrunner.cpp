#include "evalrunner.h"

#include "triage/triagecoordinator.h"

#include <QJsonArray>
#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace dispatch {

namespace {

constexpr qsizetype ChunkBytes = 640; // 20 ms
constexpr int ChunkMs = 20;
constexpr qint64 FastQueueMs = 2000;
constexpr qint64 DrainedQueueMs = 200;
constexpr qint64 MaxDrainMs = 60000;
constexpr qsizetype ConsoleBacklogBytes = 30 * 16000 * 2; // CallStoreConfig::backlogAudioBytes

QString emotionGroup(const QString &s)
{
    return s == QLatin1String("panicked") ? QStringLiteral("distressed") : s;
}

double ratio(int num, int den)
{
    return den > 0 ? static_cast<double>(num) / den : -1;
}

double round3(double v)
{
    return std::round(v * 1000) / 1000;
}

} // namespace

qint64 firstSpeechMs(const QByteArray &pcm16, int threshold)
{
    const qsizetype samples = pcm16.size() / 2;
    for (qsizetype i = 0; i < samples; ++i) {
        if (std::abs(qFromLittleEndian<qint16>(pcm16.constData() + i * 2)) > threshold)
            return i / 16 / ChunkMs * ChunkMs;
    }
    return 0;
}

EvalRunner::EvalRunner(LocalTriageBackend *backend, QList<EvalCase> cases, bool fast,
                       qint64 answerAfterMs, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_cases(std::move(cases))
    , m_fast(fast && answerAfterMs <= 0)
    , m_answerAfterMs(std::max<qint64>(0, answerAfterMs))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_fast ? 1 : ChunkMs);
    connect(&m_timer, &QTimer::timeout, this, &EvalRunner::feed);
    connect(m_backend, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                if (id != m_callId)
                    return;
                const double heard = m_backend->assessedAudioMs(id) / 1000.0;
                const double speech = m_cases.at(m_index).firstSpeechMs / 1000.0;
                if (!m_current.produced)
                    m_current.firstReportLatency = std::max(0.0, heard - speech);
                if (report.critical && m_current.criticalLatency < 0)
                    m_current.criticalLatency = std::max(0.0, heard - speech);
                m_current.produced = true;
                m_current.report = report;
            });
    connect(m_backend, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &s) {
                if (id == m_callId && s.final)
                    m_current.transcript.append(s.text);
            });
    connect(m_backend, &TriageBackend::degradedChanged, this,
            [this](const QString &id, bool degraded, const QString &reason) {
                if (id == m_callId)
                    m_current.degradedReason = degraded ? reason : QString();
            });
    connect(m_backend, &LocalTriageBackend::utteranceRecognized, this,
            [this](const QString &id, const RecognizedSegment &s) {
                if (id != m_callId || s.mode != RecognitionMode::FullTranscript)
                    return;
                m_current.utterances.append(QJsonObject{
                    {QStringLiteral("text"), s.text},
                    {QStringLiteral("start_ms"), s.startMs},
                    {QStringLiteral("end_ms"), s.endMs},
                    {QStringLiteral("log_posterior_per_frame"),
                     std::round(s.logPosteriorPerFrame * 1e5) / 1e5},
                    {QStringLiteral("low_confidence"), s.lowConfidence},
                    {QStringLiteral("alternatives"), QJsonArray::fromStringList(s.alternatives)}});
            });
    connect(m_backend, &LocalTriageBackend::recognitionFinished, this,
            [this](const QString &id, const RecognizerStats &stats) {
                if (id == m_callId)
                    m_current.stats = stats;
            });
    connect(m_backend, &TriageBackend::callFinished, this, [this](const QString &id) {
        if (id != m_callId)
            return;
        m_results.append(m_current);
        Q_EMIT caseFinished(m_current);
        startNext();
    });
}

void EvalRunner::start()
{
    startNext();
}

void EvalRunner::startNext()
{
    ++m_index;
    if (m_index >= m_cases.size()) {
        m_callId.clear();
        Q_EMIT allFinished();
        return;
    }
    const EvalCase &c = m_cases.at(m_index);
    m_current = EvalResult{};
    m_current.file = c.file;
    m_current.expected = c.expected;
    m_current.audioSeconds = c.audio.durationMs() / 1000.0;
    m_current.answerAfterSeconds = m_answerAfterMs / 1000.0;
    m_callId = QStringLiteral("eval-%1").arg(m_index);
    m_offset = 0;
    m_answerOffset = 0;
    m_draining = false;
    MediaBacklog backlog(ConsoleBacklogBytes);
    const qsizetype ringBytes = m_answerAfterMs * 32;
    for (qsizetype at = 0; at < ringBytes; at += ChunkBytes) {
        QByteArray chunk = c.audio.pcm16.mid(at, ChunkBytes);
        chunk.append(QByteArray(ChunkBytes - chunk.size(), '\0'));
        backlog.appendAudio(chunk);
    }
    m_offset = m_answerOffset = std::min(ringBytes, c.audio.pcm16.size());
    m_backend->startCall(m_callId, backlog);
    m_clock.start();
    m_timer.start();
}

void EvalRunner::feed()
{
    const QByteArray &pcm = m_cases.at(m_index).audio.pcm16;
    if (m_draining) {
        // The line stays open after the caller's words until the recognizer has caught up.
        if (m_backend->queuedAudioMs(m_callId) > DrainedQueueMs && m_clock.elapsed() < MaxDrainMs) {
            m_backend->addAudio(m_callId, QByteArray(ChunkBytes, '\0'));
            return;
        }
        m_timer.stop();
        m_backend->endCall(m_callId);
        return;
    }
    qsizetype due = pcm.size();
    if (!m_fast)
        due = std::min<qsizetype>(pcm.size(),
                                  m_answerOffset + (m_clock.elapsed() / ChunkMs + 1) * ChunkBytes);
    while (m_offset < due) {
        if (m_fast && m_backend->queuedAudioMs(m_callId) > FastQueueMs)
            return;
        m_backend->addAudio(m_callId, pcm.mid(m_offset, ChunkBytes));
        m_offset += ChunkBytes;
    }
    if (m_offset >= pcm.size()) {
        if (m_answerAfterMs > 0) {
            m_draining = true;
            m_clock.restart();
            return;
        }
        m_timer.stop();
        m_backend->endCall(m_callId);
    }
}

QJsonObject resultToJson(const EvalResult &r)
{
    const QJsonObject e = r.expected;
    // Stamped as the console's coordinator stamps it (confidence: keywords_only ...).
    const TriageReport t = TriageCoordinator::withConfidence(
        r.report, r.degradedReason.isEmpty() ? nullptr : &r.degradedReason);
    const int expSeverity = e.value(QLatin1String("severity")).toInt();
    QJsonObject correct{
        {QStringLiteral("response_type"),
         toString(t.responseType) ==
             e.value(QLatin1String("recommended_response_type")).toString()},
        {QStringLiteral("severity_exact"), t.severity == expSeverity},
        {QStringLiteral("severity_within_one"), std::abs(t.severity - expSeverity) <= 1},
        {QStringLiteral("critical"), t.critical == e.value(QLatin1String("critical")).toBool()},
        {QStringLiteral("can_speak"),
         t.canSpeak == e.value(QLatin1String("can_speak")).toBool(true)},
        {QStringLiteral("emotional_state_lenient"),
         emotionGroup(toString(t.emotionalState)) ==
             emotionGroup(e.value(QLatin1String("caller_emotional_state")).toString())},
    };
    QJsonObject o{
        {QStringLiteral("file"), r.file},
        {QStringLiteral("report"), toJson(t)},
        {QStringLiteral("produced"), r.produced},
        {QStringLiteral("first_report_latency_s"), round3(r.firstReportLatency)},
        {QStringLiteral("critical_latency_s"), round3(r.criticalLatency)},
        {QStringLiteral("audio_s"), round3(r.audioSeconds)},
        {QStringLiteral("answered_after_s"), round3(r.answerAfterSeconds)},
        {QStringLiteral("rtf"), round3(r.stats.realTimeFactor())},
        {QStringLiteral("cpu_rtf"), round3(r.stats.cpuRealTimeFactor())},
        {QStringLiteral("dropped_ms"), r.stats.droppedMs},
        {QStringLiteral("recognition"), toString(r.stats.mode)},
        {QStringLiteral("mode_switches"), r.stats.modeSwitches},
        {QStringLiteral("transcript"), r.transcript.join(QStringLiteral(" / "))},
        {QStringLiteral("utterances"), r.utterances},
        {QStringLiteral("expected"),
         QJsonObject{
             {QStringLiteral("response_type"), e.value(QLatin1String("recommended_response_type"))},
             {QStringLiteral("severity"), expSeverity},
             {QStringLiteral("critical"), e.value(QLatin1String("critical"))},
             {QStringLiteral("can_speak"), e.value(QLatin1String("can_speak"))},
             {QStringLiteral("emotional_state"),
              e.value(QLatin1String("caller_emotional_state"))}}},
        {QStringLiteral("correct"), correct},
    };
    return o;
}

QJsonObject summaryToJson(const QList<EvalResult> &results, bool fast)
{
    int type = 0, exact = 0, within = 0, canSpeak = 0, emotion = 0;
    int tp = 0, fp = 0, fn = 0, produced = 0;
    double latencySum = 0, latencyMax = 0, critSum = 0, rtfSum = 0, rtfMax = 0, cpuSum = 0;
    int critCount = 0;
    int switches = 0;
    int lowConfidence = 0;
    for (const EvalResult &r : results) {
        switches += r.stats.modeSwitches;
        lowConfidence += resultToJson(r)
                             .value(QLatin1String("report"))
                             .toObject()
                             .contains(QLatin1String("confidence"));
        const QJsonObject c = resultToJson(r).value(QLatin1String("correct")).toObject();
        type += c.value(QLatin1String("response_type")).toBool();
        exact += c.value(QLatin1String("severity_exact")).toBool();
        within += c.value(QLatin1String("severity_within_one")).toBool();
        canSpeak += c.value(QLatin1String("can_speak")).toBool();
        emotion += c.value(QLatin1String("emotional_state_lenient")).toBool();
        const bool expCrit = r.expected.value(QLatin1String("critical")).toBool();
        tp += expCrit && r.report.critical;
        fp += !expCrit && r.report.critical;
        fn += expCrit && !r.report.critical;
        if (r.produced) {
            ++produced;
            latencySum += r.firstReportLatency;
            latencyMax = std::max(latencyMax, r.firstReportLatency);
        }
        if (r.criticalLatency >= 0 && expCrit) {
            critSum += r.criticalLatency;
            ++critCount;
        }
        rtfSum += r.stats.realTimeFactor();
        cpuSum += r.stats.cpuRealTimeFactor();
        rtfMax = std::max(rtfMax, r.stats.realTimeFactor());
    }
    const int n = static_cast<int>(results.size());
    return QJsonObject{
        {QStringLiteral("calls"), n},
        {QStringLiteral("pacing"), fast ? QStringLiteral("fast") : QStringLiteral("realtime")},
        {QStringLiteral("answered_after_s"),
         results.isEmpty() ? 0.0 : round3(results.constFirst().answerAfterSeconds)},
        {QStringLiteral("mode_switches"), switches},
        {QStringLiteral("low_confidence_reports"), lowConfidence},
        {QStringLiteral("response_type_accuracy"), round3(ratio(type, n))},
        {QStringLiteral("severity_exact"), round3(ratio(exact, n))},
        {QStringLiteral("severity_within_one"), round3(ratio(within, n))},
        {QStringLiteral("critical_recall"), round3(ratio(tp, tp + fn))},
        {QStringLiteral("critical_precision"), round3(ratio(tp, tp + fp))},
        {QStringLiteral("critical_tp_fp_fn"), QJsonArray{tp, fp, fn}},
        {QStringLiteral("can_speak_accuracy"), round3(ratio(canSpeak, n))},
        {QStringLiteral("emotional_state_lenient"), round3(ratio(emotion, n))},
        {QStringLiteral("reports_produced"), produced},
        {QStringLiteral("mean_first_report_latency_s"),
         round3(produced ? latencySum / produced : -1)},
        {QStringLiteral("max_first_report_latency_s"), round3(latencyMax)},
        {QStringLiteral("mean_critical_latency_s"), round3(critCount ? critSum / critCount : -1)},
        {QStringLiteral("rtf_mean"), round3(n ? rtfSum / n : 0)},
        {QStringLiteral("rtf_max"), round3(rtfMax)},
        {QStringLiteral("cpu_rtf_mean"), round3(n ? cpuSum / n : 0)},
    };
}

} // namespace dispatch
