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
                m_critical.insert(id, {reason, severity, m_store.now()});
                Q_EMIT criticalRaised(id, reason, severity);
            });
    connect(&store, &CallStore::callRemoved, this,
            [this](const QString &id) { m_critical.remove(id); });
}

bool AlertState::hasUnacknowledgedCritical(const QString &callId) const
{
    return m_critical.contains(callId);
}

void AlertState::acknowledge(const QString &callId)
{
    if (m_critical.remove(callId) > 0)
        Q_EMIT criticalAcknowledged(callId);
}

} // namespace dispatch
