#include "floodharness.h"

#include <QTimer>
#include <QtEndian>

namespace dispatch::bench {

namespace {

constexpr qint64 OversizedBytes = 100LL * 1024 * 1024;

QByteArray upgradeRequest(const QUrl &base, const QString &path)
{
    return "GET " + path.toUtf8() + " HTTP/1.1\r\nHost: " + base.host().toUtf8() + ':' +
           QByteArray::number(base.port()) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// A masked client frame header (mask key 0, so the payload goes as is) announcing `length`.
QByteArray frameHeader(bool binary, qint64 length)
{
    QByteArray h(14, '\0');
    h[0] = char(binary ? 0x82 : 0x81);
    h[1] = char(0x80 | 127);
    qToBigEndian<quint64>(quint64(length), h.data() + 2);
    return h; // bytes 10..13: the zero mask key
}

int statusOf(const QByteArray &received)
{
    if (!received.startsWith("HTTP/1.1 ") || received.size() < 12)
        return 0;
    return received.mid(9, 3).toInt();
}

// The close code of the first close frame (0x88) after the HTTP response, or 0.
int closeCodeOf(const QByteArray &received)
{
    const qsizetype body = received.indexOf("\r\n\r\n");
    if (body < 0)
        return 0;
    for (qsizetype i = body + 4; i + 3 < received.size(); ++i) {
        if (uchar(received.at(i)) == 0x88 && (uchar(received.at(i + 1)) & 0x7f) >= 2)
            return qFromBigEndian<quint16>(received.constData() + i + 2);
    }
    return 0;
}

} // namespace

HostilePeer::HostilePeer(QUrl base, QHostAddress from, int connections)
    : m_base(std::move(base))
    , m_from(std::move(from))
    , m_connections(connections)
{}

QTcpSocket *HostilePeer::connectOne(const QString &)
{
    auto *socket = new QTcpSocket(this);
    socket->bind(m_from, 0);
    socket->connectToHost(QHostAddress(m_base.host()), quint16(m_base.port()));
    return socket;
}

void HostilePeer::start()
{
    // Half-open: a request line and one header, then silence.
    for (int i = 0; i < 100; ++i) {
        auto peer = std::make_shared<Peer>();
        peer->socket = connectOne(QString());
        connect(peer->socket, &QTcpSocket::connected, this, [peer, i] {
            peer->socket->write("GET /ws/signal?call_id=half-" + QByteArray::number(i) +
                                " HTTP/1.1\r\nHost: x\r\n");
        });
        connect(peer->socket, &QTcpSocket::disconnected, this, [peer] { peer->closed = true; });
        m_halfOpen.append(peer);
        ++m_stats.halfOpen;
    }
    startOversized(0);
    startOversized(1);
    floodBatch();
}

void HostilePeer::startOversized(int which)
{
    auto peer = std::make_shared<Peer>();
    m_oversized[which] = peer;
    const QString path = which == 0 ? QStringLiteral("/ws/audio?call_id=hostile-big")
                                    : QStringLiteral("/ws/signal?call_id=hostile-big");
    peer->socket = connectOne(path);
    QTcpSocket *s = peer->socket;
    connect(s, &QTcpSocket::connected, this,
            [this, s, path] { s->write(upgradeRequest(m_base, path)); });
    const auto pump = [this, s, which] {
        while (m_toWrite[which] > 0 && s->bytesToWrite() < (1 << 20) &&
               s->state() == QAbstractSocket::ConnectedState) {
            const qint64 n = std::min<qint64>(m_toWrite[which], 64 * 1024);
            s->write(QByteArray(n, '\0'));
            m_toWrite[which] -= n;
        }
    };
    connect(s, &QTcpSocket::readyRead, this, [this, peer, s, which, pump] {
        const bool wasUpgraded = peer->status == 101;
        peer->received += s->readAll();
        peer->status = statusOf(peer->received);
        if (!wasUpgraded && peer->status == 101) {
            s->write(frameHeader(which == 0, OversizedBytes));
            m_toWrite[which] = OversizedBytes;
            pump();
        }
    });
    connect(s, &QTcpSocket::bytesWritten, this, [this, which, pump](qint64 n) {
        m_stats.oversizedWritten[which] += n;
        pump();
    });
    connect(s, &QTcpSocket::disconnected, this, [peer] { peer->closed = true; });
}

void HostilePeer::floodBatch()
{
    for (int i = 0; i < 100 && m_stats.attempts < m_connections; ++i) {
        auto peer = std::make_shared<Peer>();
        const QString path = QStringLiteral("/ws/signal?call_id=flood-%1").arg(m_stats.attempts);
        peer->socket = connectOne(path);
        QTcpSocket *s = peer->socket;
        connect(s, &QTcpSocket::connected, this,
                [this, s, path] { s->write(upgradeRequest(m_base, path)); });
        connect(s, &QTcpSocket::readyRead, this, [peer, s] {
            peer->received += s->readAll();
            peer->status = statusOf(peer->received);
        });
        connect(s, &QTcpSocket::disconnected, this, [peer] { peer->closed = true; });
        connect(s, &QTcpSocket::errorOccurred, this, [peer] { peer->closed = true; });
        m_flood.append(peer);
        ++m_stats.attempts;
    }
    if (m_stats.attempts < m_connections)
        QTimer::singleShot(50, this, [this] { floodBatch(); });
}

bool HostilePeer::floodDone() const
{
    if (m_stats.attempts < m_connections)
        return false;
    return std::all_of(m_flood.cbegin(), m_flood.cend(),
                       [](const auto &p) { return p->status != 0 || p->closed; });
}

bool HostilePeer::halfOpenDone() const
{
    return std::all_of(m_halfOpen.cbegin(), m_halfOpen.cend(),
                       [](const auto &p) { return p->closed; });
}

bool HostilePeer::oversizedDone() const
{
    return std::all_of(std::begin(m_oversized), std::end(m_oversized), [](const auto &p) {
        return p && (p->closed || (p->status != 0 && p->status != 101));
    });
}

const HostilePeer::Stats &HostilePeer::stats()
{
    m_stats.upgraded = m_stats.closedAfterUpgrade = m_stats.refused = m_stats.otherStatus =
        m_stats.noAnswer = 0;
    for (const auto &p : std::as_const(m_flood)) {
        if (p->status == 101 && closeCodeOf(p->received) == 1008)
            ++m_stats.closedAfterUpgrade;
        else if (p->status == 101)
            ++m_stats.upgraded;
        else if (p->status == 429)
            ++m_stats.refused;
        else if (p->status != 0)
            ++m_stats.otherStatus;
        else
            ++m_stats.noAnswer;
    }
    m_stats.halfOpenClosed = int(std::count_if(m_halfOpen.cbegin(), m_halfOpen.cend(),
                                               [](const auto &p) { return p->closed; }));
    for (int i = 0; i < 2; ++i) {
        if (!m_oversized[i])
            continue;
        m_stats.oversizedClose[i] = closeCodeOf(m_oversized[i]->received);
        m_stats.oversizedCut[i] =
            m_oversized[i]->closed && m_stats.oversizedWritten[i] < OversizedBytes;
    }
    return m_stats;
}

void HostilePeer::closeAll()
{
    for (const auto &list : {m_flood, m_halfOpen}) {
        for (const auto &p : list) {
            if (p->socket)
                p->socket->abort();
        }
    }
    for (const auto &p : m_oversized) {
        if (p && p->socket)
            p->socket->abort();
    }
}

} // namespace dispatch::bench
