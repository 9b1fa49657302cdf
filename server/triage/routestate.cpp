#include "triage/routestate.h"

#include <QtGlobal>

namespace dispatch {

namespace {

template<typename State> EngineStep<State> stay(State s)
{
    return {s, EngineAction::None};
}

template<typename State> EngineStep<State> illegal(State s, const char *what)
{
    qWarning("triage route: illegal transition ignored: %s", what);
    Q_ASSERT_X(false, "routestate", what);
    return stay(s);
}

} // namespace

EngineStep<LocalEngine> step(LocalEngine state, LocalEvent event)
{
    using S = LocalEngine;
    switch (state) {
    case S::Off:
        switch (event) {
        case LocalEvent::Start:
            return {S::Running, EngineAction::StartCall};
        case LocalEvent::Stop:
            return stay(state);
        case LocalEvent::EndCall:
            return stay(S::Done); // nothing to finish
        case LocalEvent::Finished:
            return illegal(state, "local engine finished a call it does not have");
        }
        break;
    case S::Running:
        switch (event) {
        case LocalEvent::Start:
            return stay(state);
        case LocalEvent::Stop:
            return {S::Stopping, EngineAction::EndCall};
        case LocalEvent::EndCall:
            return {S::Ending, EngineAction::EndCall};
        case LocalEvent::Finished:
            return stay(S::Done); // finished on its own: nothing more comes
        }
        break;
    case S::Stopping:
    case S::StoppingThenRestart:
        switch (event) {
        case LocalEvent::Start:
            return stay(S::StoppingThenRestart); // start again once it has drained
        case LocalEvent::Stop:
            return stay(state);
        case LocalEvent::EndCall:
            return stay(S::Ending); // it ends anyway
        case LocalEvent::Finished:
            return state == S::Stopping ? stay(S::Off)
                                        : EngineStep<S>{S::Running, EngineAction::StartCall};
        }
        break;
    case S::Ending:
        switch (event) {
        case LocalEvent::Start:
        case LocalEvent::Stop:
        case LocalEvent::EndCall:
            return stay(state);
        case LocalEvent::Finished:
            return stay(S::Done);
        }
        break;
    case S::Done:
        if (event == LocalEvent::Start)
            return illegal(state, "local engine started for a call that ended");
        return stay(state);
    }
    return stay(state);
}

EngineStep<PrimaryEngine> step(PrimaryEngine state, PrimaryEvent event)
{
    using S = PrimaryEngine;
    switch (state) {
    case S::None:
        switch (event) {
        case PrimaryEvent::Start:
            return {S::Running, EngineAction::StartCall};
        case PrimaryEvent::Fail:
        case PrimaryEvent::Finished:
            return stay(state); // not ours: it never had the call
        case PrimaryEvent::EndCall:
            return stay(S::Done);
        }
        break;
    case S::Running:
        switch (event) {
        case PrimaryEvent::Start:
            return illegal(state, "primary engine started twice");
        case PrimaryEvent::Fail:
            return stay(S::Failed);
        case PrimaryEvent::EndCall:
            return {S::Ending, EngineAction::EndCall};
        case PrimaryEvent::Finished:
            return stay(S::Done);
        }
        break;
    case S::Ending:
        switch (event) {
        case PrimaryEvent::Start:
            return illegal(state, "primary engine started for a call that ended");
        case PrimaryEvent::Fail:
            return stay(S::Failed); // its finish is still to come
        case PrimaryEvent::EndCall:
            return stay(state);
        case PrimaryEvent::Finished:
            return stay(S::Done);
        }
        break;
    case S::Failed:
        switch (event) {
        case PrimaryEvent::Start:
            return illegal(state, "a failed call is not upgraded again");
        case PrimaryEvent::Fail:
            return stay(state);
        case PrimaryEvent::EndCall:
            return {S::Failed, EngineAction::EndCall}; // lets it finish
        case PrimaryEvent::Finished:
            return stay(S::Done);
        }
        break;
    case S::Done:
        if (event == PrimaryEvent::Start)
            return illegal(state, "primary engine started again");
        return stay(state);
    }
    return stay(state);
}

QString toString(LocalEngine s)
{
    switch (s) {
    case LocalEngine::Off:
        return QStringLiteral("off");
    case LocalEngine::Running:
        return QStringLiteral("running");
    case LocalEngine::Stopping:
        return QStringLiteral("stopping");
    case LocalEngine::StoppingThenRestart:
        return QStringLiteral("stopping-then-restart");
    case LocalEngine::Ending:
        return QStringLiteral("ending");
    case LocalEngine::Done:
        return QStringLiteral("done");
    }
    return QString();
}

QString toString(PrimaryEngine s)
{
    switch (s) {
    case PrimaryEngine::None:
        return QStringLiteral("none");
    case PrimaryEngine::Running:
        return QStringLiteral("running");
    case PrimaryEngine::Ending:
        return QStringLiteral("ending");
    case PrimaryEngine::Failed:
        return QStringLiteral("failed");
    case PrimaryEngine::Done:
        return QStringLiteral("done");
    }
    return QString();
}

QString toString(RouteMode m)
{
    switch (m) {
    case RouteMode::LocalOnly:
        return QStringLiteral("local-only");
    case RouteMode::Waiting:
        return QStringLiteral("waiting");
    case RouteMode::Primary:
        return QStringLiteral("primary");
    case RouteMode::FailedOver:
        return QStringLiteral("failed-over");
    case RouteMode::Ending:
        return QStringLiteral("ending");
    }
    return QString();
}

} // namespace dispatch
