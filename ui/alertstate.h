#pragma once

#include <QDateTime>
#include <QObject>
#include <QSet>

namespace dispatch {

class CallStore;

// What needs the dispatcher's attention, apart from how it is shown or sounded: ringing calls,
// and critical flags nobody has acknowledged yet. Acknowledging is a command on the calls
// (CallActions::acknowledgeCritical): the store keeps who acknowledged and when, for every
// console; this follows it.
class AlertState : public QObject
{
    Q_OBJECT

public:
    struct CriticalAlert
    {
        QString reason;
        int severity = 5;
        QDateTime raisedAt;
    };

    explicit AlertState(CallStore &store, QObject *parent = nullptr);

    bool anyRinging() const { return !m_ringing.isEmpty(); }
    int ringingCount() const { return static_cast<int>(m_ringing.size()); }
    // A live call whose latest critical flag nobody has acknowledged (Call's own answer).
    bool hasUnacknowledgedCritical(const QString &callId) const;
    CriticalAlert critical(const QString &callId) const;
    QList<QString> unacknowledgedCalls() const;

Q_SIGNALS:
    void ringingChanged(bool anyRinging);
    void criticalRaised(const QString &callId, const QString &reason, int severity);
    // The flag no longer alarms: someone acknowledged it (here or on another console), or its
    // call ended.
    void criticalAcknowledged(const QString &callId);

private:
    CallStore &m_store;
    QSet<QString> m_ringing;
};

} // namespace dispatch
