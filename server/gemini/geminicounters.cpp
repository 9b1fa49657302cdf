#include "gemini/geminicounters.h"

#include "common/metricsregistry.h"
#include "common/relaylatency.h"
#include "gemini/livesession.h"

namespace dispatch::gemini {

GeminiCounters::GeminiCounters(MetricsRegistry &registry)
    : m_registry(&registry)
{
    const auto c = [&registry](const char *name, const char *help, const char *labels = "") {
        return registry.counter(QString::fromLatin1(name), QString::fromLatin1(help),
                                QString::fromLatin1(labels));
    };
    m_audioBytesSent = c("dispatch_gemini_audio_bytes_sent_total",
                         "Caller audio sent to Gemini Live (16 kHz s16le), replays included");
    m_replayedBytes = c("dispatch_gemini_replayed_audio_bytes_total",
                        "Audio sent again to a resumed or replacement connection");
    m_duplicateBytes = c("dispatch_gemini_duplicate_audio_bytes_total",
                         "Replayed audio that the previous connection had already received");
    m_overflowBytes = c("dispatch_gemini_replay_overflow_bytes_total",
                        "Audio dropped from full replay buffers (not replayable after a drop)");
    m_handovers = c("dispatch_gemini_reconnects_total",
                    "New connections of running sessions, by cause", "cause=\"goaway\"");
    m_resumes = c("dispatch_gemini_reconnects_total",
                  "New connections of running sessions, by cause", "cause=\"drop\"");
    m_attemptsFailed = c("dispatch_gemini_connect_failures_total",
                         "Connection attempts that closed before setupComplete");
    m_reports = c("dispatch_gemini_reports_total", "Triage reports produced by Gemini");
    m_criticalFlags = c("dispatch_gemini_critical_flags_total", "flag_critical calls");
    m_toolCalls = c("dispatch_gemini_tool_calls_total", "Function calls answered");
    m_promptTokens =
        c("dispatch_gemini_tokens_total", "Tokens reported in usageMetadata", "kind=\"prompt\"");
    m_responseTokens =
        c("dispatch_gemini_tokens_total", "Tokens reported in usageMetadata", "kind=\"response\"");
    m_totalTokens =
        c("dispatch_gemini_tokens_total", "Tokens reported in usageMetadata", "kind=\"total\"");
    m_framesSent = c("dispatch_gemini_video_frames_total", "Camera frames offered to Gemini",
                     "outcome=\"sent\"");
    m_framesDropped = c("dispatch_gemini_video_frames_total", "Camera frames offered to Gemini",
                        "outcome=\"skipped\"");
    m_vitalsSent = c("dispatch_gemini_vitals_texts_total", "Vitals told to the model as text");
    m_unsentBytes = c("dispatch_gemini_unsent_bytes_total",
                      "Bytes still queued on an AI socket when it was aborted or destroyed");
    m_relayLatency = relayLatencyHistogram(registry);
    m_liveSessions = std::make_shared<QSet<const LiveSession *>>();
    m_queuedGauge = std::make_shared<GaugeHandle>(registry.addGauge(
        QStringLiteral("dispatch_gemini_queued_bytes"),
        QStringLiteral("Bytes queued on the AI sockets now, not yet sent"),
        [sessions = m_liveSessions] {
            qint64 queued = 0;
            for (const LiveSession *s : *sessions)
                queued += s->bytesQueued();
            return MetricsRegistry::Samples{{QString(), static_cast<double>(queued)}};
        }));
}

void GeminiCounters::track(const LiveSession *session)
{
    if (m_liveSessions)
        m_liveSessions->insert(session);
}

void GeminiCounters::untrack(const LiveSession *session)
{
    if (m_liveSessions)
        m_liveSessions->remove(session);
}

void GeminiCounters::audioRelayed()
{
    observeRelayLatency(m_relayLatency);
}

void GeminiCounters::sessionFailed(CloseCategory category)
{
    if (!m_registry)
        return;
    ++*m_registry->counter(QStringLiteral("dispatch_gemini_sessions_failed_total"),
                           QStringLiteral("Sessions that ended for good (final error or retries "
                                          "exhausted), by category"),
                           QStringLiteral("category=\"%1\"").arg(toString(category)));
}

} // namespace dispatch::gemini
