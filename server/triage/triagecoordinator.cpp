#include "triage/triagecoordinator.h"

#include "calls/callstore.h"
#include "triage/triagebackend.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcCoordinator, "dispatch.triage")

namespace dispatch {

TriageCoordinator::TriageCoordinator(CallStore &store, TriageBackend &backend, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_backend(backend)
{
    connect(&store, &CallStore::callAnswered, this,
            [this](const QString &id, const MediaBacklog &backlog) {
                m_active.insert(id);
                qCInfo(lcCoordinator) << "triage starts for call" << id << "with"
                                      << backlog.audioBytes() << "bytes of pre-answer audio";
                m_backend.startCall(id, backlog);
            });
    // Media of a ringing call is in the backlog handed over at answer: forward live media only.
    connect(&store, &CallStore::audioReceived, this,
            [this](const QString &id, const QByteArray &pcm) {
                if (m_active.contains(id))
                    m_backend.addAudio(id, pcm);
            });
    connect(&store, &CallStore::frameReceived, this,
            [this](const QString &id, const QByteArray &jpeg) {
                if (m_active.contains(id))
                    m_backend.addFrame(id, jpeg);
            });
    connect(&store, &CallStore::vitalsUpdated, this,
            [this](const QString &id, const VitalsSample &vitals) {
                if (m_active.contains(id))
                    m_backend.addVitals(id, vitals);
            });
    connect(&store, &CallStore::transcriptUpdated, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (m_active.contains(id) && segment.speaker == Speaker::CallerText)
                    m_backend.addCallerText(id, segment.text);
            });
    connect(&store, &CallStore::callEnded, this, [this](const QString &id) {
        if (!m_ringAudio.contains(id))
            m_degraded.remove(id);
        if (m_active.remove(id))
            m_backend.endCall(id);
    });

    connect(&backend, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                if (m_store.setTriage(id, stamped(id, report)) != CallStore::Result::Ok)
                    qCInfo(lcCoordinator) << "late report for ended call" << id << "not applied";
            });
    connect(&backend, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                if (m_store.flagCritical(id, reason, severity) != CallStore::Result::Ok)
                    qCWarning(lcCoordinator)
                        << "critical flag for call" << id << "after it ended: not applied";
            });
    connect(&backend, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (m_store.addTranscript(id, segment) != CallStore::Result::Ok)
                    qCInfo(lcCoordinator)
                        << "late transcript for ended call" << id << "not applied";
            });
    connect(&store, &CallStore::unansweredCallEnded, this,
            [this](const QString &id, const MediaBacklog &backlog) {
                if (!m_ringAudioBackend || backlog.audio().isEmpty() || m_ringAudio.contains(id))
                    return;
                m_ringAudio.insert(id);
                qCInfo(lcCoordinator) << "assessing" << backlog.audioBytes()
                                      << "bytes of ring-time audio of unanswered call" << id;
                m_ringAudioBackend->startCall(id, backlog);
                m_ringAudioBackend->endCall(id); // no more comes: it finishes what it has
            });
    connect(&backend, &TriageBackend::degradedChanged, this,
            [this](const QString &id, bool degraded, const QString &reason) {
                if (degraded && (m_active.contains(id) || m_ringAudio.contains(id)))
                    m_degraded.insert(id, reason);
                else
                    m_degraded.remove(id);
                qCInfo(lcCoordinator)
                    << "call" << id << (degraded ? "degraded:" : "recovered") << reason;
                Q_EMIT degradedChanged(id, degraded, reason);
            });
    connect(&backend, &TriageBackend::linkChanged, this,
            [this](const QString &id, const TriageLink &link) {
                // The link of a call that has ended no longer matters.
                (void)m_store.setTriageLink(id, link);
            });
    connect(&backend, &TriageBackend::prearrivalOffered, this,
            [this](const QString &id, const QString &topic, const QString &title,
                   const QStringList &steps) {
                if (m_store.addPrearrival(id, PrearrivalOffer{m_store.now(), topic, title,
                                                              steps}) != CallStore::Result::Ok)
                    qCInfo(lcCoordinator)
                        << "late pre-arrival offer for ended call" << id << "not applied";
            });
}

void TriageCoordinator::setRingAudioBackend(TriageBackend *backend)
{
    if (m_ringAudioBackend)
        disconnect(m_ringAudioBackend, nullptr, this, nullptr);
    m_ringAudioBackend = backend;
    m_ringAudio.clear();
    if (!backend)
        return;
    connect(backend, &TriageBackend::callFinished, this, [this](const QString &id) {
        if (m_ringAudio.remove(id))
            m_degraded.remove(id);
    });
    if (backend == &m_backend)
        return; // its reports and transcript already reach the store
    connect(backend, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                if (!m_ringAudio.contains(id))
                    return; // the router's call: it publishes it, or not
                if (m_store.setTriage(id, stamped(id, report)) != CallStore::Result::Ok)
                    qCInfo(lcCoordinator) << "ring-time report for call" << id << "not applied";
            });
    connect(backend, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (m_ringAudio.contains(id))
                    (void)m_store.addTranscript(id, segment); // refused only once pruned
            });
    // Its critical flags are not raised: the call has ended, nobody can be alarmed into
    // answering it. The report itself says critical, and the follow-up waits in the queue.
}

TriageReport TriageCoordinator::stamped(const QString &callId, const TriageReport &report) const
{
    const auto degraded = m_degraded.constFind(callId);
    return withConfidence(report, degraded == m_degraded.cend() ? nullptr : &*degraded);
}

TriageReport TriageCoordinator::withConfidence(TriageReport report, const QString *degradedReason)
{
    // Only the engine's own reports: the dispatcher's word and a live model's are not degraded
    // by the local recognizer (the router publishes local reports only while local triages).
    if (report.source != TriageSource::Local || report.isLowConfidence())
        return report;
    // The rules mark a keyword-spotting transcript in the provenance (rulesengine.cpp).
    const bool keywordsOnly =
        std::any_of(report.provenance.cbegin(), report.provenance.cend(), [](const auto &e) {
            return e.field == QLatin1String("transcript") &&
                   e.evidence == QLatin1String("keyword spotting only");
        });
    if (keywordsOnly) {
        report.confidence = TriageConfidence::KeywordsOnly;
        report.confidenceReason = degradedReason && !degradedReason->isEmpty()
                                      ? *degradedReason
                                      : QStringLiteral("keyword spotting only");
    } else if (degradedReason) {
        report.confidence = TriageConfidence::Low;
        report.confidenceReason = *degradedReason;
    }
    report.confidenceReason = report.confidenceReason.left(TriageReport::MaxSummaryChars);
    return report;
}

} // namespace dispatch
