#pragma once

#include "calls/callstore.h"
#include "domain/callactions.h"

namespace dispatch {

// The console's own calls: actions go straight to its CallStore, performed by (and audited as)
// the console's operator.
class LocalCallActions : public CallActions
{
    Q_OBJECT

public:
    LocalCallActions(CallStore &store, Actor operatorActor, QObject *parent = nullptr);

    QString operatorName() const override { return m_operator.name; }
    bool isShared() const override { return false; }
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
    QList<TransferTarget> transferTargets() const override { return m_targets; }

    // Who the host knows calls may go to (its dashboard hub's dispatchers); sorted here, and
    // transferTargetsChanged when the list differs.
    void setTransferTargets(const QList<TransferTarget> &targets);

private:
    void check(const QString &callId, CallStore::Result result, CallRefusal::Action action);

    CallStore &m_store;
    Actor m_operator;
    QList<TransferTarget> m_targets;
};

} // namespace dispatch
