#pragma once

#include "calls/callstore.h"

#include <QAbstractListModel>
#include <QTimer>

namespace dispatch {

// The live calls for the supervisor's wall, most urgent first: ringing calls (longest ringing
// first), then by severity, then critical ones, then oldest ring. Store events only mark the
// model dirty; one coalescing timer re-sorts and repaints, and the clocks tick once a second,
// so a busy room never makes the wall flicker.
class CallWallModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        CallIdRole = Qt::UserRole + 1,
        StateRole,           // CallState as int
        SeverityRole,        // 0 without triage
        ResponseTypeRole,    // label
        SummaryRole,         // situation summary
        ElapsedMsRole,       // since the call started ringing (a follow-up: since it ended)
        AnswerClockMsRole,   // ringing time, -1 once answered
        AnswerUrgencyRole,   // 0 ok, 1 amber (15 s), 2 red (20 s)
        HandlerRole,         // who answered it
        CriticalRole,        // bool
        CannotSpeakRole,     // bool
        CallerConnectedRole, // bool
        AreaRole,            // where the caller is, short ("" without a location)
        FollowUpRole         // "Abandoned"/"Caller lost" for an ended call awaiting a callback
    };

    explicit CallWallModel(CallStore &store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    QString callIdAt(int row) const { return m_ids.value(row); }
    // Brings order and clocks up to date now (the timer does it otherwise).
    void refresh();

    // The wall's order for these calls (ended ones are left out).
    static QList<QString> wallOrder(const QList<const Call *> &calls);

Q_SIGNALS:
    void refreshed();

private:
    void markDirty();

    CallStore &m_store;
    QList<QString> m_ids;
    QTimer m_coalesce;
    QTimer m_tick;
};

} // namespace dispatch
