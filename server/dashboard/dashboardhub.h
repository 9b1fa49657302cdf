#pragma once

#include "auth/tokenstore.h"
#include "calls/callstore.h"
#include "dashboard/dashboardmessages.h"
#include "domain/transfertarget.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace dispatch {

class CallerHub;
class GuardedSocket;

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
    // `revalidationMs`: how often connected principals are checked (setPrincipalCheck).
    DashboardHub(CallStore &store, CallerHub &callers, int revalidationMs = 5'000,
                 QObject *parent = nullptr);

    // `principal` names who is behind the token; it becomes the call's answeredBy.
    void adopt(GuardedSocket *socket, const Principal &principal);
    int clientCount() const { return static_cast<int>(m_clients.size()); }
    // Besides connected dispatchers, who a call may be transferred to (issued tokens).
    void setTransferTargetCheck(std::function<bool(const QString &)> check)
    {
        m_isTransferTarget = std::move(check);
    }
    // The names the check above accepts, for listing them (transferTargets()).
    void setTransferTargetList(std::function<QStringList()> list)
    {
        m_listTransferTargets = std::move(list);
        refreshTransferTargets();
    }
    // Who calls may be transferred to: connected dispatchers (online) and the listed names,
    // online first. Every client gets it after hello and on every change (transfer_targets).
    const QList<TransferTarget> &transferTargets() const { return m_targets; }
    // Whether a connected principal is still allowed in (its token not revoked or expired).
    // Checked every revalidationMs and on revalidateClients(); a client that fails is closed
    // (1008) and logged.
    void setPrincipalCheck(std::function<bool(const Principal &)> check)
    {
        m_isStillAuthorized = std::move(check);
    }
    // Also looks at the transfer targets again (the token file may have changed).
    void revalidateClients();

Q_SIGNALS:
    void transferTargetsChanged(const QList<dispatch::TransferTarget> &targets);

private:
    // Recomputes the transfer targets; when they changed, sends them to every client and
    // emits transferTargetsChanged. Returns whether they changed.
    bool refreshTransferTargets();
    enum class Kind
    {
        Control,
        Stream
    };
    void broadcast(const QByteArray &message, Kind kind);
    QByteArray encodeCallState(const Call &call) const;
    void onText(GuardedSocket *socket, const Principal &principal, const QByteArray &utf8);
    void onBinary(GuardedSocket *socket, const Principal &principal, const QByteArray &data);
    // Caller audio, frames and talk-back go to the clients subscribed to the call and still
    // allowed to receive them (the owner, supervisors, the admin).
    void deliverMedia(const QString &callId, dashboard::MediaKind kind, const QByteArray &payload);
    bool mayReceiveMedia(const Principal &principal, const QString &callId) const;
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
    std::function<QStringList()> m_listTransferTargets;
    QList<TransferTarget> m_targets;
    std::function<bool(const Principal &)> m_isStillAuthorized;
    QHash<QString, QPointer<GuardedSocket>> m_answeredVia;    // where relayed SDP/ICE goes
    QHash<QString, QSet<GuardedSocket *>> m_mediaSubscribers; // by call id
    QTimer m_revalidation;
};

} // namespace dispatch
