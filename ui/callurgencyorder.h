#pragma once

#include <QSortFilterProxyModel>

namespace dispatch {

class AlertState;
class CallQueueModel;
class CallStore;
struct Call;

// The live queue in the order a dispatcher should work it (ended calls are not in it, except
// those waiting for a follow-up):
//  1. calls with a critical alert nobody has acknowledged, pinned on top;
//  2. ringing calls, the one ringing longest first;
//  3. calls that ended unanswered and wait for a follow-up (abandoned, caller lost): someone
//     must call back, so they stay in the queue until a dispatcher resolves them, oldest first;
//  4. answered and held calls by severity, high first; a call without a confident assessment
//     (untriaged, or keywords only) ranks below severity 3 and above 2: it may be serious,
//     a confident 1 or 2 is known not to be.
// Ties go to the older call (earlier ring), then to the call id, so the order is total and does
// not flicker. Rows move as calls change; persistent indexes (the view's selection) follow them.
class CallUrgencyOrder : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    CallUrgencyOrder(CallQueueModel &queue, const CallStore &store, const AlertState &alerts,
                     QObject *parent = nullptr);

    QString callIdAt(int row) const;
    int rowOf(const QString &callId) const;
    // The topmost ringing row: what F2 answers. Without critical alerts on ringing calls, the
    // call ringing longest.
    QString topRingingCall() const;

    // True when `a` belongs above `b`; `aCritical`: `a` has an unacknowledged critical alert.
    static bool moreUrgent(const Call &a, bool aCritical, const Call &b, bool bCritical);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const Call *callAt(int sourceRow) const;

    CallQueueModel &m_queue;
    const CallStore &m_store;
    const AlertState &m_alerts;
};

} // namespace dispatch
