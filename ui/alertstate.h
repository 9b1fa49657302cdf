#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>

namespace dispatch {

class CallStore;

// What needs the dispatcher's attention, apart from how it is shown or sounded: ringing calls,
// and critical flags nobody has acknowledged yet.
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
    bool hasUnacknowledgedCritical(const QString &callId) const;
    CriticalAlert critical(const QString &callId) const { return m_critical.value(callId); }
    QList<QString> unacknowledgedCalls() const { return m_critical.keys(); }

    // The dispatcher has seen it: the banner goes, the sound stops.
    void acknowledge(const QString &callId);

Q_SIGNALS:
    void ringingChanged(bool anyRinging);
    void criticalRaised(const QString &callId, const QString &reason, int severity);
    void criticalAcknowledged(const QString &callId);

private:
    CallStore &m_store;
    QSet<QString> m_ringing;
    QHash<QString, CriticalAlert> m_critical;
};

} // namespace dispatch
