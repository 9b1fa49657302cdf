#include "triage/shadowbudget.h"

#include <algorithm>
#include <cmath>

namespace dispatch {

namespace {

constexpr double Epsilon = 1e-9; // sums of tenths of a core are not exact in binary

} // namespace

QString toString(ShadowLimitReason reason)
{
    switch (reason) {
    case ShadowLimitReason::Off:
        return QStringLiteral("off");
    case ShadowLimitReason::Cap:
        return QStringLiteral("cap");
    case ShadowLimitReason::Cpu:
        break;
    case ShadowLimitReason::Latency:
        return QStringLiteral("latency");
    }
    return QStringLiteral("cpu");
}

ShadowBudget::ShadowBudget(ShadowBudgetConfig config, int cap)
    : m_config(config)
    , m_cap(std::max(-1, cap))
{}

void ShadowBudget::addReading(const CpuReading &reading)
{
    m_cores = std::max(1, reading.cores);
    if (m_haveReading && reading.monotonicMs > m_last.monotonicMs) {
        const double seconds = static_cast<double>(reading.monotonicMs - m_last.monotonicMs) / 1000;
        // The process's own use, and the machine's (other processes take CPU from the relay
        // too), as a share of the cores this process may use; whichever is busier.
        double busy = std::max(0.0, reading.processSeconds - m_last.processSeconds) / seconds;
        const double machineTotal = reading.machineTotalSeconds - m_last.machineTotalSeconds;
        if (reading.machineBusySeconds >= 0 && m_last.machineBusySeconds >= 0 && machineTotal > 0) {
            const double share =
                (reading.machineBusySeconds - m_last.machineBusySeconds) / machineTotal;
            busy = std::max(busy, std::clamp(share, 0.0, 1.0) * m_cores);
        }
        const double a = std::clamp(m_config.smoothing, 0.01, 1.0);
        m_busyCores = m_measured ? a * busy + (1 - a) * m_busyCores : busy;
        m_measured = true;
        const quint64 relayed =
            reading.relayedChunks - std::min(reading.relayedChunks, m_last.relayedChunks);
        const quint64 slow = reading.slowChunks - std::min(reading.slowChunks, m_last.slowChunks);
        m_latencyPressure =
            relayed >= std::max<quint64>(1, m_config.minRelayedChunks) &&
            static_cast<double>(slow) > m_config.maxSlowFraction * static_cast<double>(relayed);
        for (int &left : m_pending)
            --left;
        m_pending.erase(
            std::remove_if(m_pending.begin(), m_pending.end(), [](int left) { return left <= 0; }),
            m_pending.end());
        if (m_readingsSinceShed >= 0)
            ++m_readingsSinceShed;
    }
    m_admittedSinceReading = 0;
    m_last = reading;
    m_haveReading = true;
}

double ShadowBudget::headroomCores() const
{
    return m_cores - m_busyCores - static_cast<double>(m_pending.size()) * m_config.shadowCostCores;
}

int ShadowBudget::cpuLimit(int active) const
{
    // Before the first rate: what the cores allow with nothing else running, the pending
    // charges still apply, so a burst of calls at start-up is not all shadowed at once.
    const double spare = headroomCores() - m_config.admitMarginCores;
    const double cost = std::max(0.001, m_config.shadowCostCores);
    return std::max(0, active + static_cast<int>(std::floor(spare / cost + Epsilon)));
}

bool ShadowBudget::mayAdmit(int active) const
{
    if (m_cap == 0 || (m_cap > 0 && active >= m_cap))
        return false;
    if (m_latencyPressure)
        return false;
    if (m_readingsSinceShed >= 0 && m_readingsSinceShed < m_config.cooldownReadings)
        return false;
    if (m_config.maxAdmitsPerReading > 0 && m_admittedSinceReading >= m_config.maxAdmitsPerReading)
        return false;
    return headroomCores() - m_config.shadowCostCores >= m_config.admitMarginCores - Epsilon;
}

void ShadowBudget::admitted()
{
    m_pending.push_back(std::max(1, m_config.settleReadings));
    ++m_admittedSinceReading;
}

int ShadowBudget::toShed(int active) const
{
    if (active <= 0)
        return 0;
    if (m_cap >= 0 && active > m_cap)
        return active - m_cap;
    if (!m_measured || (m_readingsSinceShed >= 0 && m_readingsSinceShed < m_config.settleReadings))
        return 0; // the last shed does not show yet
    if (m_latencyPressure)
        return 1; // whatever the headroom: the relay is late, and shadows take CPU from it
    const double headroom = m_cores - m_busyCores;
    if (headroom >= m_config.shedBelowCores)
        return 0;
    const double cost = std::max(0.001, m_config.shadowCostCores);
    int n = static_cast<int>(std::ceil((m_config.shedBelowCores - headroom) / cost - Epsilon));
    if (headroom < m_config.saturatedBelowCores)
        n = std::max(n, (active + 1) / 2); // how far over is not measurable: halve
    return std::clamp(n, 1, active);
}

void ShadowBudget::shed(int count)
{
    if (count > 0)
        m_readingsSinceShed = 0;
}

int ShadowBudget::limit(int active) const
{
    if (m_cap == 0)
        return 0;
    // Not below the active ones: between the thresholds they stay (hysteresis).
    int n = std::max(active, cpuLimit(active));
    if (m_latencyPressure ||
        (m_readingsSinceShed >= 0 && m_readingsSinceShed < m_config.cooldownReadings))
        n = std::min(n, active); // no admission meanwhile
    return m_cap > 0 ? std::min(n, m_cap) : n;
}

ShadowStatus ShadowBudget::status(int active) const
{
    ShadowStatus s;
    s.active = active;
    s.limit = limit(active);
    if (m_cap == 0)
        s.reason = ShadowLimitReason::Off;
    else if (m_latencyPressure)
        s.reason = ShadowLimitReason::Latency;
    else if (m_cap > 0 && m_cap <= cpuLimit(active))
        s.reason = ShadowLimitReason::Cap;
    else
        s.reason = ShadowLimitReason::Cpu;
    return s;
}

} // namespace dispatch
