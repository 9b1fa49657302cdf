#pragma once

#include "net/connectionguard.h"

#include <QSslServer>
#include <QTcpServer>

namespace dispatch {

// A listener of the HTTP front with a ConnectionGuard from the accept on, below TLS and HTTP:
// GuardedTcpServer for plain HTTP, GuardedSslServer for TLS (in place of the QSslServer that
// QAbstractHttpServer::listen would make after sslSetup). On TLS the answer deadline covers the
// handshake; QSslServer's own handshake timeout is set to the same value, and a handshake that
// times out is counted as a refusal like a request that never completes (once).
template<class Listener> class GuardedServer : public Listener
{
public:
    GuardedServer(ConnectionGuard::Limits limits, ConnectionGuard::RefusalHandler onRefused,
                  QObject *parent = nullptr);

    ConnectionGuard &guard() { return m_guard; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGuard m_guard;
};

using GuardedTcpServer = GuardedServer<QTcpServer>;
using GuardedSslServer = GuardedServer<QSslServer>;

// Defined in guardedserver.cpp, for these two listeners only.
template<>
GuardedTcpServer::GuardedServer(ConnectionGuard::Limits, ConnectionGuard::RefusalHandler,
                                QObject *);
template<> void GuardedTcpServer::incomingConnection(qintptr);
template<>
GuardedSslServer::GuardedServer(ConnectionGuard::Limits, ConnectionGuard::RefusalHandler,
                                QObject *);
template<> void GuardedSslServer::incomingConnection(qintptr);

} // namespace dispatch
