#pragma once

#include "dashboard/dashboardcommands.h"
#include "domain/callactions.h"

namespace dispatch::remote {

class HostLink;
class StoreMirror;

// A remote console's actions: commands to the host, whose answer (a call_state, or an error
// such as "already answered by ana") arrives through the mirror. Nothing changes locally until
// the host has decided, so two consoles racing for a call see the same single owner.
class RemoteCallActions : public CallActions
{
    Q_OBJECT

public:
    RemoteCallActions(HostLink &link, StoreMirror &view, QObject *parent = nullptr);

    QString operatorName() const override;
    bool isShared() const override { return true; }
    void answer(const QString &callId) override;
    void hold(const QString &callId) override;
    void resume(const QString &callId) override;
    void end(const QString &callId, Disposition disposition) override;
    void acceptLocation(const QString &callId) override;
    void overrideTriage(const QString &callId, const TriageReport &report) override;
    void transfer(const QString &callId, const QString &to) override;
    void takeOver(const QString &callId) override;
    void acknowledgeCritical(const QString &callId) override;
    void resolveFollowUp(const QString &callId, FollowUp resolution) override;
    // The host's transfer_targets, as last received; empty while not connected.
    QList<TransferTarget> transferTargets() const override { return m_targets; }

private:
    void send(const dashboard::Command &command, CallRefusal::Action action);
    void setTargets(QList<TransferTarget> targets);

    HostLink &m_link;
    StoreMirror &m_view;
    QList<TransferTarget> m_targets;
};

} // namespace dispatch::remote
