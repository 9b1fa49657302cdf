#include "domain/call.h"

namespace dispatch {

namespace {

template<typename E, std::size_t N>
std::optional<E> fromWireName(const QString &s, const E (&all)[N])
{
    for (E e : all) {
        if (toString(e) == s && !s.isEmpty())
            return e;
    }
    return std::nullopt;
}

} // namespace

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
    case CallEventKind::CriticalAcknowledged:
        return QStringLiteral("critical_acknowledged");
    case CallEventKind::TriageOverridden:
        return QStringLiteral("triage_overridden");
    case CallEventKind::FollowedUp:
        return QStringLiteral("followed_up");
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

std::optional<CallState> callStateFromString(const QString &s)
{
    static constexpr CallState all[] = {CallState::Ringing, CallState::Answered, CallState::OnHold,
                                        CallState::Ended};
    return fromWireName(s, all);
}

std::optional<EndReason> endReasonFromString(const QString &s)
{
    static constexpr EndReason all[] = {EndReason::CallerHungUp,    EndReason::DispatcherEnded,
                                        EndReason::CallerLost,      EndReason::Abandoned,
                                        EndReason::AdminTerminated, EndReason::ServerShutdown};
    return fromWireName(s, all);
}

std::optional<CallEventKind> callEventKindFromString(const QString &s)
{
    static constexpr CallEventKind all[] = {CallEventKind::Rang,
                                            CallEventKind::Answered,
                                            CallEventKind::Held,
                                            CallEventKind::Resumed,
                                            CallEventKind::Ended,
                                            CallEventKind::FirstTriage,
                                            CallEventKind::CriticalFlagged,
                                            CallEventKind::CallerDisconnected,
                                            CallEventKind::CallerReconnected,
                                            CallEventKind::LocationUpdated,
                                            CallEventKind::LocationAccepted,
                                            CallEventKind::CallerText,
                                            CallEventKind::Transferred,
                                            CallEventKind::TriageOverridden,
                                            CallEventKind::CriticalAcknowledged,
                                            CallEventKind::FollowedUp};
    return fromWireName(s, all);
}

std::optional<Speaker> speakerFromString(const QString &s)
{
    static constexpr Speaker all[] = {Speaker::Caller, Speaker::CallerText, Speaker::Dispatcher,
                                      Speaker::Ai};
    return fromWireName(s, all);
}

std::optional<TriageLinkState> triageLinkStateFromString(const QString &s)
{
    static constexpr TriageLinkState all[] = {TriageLinkState::None,  TriageLinkState::Connecting,
                                              TriageLinkState::Live,  TriageLinkState::Resuming,
                                              TriageLinkState::Local, TriageLinkState::Failed};
    return fromWireName(s, all);
}

} // namespace dispatch
