#pragma once

#include "common/jsonfields.h"
#include "common/parseresult.h"
#include "domain/call.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

namespace dispatch::phone {

// Wire limits of the phone and dashboard protocols (server/PROTOCOL.md). Hostile peers hit
// these first.
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

// The version of the whole wire protocol (caller and dashboard), in hello and GET /health.
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

// Every text message of both protocols (caller and dashboard) is a bounded JSON object with a
// string "type" of at most 64 characters.
struct TypedMessage
{
    QJsonObject object;
    QString type;
};
Parsed<TypedMessage> parseTypedMessage(const QByteArray &bytes, qsizetype maxBytes);
// The required "call_id" of a message, checked with isValidCallId().
QString readCallId(json::FieldReader &reader, const QJsonObject &o);
ProtocolError unknownType(const QString &type);

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

// --- server -> caller -----------------------------------------------------------------------
// Value codecs shared with the dashboard protocol (snapshots, vitals and location events).
QJsonObject locationToJson(const GeoLocation &location);
QJsonObject vitalsToJson(const VitalsSample &vitals);

QByteArray encode(const QJsonObject &message);
QByteArray encodeDispatcherReady(const QString &callId);
// ext: the call's secret, sent once on the signal socket that created the call. Re-attaching,
// opening media sockets later and hearing talk-back need it (server/PROTOCOL.md).
QByteArray encodeCallCredential(const QString &callId, const QString &secret);
// ext: on an audio socket that joins a live call, how many audio bytes the call has, so that a
// phone coming back from a network blip can resend what was lost in flight.
QByteArray encodeAudioReceived(const QString &callId, qint64 bytes);
QByteArray encodeCallEnded(const QString &callId, EndReason reason);
QByteArray encodeCallStateForCaller(const QString &callId, CallState state);
QByteArray encodePong();

} // namespace dispatch::phone
