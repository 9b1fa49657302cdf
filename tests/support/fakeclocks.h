#pragma once

#include "common/clock.h"
#include "common/monotonicclock.h"

#include <QDateTime>

// Hand-driven clocks for tests: time moves only when the test says so.
struct FakeClocks
{
    qint64 monotonicMs = 1'000'000;
    QDateTime wall = QDateTime(QDate(2026, 12, 7), QTime(3, 0), Qt::UTC);

    dispatch::MonotonicClock monotonic()
    {
        return [this] { return monotonicMs; };
    }
    dispatch::Clock wallClock()
    {
        return [this] { return wall; };
    }
    // Both clocks move together.
    void advance(qint64 ms)
    {
        monotonicMs += ms;
        wall = wall.addMSecs(ms);
    }
};
