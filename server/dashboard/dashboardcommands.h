#pragma once

#include "dashboard/dashboardmessages.h"
#include "domain/disposition.h"
#include "domain/followup.h"
#include "domain/triagereport.h"

#include <QJsonObject>

#include <variant>

namespace dispatch::dashboard {

// --- console -> host on /ws/dashboard ----------------------------------------------------------
// A remote console encodes these (encodeCommand), the host's DashboardHub parses them
// (parseCommand): one definition of every command for both ends.
struct AnswerCall
{
    QString callId;
};
struct EndCall
{
    QString callId;
    // How the dispatcher closed the call; sent as `disposition` (a code) when not None.
    Disposition disposition = Disposition::None;
};
struct HoldCall
{
    QString callId;
};
struct ResumeCall
{
    QString callId;
};
// A supervisor takes a call over: it answers a ringing call or becomes the owner of a live one.
struct TakeOver
{
    QString callId;
};
// The owner (or the admin) hands an answered call to another dispatcher.
struct TransferCall
{
    QString callId;
    QString to; // a principal name
};
// A remote console asks for a call's whole record (to restore or resynchronise its view).
struct GetCall
{
    QString callId;
};
// Start or stop receiving a call's caller audio, camera frames and talk-back (binary media
// frames): the owner, a supervisor (listen-in) or the admin.
struct SubscribeMedia
{
    QString callId;
    bool subscribe = true;
};
struct AcceptLocation
{
    QString callId;
};
// The owner replaces the AI's assessment; the report is validated like any untrusted one and
// always parses with source "dispatcher", whatever the console claims.
struct OverrideTriage
{
    QString callId;
    TriageReport report;
};
// Whoever may act on the call has seen its critical flag (the host names who, from the token).
struct AcknowledgeCritical
{
    QString callId;
};
// Closes the follow-up of an abandoned or lost call: any dispatcher, supervisor or the admin.
struct ResolveFollowUp
{
    QString callId;
    FollowUp resolution = FollowUp::Handled; // one of followUpResolutions()
};
struct Ping
{};
// WebRTC SDP/ICE for a caller (phone::isWebRtcSignalType): `message` is the whole message,
// its own type and call_id included, relayed to the phone as it is.
struct Relay
{
    QString callId;
    QJsonObject message;
};
using Command = std::variant<AnswerCall, EndCall, HoldCall, ResumeCall, TakeOver, TransferCall,
                             GetCall, SubscribeMedia, AcceptLocation, OverrideTriage,
                             AcknowledgeCritical, Ping, Relay, ResolveFollowUp>;

// The call a command is about; empty for ping.
QString callIdOf(const Command &command);

QByteArray encodeCommand(const Command &command);
// At most Limits::MaxCommandBytes; refusals: too_large, bad_json, bad_field, unknown_type.
Parsed<Command> parseCommand(const QByteArray &bytes);

} // namespace dispatch::dashboard
