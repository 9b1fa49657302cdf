#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace dispatch {

class AlertState;
class CallQueueModel;
class CallStore;
class CallTableView;
class CallUrgencyOrder;
class RecentCalls;

// The live queue (in urgency order) above the calls that ended recently, and the one call the
// dispatcher has selected in either. The selection belongs to the dispatcher: rows moving, new
// calls arriving or the selected call ending never select another call; an ended call that was
// selected stays selected in the Recent list.
class CallLists : public QWidget
{
    Q_OBJECT

public:
    CallLists(CallStore &store, const AlertState &alerts, QWidget *parent = nullptr);

    QTableView *queueView() const;
    QTableView *recentView() const;
    const CallUrgencyOrder &queue() const { return *m_order; }
    const RecentCalls &recent() const { return *m_recent; }
    QString selectedCallId() const { return m_selected; }

    // The queue's clocks stop (greyed) while the host cannot be reached (CallQueueModel).
    void setClocksFrozen(bool frozen);
    bool clocksFrozen() const;
    // Selects the call in whichever list holds it.
    void selectCall(const QString &callId);
    // Moves the keyboard focus from the queue to the Recent list or back; the list's current
    // row (or its first) is selected.
    void switchFocus();

Q_SIGNALS:
    void callSelected(const QString &callId);
    // A critical flag on a call other than the selected one was announced for screen readers
    // (an Alert on the queue view, whose accessible description is `text`).
    void criticalAnnounced(const QString &callId, const QString &text);

private:
    void setUpView(CallTableView *view, const QString &name);
    void sizeColumns(QTableView *view);
    void currentChanged(CallTableView *view, const QModelIndex &current);
    void followEndedCall(const QModelIndex &parent, int first, int last);
    void announceCritical(const QString &callId, const QString &reason, int severity);

    const CallStore &m_store;
    CallQueueModel *m_model;
    CallUrgencyOrder *m_order;
    RecentCalls *m_recent;
    CallTableView *m_queueView;
    CallTableView *m_recentView;
    QLabel *m_recentTitle;
    QString m_selected;
};

} // namespace dispatch
