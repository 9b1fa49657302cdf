#include "triage/triagerouter.h"

#include <QLoggingCategory>

// The router's local shadows: who gets one, and who loses it, as the CPU headroom says
// (ShadowBudget). The rest of the router is in triagerouter.cpp.
namespace dispatch {

Q_DECLARE_LOGGING_CATEGORY(lcRouter)

bool TriageRouter::takeShadowSlot(CallRoute &r, bool budgeted)
{
    if (r.shadowSlot)
        return true;
    if (!m_policy.shadowSlotFree(m_shadowCalls))
        return false;
    if (budgeted && cpuBudgeted() && !m_shadowBudget.mayAdmit(m_shadowCalls))
        return false;
    r.shadowSlot = true;
    r.shadowSinceMs = nowMs();
    r.shadowShedAtMs = -1;
    ++m_shadowCalls;
    if (cpuBudgeted())
        m_shadowBudget.admitted();
    return true;
}

void TriageRouter::releaseShadowSlot(CallRoute &r)
{
    if (!r.shadowSlot)
        return;
    r.shadowSlot = false;
    --m_shadowCalls;
}

void TriageRouter::sampleCpu()
{
    if (!m_primary || !cpuBudgeted())
        return;
    m_shadowBudget.addReading(m_config.cpuSampler->read());
    const int due = m_shadowBudget.toShed(m_shadowCalls);
    if (due > 0)
        m_shadowBudget.shed(shedShadows(due));
    else
        shadowOneMore();
}

// The headroom allows another shadow: the Gemini call that has been without one longest gets
// it (one a reading, so that the readings see each), from its ring's recent audio.
void TriageRouter::shadowOneMore()
{
    if (!m_policy.wantsShadow(m_shadowCalls) || !m_shadowBudget.mayAdmit(m_shadowCalls))
        return;
    QString next;
    qint64 since = 0;
    for (auto it = m_routes.constBegin(); it != m_routes.constEnd(); ++it) {
        const CallRoute &r = **it;
        if (r.mode != RouteMode::Primary || !holdsSlot(r.primary) || r.notLiveSinceMs >= 0 ||
            r.local != LocalEngine::Off || r.shadowSlot)
            continue;
        if (next.isEmpty() || r.startedAtMs < since) {
            next = it.key();
            since = r.startedAtMs;
        }
    }
    if (next.isEmpty())
        return;
    const std::shared_ptr<CallRoute> keep = m_routes.value(next);
    if (!takeShadowSlot(*keep))
        return;
    qCInfo(lcRouter) << "call" << next << "gets a local shadow: CPU headroom"
                     << m_shadowBudget.headroomCores() << "cores";
    driveLocal(next, *keep, LocalEvent::Start, keep->ring);
}

int TriageRouter::shedShadows(int count)
{
    // Only pure shadows: the primary holds the call and is live. Never a call whose primary is
    // not live (its local engine is, or is about to be, what the dispatcher sees), never a call
    // on local triage (not a shadow: the triage itself).
    QList<std::pair<qint64, QString>> candidates;
    for (auto it = m_routes.constBegin(); it != m_routes.constEnd(); ++it) {
        const CallRoute &r = **it;
        if (r.shadowSlot && r.mode == RouteMode::Primary && holdsSlot(r.primary) &&
            r.notLiveSinceMs < 0 && isRunning(r.local))
            candidates.append({r.shadowSinceMs, it.key()});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; }); // newest first
    int shed = 0;
    for (const auto &[since, id] : std::as_const(candidates)) {
        if (shed >= count)
            break;
        const std::shared_ptr<CallRoute> keep = m_routes.value(id);
        shedShadow(id, *keep);
        ++shed;
    }
    return shed;
}

void TriageRouter::shedShadow(const QString &callId, CallRoute &r)
{
    qCInfo(lcRouter) << "call" << callId << "loses its local shadow: CPU headroom"
                     << m_shadowBudget.headroomCores() << "cores (restarts on failover)";
    const EngineAction action = r.moveLocal(LocalEvent::Stop, true); // its report still stands
    releaseShadowSlot(r);
    r.shadowShedAtMs = nowMs();
    r.keptFromShedShadow = r.shown.localToShow().has_value();
    keepRecentAudio(r);
    Q_EMIT shadowShed(callId);
    if (action == EngineAction::EndCall)
        m_local.endCall(callId); // may finish synchronously: nothing is looked at after
}

} // namespace dispatch
