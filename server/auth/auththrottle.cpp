#include "auth/auththrottle.h"

namespace dispatch {

AuthThrottle::AuthThrottle()
    : AuthThrottle(Limits{})
{}

AuthThrottle::AuthThrottle(Limits limits)
    : m_limits(limits)
{}

QString AuthThrottle::keyOf(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // IPv4-mapped IPv6 too
    if (isV4)
        return QHostAddress(v4).toString();
    if (peer.protocol() != QAbstractSocket::IPv6Protocol)
        return peer.toString();
    Q_IPV6ADDR bytes = peer.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

qint64 AuthThrottle::blockedForMs(const QHostAddress &peer, qint64 nowMs) const
{
    const auto it = m_entries.constFind(keyOf(peer));
    if (it == m_entries.cend() || it->blockedUntilMs <= nowMs)
        return 0;
    return it->blockedUntilMs - nowMs;
}

bool AuthThrottle::recordFailure(const QHostAddress &peer, qint64 nowMs)
{
    if (m_entries.size() >= MaxTracked)
        prune(nowMs);
    const QString key = keyOf(peer);
    if (m_entries.size() >= MaxTracked && !m_entries.contains(key))
        return false; // a flood of addresses: each still waits for its own failures to count
    Entry &e = m_entries[key];
    if (e.blockedUntilMs > nowMs)
        return false; // blocked already (its tokens are not even checked)
    if (nowMs - e.windowStartMs >= m_limits.windowMs || e.failures == 0) {
        e.windowStartMs = nowMs;
        e.failures = 0;
    }
    if (++e.failures < m_limits.maxFailures)
        return false;
    e.blockedUntilMs = nowMs + m_limits.blockMs;
    e.failures = 0;
    return true;
}

void AuthThrottle::prune(qint64 nowMs)
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const bool blocked = it->blockedUntilMs > nowMs;
        const bool counting = it->failures > 0 && nowMs - it->windowStartMs < m_limits.windowMs;
        if (!blocked && !counting)
            it = m_entries.erase(it);
        else
            ++it;
    }
}

} // namespace dispatch
