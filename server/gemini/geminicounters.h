#pragma once

#include "gemini/closeclassification.h"

#include <QSet>
#include <QtGlobal>

#include <memory>

namespace dispatch {
class Histogram;
class GaugeHandle;
class MetricsRegistry;
} // namespace dispatch

namespace dispatch::gemini {

class LiveSession;

// Process-wide counters of every triage session, exported at GET /metrics. Default-constructed
// (no registry) every counter is a no-op, so tests need not care.
class GeminiCounters
{
public:
    GeminiCounters() = default;
    explicit GeminiCounters(MetricsRegistry &registry);

    void audioSent(qint64 bytes) { add(m_audioBytesSent, bytes); }
    // The chunk being delivered by a phone now has been handed to the AI's socket
    // (dispatch_relay_latency_seconds; see common/relaylatency.h).
    void audioRelayed();
    void replayed(qint64 bytes, qint64 duplicate)
    {
        add(m_replayedBytes, bytes);
        add(m_duplicateBytes, duplicate);
    }
    void overflow(qint64 bytes) { add(m_overflowBytes, bytes); }
    void handover() { add(m_handovers, 1); }
    void resumed() { add(m_resumes, 1); }
    void attemptFailed() { add(m_attemptsFailed, 1); }
    void report() { add(m_reports, 1); }
    void criticalFlag() { add(m_criticalFlags, 1); }
    void toolCall() { add(m_toolCalls, 1); }
    void tokens(qint64 prompt, qint64 response, qint64 total)
    {
        add(m_promptTokens, prompt);
        add(m_responseTokens, response);
        add(m_totalTokens, total);
    }
    void frame(bool sent) { add(sent ? m_framesSent : m_framesDropped, 1); }
    void vitalsSent() { add(m_vitalsSent, 1); }
    void sessionFailed(CloseCategory category);
    // Bytes still queued on an AI socket when it was aborted or destroyed: never sent.
    void unsent(qint64 bytes) { add(m_unsentBytes, bytes); }
    // Live connections, summed by the dispatch_gemini_queued_bytes gauge when /metrics is read.
    // A session registers itself for its whole life (LiveSession's constructor/destructor).
    void track(const LiveSession *session);
    void untrack(const LiveSession *session);

private:
    static void add(quint64 *counter, qint64 n)
    {
        if (counter && n > 0)
            *counter += static_cast<quint64>(n);
    }

    MetricsRegistry *m_registry = nullptr;
    std::shared_ptr<GaugeHandle> m_queuedGauge; // shared by the copies; the last one removes it
    quint64 *m_audioBytesSent = nullptr;
    quint64 *m_replayedBytes = nullptr;
    quint64 *m_duplicateBytes = nullptr;
    quint64 *m_overflowBytes = nullptr;
    quint64 *m_handovers = nullptr;
    quint64 *m_resumes = nullptr;
    quint64 *m_attemptsFailed = nullptr;
    quint64 *m_reports = nullptr;
    quint64 *m_criticalFlags = nullptr;
    quint64 *m_toolCalls = nullptr;
    quint64 *m_promptTokens = nullptr;
    quint64 *m_responseTokens = nullptr;
    quint64 *m_totalTokens = nullptr;
    quint64 *m_framesSent = nullptr;
    quint64 *m_framesDropped = nullptr;
    quint64 *m_vitalsSent = nullptr;
    quint64 *m_unsentBytes = nullptr;
    Histogram *m_relayLatency = nullptr;
    // Shared by every copy (each LiveSupervisorConfig and LiveSessionConfig holds one) and the
    // gauge.
    std::shared_ptr<QSet<const LiveSession *>> m_liveSessions;
};

} // namespace dispatch::gemini
