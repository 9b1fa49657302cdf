#include "guardedtcpserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace dispatch {

GuardedTcpServer::GuardedTcpServer(
    Limits limits, std::function<void(const QHostAddress &, const QString &)> onRefused,
    QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_onRefused(std::move(onRefused))
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        socket->deleteLater();
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    const QString key = peer.toString();
    if (m_open.value(key) >= m_limits.maxPerAddress) {
        socket->abort();
        socket->deleteLater();
        if (m_onRefused)
            m_onRefused(peer, QStringLiteral("too many open TCP connections from this address"));
        return;
    }
    ++m_open[key];
    const QString id = key + QLatin1Char('|') + QString::number(socket->peerPort());
    // Released once, whichever comes first (an upgraded socket may outlive its disconnection).
    auto released = std::make_shared<bool>(false);
    const auto release = [this, key, id, released] {
        if (*released)
            return;
        *released = true;
        m_deadlines.remove(id);
        auto it = m_open.find(key);
        if (it != m_open.end() && --*it <= 0)
            m_open.erase(it);
    };
    connect(socket, &QTcpSocket::disconnected, this, release);
    connect(socket, &QObject::destroyed, this, release);

    // An answer written back means the request completed. An upgrade is reported through
    // markUpgraded() instead: Qt drops the socket's connections when it hands it to its
    // QWebSocket (the release above then happens when the socket is deleted). A peer that gets
    // neither is dropped.
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(socket, &QTcpSocket::bytesWritten, deadline, &QTimer::stop);
    connect(deadline, &QTimer::timeout, this, [this, socket, peer] {
        if (m_onRefused)
            m_onRefused(
                peer,
                QStringLiteral("no complete request within %1 ms").arg(m_limits.answerTimeoutMs));
        socket->abort();
    });
    deadline->start(m_limits.answerTimeoutMs);
    m_deadlines.insert(id, deadline);
    addPendingConnection(socket);
}

void GuardedTcpServer::markUpgraded(const QHostAddress &peer, quint16 peerPort)
{
    const auto deadline =
        m_deadlines.take(peer.toString() + QLatin1Char('|') + QString::number(peerPort));
    if (deadline)
        deadline->stop();
}

} // namespace dispatch
