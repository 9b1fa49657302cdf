#include "connectionguard.h"

#include <QTcpSocket>

#include <memory>
#include <utility>

namespace dispatch {

namespace {

// A socket's admission: its answer deadline, and the release of its count. A child of the
// socket, so it dies with it, and it remembers the peer (a socket forgets its peer address once
// disconnected). The count is released at the socket's disconnection or, at the latest, by this
// destructor: Qt drops every signal connection of a socket it upgrades to a WebSocket
// (QObject::disconnect(), `destroyed` included), but not its children.
class Deadline : public QTimer
{
public:
    Deadline(const QHostAddress &peerAddress, QTcpSocket *socket, std::function<void()> release)
        : QTimer(socket)
        , peer(peerAddress)
        , m_release(std::move(release))
    {
        setObjectName(name());
        setSingleShot(true);
    }
    ~Deadline() override { releaseOnce(); }
    Deadline(const Deadline &) = delete;
    Deadline &operator=(const Deadline &) = delete;

    static QString name() { return QStringLiteral("dispatch-answer-deadline"); }
    static Deadline *of(QTcpSocket *socket)
    {
        // Only this class names a timer so.
        return static_cast<Deadline *>(
            socket->findChild<QTimer *>(name(), Qt::FindDirectChildrenOnly));
    }
    void releaseOnce()
    {
        if (const auto release = std::exchange(m_release, nullptr))
            release();
    }

    const QHostAddress peer;

private:
    std::function<void()> m_release;
};

QString connectionId(const QHostAddress &peer, quint16 port)
{
    return peer.toString() + QLatin1Char('|') + QString::number(port);
}

} // namespace

ConnectionGuard::ConnectionGuard(Limits limits, RefusalHandler onRefused, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_onRefused(std::move(onRefused))
{}

bool ConnectionGuard::admit(QTcpSocket *socket)
{
    const QHostAddress peer = socket->peerAddress();
    const QString key = peer.toString();
    if (m_open.value(key) >= m_limits.maxPerAddress) {
        socket->abort();
        socket->deleteLater();
        refuse(peer, QStringLiteral("too many open TCP connections from this address"));
        return false;
    }
    ++m_open[key];
    const QString id = connectionId(peer, socket->peerPort());
    // An answer written back means the request completed (a QSslSocket signals only the
    // application data it wrote, not its handshake). An upgrade is reported through
    // markUpgraded() instead. A peer that gets neither is dropped. The connections are made to
    // the deadline, not to the listener: QSslServer drops its own connections to an encrypted
    // socket when it queues it.
    auto *deadline = new Deadline(peer, socket, [guard = QPointer<ConnectionGuard>(this), key, id] {
        if (guard)
            guard->release(key, id);
    });
    connect(socket, &QTcpSocket::disconnected, deadline, &Deadline::releaseOnce);
    connect(socket, &QTcpSocket::bytesWritten, deadline, &QTimer::stop);
    connect(deadline, &QTimer::timeout, this, [this, socket, peer] {
        refuse(peer,
               QStringLiteral("no complete request within %1 ms").arg(m_limits.answerTimeoutMs));
        socket->abort();
    });
    deadline->start(m_limits.answerTimeoutMs);
    m_deadlines.insert(id, deadline);
    return true;
}

bool ConnectionGuard::drop(QTcpSocket *socket, const QString &why)
{
    Deadline *deadline = Deadline::of(socket);
    if (!deadline || !deadline->isActive())
        return false;
    deadline->stop();
    refuse(deadline->peer, why);
    socket->abort();
    return true;
}

void ConnectionGuard::markUpgraded(const QHostAddress &peer, quint16 peerPort)
{
    const auto deadline = m_deadlines.take(connectionId(peer, peerPort));
    if (deadline)
        deadline->stop();
}

void ConnectionGuard::release(const QString &key, const QString &id)
{
    m_deadlines.remove(id);
    auto it = m_open.find(key);
    if (it != m_open.end() && --*it <= 0)
        m_open.erase(it);
}

void ConnectionGuard::refuse(const QHostAddress &peer, const QString &why)
{
    if (m_onRefused)
        m_onRefused(peer, why);
}

} // namespace dispatch
