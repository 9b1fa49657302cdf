#pragma once

#include "calls/callstore.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace dispatch {

class CallerHub;
class GuardedSocket;
class MetricsRegistry;

// Authenticated dashboard clients (remote consoles, wall screens, tools) on /ws/dashboard.
// Every CallStore event goes out to each of them; their commands go to the CallStore.
class DashboardHub : public QObject
{
    Q_OBJECT

public:
    DashboardHub(CallStore &store, CallerHub &callers, MetricsRegistry &metrics,
                 QObject *parent = nullptr);

    // `principal` names who is behind the token; it becomes the call's answeredBy.
    void adopt(GuardedSocket *socket, const QString &principal);
    int clientCount() const { return static_cast<int>(m_clients.size()); }

private:
    enum class Kind
    {
        Control,
        Stream
    };
    void broadcast(const QByteArray &message, Kind kind);
    void onText(GuardedSocket *socket, const QString &principal, const QByteArray &utf8);
    void reportResult(GuardedSocket *socket, const QString &callId, CallStore::Result result,
                      const QString &action);

    CallStore &m_store;
    CallerHub &m_callers;
    QList<QPointer<GuardedSocket>> m_clients;
    QHash<QString, QPointer<GuardedSocket>> m_answeredVia; // where relayed SDP/ICE goes
};

} // namespace dispatch
