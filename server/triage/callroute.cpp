#include "triage/callroute.h"

namespace dispatch {

EngineAction CallRoute::moveLocal(LocalEvent event, bool keepConclusions)
{
    const EngineStep<LocalEngine> s = step(local, event);
    local = s.next;
    if (s.action == EngineAction::EndCall && !keepConclusions)
        shown.forgetLocal(); // a failover must not bring back what it concluded before
    return s.action;
}

EngineAction CallRoute::movePrimary(PrimaryEvent event)
{
    const EngineStep<PrimaryEngine> s = step(primary, event);
    primary = s.next;
    if (!holdsSlot(primary))
        graceDueMs = -1; // nothing to wait for
    return s.action;
}

CallRouteInfo CallRoute::info() const
{
    CallRouteInfo i;
    i.firstReportMs = shown.firstReportMs();
    i.reports = shown.reports();
    i.primary = holdsSlot(primary);
    i.failedOver = mode == RouteMode::FailedOver;
    i.waitingForSlot = mode == RouteMode::Waiting;
    i.severity = shown.severity();
    i.link = link;
    i.mode = mode;
    i.local = local;
    i.primaryEngine = primary;
    i.shadowed = shadowSlot && mode == RouteMode::Primary;
    i.shadowShed = shadowShedAtMs >= 0 && !shadowSlot;
    return i;
}

} // namespace dispatch
