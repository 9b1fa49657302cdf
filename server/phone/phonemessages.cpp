#include "phone/phonemessages.h"

#include "common/jsonfields.h"

#include <QJsonDocument>

#include <algorithm>

namespace dispatch::phone {

namespace {

// 1 to maxChars characters, each an ASCII letter or digit or one of `extra`.
bool isAsciiToken(const QString &text, qsizetype maxChars, QLatin1String extra)
{
    if (text.isEmpty() || text.size() > maxChars)
        return false;
    return std::all_of(text.cbegin(), text.cend(), [extra](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
               (u < 0x80 && extra.contains(QLatin1Char(char(u))));
    });
}

} // namespace

ProtocolError unknownType(const QString &type)
{
    return {QStringLiteral("unknown_type"), QStringLiteral("unknown message type '%1'").arg(type)};
}

Parsed<TypedMessage> parseTypedMessage(const QByteArray &bytes, qsizetype maxBytes)
{
    auto obj = json::parseObject(bytes, maxBytes);
    if (!obj)
        return obj.error();
    json::FieldReader r;
    const QString type = r.requiredString(obj.value(), QLatin1String("type"), 64);
    if (r.error())
        return *r.error();
    return TypedMessage{obj.value(), type};
}

QString readCallId(json::FieldReader &reader, const QJsonObject &o)
{
    const QLatin1String key("call_id");
    const QString id = reader.requiredString(o, key, Limits::MaxCallIdChars);
    if (!reader.ok())
        return QString();
    if (!isValidCallId(id)) {
        reader.fail(key, QStringLiteral("has invalid characters"));
        return QString();
    }
    return id;
}

Parsed<GeoLocation> parseLocation(const QJsonValue &value, const QDateTime &now)
{
    if (!value.isObject())
        return json::badField(QLatin1String("location"), QStringLiteral("must be an object"));
    const QJsonObject o = value.toObject();
    // The seed sends {lat, lng}; browsers' Geolocation API names them latitude/longitude.
    const bool longNames = o.contains(QLatin1String("latitude"));
    json::FieldReader r;
    const auto lat = r.number(o, QLatin1String(longNames ? "latitude" : "lat"), -90, 90);
    const auto lng = r.number(o, QLatin1String(longNames ? "longitude" : "lng"), -180, 180);
    const auto accuracy = r.number(o, QLatin1String("accuracy"), 0, 1e7);
    if (r.error())
        return *r.error();
    if (!lat || !lng)
        return json::badField(QLatin1String("location"), QStringLiteral("needs both lat and lng"));
    return GeoLocation{*lat, *lng, accuracy, now};
}

bool isWebRtcSignalType(const QString &type)
{
    static const QStringList types{
        QStringLiteral("offer"), QStringLiteral("answer"),        QStringLiteral("candidate"),
        QStringLiteral("ice"),   QStringLiteral("ice_candidate"), QStringLiteral("ice-candidate")};
    return types.contains(type);
}

bool isValidCallSecret(const QString &secret)
{
    return isAsciiToken(secret, Limits::MaxCallSecretChars, QLatin1String("-_"));
}

QString sanitizeCallerText(const QString &text)
{
    // Kept: printable text, line breaks and tabs. Dropped: NUL and other control characters,
    // and the invisible direction controls that can make a line read differently from what it
    // holds (bidi overrides, embeddings, isolates and marks).
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n' || u == u'\t') {
            out.append(c);
            continue;
        }
        if (u < 0x20 || (u >= 0x7F && u < 0xA0))
            continue;
        if ((u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069) || u == 0x200E ||
            u == 0x200F || u == 0x061C)
            continue;
        out.append(c);
    }
    return out;
}

bool isValidCallId(const QString &id)
{
    return isAsciiToken(id, Limits::MaxCallIdChars, QLatin1String("._:-"));
}

