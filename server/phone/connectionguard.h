#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace dispatch {

// The TCP-level guard of a listener, shared by the plain and the TLS listener of the HTTP front
// (GuardedTcpServer, GuardedSslServer): at most `maxPerAddress` open TCP connections per peer
// address (more are aborted at accept), and a connection the server has not answered anything
// on within `answerTimeoutMs` of its accept (a TLS handshake or a request that never completes:
// a half-open or slowloris peer) is aborted. Upgraded WebSockets and answered HTTP requests are
// not timed out here (the WebSocket idle timeout takes over).
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxPerAddress = 256;
        int answerTimeoutMs = 10'000;
    };
    using RefusalHandler = std::function<void(const QHostAddress &, const QString &)>;

    // `onRefused(peer, why)` is called for each aborted connection (for metrics and the log).
    ConnectionGuard(Limits limits, RefusalHandler onRefused, QObject *parent = nullptr);

    const Limits &limits() const { return m_limits; }
    // Counts a socket just accepted against its peer address and starts its answer deadline.
    // Over the address's limit the socket is aborted, reported and deleted later: returns false.
    bool admit(QTcpSocket *socket);
    // Drops an admitted socket for `why` (e.g. its TLS handshake timed out) unless it was
    // answered, upgraded or already dropped: reports it and aborts it. Returns whether it did.
    bool drop(QTcpSocket *socket, const QString &why);
    int openFrom(const QHostAddress &peer) const { return m_open.value(peer.toString()); }
    // The connection from peer:peerPort became a WebSocket: no answer deadline any more.
    void markUpgraded(const QHostAddress &peer, quint16 peerPort);

private:
    void refuse(const QHostAddress &peer, const QString &why);
    void release(const QString &key, const QString &id); // a counted connection has gone

    Limits m_limits;
    RefusalHandler m_onRefused;
    QHash<QString, int> m_open;
    QHash<QString, QPointer<QTimer>> m_deadlines; // by "address|port", until answered
};

} // namespace dispatch
