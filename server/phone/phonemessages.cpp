#include "phone/phonemessages.h"

#include "common/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace dispatch::phone {

namespace {

ProtocolError unknownType(const QString &type)
{
    return {QStringLiteral("unknown_type"), QStringLiteral("unknown message type '%1'").arg(type)};
}

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

struct TypedMessage
{
    QJsonObject object;
    QString type;
};

// Every message of the protocol is a bounded JSON object with a string "type".
Parsed<TypedMessage> parseTypedMessage(const QByteArray &bytes, qsizetype maxBytes)
{
    auto obj = json::parseObject(bytes, maxBytes);
    if (!obj)
        return obj.error();
    auto type = json::requiredString(obj.value(), QLatin1String("type"), 64);
    if (!type)
        return type.error();
    return TypedMessage{obj.value(), type.value()};
}

Parsed<QString> requiredCallId(const QJsonObject &o)
{
    auto id = json::requiredString(o, QLatin1String("call_id"), Limits::MaxCallIdChars);
    if (!id)
        return id.error();
    if (!isValidCallId(id.value()))
        return json::badField(QLatin1String("call_id"), QStringLiteral("has invalid characters"));
    return id;
}

} // namespace

Parsed<GeoLocation> parseLocation(const QJsonValue &value, const QDateTime &now)
{
    if (!value.isObject())
        return json::badField(QLatin1String("location"), QStringLiteral("must be an object"));
    const QJsonObject o = value.toObject();
    // The seed sends {lat, lng}; browsers' Geolocation API names them latitude/longitude.
    const bool longNames = o.contains(QLatin1String("latitude"));
    auto lat = json::optionalNumber(o, QLatin1String(longNames ? "latitude" : "lat"), -90, 90);
    auto lng = json::optionalNumber(o, QLatin1String(longNames ? "longitude" : "lng"), -180, 180);
    auto accuracy = json::optionalNumber(o, QLatin1String("accuracy"), 0, 1e7);
    for (const auto *r : {&lat, &lng, &accuracy}) {
        if (!*r)
            return r->error();
    }
    if (!lat.value() || !lng.value())
        return json::badField(QLatin1String("location"), QStringLiteral("needs both lat and lng"));
    return GeoLocation{*lat.value(), *lng.value(), accuracy.value(), now};
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
        auto text = json::requiredString(o, QLatin1String("text"), Limits::MaxCallerTextChars);
        if (!text)
            return text.error();
        return SignalMessage{CallerText{sanitizeCallerText(text.value()).trimmed()}};
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
    const QJsonValue data = message->object.value(QLatin1String("data"));
    if (!data.isString())
        return json::badField(QLatin1String("data"), QStringLiteral("must be a base64 string"));
    auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
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
    auto hr = json::optionalNumber(o, QLatin1String("hr"), 0, 350);
    auto hrc = json::optionalNumber(o, QLatin1String("hrConfidence"), 0, 1);
    auto br = json::optionalNumber(o, QLatin1String("breathing"), 0, 150);
    auto brc = json::optionalNumber(o, QLatin1String("breathingConfidence"), 0, 1);
    auto ts = json::optionalNumber(o, QLatin1String("timestamp"), 0, 1e16);
    for (const auto *r : {&hr, &hrc, &br, &brc, &ts}) {
        if (!*r)
            return r->error();
    }
    if (!hr.value() && !br.value())
        return json::badField(QLatin1String("hr"),
                              QStringLiteral("or 'breathing' is required in a vitals message"));
    VitalsSample v;
    v.heartRate = hr.value();
    v.heartRateConfidence = hrc.value();
    v.breathingRate = br.value();
    v.breathingConfidence = brc.value();
    v.phoneTimestampMs = static_cast<qint64>(ts.value().value_or(0));
    v.receivedAt = now;
    return v;
}

