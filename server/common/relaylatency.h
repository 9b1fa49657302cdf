#pragma once

#include <QtGlobal>

#include <vector>

namespace dispatch {

class Histogram;
class MetricsRegistry;

// Relay latency of caller audio: from the moment a phone's 20 ms chunk is delivered by its
// WebSocket (CallerHub) to the moment the AI session has handed that same chunk to the AI's
// socket (LiveSupervisor, after LiveSession::sendAudio). The path between the two is
// synchronous on the server thread, so the arrival time travels as a thread-local mark held for
// the duration of the delivery. Chunks that are not relayed during their own delivery (held
// while a session connects or resumes, replayed later) are not measured: they are counted by the
// replay counters instead.
class AudioArrival
{
public:
    // Marks "a chunk arrived at `atNs`" (default: now) until the end of the scope (nests:
    // restores the outer mark).
    explicit AudioArrival(qint64 atNs = nowNs());
    ~AudioArrival();
    AudioArrival(const AudioArrival &) = delete;
    AudioArrival &operator=(const AudioArrival &) = delete;

    // Monotonic nanoseconds of the chunk being delivered now; 0 outside a delivery.
    static qint64 currentNs();
    static qint64 nowNs(); // steady (monotonic) clock

private:
    qint64 m_previous;
};

// Seconds, 0.1 ms .. 1 s: fine where the 5 ms target is.
std::vector<double> relayLatencyBuckets();

// The histogram `dispatch_relay_latency_seconds` of `registry`.
Histogram *relayLatencyHistogram(MetricsRegistry &registry);

// Observes nowNs - AudioArrival::currentNs() into `histogram` when a chunk is being delivered;
// returns whether it did. No-op with a null histogram.
bool observeRelayLatency(Histogram *histogram, qint64 nowNs = AudioArrival::nowNs());

} // namespace dispatch