Parsed<SignalMessage> parseSignalMessage(const QByteArray &bytes, const QDateTime &now)
{
    auto message = parseTypedMessage(bytes, Limits::MaxControlMessageBytes);
    if (!message)
        return message.error();
    const QJsonObject &o = message->object;
    const QString &t = message->type;

    if (t == QLatin1String("call_initiated")) {
        CallInitiated m;
        if (const auto secret = o.value(QLatin1String("call_secret")); !secret.isUndefined()) {
            // Present means it must be a secret: a null or a number is refused, not ignored.
            if (!secret.isString() || !isValidCallSecret(secret.toString()))
                return json::badField(QLatin1String("call_secret"),
                                      QStringLiteral("is not a call secret"));
            m.secret = secret.toString();
        }
        if (const auto loc = o.value(QLatin1String("location"));
            !loc.isUndefined() && !loc.isNull()) {
            // An empty object is what the seed sends when it has no fix yet.
            if (!(loc.isObject() && loc.toObject().isEmpty())) {
                auto parsed = parseLocation(loc, now);
                if (!parsed)
                    return parsed.error();
                m.location = parsed.value();
            }
        }
        return SignalMessage{m};
    }
    if (t == QLatin1String("call_ended"))
        return SignalMessage{CallerHangUp{}};
    if (t == QLatin1String("location_update")) {
        auto parsed = parseLocation(o.value(QLatin1String("location")), now);
        if (!parsed)
            return parsed.error();
        return SignalMessage{LocationUpdate{parsed.value()}};
    }
    if (t == QLatin1String("caller_text")) {
        json::FieldReader r;
        const QString text = r.requiredString(o, QLatin1String("text"), Limits::MaxCallerTextChars);
        if (r.error())
            return *r.error();
        return SignalMessage{CallerText{sanitizeCallerText(text).trimmed()}};
    }
    if (t == QLatin1String("ping"))
        return SignalMessage{Ping{}};
    if (isWebRtcSignalType(t))
        return SignalMessage{Relay{o}};
    // Anything else (a host event's type among them) is refused: what a caller sends is data
    // and never reaches a dashboard as anything but a caller_signal envelope.
    return unknownType(t);
}

