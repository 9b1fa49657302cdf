#pragma once

#include "connectionguard.h"

#include <QSslServer>

namespace dispatch {

// The TLS listener of the HTTP front (what QAbstractHttpServer::listen makes after sslSetup),
// guarded by a ConnectionGuard from the accept on: the answer deadline covers the TLS handshake
// too, and QSslServer's own handshake timeout is set to the same value; a handshake that times
// out is counted as a refusal like a request that never completes.
class GuardedSslServer : public QSslServer
{
    Q_OBJECT

public:
    GuardedSslServer(ConnectionGuard::Limits limits, ConnectionGuard::RefusalHandler onRefused,
                     QObject *parent = nullptr);

    ConnectionGuard &guard() { return m_guard; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGuard m_guard;
};

} // namespace dispatch
