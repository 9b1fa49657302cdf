#pragma once

#include <QtGlobal>

namespace dispatch {

// A token bucket: `ratePerSecond` tokens a second, at most `capacity` saved up, full at the
// start. The caller gives the time (a monotonic millisecond count), so it is pure and testable.
class TokenBucket
{
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, double capacity);

    // Takes `amount` tokens if there are that many, else takes none.
    bool take(double amount, qint64 nowMs);
    double available(qint64 nowMs);
    bool isUnlimited() const { return m_rate <= 0; }

private:
    void refill(qint64 nowMs);

    double m_rate = 0; // <= 0: no limit
    double m_capacity = 0;
    double m_tokens = 0;
    qint64 m_lastMs = -1;
};

} // namespace dispatch
