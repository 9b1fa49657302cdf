// The dashboard protocol, both directions, on the bytes of one /ws/dashboard message:
// - console -> host: parseCommand (DashboardHub::onText hands the bytes to it and acts on the
//   result), including override_triage reports;
// - host -> console: parseEvent (what a remote console's HostLink does with every host message:
//   hello, snapshots with history, triage, flags, vitals, ...);
// - binary media frames (parseMediaFrame, used by both ends).
// Every accepted value is encoded again with the module's own encoder and must parse back to
// the same value.

#include "common/jsonfields.h"
#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"
#include "fuzztarget.h"

#include <variant>

using namespace dispatch;
using namespace dispatch::dashboard;

namespace {

void checkReport(const TriageReport &r)
{
    FUZZ_CHECK(r.severity >= TriageReport::MinSeverity && r.severity <= TriageReport::MaxSeverity,
               "report severity outside 1-5");
    FUZZ_CHECK(r.situationSummary.size() <= TriageReport::MaxSummaryChars, "summary too long");
}

bool sameAssessment(const TriageReport &a, const TriageReport &b)
{
    return a.severity == b.severity && a.situationSummary == b.situationSummary &&
           a.responseType == b.responseType && a.emotionalState == b.emotionalState &&
           a.canSpeak == b.canSpeak;
}

// Binary media frames (both directions): the encoding is canonical, so it must give the input
// back byte for byte.
void checkMediaFrame(const QByteArray &bytes)
{
    const auto frame = parseMediaFrame(bytes);
    if (!frame) {
        FUZZ_CHECK(frame.error().code == QLatin1String("bad_media_frame"), "media refusal code");
        return;
    }
    FUZZ_CHECK(phone::isValidCallId(frame->callId), "media frame with an invalid call id");
    FUZZ_CHECK(encodeMediaFrame(frame.value()) == bytes, "media frame round trip differs");
}

void checkCommand(const QByteArray &input)
{
    const auto parsed = parseCommand(input);
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().code.isEmpty() && !parsed.error().message.isEmpty(),
                   "command refusal without code or message");
        return;
    }
    const Command &m = parsed.value();
    if (!std::holds_alternative<Ping>(m))
        FUZZ_CHECK(phone::isValidCallId(callIdOf(m)), "accepted an invalid call id");
    if (const auto *transfer = std::get_if<TransferCall>(&m))
        FUZZ_CHECK(!transfer->to.isEmpty() && transfer->to.size() <= Limits::MaxPrincipalChars,
                   "transfer target");
    if (const auto *relay = std::get_if<Relay>(&m))
        FUZZ_CHECK(relay->message.value(QLatin1String("call_id")).toString() == relay->callId,
                   "relay call id differs from the message");

    const QByteArray encoded = encodeCommand(m);
    const auto again = parseCommand(encoded);
    FUZZ_CHECK(again.ok(), "re-encoded command does not parse");
    FUZZ_CHECK(again.value().index() == m.index() && callIdOf(again.value()) == callIdOf(m),
               "command round trip differs");
    if (const auto *override = std::get_if<OverrideTriage>(&m)) {
        checkReport(override->report);
        FUZZ_CHECK(override->report.source == TriageSource::Dispatcher,
                   "override not marked as the dispatcher's");
        FUZZ_CHECK(sameAssessment(override->report, std::get<OverrideTriage>(again.value()).report),
                   "override report round trip differs");
    } else {
        // Everything else is canonical after one parse.
        FUZZ_CHECK(encodeCommand(again.value()) == encoded, "command round trip differs");
    }
}

void checkCall(const Call &c)
{
    FUZZ_CHECK(phone::isValidCallId(c.id), "call with an invalid id");
    FUZZ_CHECK(c.ringingSince.isValid(), "call without a ringing time");
    if (c.triage)
        checkReport(*c.triage);
    FUZZ_CHECK(c.transcript.size() <= Call::MaxTranscriptSegments, "transcript not bounded");
    FUZZ_CHECK(c.track.size() <= Call::MaxTrackPoints, "track not bounded");
}

void checkEvent(const QByteArray &input)
{
    const QDateTime &now = fuzz::fixedNow();
    const auto parsed = parseEvent(input, now);
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().code.isEmpty() && !parsed.error().message.isEmpty(),
                   "event refusal without code or message");
        return;
    }
    const HostEvent &e = parsed.value();
    // A caller's signalling reaches a console inside caller_signal: whatever the envelope
    // holds, it is never read as another host event.
    const auto object = json::parseObject(input, Limits::MaxEventBytes);
    FUZZ_CHECK(object.ok(), "accepted an event that is not a JSON object");
    if (object.value().value(QLatin1String("type")).toString() == type::CallerSignal)
        FUZZ_CHECK(std::holds_alternative<CallerSignal>(e), "caller_signal became a host event");

    const QByteArray encoded = encodeEvent(e, now);
    const auto again = parseEvent(encoded, now);
    FUZZ_CHECK(again.ok(), "re-encoded event does not parse");
    FUZZ_CHECK(again.value().index() == e.index(), "event round trip changed its kind");
    if (const auto *hello = std::get_if<Hello>(&e)) {
        const auto &h = std::get<Hello>(again.value());
        FUZZ_CHECK(h.calls.size() == hello->calls.size() && h.you.name == hello->you.name &&
                       h.you.role == hello->you.role,
                   "hello round trip differs");
        for (const Call &c : hello->calls)
            checkCall(c);
    } else if (const auto *u = std::get_if<CallUpdate>(&e)) {
        checkCall(u->call);
        const auto &v = std::get<CallUpdate>(again.value());
        FUZZ_CHECK(v.kind == u->kind && v.call.id == u->call.id && v.call.state == u->call.state &&
                       v.call.answeredBy == u->call.answeredBy &&
                       v.call.transcript.size() == u->call.transcript.size() &&
                       v.call.timeline.size() == u->call.timeline.size(),
                   "call update round trip differs");
    } else if (const auto *t = std::get_if<TriageUpdate>(&e)) {
        checkReport(t->report);
        const auto &back = std::get<TriageUpdate>(again.value());
        FUZZ_CHECK(back.callId == t->callId && sameAssessment(back.report, t->report),
                   "triage update round trip differs");
    } else {
        // Flags, vitals, locations, transcripts, links, offers, endings, signals, pongs and
        // errors are canonical after one parse.
        if (const auto *f = std::get_if<CriticalFlag>(&e))
            FUZZ_CHECK(f->severity >= 1 && f->severity <= 5, "flag severity");
        FUZZ_CHECK(encodeEvent(again.value(), now) == encoded, "event round trip differs");
    }
}

} // namespace

DISPATCH_FUZZ_TARGET(dashboardmessages)
{
    const QByteArray input = fuzz::bytes(data, size);
    checkMediaFrame(input);
    checkCommand(input);
    checkEvent(input);
    return 0;
}
