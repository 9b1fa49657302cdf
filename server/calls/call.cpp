#include "call.h"

namespace dispatch {

qint64 Call::answerMilliseconds(const QDateTime &now) const
{
    if (answeredAt.isValid())
        return ringingSince.msecsTo(answeredAt);
    return ringingSince.msecsTo(endedAt.isValid() ? endedAt : now);
}

QString toString(CallState s)
{
    switch (s) {
    case CallState::Ringing:
        return QStringLiteral("ringing");
    case CallState::Answered:
        return QStringLiteral("answered");
    case CallState::OnHold:
        return QStringLiteral("on_hold");
    case CallState::Ended:
        return QStringLiteral("ended");
    }
    return QString();
}

QString toString(EndReason r)
{
    switch (r) {
    case EndReason::None:
        return QString();
    case EndReason::CallerHungUp:
        return QStringLiteral("caller_hung_up");
    case EndReason::DispatcherEnded:
        return QStringLiteral("dispatcher_ended");
    case EndReason::CallerLost:
        return QStringLiteral("caller_lost");
    case EndReason::Abandoned:
        return QStringLiteral("abandoned");
    case EndReason::AdminTerminated:
        return QStringLiteral("admin_terminated");
    case EndReason::ServerShutdown:
        return QStringLiteral("server_shutdown");
    }
    return QString();
}

QString toString(CallEventKind k)
{
    switch (k) {
    case CallEventKind::Rang:
        return QStringLiteral("rang");
    case CallEventKind::Answered:
        return QStringLiteral("answered");
    case CallEventKind::Held:
        return QStringLiteral("held");
    case CallEventKind::Resumed:
        return QStringLiteral("resumed");
    case CallEventKind::Ended:
        return QStringLiteral("ended");
    case CallEventKind::FirstTriage:
        return QStringLiteral("first_triage");
    case CallEventKind::CriticalFlagged:
        return QStringLiteral("critical_flagged");
    case CallEventKind::CallerDisconnected:
        return QStringLiteral("caller_disconnected");
    case CallEventKind::CallerReconnected:
        return QStringLiteral("caller_reconnected");
    case CallEventKind::LocationUpdated:
        return QStringLiteral("location_updated");
    case CallEventKind::LocationAccepted:
        return QStringLiteral("location_accepted");
    case CallEventKind::CallerText:
        return QStringLiteral("caller_text");
    case CallEventKind::Transferred:
        return QStringLiteral("transferred");
    }
    return QString();
}

QString toString(Speaker s)
{
    switch (s) {
    case Speaker::Caller:
        return QStringLiteral("caller");
    case Speaker::CallerText:
        return QStringLiteral("caller_text");
    case Speaker::Dispatcher:
        return QStringLiteral("dispatcher");
    case Speaker::Ai:
        return QStringLiteral("ai");
    }
    return QString();
}

QString toString(TriageLinkState s)
{
    switch (s) {
    case TriageLinkState::None:
        return QStringLiteral("none");
    case TriageLinkState::Connecting:
        return QStringLiteral("connecting");
    case TriageLinkState::Live:
        return QStringLiteral("live");
    case TriageLinkState::Resuming:
        return QStringLiteral("resuming");
    case TriageLinkState::Local:
        return QStringLiteral("local");
    case TriageLinkState::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

bool isValidTransition(CallState from, CallState to)
{
    switch (from) {
    case CallState::Ringing:
        return to == CallState::Answered || to == CallState::Ended;
    case CallState::Answered:
        return to == CallState::OnHold || to == CallState::Ended;
    case CallState::OnHold:
        return to == CallState::Answered || to == CallState::Ended;
    case CallState::Ended:
        return false;
    }
    return false;
}

} // namespace dispatch
