#include "rawhttppeer.h"

#include <QTest>

namespace dispatch::test {

QByteArray RawHttpPeer::Response::header(const QByteArray &name) const
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return QByteArray();
}

RawHttpPeer::RawHttpPeer(quint16 port, const QHostAddress &from, bool tls)
{
    QObject::connect(&m_socket, &QIODevice::readyRead, &m_socket,
                     [this] { m_received += m_socket.readAll(); });
    m_socket.bind(from);
    if (tls) {
        m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        (void)QTest::qWaitFor([this] { return m_socket.isEncrypted() || isClosed(); }, 5000);
    } else {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        (void)QTest::qWaitFor([this] { return isConnected() || isClosed(); }, 5000);
    }
}

void RawHttpPeer::write(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

QList<RawHttpPeer::Response> RawHttpPeer::responses() const
{
    QList<Response> out;
    qsizetype at = 0;
    while (at < m_received.size()) {
        const qsizetype end = m_received.indexOf("\r\n\r\n", at);
        if (end < 0)
            break;
        Response r;
        r.head = m_received.mid(at, end - at);
        r.status = r.head.mid(9, 3).toInt();
        const qsizetype length = r.header("Content-Length").toLongLong();
        if (end + 4 + length > m_received.size())
            break;
        r.body = m_received.mid(end + 4, length);
        out << r;
        at = end + 4 + length;
    }
    return out;
}

bool RawHttpPeer::waitResponses(int count, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return responses().size() >= count; }, timeoutMs);
}

bool RawHttpPeer::waitClosed(int timeoutMs) const
{
    return QTest::qWaitFor([this] { return isClosed(); }, timeoutMs);
}

RawHttpPeer::Response RawHttpPeer::exchange(quint16 port, const QHostAddress &from,
                                            const QByteArray &request, bool tls)
{
    RawHttpPeer peer(port, from, tls);
    peer.write(request);
    if (!peer.waitResponses(1))
        return Response();
    return peer.responses().constFirst();
}

QByteArray httpRequest(const QByteArray &method, const QByteArray &path, quint16 port,
                       const QByteArray &extraHeaders)
{
    return method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\n" + extraHeaders + "\r\n";
}

QByteArray upgradeRequest(const QByteArray &path, quint16 port, const QByteArray &extraHeaders)
{
    return httpRequest("GET", path, port,
                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n" +
                           extraHeaders);
}

} // namespace dispatch::test
