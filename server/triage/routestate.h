#pragma once

#include <QString>

namespace dispatch {

// The lifecycle of one call's engines in the TriageRouter, as explicit states. Every transition
// goes through step(): the router never sets a state by hand, so an illegal move cannot happen
// silently (it asserts in debug builds and leaves the state as it was).

// The local engine's part in a call.
enum class LocalEngine
{
    Off,                 // not started, or stopped while the call goes on (upgrade without a slot)
    Running,             // has the call
    Stopping,            // asked to end while the call goes on: draining, its output is ignored
    StoppingThenRestart, // as Stopping, and needed again (failover, long reconnect) once drained
    Ending,              // the call ended: finishing, its output still counts
    Done                 // finished for this call (or never needed before the call ended)
};

enum class LocalEvent
{
    Start,   // the call needs the engine (start, failover, grace, restart)
    Stop,    // the call goes on without it
    EndCall, // the call ended
    Finished // the engine emitted callFinished
};

// The primary (AI) engine's part in a call.
enum class PrimaryEngine
{
    None,    // never started for this call
    Running, // has the call (connecting, live, resuming): holds a slot of the budget
    Ending,  // asked to end, still holds its slot until it finishes
    Failed,  // failed for good: holds no slot; its finish is outstanding
    Done     // finished
};

enum class PrimaryEvent
{
    Start,
    Fail,
    EndCall,
    Finished
};

// What the router must tell the backend for a transition.
enum class EngineAction
{
    None,
    StartCall, // backend.startCall
    EndCall    // backend.endCall
};

template<typename State> struct EngineStep
{
    State next;
    EngineAction action = EngineAction::None;
};

EngineStep<LocalEngine> step(LocalEngine state, LocalEvent event);
EngineStep<PrimaryEngine> step(PrimaryEngine state, PrimaryEvent event);

// The engine gets the call's media.
inline bool isRunning(LocalEngine s)
{
    return s == LocalEngine::Running;
}
// Draining after a stop: what it still says is not the call's view.
inline bool isStopping(LocalEngine s)
{
    return s == LocalEngine::Stopping || s == LocalEngine::StoppingThenRestart;
}
// Counts against the primary budget; its output is the call's.
inline bool holdsSlot(PrimaryEngine s)
{
    return s == PrimaryEngine::Running || s == PrimaryEngine::Ending;
}
// A callFinished is still to come from the backend.
inline bool finishOutstanding(LocalEngine s)
{
    return s != LocalEngine::Off && s != LocalEngine::Done;
}
inline bool finishOutstanding(PrimaryEngine s)
{
    return s != PrimaryEngine::None && s != PrimaryEngine::Done;
}

// What the call is to the router: who may publish and whether it waits for the AI.
enum class RouteMode
{
    LocalOnly,  // no AI for it (no backend, budget 0): local until it ends
    Waiting,    // local because of the budget or the breaker: upgraded when a slot frees
    Primary,    // the AI has it (local shadows it, or takes over during a long reconnect)
    FailedOver, // the AI failed for good: local until it ends, never upgraded again
    Ending      // endCall came: both engines finish, nothing is forwarded
};

QString toString(LocalEngine s);
QString toString(PrimaryEngine s);
QString toString(RouteMode m);

} // namespace dispatch