Parsed<CameraFrame> parseAudioChannelText(const QByteArray &bytes)
{
    auto message = parseTypedMessage(bytes, Limits::MaxFrameMessageBytes);
    if (!message)
        return message.error();
    if (message->type != QLatin1String("frame"))
        return unknownType(message->type);
    json::FieldReader r;
    const auto data =
        r.string(message->object, QLatin1String("data"), Limits::MaxFrameMessageBytes);
    if (r.error() || !data)
        return json::badField(QLatin1String("data"), QStringLiteral("must be a base64 string"));
    auto decoded =
        QByteArray::fromBase64Encoding(data->toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return json::badField(QLatin1String("data"), QStringLiteral("is not valid base64"));
    QByteArray jpeg = std::move(*decoded);
    if (jpeg.size() > Limits::MaxFrameJpegBytes)
        return ProtocolError{QStringLiteral("too_large"),
                             QStringLiteral("frame of %1 bytes exceeds %2")
                                 .arg(jpeg.size())
                                 .arg(Limits::MaxFrameJpegBytes)};
    // JPEG starts with SOI (FF D8) followed by a marker.
    if (jpeg.size() < 4 || static_cast<unsigned char>(jpeg.at(0)) != 0xFF ||
        static_cast<unsigned char>(jpeg.at(1)) != 0xD8 ||
        static_cast<unsigned char>(jpeg.at(2)) != 0xFF)
        return ProtocolError{QStringLiteral("bad_frame"),
                             QStringLiteral("frame data is not a JPEG image")};
    return CameraFrame{std::move(jpeg)};
}

std::optional<ProtocolError> validateAudioChunk(const QByteArray &pcm)
{
    if (pcm.isEmpty())
        return ProtocolError{QStringLiteral("bad_audio"), QStringLiteral("empty audio chunk")};
    if (pcm.size() > Limits::MaxAudioChunkBytes)
        return ProtocolError{QStringLiteral("too_large"),
                             QStringLiteral("audio chunk of %1 bytes exceeds %2")
                                 .arg(pcm.size())
                                 .arg(Limits::MaxAudioChunkBytes)};
    if (pcm.size() % 2 != 0)
        return ProtocolError{
            QStringLiteral("bad_audio"),
            QStringLiteral("audio chunk of %1 bytes is not whole 16-bit samples").arg(pcm.size())};
    return std::nullopt;
}

Parsed<VitalsSample> parseVitals(const QByteArray &bytes, const QDateTime &now)
{
    auto message = parseTypedMessage(bytes, Limits::MaxControlMessageBytes);
    if (!message)
        return message.error();
    if (message->type != QLatin1String("vitals"))
        return unknownType(message->type);
    return vitalsFromJson(message->object, now);
}

Parsed<VitalsSample> vitalsFromJson(const QJsonObject &o, const QDateTime &now)
{
    json::FieldReader r;
    VitalsSample v;
    v.heartRate = r.number(o, QLatin1String("hr"), 0, 350);
    v.heartRateConfidence = r.number(o, QLatin1String("hrConfidence"), 0, 1);
    v.breathingRate = r.number(o, QLatin1String("breathing"), 0, 150);
    v.breathingConfidence = r.number(o, QLatin1String("breathingConfidence"), 0, 1);
    const auto ts = r.number(o, QLatin1String("timestamp"), 0, 1e16);
    if (r.error())
        return *r.error();
    if (!v.heartRate && !v.breathingRate)
        return json::badField(QLatin1String("hr"),
                              QStringLiteral("or 'breathing' is required in a vitals message"));
    v.phoneTimestampMs = static_cast<qint64>(ts.value_or(0));
    v.receivedAt = now;
    return v;
}

QJsonObject locationToJson(const GeoLocation &location)
{
    QJsonObject o{{QStringLiteral("lat"), location.latitude},
                  {QStringLiteral("lng"), location.longitude}};
    if (location.accuracyMeters)
        o.insert(QStringLiteral("accuracy"), *location.accuracyMeters);
    return o;
}

QJsonObject vitalsToJson(const VitalsSample &v)
{
    QJsonObject o;
    auto put = [&o](const char *key, const std::optional<double> &value) {
        if (value)
            o.insert(QLatin1String(key), *value);
    };
    put("hr", v.heartRate);
    put("hrConfidence", v.heartRateConfidence);
    put("breathing", v.breathingRate);
    put("breathingConfidence", v.breathingConfidence);
    o.insert(QStringLiteral("timestamp"), static_cast<double>(v.phoneTimestampMs));
    return o;
}

QByteArray encode(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QByteArray encodeCallCredential(const QString &callId, const QString &secret)
{
    return encode({{QStringLiteral("type"), QStringLiteral("call_credential")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("call_secret"), secret}});
}

QByteArray encodeDispatcherReady(const QString &callId)
{
    return encode({{QStringLiteral("type"), QStringLiteral("dispatcher_ready")},
                   {QStringLiteral("call_id"), callId}});
}

QByteArray encodeAudioReceived(const QString &callId, qint64 bytes)
{
    return encode({{QStringLiteral("type"), QStringLiteral("audio_received")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("bytes"), bytes}});
}

QByteArray encodeCallEnded(const QString &callId, EndReason reason)
{
    return encode({{QStringLiteral("type"), QStringLiteral("call_ended")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("reason"), toString(reason)}});
}

QByteArray encodeCallStateForCaller(const QString &callId, CallState state)
{
    return encode({{QStringLiteral("type"), QStringLiteral("call_state")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("state"), toString(state)}});
}

QByteArray encodePong()
{
    return encode({{QStringLiteral("type"), QStringLiteral("pong")}});
}

} // namespace dispatch::phone
