#include "phone/newcalllimiter.h"

namespace dispatch {

NewCallLimiter::NewCallLimiter(Limits limits)
    : m_limits(limits)
{}

NewCallLimiter::Verdict NewCallLimiter::admit(const QString &address, int ringingFromAddress,
                                              qint64 nowMs)
{
    // Forget addresses whose window has passed, so the table stays as small as the traffic.
    for (auto it = m_starts.begin(); it != m_starts.end();) {
        it->removeIf([&](qint64 at) { return nowMs - at >= m_limits.windowMs; });
        it = it->isEmpty() ? m_starts.erase(it) : std::next(it);
    }
    if (m_limits.maxRingingPerAddress > 0 && ringingFromAddress >= m_limits.maxRingingPerAddress)
        return Verdict::TooManyRinging;
    QList<qint64> &starts = m_starts[address];
    if (m_limits.maxCallsPerWindow > 0 && starts.size() >= m_limits.maxCallsPerWindow) {
        if (starts.isEmpty())
            m_starts.remove(address);
        return Verdict::TooFast;
    }
    starts.append(nowMs);
    return Verdict::Admit;
}

} // namespace dispatch
