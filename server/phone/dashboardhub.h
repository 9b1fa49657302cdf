#pragma once

#include "calls/callstore.h"
#include "tokenstore.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace dispatch {

class CallerHub;
class GuardedSocket;
class MetricsRegistry;

// Authenticated dashboard clients (remote consoles, wall screens, tools) on /ws/dashboard.
// Every CallStore event goes out to each of them; their commands go to the CallStore.
//
// Roles: a dispatcher answers calls and acts on the calls it owns; a supervisor watches
// everything but acts only on calls it has taken over (take_over); the admin (bootstrap
// token) may act on any call. Refusals are "forbidden" errors and a log line.
class DashboardHub : public QObject
{
    Q_OBJECT

public:
    DashboardHub(CallStore &store, CallerHub &callers, MetricsRegistry &metrics,
                 QObject *parent = nullptr);

    // `principal` names who is behind the token; it becomes the call's answeredBy.
    void adopt(GuardedSocket *socket, const Principal &principal);
    int clientCount() const { return static_cast<int>(m_clients.size()); }
    // Besides connected dispatchers, who a call may be transferred to (issued tokens).
    void setTransferTargetCheck(std::function<bool(const QString &)> check)
    {
        m_isTransferTarget = std::move(check);
    }

private:
    enum class Kind
    {
        Control,
        Stream
    };
    void broadcast(const QByteArray &message, Kind kind);
    void onText(GuardedSocket *socket, const Principal &principal, const QByteArray &utf8);
    // Whether `principal` may act on this call; refuses (and logs) when not.
    bool mayAct(GuardedSocket *socket, const Principal &principal, const QString &callId,
                const QString &action);
    void forbid(GuardedSocket *socket, const Principal &principal, const QString &callId,
                const QString &why);
    GuardedSocket *socketOf(const QString &principalName) const;
    bool isTransferTarget(const QString &name) const;
    void reportResult(GuardedSocket *socket, const QString &callId, CallStore::Result result,
                      const QString &action);

    CallStore &m_store;
    CallerHub &m_callers;
    QList<QPointer<GuardedSocket>> m_clients;
    QHash<GuardedSocket *, Principal> m_principals;
    std::function<bool(const QString &)> m_isTransferTarget;
    QHash<QString, QPointer<GuardedSocket>> m_answeredVia; // where relayed SDP/ICE goes
};

} // namespace dispatch
