#include "triage/routingpolicy.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace dispatch {

RoutingPolicy::RoutingPolicy(RoutingPolicyConfig config, bool hasPrimary)
    : m_config(std::move(config))
    , m_hasPrimary(hasPrimary)
{
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    m_shadowCap = m_config.maxShadowCalls == 0 ? 4 * cores : std::max(-1, m_config.maxShadowCalls);
}

bool RoutingPolicy::canStartPrimary(int primaryInUse, qint64 nowMs) const
{
    return m_hasPrimary && !isBreakerOpen(nowMs) && primaryInUse < m_config.maxPrimarySessions;
}

TriageLink RoutingPolicy::localLink(int primaryInUse, qint64 nowMs) const
{
    TriageLink link;
    link.state = TriageLinkState::Local;
    if (!m_hasPrimary) {
        link.reason = m_config.unavailableReason;
    } else if (isBreakerOpen(nowMs)) {
        link.reason = TriageLinkReason::BreakerOpen;
        link.failure = m_breakerKind;
        link.detail = m_breakerDetail;
        link.args = {static_cast<int>((m_breakerUntilMs - nowMs + 999) / 1000)};
    } else if (primaryInUse >= m_config.maxPrimarySessions) {
        link.reason = TriageLinkReason::WaitingForSlot;
        link.args = {primaryInUse, m_config.maxPrimarySessions};
    }
    return link;
}

bool RoutingPolicy::waitsForPrimary() const
{
    return m_hasPrimary && m_config.maxPrimarySessions > 0;
}

bool RoutingPolicy::shadowSlotFree(int shadowsInUse) const
{
    return m_shadowCap < 0 || shadowsInUse < m_shadowCap;
}

bool RoutingPolicy::wantsShadow(int shadowsInUse) const
{
    return m_config.shadowLocal && shadowSlotFree(shadowsInUse);
}

int RoutingPolicy::cooldownMs(TriageFailureKind kind) const
{
    switch (kind) {
    case TriageFailureKind::Quota:
        return std::max(0, m_config.quotaCooldownMs);
    case TriageFailureKind::ApiKey:
    case TriageFailureKind::Credentials:
    case TriageFailureKind::ModelNotFound:
    case TriageFailureKind::BadRequest:
        return std::max(0, m_config.configErrorCooldownMs);
    case TriageFailureKind::None:
    case TriageFailureKind::Transient:
        break; // retries ran out on a network problem: other calls may still get through
    }
    return 0;
}

void RoutingPolicy::recordFailure(TriageFailureKind kind, const QString &detail, qint64 nowMs)
{
    const int cooldown = cooldownMs(kind);
    if (cooldown <= 0)
        return;
    if (nowMs + cooldown >= m_breakerUntilMs) {
        m_breakerUntilMs = nowMs + cooldown;
        m_breakerKind = kind;
    }
    m_breakerDetail = detail;
}

bool RoutingPolicy::isBreakerOpen(qint64 nowMs) const
{
    return m_breakerUntilMs > nowMs;
}

bool RoutingPolicy::promotesBefore(const Candidate &a, const Candidate &b)
{
    if (a.severity != b.severity)
        return a.severity > b.severity;
    return a.waitingSinceMs < b.waitingSinceMs;
}

qsizetype RoutingPolicy::nextToPromote(const QList<Candidate> &waiting)
{
    qsizetype best = -1;
    for (qsizetype i = 0; i < waiting.size(); ++i) {
        if (best < 0 || promotesBefore(waiting.at(i), waiting.at(best)))
            best = i;
    }
    return best;
}

Publisher RoutingPolicy::publisher(PrimaryEngine primary, qint64 notLiveSinceMs, qint64 nowMs) const
{
    if (!holdsSlot(primary))
        return Publisher::Local;
    if (notLiveSinceMs < 0)
        return Publisher::Primary;
    return nowMs >= graceEndsAtMs(notLiveSinceMs) ? Publisher::Local : Publisher::Primary;
}

qint64 RoutingPolicy::graceEndsAtMs(qint64 notLiveSinceMs) const
{
    return notLiveSinceMs + std::max(0, m_config.localGraceMs);
}

int RoutingPolicy::keptAudioMs(RouteMode mode, LocalEngine local) const
{
    if (mode == RouteMode::Waiting)
        return std::max(0, m_config.upgradeAudioMs);
    if (mode == RouteMode::Ending || isRunning(local))
        return 0;
    return std::max(0, m_config.failoverAudioMs);
}

TriageLink RoutingPolicy::primaryCallLink(const TriageLink &primaryLink, Publisher publisher)
{
    TriageLink link = primaryLink;
    if (link.state != TriageLinkState::Live && publisher == Publisher::Local)
        link.reason = TriageLinkReason::LocalMeanwhile;
    return link;
}

TriageLink RoutingPolicy::failedLink(TriageFailureKind kind, const QString &detail)
{
    TriageLink link;
    link.state = TriageLinkState::Failed;
    link.failure = kind;
    link.detail = detail;
    return link;
}

TriageLink RoutingPolicy::fallbackLink(TriageFailureKind kind, const QString &detail)
{
    TriageLink link = failedLink(kind, detail);
    link.state = TriageLinkState::Local;
    link.reason = TriageLinkReason::Fallback;
    return link;
}

} // namespace dispatch
