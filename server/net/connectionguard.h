#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <functional>

class QTcpSocket;

namespace dispatch {

class ConnectionWatch;

// The TCP-level guard of a listener, shared by the plain and the TLS listener of the HTTP front
// (GuardedTcpServer, GuardedSslServer), below TLS and HTTP:
// - at most `maxPerAddress` open TCP connections per peer address (more are aborted at accept);
// - a deadline for every request: the first one from the accept (TLS handshake included), each
//   later one on a keep-alive connection from its first byte (or from the previous answer when
//   it was already under way) until the server answers it; a peer that misses it is aborted
//   (half-open, slowloris, a request dribbled byte by byte);
// - a keep-alive connection idle for `idleTimeoutMs` after an answer is closed;
// - every request's bytes are followed as they arrive (HttpFramer), before Qt's HTTP parser
//   reads them: a request with an oversized header block, a body over `maxBodyBytes`, a chunked
//   body or ambiguous framing is answered 431/413/400 and the connection closed, and Qt never
//   buffers it;
// - a peer that keeps sending requests without reading `maxUnreadResponseBytes` of answers is
//   aborted.
// Upgraded WebSockets are not watched any more once markUpgraded() is called (the WebSocket
// idle timeout takes over).
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxPerAddress = 256;
        int answerTimeoutMs = 10'000;
        int idleTimeoutMs = 5'000;
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024;
        qint64 maxUnreadResponseBytes = 1024 * 1024;
    };
    // `code` is machine-readable ("too_many_connections", "timeout", "header_too_large",
    // "body_too_large", "body_not_accepted", "bad_request", "responses_not_read"), `why` a
    // sentence for the log.
    using RefusalHandler =
        std::function<void(const QHostAddress &peer, const QString &code, const QString &why)>;

    // `onRefused(peer, code, why)` is called for each refused connection (metrics and the log).
    ConnectionGuard(Limits limits, RefusalHandler onRefused, QObject *parent = nullptr);

    const Limits &limits() const { return m_limits; }
    // Counts a socket just accepted against its peer address and starts watching it.
    // Over the address's limit the socket is aborted, reported and deleted later: returns false.
    // Call it before the socket is handed to the HTTP server: the watch must see each read
    // before Qt's parser does (signals reach their slots in the order they were connected).
    bool admit(QTcpSocket *socket);
    // Drops an admitted socket for `why` (e.g. its TLS handshake timed out) unless it was
    // answered, upgraded or already dropped: reports it and aborts it. Returns whether it did.
    bool drop(QTcpSocket *socket, const QString &why);
    int openFrom(const QHostAddress &peer) const { return m_open.value(peer.toString()); }
    // The connection from peer:peerPort became a WebSocket: it is not watched any more.
    void markUpgraded(const QHostAddress &peer, quint16 peerPort);

private:
    friend class ConnectionWatch;
    void refuse(const QHostAddress &peer, const QString &code, const QString &why);
    void release(const QString &key, const QString &id); // a counted connection has gone

    Limits m_limits;
    RefusalHandler m_onRefused;
    QHash<QString, int> m_open;
    QHash<QString, QPointer<ConnectionWatch>> m_watches; // by "address|port", until upgraded
};

} // namespace dispatch
