#pragma once

#include "domain/call.h"
#include "common/parseresult.h"
#include "domain/principal.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

namespace dispatch::phone {

// Wire limits of the phone protocol (server/PROTOCOL.md). Hostile peers hit these first.
struct Limits
{
    static constexpr qsizetype MaxControlMessageBytes = 64 * 1024;  // signal, vitals, dashboard
    static constexpr qsizetype MaxFrameJpegBytes = 2 * 1024 * 1024; // decoded JPEG
    static constexpr qsizetype MaxFrameMessageBytes = MaxFrameJpegBytes * 4 / 3 + 1024;
    static constexpr qsizetype MaxAudioChunkBytes = 64 * 1024; // 2 s of 16 kHz s16le mono
    static constexpr qsizetype MaxCallIdChars = 128;
    static constexpr qsizetype MaxCallerTextChars = 2000;
    static constexpr qsizetype MaxCallSecretChars = 128;
};

inline constexpr int ProtocolVersion = 1;

// Call ids come from phones: 1-128 characters of [A-Za-z0-9._:-].
bool isValidCallId(const QString &id);
// A call secret as presented by a phone: 1-128 characters of base64url ([A-Za-z0-9_-]).
bool isValidCallSecret(const QString &secret);
// The caller-to-dispatcher signalling the protocol relays (WebRTC SDP and ICE): offer, answer,
// and an ICE candidate under the names phones use (candidate, ice, ice_candidate,
// ice-candidate). Nothing else a caller sends is relayed.
bool isWebRtcSignalType(const QString &type);
// Caller text without NUL, other control characters (line breaks and tabs stay) or invisible
// direction controls (bidi overrides, isolates, marks).
QString sanitizeCallerText(const QString &text);

// --- caller -> server on /ws/signal ----------------------------------------------------------
struct CallInitiated
{
    std::optional<GeoLocation> location;
    QString secret; // call_secret: proves a reconnecting phone is the call's own (ext)
};
struct CallerHangUp
{};
struct LocationUpdate
{
    GeoLocation location;
};
struct CallerText
{
    QString text;
};
struct Ping
{};
// WebRTC SDP/ICE (isWebRtcSignalType): relayed to the dispatcher side inside a
// caller_signal envelope, never as a message of its own.
struct Relay
{
    QJsonObject message;
};
using SignalMessage =
    std::variant<CallInitiated, CallerHangUp, LocationUpdate, CallerText, Ping, Relay>;

Parsed<SignalMessage> parseSignalMessage(const QByteArray &bytes, const QDateTime &now);

// --- caller -> server on /ws/audio (text frames; binary frames are PCM) ------------------------
struct CameraFrame
{
    QByteArray jpeg;
};
Parsed<CameraFrame> parseAudioChannelText(const QByteArray &bytes);
// Binary audio: 16 kHz s16le mono, a whole number of samples, at most MaxAudioChunkBytes.
std::optional<ProtocolError> validateAudioChunk(const QByteArray &pcm);

// --- caller -> server on /ws/vitals ----------------------------------------------------------
Parsed<VitalsSample> parseVitals(const QByteArray &bytes, const QDateTime &now);
// The fields of a vitals message (also in dashboard `vitals` and snapshots), validated.
Parsed<VitalsSample> vitalsFromJson(const QJsonObject &o, const QDateTime &now);
// {lat, lng, accuracy?} (or the browser's latitude/longitude), validated.
Parsed<GeoLocation> parseLocation(const QJsonValue &value, const QDateTime &now);

// --- dashboard -> server on /ws/dashboard ------------------------------------------------------
struct AnswerCall
{
    QString callId;
};
struct EndCall
{
    QString callId;
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
// The owner replaces the AI's assessment; the report is validated like any untrusted one.
struct OverrideTriage
{
    QString callId;
    TriageReport report;
};
struct DashboardPing
{};
struct DashboardRelay
{
    QString callId;
    QJsonObject message;
};
using DashboardMessage =
    std::variant<AnswerCall, EndCall, HoldCall, ResumeCall, TakeOver, TransferCall, GetCall,
                 SubscribeMedia, AcceptLocation, OverrideTriage, DashboardPing, DashboardRelay>;

Parsed<DashboardMessage> parseDashboardMessage(const QByteArray &bytes);

// --- binary media frames on /ws/dashboard (both directions) ----------------------------------
// [kind: 1 byte][call id length: 1 byte][call id: ASCII][payload]. Server -> dashboard: caller
// audio (16 kHz s16le mono), camera frames (JPEG) and talk-back of subscribed calls;
// dashboard -> server: talk-back for a call the client owns.
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
Parsed<MediaFrame> parseMediaFrame(const QByteArray &bytes);

// --- server -> caller / dashboard ------------------------------------------------------------
QJsonObject locationToJson(const GeoLocation &location);
QJsonObject vitalsToJson(const VitalsSample &vitals);
QJsonObject callSnapshot(const Call &call, const QDateTime &now);

QByteArray encode(const QJsonObject &message);
QByteArray encodeDispatcherReady(const QString &callId);
// ext: the call's secret, sent once on the signal socket that created the call. Re-attaching,
// opening media sockets later and hearing talk-back need it (server/PROTOCOL.md).
QByteArray encodeCallCredential(const QString &callId, const QString &secret);
// A caller's WebRTC signalling, as data for the answering dashboard: {type: caller_signal,
// call_id, signal: {...}}.
QByteArray encodeCallerSignal(const QString &callId, const QJsonObject &signal);
// ext: on an audio socket that joins a live call, how many audio bytes the call has, so that a
// phone coming back from a network blip can resend what was lost in flight.
QByteArray encodeAudioReceived(const QString &callId, qint64 bytes);
QByteArray encodeCallEnded(const QString &callId, EndReason reason);
QByteArray encodeCallStateForCaller(const QString &callId, CallState state);

// First message to a dashboard: live calls, the server's clock and who the client is.
QByteArray encodeHello(const QList<const Call *> &calls, const QDateTime &now,
                       const Principal &you);
// A call's whole record: its snapshot plus transcript, triage history, pre-arrival offers,
// location track and timeline (answer to get_call).
QJsonObject callDetail(const Call &call, const QDateTime &now);
QByteArray encodeCallDetail(const Call &call, const QDateTime &now);
QJsonObject transcriptToJson(const TranscriptSegment &segment);
QJsonObject prearrivalToJson(const PrearrivalOffer &offer);
QByteArray encodeIncomingCall(const Call &call);
QByteArray encodeCallState(const Call &call, const QDateTime &now);
QByteArray encodeTriageUpdate(const QString &callId, const TriageReport &report);
QByteArray encodeCriticalFlag(const QString &callId, const QString &reason, int severity);
QByteArray encodeVitals(const QString &callId, const VitalsSample &vitals);
QByteArray encodeLocation(const QString &callId, const GeoLocation &location);
QByteArray encodeTranscript(const QString &callId, const TranscriptSegment &segment);
QByteArray encodeCallerConnection(const QString &callId, bool connected);
QJsonObject triageLinkToJson(const TriageLink &link);
QByteArray encodeAiLink(const QString &callId, const TriageLink &link);
QByteArray encodePrearrival(const QString &callId, const PrearrivalOffer &offer);
QByteArray encodePong();

} // namespace dispatch::phone
