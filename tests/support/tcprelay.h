#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace dispatch::test {

// A TCP relay on 127.0.0.1 in front of a server, so that a test can cut every connection at
// once, as a network blip would, while new connections keep working.
class TcpRelay : public QObject
{
    Q_OBJECT

public:
    TcpRelay(QHostAddress targetHost, quint16 targetPort, QObject *parent = nullptr);

    quint16 port() const { return m_server.serverPort(); }
    // Aborts every open connection (both sides). Returns how many there were.
    int dropAll();
    int openConnections() const;
    // Paused, the relay stops reading what clients send (what it already read is held), so
    // their data backs up into the kernel and then into the clients' own write queues, as with
    // a peer too busy to read. Resuming forwards everything held and read since.
    void setClientReadsPaused(bool paused);
    // The same the other way: what the server sends stops reaching the clients, as from a
    // server that froze. New connections are paused too.
    void setServerReadsPaused(bool paused);
    int acceptedConnections() const { return m_accepted; }
    // The relay's connections to the server come from this address (e.g. 127.0.0.2, to play
    // another host on loopback).
    void setSourceAddress(const QHostAddress &address) { m_sourceAddress = address; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray pending; // client bytes before the upstream connection is up
    };
    void onNewConnection();
    void forwardFromClient(Pair &pair);
    void forwardFromServer(Pair &pair);

    QHostAddress m_targetHost;
    quint16 m_targetPort;
    QHostAddress m_sourceAddress;
    QTcpServer m_server;
    QList<std::shared_ptr<Pair>> m_pairs;
    int m_accepted = 0;
    bool m_clientReadsPaused = false;
    bool m_serverReadsPaused = false;
};

} // namespace dispatch::test
