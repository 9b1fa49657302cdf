#include "tcprelay.h"

namespace dispatch::test {

namespace {

// While paused, Qt stops reading a socket from the kernel once this much is buffered.
constexpr qint64 PausedReadBufferBytes = 4096;

} // namespace

TcpRelay::TcpRelay(QHostAddress targetHost, quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_targetHost(std::move(targetHost))
    , m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::onNewConnection);
    m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_accepted;
        auto pair = std::make_shared<Pair>();
        pair->client = client;
        auto *upstream = new QTcpSocket(this);
        pair->upstream = upstream;
        client->setParent(this);
        m_pairs.append(pair);
        std::weak_ptr<Pair> weak = pair;
        auto close = [this, weak] {
            auto p = weak.lock();
            if (!p)
                return;
            for (QTcpSocket *s : {p->client.data(), p->upstream.data()}) {
                if (s) {
                    s->disconnectFromHost();
                    s->deleteLater();
                }
            }
            m_pairs.removeAll(p);
        };
        if (m_clientReadsPaused)
            client->setReadBufferSize(PausedReadBufferBytes);
        connect(client, &QTcpSocket::readyRead, this, [this, weak] {
            if (auto p = weak.lock())
                forwardFromClient(*p);
        });
        connect(upstream, &QTcpSocket::connected, this, [weak] {
            auto p = weak.lock();
            if (p && p->upstream && !p->pending.isEmpty()) {
                p->upstream->write(p->pending);
                p->pending.clear();
            }
        });
        if (m_serverReadsPaused)
            upstream->setReadBufferSize(PausedReadBufferBytes);
        connect(upstream, &QTcpSocket::readyRead, this, [this, weak] {
            if (auto p = weak.lock())
                forwardFromServer(*p);
        });
        connect(client, &QTcpSocket::disconnected, this, close);
        connect(upstream, &QTcpSocket::disconnected, this, close);
        connect(upstream, &QTcpSocket::errorOccurred, this, close);
        if (!m_sourceAddress.isNull())
            upstream->bind(m_sourceAddress);
        upstream->connectToHost(m_targetHost, m_targetPort);
    }
}

void TcpRelay::forwardFromClient(Pair &pair)
{
    if (m_clientReadsPaused || !pair.client)
        return;
    const QByteArray data = pair.client->readAll();
    if (pair.upstream && pair.upstream->state() == QAbstractSocket::ConnectedState)
        pair.upstream->write(data);
    else
        pair.pending += data;
}

void TcpRelay::forwardFromServer(Pair &pair)
{
    if (m_serverReadsPaused || !pair.upstream || !pair.client)
        return;
    pair.client->write(pair.upstream->readAll());
}

void TcpRelay::setServerReadsPaused(bool paused)
{
    m_serverReadsPaused = paused;
    for (const auto &p : std::as_const(m_pairs)) {
        if (!p->upstream)
            continue;
        p->upstream->setReadBufferSize(paused ? PausedReadBufferBytes : 0);
        forwardFromServer(*p);
    }
}

void TcpRelay::setClientReadsPaused(bool paused)
{
    m_clientReadsPaused = paused;
    for (const auto &p : std::as_const(m_pairs)) {
        if (!p->client)
            continue;
        // 0 = unbounded: Qt reads from the kernel again.
        p->client->setReadBufferSize(paused ? PausedReadBufferBytes : 0);
        forwardFromClient(*p);
    }
}

int TcpRelay::dropAll()
{
    const auto pairs = m_pairs;
    m_pairs.clear();
    for (const auto &p : pairs) {
        for (QTcpSocket *s : {p->client.data(), p->upstream.data()}) {
            if (s) {
                s->abort();
                s->deleteLater();
            }
        }
    }
    return int(pairs.size());
}

int TcpRelay::openConnections() const
{
    return int(m_pairs.size());
}

} // namespace dispatch::test
