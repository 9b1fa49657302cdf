#include "net/guardedserver.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace dispatch {

namespace {

// Sockets still in their handshake count against QTcpServer's pending-connection limit, and a
// server at that limit stops accepting. Qt's default (30) would let one address pause the TLS
// listener for everyone; the guard's per-address limit is the bound that matters.
constexpr int HandshakesInFlight = 4096;
constexpr int ResumeAcceptingAfterMs = 250;

Q_LOGGING_CATEGORY(lcListener, "dispatch.server.listener")

// When accept() fails for a reason Qt does not call temporary (out of file descriptors or
// buffers, a connection aborted before it was accepted), QTcpServer pauses accepting for good:
// the console would stop taking calls and nothing would say so. Accept again after a short
// pause that lets the cause clear (descriptors freed), with a log line each time.
void keepAccepting(QTcpServer &server)
{
    QObject::connect(&server, &QTcpServer::acceptError, &server, [&server] {
        qCWarning(lcListener).noquote()
            << "accepting a connection failed:" << server.errorString()
            << QStringLiteral("- accepting again in %1 ms").arg(ResumeAcceptingAfterMs);
        QTimer::singleShot(ResumeAcceptingAfterMs, &server, [&server] {
            if (server.isListening())
                server.resumeAccepting();
        });
    });
}

} // namespace

template<>
GuardedTcpServer::GuardedServer(ConnectionGuard::Limits limits,
                                ConnectionGuard::RefusalHandler onRefused, QObject *parent)
    : QTcpServer(parent)
    , m_guard(limits, std::move(onRefused))
{
    keepAccepting(*this);
}

template<> void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        socket->deleteLater();
        return;
    }
    if (m_guard.admit(socket))
        addPendingConnection(socket);
}

template<>
GuardedSslServer::GuardedServer(ConnectionGuard::Limits limits,
                                ConnectionGuard::RefusalHandler onRefused, QObject *parent)
    : QSslServer(parent)
    , m_guard(limits, std::move(onRefused))
{
    keepAccepting(*this);
    setHandshakeTimeout(limits.answerTimeoutMs);
    setMaxPendingConnections(HandshakesInFlight);
    connect(this, &QSslServer::errorOccurred, &m_guard,
            [this](QSslSocket *socket, QAbstractSocket::SocketError error) {
                if (error == QAbstractSocket::SocketTimeoutError && !socket->isEncrypted())
                    m_guard.drop(socket, QStringLiteral("no TLS handshake within %1 ms")
                                             .arg(m_guard.limits().answerTimeoutMs));
            });
}

template<> void GuardedSslServer::incomingConnection(qintptr descriptor)
{
    // QSslServer makes the socket (a child of this server), starts its handshake timeout and
    // queues it once encrypted; the newest child with this descriptor is it.
    QSslServer::incomingConnection(descriptor);
    QSslSocket *socket = nullptr;
    const QObjectList &kids = children();
    for (auto it = kids.crbegin(); it != kids.crend() && !socket; ++it) {
        auto *candidate = qobject_cast<QSslSocket *>(*it);
        if (candidate && candidate->socketDescriptor() == descriptor)
            socket = candidate;
    }
    if (!socket)
        return; // QSslServer could not take the descriptor
    // Until the socket is encrypted and queued (QSslServer then drops its connections to this
    // server, these two included; the HTTP server owns it from there):
    // - QSslServer deletes a socket whose handshake failed or timed out, not one the guard
    //   aborted, so a disconnected socket is deleted here;
    // - a socket that leaves while the server stopped accepting at its pending-connection limit
    //   resumes accepting (QSslServer resumes only after its own handshake timeout).
    connect(socket, &QAbstractSocket::disconnected, this, [socket] { socket->deleteLater(); });
    connect(socket, &QObject::destroyed, this, [this] {
        if (isListening())
            resumeAccepting();
    });
    m_guard.admit(socket);
}

} // namespace dispatch
