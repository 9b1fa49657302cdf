#include "triage/deadlinetimer.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace dispatch {

DeadlineTimer::DeadlineTimer(MonotonicClock clock, QObject *parent)
    : QObject(parent)
    , m_clock(std::move(clock))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_dueMs < 0)
            return;
        if (m_clock() < m_dueMs) {
            arm(); // early: wait for the rest
            return;
        }
        m_dueMs = -1;
        Q_EMIT due();
    });
}

void DeadlineTimer::at(qint64 dueMs)
{
    if (m_dueMs >= 0 && m_dueMs <= dueMs)
        return;
    m_dueMs = dueMs;
    arm();
}

void DeadlineTimer::clear()
{
    m_dueMs = -1;
    m_timer.stop();
}

void DeadlineTimer::arm()
{
    const qint64 in = std::clamp<qint64>(m_dueMs - m_clock(), 0, std::numeric_limits<int>::max());
    m_timer.start(static_cast<int>(in));
}

} // namespace dispatch
