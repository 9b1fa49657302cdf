#include "guardedtcpserver.h"

#include <QTcpSocket>

namespace dispatch {

GuardedTcpServer::GuardedTcpServer(ConnectionGuard::Limits limits,
                                   ConnectionGuard::RefusalHandler onRefused, QObject *parent)
    : QTcpServer(parent)
    , m_guard(limits, std::move(onRefused))
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        socket->deleteLater();
        return;
    }
    if (m_guard.admit(socket))
        addPendingConnection(socket);
}

} // namespace dispatch
