#pragma once

#include "common/monotonicclock.h"

#include <QObject>
#include <QTimer>

namespace dispatch {

// A single-shot timer aimed at a time on a MonotonicClock: at() keeps the earliest time asked
// for, and due() comes once the clock has reached it (a coarse timer that fires early is
// re-armed for the rest). A test driving a fake clock acts on its deadlines itself.
class DeadlineTimer : public QObject
{
    Q_OBJECT

public:
    explicit DeadlineTimer(MonotonicClock clock, QObject *parent = nullptr);

    void at(qint64 dueMs);
    void clear();
    qint64 dueMs() const { return m_dueMs; } // -1: none

Q_SIGNALS:
    void due();

private:
    void arm();

    MonotonicClock m_clock;
    QTimer m_timer;
    qint64 m_dueMs = -1;
};

} // namespace dispatch
