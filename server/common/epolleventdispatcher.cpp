#include "common/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace dispatch {

namespace {

Q_LOGGING_CATEGORY(lcEventLoop, "dispatch.eventloop")

constexpr int MaxEventsPerWait = 256;

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

quint32 wantedEvents(const QSocketNotifier *read, const QSocketNotifier *write,
                     const QSocketNotifier *exception)
{
    return (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u) | (exception ? EPOLLPRI : 0u);
}

bool addToEpoll(int epoll, int fd, quint32 events)
{
    epoll_event e{};
    e.events = events;
    e.data.fd = fd;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &e) == 0;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_wakeOnlyEpoll(epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0 || m_wakeFd < 0 || m_wakeOnlyEpoll < 0 ||
        !addToEpoll(m_epoll, m_wakeFd, EPOLLIN) ||
        !addToEpoll(m_wakeOnlyEpoll, m_wakeFd, EPOLLIN)) {
        qCCritical(lcEventLoop) << "cannot set up epoll:" << std::strerror(errno);
        for (int *fd : {&m_epoll, &m_wakeFd, &m_wakeOnlyEpoll}) {
            if (*fd >= 0)
                ::close(*fd);
            *fd = -1;
        }
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    for (const int fd : {m_epoll, m_wakeFd, m_wakeOnlyEpoll})
        if (fd >= 0)
            ::close(fd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool withSockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool withTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load() &&
                         (!withSockets || m_alwaysReady.isEmpty());
    int timeoutMs = 0;
    if (mayWait) {
        timeoutMs = withTimers ? waitTimeoutMs() : -1;
        if (timeoutMs != 0)
            Q_EMIT aboutToBlock();
    }

    if (withSockets)
        applyChanges();
    epoll_event events[MaxEventsPerWait];
    int ready;
    do {
        ready = epoll_wait(withSockets ? m_epoll : m_wakeOnlyEpoll, events, MaxEventsPerWait,
                           timeoutMs);
    } while (ready < 0 && errno == EINTR);
    if (ready < 0) {
        qCWarning(lcEventLoop) << "epoll_wait failed:" << std::strerror(errno);
        ready = 0;
    }

    int handled = 0;
    for (int i = 0; i < ready; ++i) {
        if (events[i].data.fd == m_wakeFd) {
            drainWakeUps();
            ++handled;
        } else if (withSockets) {
            markReady(events[i].data.fd, events[i].events);
        }
    }
    if (withSockets) {
        for (const int fd : std::as_const(m_alwaysReady))
            markReady(fd, EPOLLIN | EPOLLOUT);
        handled += activateNotifiers();
    }
    if (withTimers)
        handled += activateTimers();
    return handled > 0;
}

void EpollEventDispatcher::drainWakeUps()
{
    m_wakePending.store(false);
    quint64 count = 0;
    while (::read(m_wakeFd, &count, sizeof count) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::wakeUp()
{
    if (m_wakePending.exchange(true))
        return; // already woken, not yet drained
    const quint64 one = 1;
    while (::write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

// --- sockets ---

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Descriptor &d = m_descriptors[fd];
    QSocketNotifier **slot = notifier->type() == QSocketNotifier::Read    ? &d.read
                             : notifier->type() == QSocketNotifier::Write ? &d.write
                                                                          : &d.exception;
    if (*slot && *slot != notifier)
        qCWarning(lcEventLoop) << "a second socket notifier of the same type for descriptor" << fd
                               << "replaces the first";
    *slot = notifier;
    updateDescriptor(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_pending.remove(notifier); // its place in the delivery order is skipped
    const int fd = int(notifier->socket());
    const auto it = m_descriptors.find(fd);
    if (it == m_descriptors.end())
        return;
    for (QSocketNotifier **slot : {&it->read, &it->write, &it->exception})
        if (*slot == notifier)
            *slot = nullptr;
    updateDescriptor(fd);
}

void EpollEventDispatcher::updateDescriptor(int fd)
{
    const auto it = m_descriptors.find(fd);
    if (it == m_descriptors.end())
        return;
    const quint32 wanted = wantedEvents(it->read, it->write, it->exception);
    if (wanted == it->registered) {
        m_changed.remove(fd); // toggled and back before the wait: nothing for the kernel
        return;
    }
    if (wanted != 0 && it->registered != 0 && !m_alwaysReady.contains(fd)) {
        // Watched and still wanted, only the events change: told to the kernel just before the
        // next wait (applyChanges). A socket's write notifier is enabled by each write and
        // disabled by the flush that follows; the pair then costs no system call. Adding and
        // removing stay immediate: a removed descriptor may be closed and its number reused.
        m_changed.insert(fd);
        return;
    }
    m_changed.remove(fd);
    commitDescriptor(it, wanted);
}

void EpollEventDispatcher::applyChanges()
{
    const QSet<int> changed = std::exchange(m_changed, {});
    for (const int fd : changed) {
        const auto it = m_descriptors.find(fd);
        if (it != m_descriptors.end())
            commitDescriptor(it, wantedEvents(it->read, it->write, it->exception));
    }
}

void EpollEventDispatcher::commitDescriptor(QHash<int, Descriptor>::iterator it, quint32 wanted)
{
    const int fd = it.key();
    if (wanted == it->registered)
        return;
    if (!m_alwaysReady.contains(fd))
        ++m_kernelUpdates;
    if (m_alwaysReady.contains(fd)) {
        it->registered = wanted;
    } else if (wanted == 0) {
        // The descriptor may be closed already (the kernel then dropped it from the set).
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    } else {
        epoll_event e{};
        e.events = wanted;
        e.data.fd = fd;
        const int op = it->registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        int rc = epoll_ctl(m_epoll, op, fd, &e);
        if (rc < 0 && op == EPOLL_CTL_MOD && errno == ENOENT) // closed and its number reused
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &e);
        if (rc < 0 && op == EPOLL_CTL_ADD && errno == EEXIST) // closed, reused, still watched
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &e);
        if (rc < 0 && errno == EPERM) {
            // A regular file: poll(2) calls it always ready, so do we.
            m_alwaysReady.insert(fd);
            rc = 0;
        }
        if (rc < 0) {
            qCWarning(lcEventLoop)
                << "cannot watch descriptor" << fd << ":" << std::strerror(errno);
            return;
        }
    }
    it->registered = wanted;
    if (wanted == 0) {
        m_alwaysReady.remove(fd);
        m_descriptors.erase(it);
    }
}

void EpollEventDispatcher::markReady(int fd, quint32 revents)
{
    const auto it = m_descriptors.constFind(fd);
    if (it == m_descriptors.constEnd())
        return;
    const quint32 failed = EPOLLHUP | EPOLLERR;
    const std::pair<QSocketNotifier *, quint32> kinds[] = {
        {it->read, EPOLLIN | EPOLLRDHUP | failed},
        {it->write, EPOLLOUT | failed},
        {it->exception, EPOLLPRI | failed},
    };
    for (const auto &[notifier, mask] : kinds)
        if (notifier && (revents & mask) && !m_pending.contains(notifier)) {
            m_pending.insert(notifier);
            m_deliveryOrder.append(notifier);
        }
}

int EpollEventDispatcher::activateNotifiers()
{
    int delivered = 0;
    // A handler may disable or delete any notifier: unregisterSocketNotifier() then takes it
    // out of m_pending, so only notifiers still registered are delivered (a stale entry in the
    // order is skipped). Both steps cost the same however many sockets are ready.
    for (qsizetype i = 0; i < m_deliveryOrder.size(); ++i) {
        QSocketNotifier *notifier = m_deliveryOrder.at(i);
        if (!m_pending.remove(notifier))
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++delivered;
    }
    m_deliveryOrder.clear();
    return delivered;
}

// --- timers ---

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer t;
    t.id = timerId;
    t.type = timerType;
    t.object = object;
    t.intervalMs = timerType == Qt::VeryCoarseTimer ? (interval + 500) / 1000 * 1000 : interval;
    t.deadlineNs = nowNs() + t.intervalMs * 1'000'000;
    m_deadlines.insert({t.deadlineNs, timerId});
    m_timers.insert(timerId, t);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_deadlines.erase({it->deadlineNs, it->id});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const Timer &t : m_timers)
        if (t.object == object)
            list.append(TimerInfo(t.id, int(t.intervalMs), t.type));
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    const qint64 left = it->deadlineNs - nowNs();
    return left <= 0 ? 0 : int((left + 999'999) / 1'000'000);
}

int EpollEventDispatcher::waitTimeoutMs() const
{
    // The first timer not inside its own timerEvent (a nested loop must not spin on it).
    for (const auto &[deadline, id] : m_deadlines) {
        if (m_timers.value(id).inTimerEvent)
            continue;
        const qint64 left = deadline - nowNs();
        return left <= 0 ? 0 : int(std::min<qint64>((left + 999'999) / 1'000'000, INT_MAX));
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = nowNs();
    QVarLengthArray<int, 64> due;
    for (const auto &[deadline, id] : m_deadlines) {
        if (deadline > now)
            break;
        due.append(id);
    }
    int fired = 0;
    for (const int id : due) {
        const auto it = m_timers.find(id);
        // Gone, restarted by an earlier handler of this pass, or in its own timerEvent.
        if (it == m_timers.end() || it->deadlineNs > now || it->inTimerEvent)
            continue;
        m_deadlines.erase({it->deadlineNs, id});
        qint64 next = it->deadlineNs + it->intervalMs * 1'000'000;
        if (next <= now) // fell behind: no burst of catch-up events
            next = now + it->intervalMs * 1'000'000;
        it->deadlineNs = next;
        m_deadlines.insert({next, id});
        it->inTimerEvent = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        // The handler may have killed the timer (or killed it and got the same id back).
        if (const auto again = m_timers.find(id); again != m_timers.end())
            again->inTimerEvent = false;
    }
    return fired;
}

} // namespace dispatch