Parsed<DashboardMessage> parseDashboardMessage(const QByteArray &bytes)
{
    auto message = parseTypedMessage(bytes, Limits::MaxControlMessageBytes);
    if (!message)
        return message.error();
    const QJsonObject &o = message->object;
    const QString &t = message->type;
    if (t == QLatin1String("ping"))
        return DashboardMessage{DashboardPing{}};
    auto id = requiredCallId(o);
    if (!id)
        return id.error();
    if (t == QLatin1String("dispatcher_joined"))
        return DashboardMessage{AnswerCall{id.value()}};
    if (t == QLatin1String("call_ended"))
        return DashboardMessage{EndCall{id.value()}};
    if (t == QLatin1String("hold_call"))
        return DashboardMessage{HoldCall{id.value()}};
    if (t == QLatin1String("resume_call"))
        return DashboardMessage{ResumeCall{id.value()}};
    if (t == QLatin1String("take_over"))
        return DashboardMessage{TakeOver{id.value()}};
    if (t == QLatin1String("get_call"))
        return DashboardMessage{GetCall{id.value()}};
    if (t == QLatin1String("subscribe_media"))
        return DashboardMessage{SubscribeMedia{id.value(), true}};
    if (t == QLatin1String("unsubscribe_media"))
        return DashboardMessage{SubscribeMedia{id.value(), false}};
    if (t == QLatin1String("accept_location"))
        return DashboardMessage{AcceptLocation{id.value()}};
    if (t == QLatin1String("override_triage")) {
        const QJsonValue report = o.value(QLatin1String("report"));
        if (!report.isObject())
            return json::badField(QLatin1String("report"), QStringLiteral("must be an object"));
        auto parsed = triageReportFromJson(report.toObject(), TriageSource::Dispatcher);
        if (!parsed)
            return parsed.error();
        return DashboardMessage{OverrideTriage{id.value(), parsed.value()}};
    }
    if (t == QLatin1String("transfer_call")) {
        auto to = json::requiredString(o, QLatin1String("to"), 128);
        if (!to)
            return to.error();
        static const QRegularExpression principal(QStringLiteral("^[A-Za-z0-9._@:-]{1,128}$"));
        if (!principal.match(to.value()).hasMatch())
            return json::badField(QLatin1String("to"), QStringLiteral("is not a principal name"));
        return DashboardMessage{TransferCall{id.value(), to.value()}};
    }
    if (isWebRtcSignalType(t))
        return DashboardMessage{DashboardRelay{id.value(), o}};
    return unknownType(t);
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

QJsonObject callSnapshot(const Call &call, const QDateTime &now)
{
    QJsonObject o{{QStringLiteral("call_id"), call.id},
                  {QStringLiteral("state"), toString(call.state)},
                  {QStringLiteral("ringing_since"), call.ringingSince.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("answer_ms"), call.answerMilliseconds(now)},
                  {QStringLiteral("caller_connected"), call.callerConnected}};
    if (call.location) {
        o.insert(QStringLiteral("location"), locationToJson(*call.location));
        o.insert(QStringLiteral("location_accepted"), call.locationAccepted);
    }
    if (!call.answeredBy.isEmpty())
        o.insert(QStringLiteral("answered_by"), call.answeredBy);
    if (call.answeredAt.isValid())
        o.insert(QStringLiteral("answered_at"), call.answeredAt.toString(Qt::ISODateWithMs));
    if (call.endedAt.isValid()) {
        o.insert(QStringLiteral("ended_at"), call.endedAt.toString(Qt::ISODateWithMs));
        o.insert(QStringLiteral("end_reason"), toString(call.endReason));
    }
    if (call.triage)
        o.insert(QStringLiteral("triage"), toJson(*call.triage));
    if (call.vitals)
        o.insert(QStringLiteral("vitals"), vitalsToJson(*call.vitals));
    if (call.triageLink.state != TriageLinkState::None)
        o.insert(QStringLiteral("ai_link"), triageLinkToJson(call.triageLink));
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

QByteArray encodeCallerSignal(const QString &callId, const QJsonObject &signal)
{
    return encode({{QStringLiteral("type"), QStringLiteral("caller_signal")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("signal"), signal}});
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

QByteArray encodeHello(const QList<const Call *> &calls, const QDateTime &now, const Principal &you)
{
    QJsonArray list;
    for (const Call *c : calls) {
        if (c->isLive())
            list.append(callSnapshot(*c, now));
    }
    return encode(
        {{QStringLiteral("type"), QStringLiteral("hello")},
         {QStringLiteral("protocol_version"), ProtocolVersion},
         {QStringLiteral("server_version"), QStringLiteral(DISPATCH_VERSION)},
         {QStringLiteral("server_time"), now.toString(Qt::ISODateWithMs)},
         {QStringLiteral("you"), QJsonObject{{QStringLiteral("name"), you.name},
                                             {QStringLiteral("role"), toString(you.role)}}},
         {QStringLiteral("calls"), list}});
}

QJsonObject transcriptToJson(const TranscriptSegment &segment)
{
    return {{QStringLiteral("speaker"), toString(segment.speaker)},
            {QStringLiteral("text"), segment.text},
            {QStringLiteral("final"), segment.final},
            {QStringLiteral("at"), segment.at.toString(Qt::ISODateWithMs)}};
}

QJsonObject prearrivalToJson(const PrearrivalOffer &offer)
{
    return {{QStringLiteral("topic"), offer.topic},
            {QStringLiteral("title"), offer.title},
            {QStringLiteral("steps"), QJsonArray::fromStringList(offer.steps)},
            {QStringLiteral("at"), offer.at.toString(Qt::ISODateWithMs)}};
}

QJsonObject callDetail(const Call &call, const QDateTime &now)
{
    QJsonObject o = callSnapshot(call, now);
    auto array = [](const auto &list, auto toJsonItem) {
        QJsonArray a;
        for (const auto &item : list)
            a.append(toJsonItem(item));
        return a;
    };
    o.insert(QStringLiteral("transcript"), array(call.transcript, transcriptToJson));
    o.insert(QStringLiteral("triage_history"),
             array(call.triageHistory, [](const TriageReport &r) { return toJson(r); }));
    o.insert(QStringLiteral("prearrival_offers"), array(call.prearrival, prearrivalToJson));
    o.insert(QStringLiteral("track"), array(call.track, locationToJson));
    o.insert(QStringLiteral("timeline"), array(call.timeline, [](const CallEvent &e) {
                 return QJsonObject{{QStringLiteral("at"), e.at.toString(Qt::ISODateWithMs)},
                                    {QStringLiteral("kind"), toString(e.kind)},
                                    {QStringLiteral("detail"), e.detail}};
             }));
    if (call.firstTriageAt.isValid())
        o.insert(QStringLiteral("first_triage_at"), call.firstTriageAt.toString(Qt::ISODateWithMs));
    return o;
}

QByteArray encodeCallDetail(const Call &call, const QDateTime &now)
{
    QJsonObject o = callDetail(call, now);
    o.insert(QStringLiteral("type"), QStringLiteral("call_detail"));
    return encode(o);
}

QByteArray encodeMediaFrame(const MediaFrame &frame)
{
    const QByteArray id = frame.callId.toLatin1();
    QByteArray out;
    out.reserve(2 + id.size() + frame.payload.size());
    out.append(static_cast<char>(frame.kind));
    out.append(static_cast<char>(static_cast<quint8>(id.size())));
    out.append(id);
    out.append(frame.payload);
    return out;
}

Parsed<MediaFrame> parseMediaFrame(const QByteArray &bytes)
{
    auto bad = [](const QString &why) {
        return ProtocolError{QStringLiteral("bad_media_frame"), why};
    };
    if (bytes.size() < 3)
        return bad(QStringLiteral("media frame shorter than its header"));
    const auto kind = static_cast<quint8>(bytes.at(0));
    if (kind < static_cast<quint8>(MediaKind::CallerAudio) ||
        kind > static_cast<quint8>(MediaKind::TalkBack))
        return bad(QStringLiteral("unknown media kind %1").arg(kind));
    const auto idLength = static_cast<quint8>(bytes.at(1));
    if (idLength == 0 || 2 + idLength > bytes.size())
        return bad(QStringLiteral("media frame call id length out of range"));
    const QString id = QString::fromLatin1(bytes.mid(2, idLength));
    if (!isValidCallId(id))
        return bad(QStringLiteral("media frame call id is not valid"));
    return MediaFrame{static_cast<MediaKind>(kind), id, bytes.mid(2 + idLength)};
}

QByteArray encodeIncomingCall(const Call &call)
{
    return encode(
        {{QStringLiteral("type"), QStringLiteral("incoming_call")},
         {QStringLiteral("call_id"), call.id},
         {QStringLiteral("location"),
          call.location ? locationToJson(*call.location) : QJsonObject()},
         {QStringLiteral("ringing_since"), call.ringingSince.toString(Qt::ISODateWithMs)}});
}

QByteArray encodeCallState(const Call &call, const QDateTime &now)
{
    QJsonObject o = callSnapshot(call, now);
    o.insert(QStringLiteral("type"), QStringLiteral("call_state"));
    return encode(o);
}

QByteArray encodeTriageUpdate(const QString &callId, const TriageReport &report)
{
    return encode({{QStringLiteral("type"), QStringLiteral("triage_update")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("report"), toJson(report)}});
}

QByteArray encodeCriticalFlag(const QString &callId, const QString &reason, int severity)
{
    return encode({{QStringLiteral("type"), QStringLiteral("critical_flag")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("reason"), reason},
                   {QStringLiteral("severity"), severity}});
}

QByteArray encodeVitals(const QString &callId, const VitalsSample &vitals)
{
    QJsonObject o = vitalsToJson(vitals);
    o.insert(QStringLiteral("type"), QStringLiteral("vitals"));
    o.insert(QStringLiteral("call_id"), callId);
    return encode(o);
}

QByteArray encodeLocation(const QString &callId, const GeoLocation &location)
{
    return encode({{QStringLiteral("type"), QStringLiteral("location_update")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("location"), locationToJson(location)}});
}

QByteArray encodeTranscript(const QString &callId, const TranscriptSegment &segment)
{
    QJsonObject o = transcriptToJson(segment);
    o.insert(QStringLiteral("type"), QStringLiteral("transcript"));
    o.insert(QStringLiteral("call_id"), callId);
    return encode(o);
}

QByteArray encodeCallerConnection(const QString &callId, bool connected)
{
    return encode({{QStringLiteral("type"), QStringLiteral("caller_connection")},
                   {QStringLiteral("call_id"), callId},
                   {QStringLiteral("connected"), connected}});
}

QJsonObject triageLinkToJson(const TriageLink &link)
{
    // `detail` in English for consoles that predate the codes; newer ones translate `reason`.
    QJsonObject o{{QStringLiteral("state"), toString(link.state)},
                  {QStringLiteral("detail"), englishDetail(link)},
                  {QStringLiteral("reason"), toString(link.reason)}};
    if (link.failure != TriageFailureKind::None)
        o.insert(QStringLiteral("failure"), toString(link.failure));
    if (!link.args.isEmpty()) {
        QJsonArray args;
        for (int a : link.args)
            args.append(a);
        o.insert(QStringLiteral("args"), args);
    }
    if (!link.detail.isEmpty())
        o.insert(QStringLiteral("technical"), link.detail);
    return o;
}

QByteArray encodeAiLink(const QString &callId, const TriageLink &link)
{
    QJsonObject o = triageLinkToJson(link);
    o.insert(QStringLiteral("type"), QStringLiteral("ai_link"));
    o.insert(QStringLiteral("call_id"), callId);
    return encode(o);
}

QByteArray encodePrearrival(const QString &callId, const PrearrivalOffer &offer)
{
    QJsonObject o = prearrivalToJson(offer);
    o.insert(QStringLiteral("type"), QStringLiteral("prearrival"));
    o.insert(QStringLiteral("call_id"), callId);
    return encode(o);
}

QByteArray encodePong()
{
    return encode({{QStringLiteral("type"), QStringLiteral("pong")}});
}

} // namespace dispatch::phone
