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
    TriageLink primaryLink;     // the primary's own link
    TriageLink link;            // what the call shows
    qint64 notLiveSinceMs = -1; // the primary holds a slot but is not live since; -1: live
    qint64 graceDueMs = -1;     // when to look at the grace again; -1: nothing to look at
    CallPublication shown;

    // The engine's next state for the event; returns what to tell its backend.
    EngineAction moveLocal(LocalEvent event);
    EngineAction movePrimary(PrimaryEvent event);
    CallRouteInfo info() const;
};

} // namespace dispatch
