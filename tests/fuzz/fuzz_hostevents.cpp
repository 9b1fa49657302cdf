// What a remote console receives from a host's /ws/dashboard (parseHostEvent, used by
// HostLink): hello, call snapshots with history, triage, vitals, locations, transcripts, ...
// Round trips through the host's own encoders (phonemessages) where one exists.

#include "common/jsonfields.h"
#include "fuzztarget.h"
#include "phone/phonemessages.h"
#include "dashboard/hostevents.h"

#include <variant>

using namespace dispatch;
using namespace dispatch::remote;

namespace {

template<typename T> const T &reparsed(const QByteArray &encoded, const char *what)
{
    static Parsed<HostEvent> again = ProtocolError{};
    again = parseHostEvent(encoded, fuzz::fixedNow());
    FUZZ_CHECK(again.ok(), what);
    const T *v = std::get_if<T>(&again.value());
    FUZZ_CHECK(v != nullptr, what);
    return *v;
}

void checkCall(const Call &c)
{
    FUZZ_CHECK(phone::isValidCallId(c.id), "call with an invalid id");
    if (c.triage)
        FUZZ_CHECK(c.triage->severity >= 1 && c.triage->severity <= 5, "snapshot severity");
}

} // namespace

DISPATCH_FUZZ_TARGET(hostevents)
{
    const QByteArray input = fuzz::bytes(data, size);
    const auto parsed = parseHostEvent(input, fuzz::fixedNow());
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().code.isEmpty(), "refusal without a code");
        return 0;
    }
    const HostEvent &e = parsed.value();
    // A caller's signalling reaches a console inside caller_signal: whatever the envelope
    // holds, it is never applied as a host event.
    if (input.contains("caller_signal")) {
        const auto object = json::parseObject(input, 1 << 22);
        if (object && object.value().value(QLatin1String("type")).toString() ==
                          QLatin1String("caller_signal"))
            FUZZ_CHECK(std::holds_alternative<Ignored>(e), "caller_signal became a host event");
    }
    if (const auto *hello = std::get_if<Hello>(&e)) {
        for (const Call &c : hello->calls)
            checkCall(c);
    }
    if (const auto *u = std::get_if<CallUpdate>(&e))
        checkCall(u->call);
    if (const auto *t = std::get_if<TriageUpdate>(&e)) {
        FUZZ_CHECK(t->report.severity >= 1 && t->report.severity <= 5, "triage severity");
        const auto &again = reparsed<TriageUpdate>(phone::encodeTriageUpdate(t->callId, t->report),
                                                   "re-encoded triage update");
        FUZZ_CHECK(again.callId == t->callId && again.report.severity == t->report.severity &&
                       again.report.situationSummary == t->report.situationSummary,
                   "triage update round trip differs");
    }
    if (const auto *f = std::get_if<CriticalFlag>(&e)) {
        const auto &again = reparsed<CriticalFlag>(
            phone::encodeCriticalFlag(f->callId, f->reason, f->severity), "re-encoded flag");
        FUZZ_CHECK(again.callId == f->callId && again.reason == f->reason &&
                       again.severity == f->severity,
                   "critical flag round trip differs");
    }
    if (const auto *l = std::get_if<LocationUpdate>(&e)) {
        const auto &again = reparsed<LocationUpdate>(phone::encodeLocation(l->callId, l->location),
                                                     "re-encoded location");
        FUZZ_CHECK(again.location.latitude == l->location.latitude &&
                       again.location.longitude == l->location.longitude &&
                       again.location.accuracyMeters == l->location.accuracyMeters,
                   "location round trip differs");
    }
    if (const auto *c = std::get_if<CallerConnection>(&e)) {
        const auto &again = reparsed<CallerConnection>(
            phone::encodeCallerConnection(c->callId, c->connected), "re-encoded connection");
        FUZZ_CHECK(again.callId == c->callId && again.connected == c->connected,
                   "caller connection round trip differs");
    }
    return 0;
}
