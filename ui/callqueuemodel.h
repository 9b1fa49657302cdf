#pragma once

#include "calls/callstore.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace dispatch {

// The calls as a table: one row per call in the store, in the store's order (CallUrgencyOrder
// and RecentCalls sort and split it for the views). Clocks tick on one coalescing timer (1 Hz),
// never per event. Severity is coloured only for a confident assessment: grey until triaged,
// muted while low confidence (keywords only).
class CallQueueModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // What matters at a glance comes first, so it is never behind a horizontal scroll: who,
    // how bad, how long it rang, how long it has been handled.
    enum Column
    {
        CallId,   // with the red alert badge while a critical flag is unacknowledged
        Severity, // with the critical mark; "?" and muted when low confidence
        RingTime, // ring to answer (stays after answer)
        TalkTime, // answer to now or end
        State,
        ResponseType,
        AiLink,
        Location,
        ColumnCount
    };
    enum Role
    {
        CallIdRole = Qt::UserRole + 1,
        AnswerUrgencyRole,
        // bool: the call's critical flag is unacknowledged (the Caller cell carries the badge)
        UnacknowledgedCriticalRole
    };
    // NENA: 90% of calls answered within 15 s, 95% within 20 s.
    static constexpr int AmberAfterMs = 15'000;
    static constexpr int RedAfterMs = 20'000;

    explicit CallQueueModel(CallStore &store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    QString callIdAt(int row) const;
    int rowOf(const QString &callId) const;

    // A remote console whose host link is down cannot know whether a call still rings or was
    // answered: its clocks stop at the last moment the host was heard and are shown greyed,
    // instead of counting on as if all were well. Unfrozen, they show the host's time again.
    void setFrozen(bool frozen);
    bool isFrozen() const { return m_frozenAt.isValid(); }

private:
    void refreshRow(const QString &callId);
    void rebuild();

    CallStore &m_store;
    QList<QString> m_ids;
    QTimer m_tick;
    QDateTime m_frozenAt; // valid while frozen
};

QString stateLabel(CallState state);
// A call id short enough for a queue cell: a UUID-like id by its first 8 characters, any long
// id cut with "…". The whole id goes in tooltips.
QString callerLabel(const QString &callId);
// "AI (Gemini) listening", "local triage", ...; empty when no triage runs.
QString triageLinkLabel(TriageLinkState state);

} // namespace dispatch
