#include "common/tokenbucket.h"

#include <algorithm>

namespace dispatch {

TokenBucket::TokenBucket(double ratePerSecond, double capacity)
    : m_rate(ratePerSecond)
    , m_capacity(capacity)
    , m_tokens(capacity)
{}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_capacity,
                            m_tokens + static_cast<double>(nowMs - m_lastMs) / 1000.0 * m_rate);
    if (nowMs > m_lastMs)
        m_lastMs = nowMs;
}

bool TokenBucket::take(double amount, qint64 nowMs)
{
    if (isUnlimited())
        return true;
    refill(nowMs);
    if (m_tokens < amount)
        return false;
    m_tokens -= amount;
    return true;
}

double TokenBucket::available(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens;
}

} // namespace dispatch
