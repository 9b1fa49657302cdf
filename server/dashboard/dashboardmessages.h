#pragma once

// The dashboard protocol (/ws/dashboard, server/PROTOCOL.md): the host and its consoles. This
// header holds what both directions share: the message type names (written here once, used by
// the encoders and the parsers of both sides), the size limits and the binary media frames.
// Console -> host commands are in dashboardcommands.h, host -> console events in
// dashboardevents.h; both are value types with pure encode/parse functions.

#include "common/parseresult.h"
#include "phone/phonemessages.h"

#include <QByteArray>
#include <QLatin1String>
#include <QString>

namespace dispatch::dashboard {

namespace type {
// Console -> host.
inline constexpr QLatin1String AnswerCall("dispatcher_joined");
inline constexpr QLatin1String EndCall("call_ended"); // the same name as the CallEnded event
inline constexpr QLatin1String HoldCall("hold_call");
inline constexpr QLatin1String ResumeCall("resume_call");
inline constexpr QLatin1String TakeOver("take_over");
inline constexpr QLatin1String TransferCall("transfer_call");
inline constexpr QLatin1String GetCall("get_call");
inline constexpr QLatin1String SubscribeMedia("subscribe_media");
inline constexpr QLatin1String UnsubscribeMedia("unsubscribe_media");
inline constexpr QLatin1String AcceptLocation("accept_location");
inline constexpr QLatin1String OverrideTriage("override_triage");
inline constexpr QLatin1String AcknowledgeCritical("acknowledge_critical");
inline constexpr QLatin1String ResolveFollowUp("resolve_follow_up");
inline constexpr QLatin1String Ping("ping");
// (WebRTC SDP/ICE relayed to a caller keep their own types: phone::isWebRtcSignalType.)

// Host -> console.
inline constexpr QLatin1String Hello("hello");
inline constexpr QLatin1String CallDetail("call_detail");
inline constexpr QLatin1String IncomingCall("incoming_call");
inline constexpr QLatin1String CallState("call_state");
inline constexpr QLatin1String TriageUpdate("triage_update");
inline constexpr QLatin1String CriticalFlag("critical_flag");
inline constexpr QLatin1String CriticalAcknowledged("critical_acknowledged");
inline constexpr QLatin1String Vitals("vitals");
inline constexpr QLatin1String LocationUpdate("location_update");
inline constexpr QLatin1String Transcript("transcript");
inline constexpr QLatin1String CallerConnection("caller_connection");
inline constexpr QLatin1String AiLink("ai_link");
inline constexpr QLatin1String Prearrival("prearrival");
inline constexpr QLatin1String CallEnded("call_ended");
inline constexpr QLatin1String FollowUp("follow_up");
inline constexpr QLatin1String CallerSignal("caller_signal");
inline constexpr QLatin1String TransferTargets("transfer_targets");
inline constexpr QLatin1String Pong("pong");
inline constexpr QLatin1String Error("error"); // written by net/errorreply for every channel
} // namespace type

struct Limits
{
    // A command from a console (the control-message limit of every channel).
    static constexpr qsizetype MaxCommandBytes = phone::Limits::MaxControlMessageBytes;
    // An event from the host: a call_detail with a long transcript is the largest.
    static constexpr qsizetype MaxEventBytes = 8 * 1024 * 1024;
    // A principal name in transfer_call (issued names, or the admin's admin@<address>).
    static constexpr qsizetype MaxPrincipalChars = 128;
    // Dispatchers listed in one transfer_targets event.
    static constexpr qsizetype MaxTransferTargets = 1000;
};

// A principal's name as the wire carries it (transfer_call's `to`, transfer_targets' names):
// 1-128 characters of [A-Za-z0-9._@:-].
bool isPrincipalName(const QString &name);

// --- binary media frames (both directions) ---------------------------------------------------
// [kind: 1 byte][call id length: 1 byte][call id: ASCII][payload]. Host -> console: caller
// audio (16 kHz s16le mono), camera frames (JPEG) and talk-back of subscribed calls;
// console -> host: talk-back for a call the console owns.
enum class MediaKind : quint8
{
    CallerAudio = 1,
    CameraFrame = 2,
    TalkBack = 3
};
struct MediaFrame
{
    MediaKind kind = MediaKind::CallerAudio;
    QString callId;
    QByteArray payload;
};
QByteArray encodeMediaFrame(const MediaFrame &frame);
// Refusals have the code "bad_media_frame".
Parsed<MediaFrame> parseMediaFrame(const QByteArray &bytes);

} // namespace dispatch::dashboard
