// The epoll event dispatcher runs this whole test's main thread (installed before the
// QCoreApplication, as the headless console does), so QTest's own waiting runs on it too.
#include "common/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <future>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dispatch;

namespace {

// Both ends of a Unix stream socket pair, closed at the end.
struct SocketPair
{
    int fd[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) == 0); }
    ~SocketPair()
    {
        for (const int f : fd)
            if (f >= 0)
                ::close(f);
    }
    void send(const char *text) const { QVERIFY(::write(fd[1], text, strlen(text)) > 0); }
    QByteArray receive() const
    {
        char buffer[256];
        const ssize_t n = ::read(fd[0], buffer, sizeof buffer);
        return n > 0 ? QByteArray(buffer, n) : QByteArray();
    }
};

// Passes of the event loop that do not wait: a ready descriptor or a due timer is delivered in
// each (level triggered), so "nothing more happened" is checked without waiting on a clock.
void runPasses(int passes = 5)
{
    for (int i = 0; i < passes; ++i)
        QCoreApplication::processEvents();
}

// Runs the loop until a timer `ms` from now has fired (a fence for timers of shorter periods).
void runLoopUntilFence(int ms)
{
    bool fenced = false;
    QTimer::singleShot(ms, Qt::PreciseTimer, [&] { fenced = true; });
    QVERIFY(QTest::qWaitFor([&] { return fenced; }, 5000));
}

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheMainThreadsDispatcher()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireInDeadlineOrder()
    {
        QStringList fired;
        QElapsedTimer clock;
        clock.start();
        for (const int ms : {60, 20, 40, 0, 25})
            QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
                // Late is allowed (a busy machine), early never.
                QVERIFY2(clock.elapsed() >= ms, qPrintable(QString::number(clock.elapsed())));
                fired << QString::number(ms);
            });
        QVERIFY(QTest::qWaitFor([&] { return fired.size() == 5; }, 5000));
        QCOMPARE(fired, (QStringList{"0", "20", "25", "40", "60"}));
    }

    void aRepeatingTimerRepeatsAndReportsWhatIsLeft()
    {
        QTimer repeating;
        repeating.setTimerType(Qt::PreciseTimer);
        int ticks = 0;
        connect(&repeating, &QTimer::timeout, this, [&] { ++ticks; });
        repeating.start(5);
        QTimer slow;
        slow.start(60'000);
        const int left = slow.remainingTime();
        QVERIFY2(left > 59'000 && left <= 60'000, qPrintable(QString::number(left)));
        QVERIFY(QTest::qWaitFor([&] { return ticks >= 10; }, 5000));
        repeating.stop();
        const int after = ticks;
        runLoopUntilFence(30);  // six periods of the stopped timer
        QCOMPARE(ticks, after); // stopped means stopped
        const auto timers = QAbstractEventDispatcher::instance()->registeredTimers(&slow);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().interval, 60'000);
    }

    void aTimerKilledByAnEarlierOneInTheSamePassDoesNotFire()
    {
        // Two timers due in the same pass: whichever runs first stops the other.
        QTimer a;
        QTimer b;
        int fired = 0;
        for (QTimer *t : {&a, &b}) {
            t->setSingleShot(true);
            connect(t, &QTimer::timeout, this, [&, t] {
                ++fired;
                (t == &a ? b : a).stop();
            });
        }
        a.start(0); // both due at the loop's next pass
        b.start(0);
        QVERIFY(QTest::qWaitFor([&] { return fired > 0; }, 5000));
        runPasses();
        QCOMPARE(fired, 1);
    }

    void aTimerDoesNotReenterItselfFromANestedLoop()
    {
        QTimer outer;
        int entered = 0;
        int maxDepth = 0;
        int depth = 0;
        connect(&outer, &QTimer::timeout, this, [&] {
            ++entered;
            ++depth;
            maxDepth = std::max(maxDepth, depth);
            if (entered == 1) {
                QEventLoop nested;
                QTimer::singleShot(50, &nested, &QEventLoop::quit); // 10 periods of `outer`
                nested.exec();
            }
            --depth;
        });
        outer.start(5);
        QVERIFY(QTest::qWaitFor([&] { return entered >= 3; }, 5000));
        outer.stop();
        QCOMPARE(maxDepth, 1);
    }

    void aReadableSocketIsDeliveredUntilRead()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
        int activations = 0;
        QByteArray got;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            if (++activations == 3) // level triggered: unread data is reported again
                got = pair.receive();
        });
        runPasses();
        QCOMPARE(activations, 0);
        pair.send("hello");
        QVERIFY(QTest::qWaitFor([&] { return !got.isEmpty(); }, 5000));
        QCOMPARE(got, QByteArray("hello"));
        runPasses();
        QCOMPARE(activations, 3);

        notifier.setEnabled(false);
        pair.send("again");
        runPasses();
        QCOMPARE(activations, 3);
        notifier.setEnabled(true);
        QVERIFY(QTest::qWaitFor([&] { return activations == 4; }, 5000));
    }

    void readAndWriteNotifiersShareADescriptor()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fd[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fd[0], QSocketNotifier::Write);
        int reads = 0;
        int writes = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            pair.receive();
        });
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writer.setEnabled(false); // as QAbstractSocket does once its buffer is written
        });
        QVERIFY(QTest::qWaitFor([&] { return writes == 1; }, 5000));
        pair.send("x");
        QVERIFY(QTest::qWaitFor([&] { return reads == 1; }, 5000));
        runPasses();
        QCOMPARE(writes, 1);
        QCOMPARE(reads, 1);
    }

    // A socket's write notifier goes on with each write and off with the flush that follows:
    // within one pass that costs the kernel nothing, and a change that stays is applied before
    // the next wait (the notifier is delivered, or no longer delivered).
    void aToggleWithinAPassCostsNoSystemCallAndAChangeThatStaysApplies()
    {
        auto *epoll = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
        QVERIFY(epoll);
        SocketPair pair;
        QSocketNotifier reader(pair.fd[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fd[0], QSocketNotifier::Write);
        writer.setEnabled(false);
        int writes = 0;
        connect(&writer, &QSocketNotifier::activated, this, [&] { ++writes; });
        runPasses();

        const quint64 before = epoll->kernelUpdates();
        for (int i = 0; i < 100; ++i) { // a hundred writes flushed at once
            writer.setEnabled(true);
            writer.setEnabled(false);
        }
        runPasses();
        QCOMPARE(epoll->kernelUpdates(), before);
        QCOMPARE(writes, 0);

        writer.setEnabled(true); // a write the kernel did not take: wait until it can
        QVERIFY(QTest::qWaitFor([&] { return writes > 0; }, 5000));
        QCOMPARE(epoll->kernelUpdates(), before + 1);
        writer.setEnabled(false);
        runPasses();
        const int delivered = writes;
        runPasses();
        QCOMPARE(writes, delivered); // off again: no longer delivered though still writable
        QCOMPARE(epoll->kernelUpdates(), before + 2);

        pair.send("x"); // and the read interest was never lost on the way
        bool read = false;
        connect(&reader, &QSocketNotifier::activated, this,
                [&] { read = !pair.receive().isEmpty(); });
        QVERIFY(QTest::qWaitFor([&] { return read; }, 5000));
    }

    void aNotifierDeletedByAnotherHandlerIsNotDelivered()
    {
        SocketPair first;
        SocketPair second;
        auto a = std::make_unique<QSocketNotifier>(first.fd[0], QSocketNotifier::Read);
        auto b = std::make_unique<QSocketNotifier>(second.fd[0], QSocketNotifier::Read);
        int delivered = 0;
        // Whichever is delivered first deletes the other; the other must never be delivered.
        connect(a.get(), &QSocketNotifier::activated, this, [&] {
            ++delivered;
            b.reset();
            first.receive();
        });
        connect(b.get(), &QSocketNotifier::activated, this, [&] {
            ++delivered;
            a.reset();
            second.receive();
        });
        first.send("1");
        second.send("2");
        QVERIFY(QTest::qWaitFor([&] { return delivered > 0; }, 5000));
        runPasses();
        QCOMPARE(delivered, 1);
    }

    void aZeroTimerDoesNotStarveSockets()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
        bool read = false;
        connect(&notifier, &QSocketNotifier::activated, this,
                [&] { read = !pair.receive().isEmpty(); });
        QTimer busy; // an idle-time worker, as QTimer(0) is used for
        int spins = 0;
        connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
        busy.start(0);
        pair.send("data");
        QVERIFY(QTest::qWaitFor([&] { return read; }, 5000));
        QVERIFY(spins > 0);
    }

    void excludedSocketsWaitForALaterPass()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            ++activations;
            pair.receive();
        });
        pair.send("x");
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
        QCOMPARE(activations, 0);
        QVERIFY(QTest::qWaitFor([&] { return activations == 1; }, 5000));
    }

    void aRegularFileIsAlwaysReadyAsWithPoll()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("contents");
        file.flush();
        QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            if (++activations == 2)
                notifier.setEnabled(false);
        });
        QVERIFY(QTest::qWaitFor([&] { return activations == 2; }, 5000));
        runPasses();
        QCOMPARE(activations, 2);
    }

    void anotherThreadWakesABlockedLoop()
    {
        // No timer in the loop: only the post from the other thread can end it.
        QEventLoop loop;
        bool delivered = false;
        std::promise<void> blocking;
        const auto aboutToBlock =
            connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock,
                    this, [&, once = true]() mutable {
                        if (std::exchange(once, false))
                            blocking.set_value();
                    });
        std::thread poster([&, blocked = blocking.get_future()] {
            blocked.wait(); // the loop is (about to be) asleep in epoll_wait
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    delivered = true;
                    loop.quit();
                },
                Qt::QueuedConnection);
        });
        QTimer::singleShot(10'000, &loop, &QEventLoop::quit); // a watchdog, not the way out
        loop.exec();
        poster.join();
        disconnect(aboutToBlock);
        QVERIFY(delivered);
    }

    void anotherThreadInterruptsTheLoop()
    {
        QEventLoop loop;
        std::promise<void> blocking;
        const auto aboutToBlock =
            connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock,
                    this, [&, once = true]() mutable {
                        if (std::exchange(once, false))
                            blocking.set_value();
                    });
        std::thread stopper([&, blocked = blocking.get_future()] {
            blocked.wait();
            loop.exit(7); // from another thread: interrupt() and wakeUp()
        });
        QTimer::singleShot(10'000, &loop, [&] { loop.exit(-1); }); // a watchdog
        const int rc = loop.exec();
        stopper.join();
        disconnect(aboutToBlock);
        QCOMPARE(rc, 7);
    }

    void carriesWebSocketTrafficBothWays()
    {
        QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QList<QWebSocket *> peers;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *peer = server.nextPendingConnection();
            peers << peer;
            connect(peer, &QWebSocket::binaryMessageReceived, peer,
                    [peer](const QByteArray &m) { peer->sendBinaryMessage(m); });
        });
        constexpr int Clients = 20;
        constexpr int Messages = 50;
        std::vector<std::unique_ptr<QWebSocket>> clients;
        int echoed = 0;
        for (int c = 0; c < Clients; ++c) {
            auto socket = std::make_unique<QWebSocket>();
            QWebSocket *raw = socket.get();
            connect(raw, &QWebSocket::connected, this, [raw] {
                for (int m = 0; m < Messages; ++m)
                    raw->sendBinaryMessage(QByteArray(640, char(m)));
            });
            connect(raw, &QWebSocket::binaryMessageReceived, this,
                    [&](const QByteArray &m) { echoed += m.size() == 640 ? 1 : 0; });
            raw->open(server.serverUrl());
            clients.push_back(std::move(socket));
        }
        QVERIFY(QTest::qWaitFor([&] { return echoed == Clients * Messages; }, 20'000));
        for (auto &c : clients)
            c->close();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(peers.cbegin(), peers.cend(), [](QWebSocket *p) {
                    return p->state() == QAbstractSocket::UnconnectedState;
                });
            },
            5000));
        qDeleteAll(peers);
    }
};

int main(int argc, char **argv)
{
    auto *dispatcher = new EpollEventDispatcher;
    if (!dispatcher->isValid())
        return 1;
    QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
