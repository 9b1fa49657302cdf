#include "alertstate.h"

#include "calls/callstore.h"

namespace dispatch {

AlertState::AlertState(CallStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&store, &CallStore::callStateChanged, this, [this](const QString &id, CallState s) {
        const bool before = anyRinging();
        if (s == CallState::Ringing)
            m_ringing.insert(id);
        else
            m_ringing.remove(id);
        if (before != anyRinging())
            Q_EMIT ringingChanged(anyRinging());
    });
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) {
        const bool before = anyRinging();
        m_ringing.insert(id);
        if (!before)
            Q_EMIT ringingChanged(true);
    });
    connect(&store, &CallStore::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                if (hasUnacknowledgedCritical(id))
                    Q_EMIT criticalRaised(id, reason, severity);
            });
    connect(&store, &CallStore::criticalAcknowledged, this,
            [this](const QString &id) { Q_EMIT criticalAcknowledged(id); });
    connect(&store, &CallStore::callEnded, this, [this](const QString &id) {
        const Call *c = m_store.call(id);
        if (c && c->criticalAlert.isOpen())
            Q_EMIT criticalAcknowledged(id); // an ended call alarms no more
    });
}

bool AlertState::hasUnacknowledgedCritical(const QString &callId) const
{
    const Call *c = m_store.call(callId);
    return c && c->hasUnacknowledgedCritical();
}

AlertState::CriticalAlert AlertState::critical(const QString &callId) const
{
    const Call *c = m_store.call(callId);
    if (!c || !c->criticalAlert.isRaised())
        return {};
    return {c->criticalAlert.reason, c->criticalAlert.severity, c->criticalAlert.raisedAt};
}

QList<QString> AlertState::unacknowledgedCalls() const
{
    QList<QString> ids;
    for (const Call *c : m_store.calls()) {
        if (c->hasUnacknowledgedCritical())
            ids.append(c->id);
    }
    return ids;
}

} // namespace dispatch
