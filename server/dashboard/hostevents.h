#pragma once

#include "domain/call.h"
#include "common/parseresult.h"
#include "domain/principal.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <variant>

namespace dispatch::remote {

// What a host's /ws/dashboard says, decoded for a remote console: the client half of the
// dashboard protocol (server/PROTOCOL.md). Everything is validated like any untrusted input.
struct Hello
{
    QString serverVersion;
    QDateTime serverTime;
    Principal you;
    QList<Call> calls; // live calls, snapshots without history
};
// incoming_call, call_state (a snapshot) and call_detail (a snapshot with its history).
struct CallUpdate
{
    Call call;
    bool withHistory = false;
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
    int severity = 0;
};
struct VitalsUpdate
{
    QString callId;
    VitalsSample vitals;
};
struct LocationUpdate
{
    QString callId;
    GeoLocation location;
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
};
struct HostError
{
    QString code;
    QString message;
    QString callId;
};
// pong, SDP/ICE relayed from callers (a native console has no WebRTC), types added later.
struct Ignored
{
    QString type;
};

using HostEvent = std::variant<Hello, CallUpdate, TriageUpdate, CriticalFlag, VitalsUpdate,
                               LocationUpdate, TranscriptUpdate, CallerConnection, AiLinkUpdate,
                               PrearrivalUpdate, CallEndedUpdate, HostError, Ignored>;

// Largest text message a host may send (a call_detail with a long transcript).
inline constexpr qsizetype MaxHostMessageBytes = 8 * 1024 * 1024;

Parsed<HostEvent> parseHostEvent(const QByteArray &utf8, const QDateTime &now);
// A call snapshot (with history when the object carries it) as a Call value.
Parsed<Call> callFromSnapshot(const QJsonObject &o, const QDateTime &now);

// Commands to the host: {"type": type, "call_id": callId, ...extra}.
QByteArray encodeCommand(const QString &type, const QString &callId,
                         const QJsonObject &extra = QJsonObject());

} // namespace dispatch::remote
