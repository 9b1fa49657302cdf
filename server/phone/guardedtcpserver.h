#pragma once

#include "connectionguard.h"

#include <QTcpServer>

namespace dispatch {

// The plain-TCP listener of the HTTP front, guarded by a ConnectionGuard before any HTTP is
// parsed.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    GuardedTcpServer(ConnectionGuard::Limits limits, ConnectionGuard::RefusalHandler onRefused,
                     QObject *parent = nullptr);

    ConnectionGuard &guard() { return m_guard; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGuard m_guard;
};

} // namespace dispatch
