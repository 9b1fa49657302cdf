#pragma once

#include "calls/mediabacklog.h"
#include "domain/triagelink.h"
#include "triage/callpublication.h"
#include "triage/routestate.h"

namespace dispatch {

// A call as the router sees it, for /health, /metrics and tests.
struct CallRouteInfo
{
    qint64 firstReportMs = -1; // answer to the first published report; -1: none yet
    int reports = 0;           // published reports
    bool primary = false;      // a primary session holds a slot for it
    bool failedOver = false;
    bool waitingForSlot = false;
    int severity = 0;
    TriageLink link;
    RouteMode mode = RouteMode::LocalOnly;
    LocalEngine local = LocalEngine::Off;
    PrimaryEngine primaryEngine = PrimaryEngine::None;
    bool shadowed = false;   // holds a shadow slot (its local engine runs beside the primary)
    bool shadowShed = false; // its shadow was shed for CPU headroom and not started again
};

// One call in the TriageRouter: what it is to the router, its engines' states (moved only
// through routestate.h's step()), the ring of recent media kept for a switch of engine, its
// links and what was published for it.
struct CallRoute
{
    MediaBacklog ring;
    qint64 startedAtMs = 0;
    RouteMode mode = RouteMode::LocalOnly;
    LocalEngine local = LocalEngine::Off;
    PrimaryEngine primary = PrimaryEngine::None;
    bool shadowSlot = false;    // local started as a shadow beside the primary (counted in the cap)
    qint64 shadowSinceMs = -1;  // when it took its shadow slot (the most recent are shed first)
    qint64 shadowShedAtMs = -1; // its shadow was shed then (CPU headroom); -1: not shed
    bool keptFromShedShadow = false; // the local report kept is the shed shadow's
    TriageLink primaryLink;          // the primary's own link
    TriageLink link;                 // what the call shows
    qint64 notLiveSinceMs = -1;      // the primary holds a slot but is not live since; -1: live
    qint64 graceDueMs = -1;          // when to look at the grace again; -1: nothing to look at
    CallPublication shown;

    // The engine's next state for the event; returns what to tell its backend. A stop forgets
    // what the engine concluded (a failover must not bring it back), unless `keepConclusions`
    // (a shadow shed for CPU: what it heard until then still stands).
    EngineAction moveLocal(LocalEvent event, bool keepConclusions = false);
    EngineAction movePrimary(PrimaryEvent event);
    CallRouteInfo info() const;
};

} // namespace dispatch
