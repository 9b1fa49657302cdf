#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QSslSocket>

namespace dispatch::test {

// A hand-written HTTP/1.1 client on one TCP (or TLS) connection, for tests that play an attacker:
// it writes exactly the bytes it is given, from a chosen local address (e.g. 127.0.0.2, so its
// per-address limits are not the other clients'), and splits what comes back into responses.
class RawHttpPeer
{
public:
    struct Response
    {
        int status = 0;
        QByteArray head; // status line and headers
        QByteArray body;
        QByteArray header(const QByteArray &name) const;
    };

    // Connects from `from` to 127.0.0.1:port; with `tls`, encrypted (certificate not checked).
    RawHttpPeer(quint16 port, const QHostAddress &from, bool tls = false);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool isClosed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    void write(const QByteArray &bytes);
    // Responses received completely so far (Content-Length framed).
    QList<Response> responses() const;
    // Waits until `count` responses have arrived in all.
    bool waitResponses(int count, int timeoutMs = 5000) const;
    bool waitClosed(int timeoutMs = 5000) const;
    QSslSocket &socket() { return m_socket; }

    // One request on a new connection, waited for: its response (status 0 if none).
    static Response exchange(quint16 port, const QHostAddress &from, const QByteArray &request,
                             bool tls = false);

private:
    QSslSocket m_socket;
    QByteArray m_received;
};

// "GET /path HTTP/1.1" with a Host header and the extra header lines (each ending in \r\n).
QByteArray httpRequest(const QByteArray &method, const QByteArray &path, quint16 port,
                       const QByteArray &extraHeaders = QByteArray());
// A WebSocket upgrade request for `path` with the extra header lines.
QByteArray upgradeRequest(const QByteArray &path, quint16 port,
                          const QByteArray &extraHeaders = QByteArray());

} // namespace dispatch::test
