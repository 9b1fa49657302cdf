// The caller side of the phone protocol: /ws/signal JSON, /ws/audio text (camera frames) and
// binary PCM chunks, /ws/vitals JSON. Every input goes through every parser.

#include "common/jsonfields.h"
#include "dashboard/dashboardevents.h"
#include "fuzztarget.h"
#include "phone/phonemessages.h"

#include <QJsonObject>

#include <variant>

using namespace dispatch;
using namespace dispatch::phone;

namespace {

bool sameLocation(const GeoLocation &a, const GeoLocation &b)
{
    return a.latitude == b.latitude && a.longitude == b.longitude &&
           a.accuracyMeters == b.accuracyMeters;
}

void checkLocation(const GeoLocation &loc)
{
    FUZZ_CHECK(loc.latitude >= -90 && loc.latitude <= 90, "latitude out of range");
    FUZZ_CHECK(loc.longitude >= -180 && loc.longitude <= 180, "longitude out of range");
    FUZZ_CHECK(!loc.accuracyMeters || (*loc.accuracyMeters >= 0 && *loc.accuracyMeters <= 1e7),
               "accuracy out of range");
    // What the server forwards must parse back to the same fix.
    const auto again =
        parseSignalMessage(encode({{QStringLiteral("type"), QStringLiteral("location_update")},
                                   {QStringLiteral("location"), locationToJson(loc)}}),
                           fuzz::fixedNow());
    FUZZ_CHECK(again.ok(), "encoded location_update does not parse");
    const auto *update = std::get_if<LocationUpdate>(&again.value());
    FUZZ_CHECK(update && sameLocation(update->location, loc), "location round trip differs");
}

void checkSignal(const QByteArray &bytes)
{
    const auto parsed = parseSignalMessage(bytes, fuzz::fixedNow());
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().code.isEmpty(), "refusal without a code");
        return;
    }
    FUZZ_CHECK(bytes.size() <= Limits::MaxControlMessageBytes, "accepted an oversized message");
    const SignalMessage &m = parsed.value();
    if (const auto *init = std::get_if<CallInitiated>(&m)) {
        if (init->location)
            checkLocation(*init->location);
        FUZZ_CHECK(init->secret.isEmpty() || isValidCallSecret(init->secret),
                   "accepted a malformed call secret");
    }
    if (const auto *update = std::get_if<LocationUpdate>(&m))
        checkLocation(update->location);
    if (const auto *text = std::get_if<CallerText>(&m)) {
        FUZZ_CHECK(text->text.size() <= Limits::MaxCallerTextChars, "caller text too long");
        FUZZ_CHECK(sanitizeCallerText(text->text) == text->text,
                   "caller text kept a control or direction character");
    }
    if (const auto *relay = std::get_if<Relay>(&m)) {
        const QString type = relay->message.value(QLatin1String("type")).toString();
        // Only WebRTC signalling is relayed, and only inside an envelope that no dashboard or
        // remote console reads as a host event.
        FUZZ_CHECK(isWebRtcSignalType(type), "relayed a type that is not WebRTC signalling");
        const auto envelope = json::parseObject(
            dashboard::encodeEvent(dashboard::CallerSignal{QStringLiteral("c1"), relay->message}),
            1 << 20);
        FUZZ_CHECK(envelope.ok(), "caller_signal envelope does not parse");
        FUZZ_CHECK(envelope.value().value(QLatin1String("type")).toString() ==
                           QLatin1String("caller_signal") &&
                       envelope.value().value(QLatin1String("call_id")).toString() ==
                           QLatin1String("c1"),
                   "the caller's message leaked into the envelope's own fields");
    }
}

void checkFrame(const QByteArray &bytes)
{
    const auto frame = parseAudioChannelText(bytes);
    if (!frame)
        return;
    const QByteArray &jpeg = frame->jpeg;
    FUZZ_CHECK(jpeg.size() >= 4 && jpeg.size() <= Limits::MaxFrameJpegBytes, "frame size");
    FUZZ_CHECK(jpeg.startsWith("\xFF\xD8\xFF"), "accepted a frame without JPEG SOI");
    const QByteArray wrapped =
        encode({{QStringLiteral("type"), QStringLiteral("frame")},
                {QStringLiteral("data"), QString::fromLatin1(jpeg.toBase64())}});
    const auto again = parseAudioChannelText(wrapped);
    FUZZ_CHECK(again.ok() && again->jpeg == jpeg, "frame round trip differs");
}

void checkVitals(const QByteArray &bytes)
{
    const auto v = parseVitals(bytes, fuzz::fixedNow());
    if (!v)
        return;
    const VitalsSample &s = v.value();
    FUZZ_CHECK(s.heartRate || s.breathingRate, "vitals without hr or breathing");
    FUZZ_CHECK(!s.heartRate || (*s.heartRate >= 0 && *s.heartRate <= 350), "hr out of range");
    FUZZ_CHECK(!s.breathingRate || (*s.breathingRate >= 0 && *s.breathingRate <= 150),
               "breathing out of range");
    FUZZ_CHECK(s.phoneTimestampMs >= 0, "negative phone timestamp");
    QJsonObject message = vitalsToJson(s);
    message.insert(QStringLiteral("type"), QStringLiteral("vitals"));
    const auto again = parseVitals(encode(message), fuzz::fixedNow());
    FUZZ_CHECK(again.ok(), "encoded vitals do not parse");
    const VitalsSample &r = again.value();
    FUZZ_CHECK(r.heartRate == s.heartRate && r.heartRateConfidence == s.heartRateConfidence &&
                   r.breathingRate == s.breathingRate &&
                   r.breathingConfidence == s.breathingConfidence &&
                   r.phoneTimestampMs == s.phoneTimestampMs,
               "vitals round trip differs");
}

void checkAudioChunk(const QByteArray &pcm)
{
    const bool valid =
        !pcm.isEmpty() && pcm.size() % 2 == 0 && pcm.size() <= Limits::MaxAudioChunkBytes;
    FUZZ_CHECK(valid == !validateAudioChunk(pcm).has_value(), "audio chunk verdict");
}

} // namespace

DISPATCH_FUZZ_TARGET(phonemessages)
{
    const QByteArray input = fuzz::bytes(data, size);
    checkSignal(input);
    checkFrame(input);
    checkVitals(input);
    checkAudioChunk(input);
    return 0;
}
