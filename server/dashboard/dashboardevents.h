#pragma once

#include "dashboard/dashboardmessages.h"
#include "domain/call.h"
#include "domain/principal.h"
#include "domain/transfertarget.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <variant>

namespace dispatch::dashboard {

// --- host -> console on /ws/dashboard ----------------------------------------------------------
// The host's DashboardHub encodes these, a remote console (HostLink, StoreMirror) parses them:
// one definition of every event for both ends. Everything parsed is validated like any
// untrusted input.

// First message after connecting: who the token belongs to, the host's clock, the live calls.
struct Hello
{
    int protocolVersion = phone::ProtocolVersion;
    QString serverVersion;
    QDateTime serverTime;
    Principal you;
    QList<Call> calls; // live calls, snapshots without history
};
// incoming_call (the id, location and ringing time), call_state (a snapshot) and call_detail
// (a snapshot with its history: transcript, triage history, offers, track, timeline).
enum class CallUpdateKind
{
    Incoming,
    State,
    Detail
};
struct CallUpdate
{
    Call call;
    CallUpdateKind kind = CallUpdateKind::State;
    bool withHistory() const { return kind == CallUpdateKind::Detail; }
};
struct TriageUpdate
{
    QString callId;
    TriageReport report;
};
struct CriticalFlag
{
    QString callId;
    QString reason;
    int severity = 0; // parsed clamped to TriageReport's 1-5
};
// A person acknowledged a call's critical flag: who (a person's name and role) and when, by
// the host's clock. Every console shows it and stops alarming for that flag.
struct CriticalAcknowledgement
{
    QString callId;
    Actor by;
    QDateTime at;
};
struct VitalsUpdate
{
    QString callId;
    VitalsSample vitals;
};
// A new fix, with the site address the host found for it (NoData: none looked up).
struct LocationUpdate
{
    QString callId;
    GeoLocation location;
    geo::AddressMatch address;
};
struct TranscriptUpdate
{
    QString callId;
    TranscriptSegment segment;
};
struct CallerConnection
{
    QString callId;
    bool connected = true;
};
struct AiLinkUpdate
{
    QString callId;
    TriageLink link;
};
struct PrearrivalUpdate
{
    QString callId;
    PrearrivalOffer offer;
};
struct CallEndedUpdate
{
    QString callId;
    EndReason reason = EndReason::None;
    // `disposition` when the dispatcher gave one; a code this console does not know reads as
    // none.
    Disposition disposition = Disposition::None;
};
// A dispatcher resolved the follow-up of an abandoned or lost call (follow_up).
struct FollowUpUpdate
{
    QString callId;
    FollowUp resolution = FollowUp::Handled;
    QString by; // who resolved it (a principal's name)
};
// Who calls may be transferred to (connected dispatchers and active issued dispatcher tokens),
// sent after hello and whenever it changes. The whole list each time.
struct TransferTargets
{
    QList<TransferTarget> targets; // at most Limits::MaxTransferTargets
};
// A caller's WebRTC signalling, to the console that answered the call: data in an envelope,
// never read as a host event (a native console has no WebRTC and ignores it).
struct CallerSignal
{
    QString callId;
    QJsonObject signal;
};
struct Pong
{};
// A refused command (net/errorreply.h writes it for every channel).
struct HostError
{
    QString code;
    QString message;
    QString callId;
};

using HostEvent = std::variant<Hello, CallUpdate, TriageUpdate, CriticalFlag, VitalsUpdate,
                               LocationUpdate, TranscriptUpdate, CallerConnection, AiLinkUpdate,
                               PrearrivalUpdate, CallEndedUpdate, CallerSignal, TransferTargets,
                               Pong, HostError, CriticalAcknowledgement, FollowUpUpdate>;

// --- encoding (the host) ---------------------------------------------------------------------
// A call's snapshot (also GET /sessions): state, owner, times, current triage, vitals, link.
// `now` gives answer_ms of a call still ringing.
QJsonObject callSnapshot(const Call &call, const QDateTime &now);
// The snapshot plus the call's history (answer to get_call).
QJsonObject callDetail(const Call &call, const QDateTime &now);
QJsonObject transcriptToJson(const TranscriptSegment &segment);
QJsonObject prearrivalToJson(const PrearrivalOffer &offer);
QJsonObject triageLinkToJson(const TriageLink &link);
// {reason, severity, raised_at, acknowledged_by?, acknowledged_role?, acknowledged_at?}
QJsonObject criticalAlertToJson(const CriticalAlert &alert);

// hello with the live calls among `calls` (and the ended ones whose follow-up is open), this host's
// version, `now` as the server time.
QByteArray encodeHello(const QList<const Call *> &calls, const QDateTime &now,
                       const Principal &you);
QByteArray encodeCallUpdate(const Call &call, CallUpdateKind kind, const QDateTime &now);
// Every event; `now` is only read for call snapshots (answer_ms).
QByteArray encodeEvent(const HostEvent &event, const QDateTime &now = QDateTime());

// --- parsing (a remote console) -----------------------------------------------------------------
// At most Limits::MaxEventBytes. Refusals: too_large, bad_json, bad_field (a field of the wrong
// type, out of range or missing, named by its path), unknown_type (an event this console does
// not know, e.g. from a newer host: the caller may ignore it). A malformed history item (one
// transcript segment, one report) is skipped, not fatal: it must not cost the dispatcher the
// rest of the call.
Parsed<HostEvent> parseEvent(const QByteArray &utf8, const QDateTime &now);
// A call snapshot (with history when the object carries it) as a Call value.
Parsed<Call> callFromSnapshot(const QJsonObject &o, const QDateTime &now);

} // namespace dispatch::dashboard
