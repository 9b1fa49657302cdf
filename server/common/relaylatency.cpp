#include "common/relaylatency.h"

#include "common/metricsregistry.h"

#include <chrono>

namespace dispatch {

namespace {

thread_local qint64 t_arrivalNs = 0;

} // namespace

AudioArrival::AudioArrival(qint64 atNs)
    : m_previous(t_arrivalNs)
{
    t_arrivalNs = atNs;
}

AudioArrival::~AudioArrival()
{
    t_arrivalNs = m_previous;
}

qint64 AudioArrival::currentNs()
{
    return t_arrivalNs;
}

qint64 AudioArrival::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::vector<double> relayLatencyBuckets()
{
    return {0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004,
            0.005,  0.0075, 0.01,   0.02,   0.05,    0.1,   0.25,   0.5,   1.0};
}

Histogram *relayLatencyHistogram(MetricsRegistry &registry)
{
    return registry.histogram(
        QStringLiteral("dispatch_relay_latency_seconds"),
        QStringLiteral("Caller audio chunk: delivered by the phone's socket to handed to the AI "
                       "session's socket (chunks relayed as they arrive)"),
        relayLatencyBuckets());
}

bool observeRelayLatency(Histogram *histogram, qint64 nowNs)
{
    const qint64 arrival = AudioArrival::currentNs();
    if (!histogram || arrival == 0)
        return false;
    histogram->observe(static_cast<double>(nowNs - arrival) / 1e9);
    return true;
}

} // namespace dispatch
