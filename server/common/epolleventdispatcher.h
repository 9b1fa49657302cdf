#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>
#include <QSet>

#include <atomic>
#include <set>
#include <utility>

namespace dispatch {

// An event dispatcher on Linux epoll for the threads that own many sockets (the headless
// engine's main thread). Qt's own dispatchers (glib's and the UNIX one) hand every registered
// descriptor to poll(2) on every wake-up, so each 20 ms audio chunk costs more as calls are
// added; with epoll a wake-up costs what is ready, not what is open (docs/PERFORMANCE.md).
//
// Semantics follow Qt's UNIX dispatcher: posted events first, then sockets, then timers; level
// triggered (a notifier fires again while data is unread); zero-interval timers run once per
// pass; a timer never re-enters its own timerEvent from a nested loop; a notifier or timer
// removed while others are being delivered is not delivered. Coarse timers are kept as precise
// ones (allowed: coarse means within 5 %); very coarse timers round to whole seconds.
//
// Not for a GUI thread: the platform plugin's dispatcher must run there (window-system events).
// Install before the QCoreApplication (QCoreApplication::setEventDispatcher) or before a
// QThread starts (QThread::setEventDispatcher).
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused an epoll or eventfd descriptor (then do not install it).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    // epoll_ctl calls made so far (tests: a toggle and back within a pass makes none).
    quint64 kernelUpdates() const { return m_kernelUpdates; }

    void wakeUp() override;
    void interrupt() override;

private:
    struct Descriptor
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 registered = 0; // the epoll events the kernel watches for this descriptor
    };
    struct Timer
    {
        int id = 0;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0;
        bool inTimerEvent = false;
    };

    void updateDescriptor(int fd);
    void applyChanges();
    void commitDescriptor(QHash<int, Descriptor>::iterator it, quint32 wanted);
    void markReady(int fd, quint32 revents);
    int activateNotifiers();
    int activateTimers();
    int waitTimeoutMs() const;
    void drainWakeUps();

    int m_epoll = -1;
    int m_wakeFd = -1;
    int m_wakeOnlyEpoll = -1; // the wake-up descriptor alone: waits that exclude the sockets
    std::atomic<bool> m_interrupted{false};
    std::atomic<bool> m_wakePending{false}; // written to m_wakeFd, not yet drained
    QHash<int, Descriptor> m_descriptors;
    quint64 m_kernelUpdates = 0;
    QSet<int> m_changed;     // watched descriptors whose events change at the next wait
    QSet<int> m_alwaysReady; // regular files: epoll refuses them, poll(2) calls them ready
    QSet<QSocketNotifier *> m_pending;        // ready, not yet delivered
    QList<QSocketNotifier *> m_deliveryOrder; // the same, in the order they became ready
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline in ns, timer id)
};

} // namespace dispatch
