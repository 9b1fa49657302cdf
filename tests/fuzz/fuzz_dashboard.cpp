// Dashboard commands on /ws/dashboard (DashboardHub::onText hands the bytes to
// parseDashboardMessage, a pure function, and acts on the result) and the binary media frames
// of the same socket (parseMediaFrame, used by DashboardHub and by a remote console's HostLink).

#include "fuzztarget.h"
#include "phone/phonemessages.h"

#include <QJsonObject>

#include <variant>

using namespace dispatch;
using namespace dispatch::phone;

namespace {

QString callIdOf(const DashboardMessage &m)
{
    return std::visit(
        [](const auto &v) -> QString {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, DashboardPing>)
                return QString();
            else
                return v.callId;
        },
        m);
}

// The message a dashboard would send for this command.
QJsonObject reencode(const DashboardMessage &m)
{
    if (const auto *relay = std::get_if<DashboardRelay>(&m))
        return relay->message;
    if (std::holds_alternative<DashboardPing>(m))
        return {{QStringLiteral("type"), QStringLiteral("ping")}};
    QString type;
    QJsonObject o{{QStringLiteral("call_id"), callIdOf(m)}};
    if (std::holds_alternative<AnswerCall>(m))
        type = QStringLiteral("dispatcher_joined");
    else if (std::holds_alternative<EndCall>(m))
        type = QStringLiteral("call_ended");
    else if (std::holds_alternative<HoldCall>(m))
        type = QStringLiteral("hold_call");
    else if (std::holds_alternative<ResumeCall>(m))
        type = QStringLiteral("resume_call");
    else if (std::holds_alternative<TakeOver>(m))
        type = QStringLiteral("take_over");
    else if (std::holds_alternative<GetCall>(m))
        type = QStringLiteral("get_call");
    else if (const auto *s = std::get_if<SubscribeMedia>(&m))
        type =
            s->subscribe ? QStringLiteral("subscribe_media") : QStringLiteral("unsubscribe_media");
    else if (std::holds_alternative<AcceptLocation>(m))
        type = QStringLiteral("accept_location");
    else if (const auto *t = std::get_if<TransferCall>(&m)) {
        type = QStringLiteral("transfer_call");
        o.insert(QStringLiteral("to"), t->to);
    } else if (const auto *r = std::get_if<OverrideTriage>(&m)) {
        type = QStringLiteral("override_triage");
        o.insert(QStringLiteral("report"), toJson(r->report));
    }
    FUZZ_CHECK(!type.isEmpty(), "a dashboard command this target does not know");
    o.insert(QStringLiteral("type"), type);
    return o;
}

void checkReport(const TriageReport &r)
{
    FUZZ_CHECK(r.severity >= TriageReport::MinSeverity && r.severity <= TriageReport::MaxSeverity,
               "override severity outside 1-5");
    FUZZ_CHECK(r.source == TriageSource::Dispatcher, "override not marked as the dispatcher's");
    FUZZ_CHECK(r.situationSummary.size() <= TriageReport::MaxSummaryChars, "summary too long");
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
    FUZZ_CHECK(isValidCallId(frame->callId), "media frame with an invalid call id");
    FUZZ_CHECK(encodeMediaFrame(frame.value()) == bytes, "media frame round trip differs");
}

} // namespace

DISPATCH_FUZZ_TARGET(dashboard)
{
    const QByteArray input = fuzz::bytes(data, size);
    checkMediaFrame(input);
    const auto parsed = parseDashboardMessage(input);
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().code.isEmpty() && !parsed.error().message.isEmpty(),
                   "refusal without code or message");
        return 0;
    }
    const DashboardMessage &m = parsed.value();
    if (!std::holds_alternative<DashboardPing>(m))
        FUZZ_CHECK(isValidCallId(callIdOf(m)), "accepted an invalid call id");
    if (const auto *transfer = std::get_if<TransferCall>(&m))
        FUZZ_CHECK(!transfer->to.isEmpty() && transfer->to.size() <= 128, "transfer target");
    if (const auto *relay = std::get_if<DashboardRelay>(&m))
        FUZZ_CHECK(relay->message.value(QLatin1String("call_id")).toString() == relay->callId,
                   "relay call id differs from the message");

    const auto again = parseDashboardMessage(encode(reencode(m)));
    FUZZ_CHECK(again.ok(), "re-encoded command does not parse");
    FUZZ_CHECK(again.value().index() == m.index() && callIdOf(again.value()) == callIdOf(m),
               "command round trip differs");
    if (const auto *transfer = std::get_if<TransferCall>(&m))
        FUZZ_CHECK(std::get<TransferCall>(again.value()).to == transfer->to,
                   "transfer round trip differs");
    if (const auto *override = std::get_if<OverrideTriage>(&m)) {
        checkReport(override->report);
        const TriageReport &a = override->report;
        const TriageReport &b = std::get<OverrideTriage>(again.value()).report;
        FUZZ_CHECK(a.severity == b.severity && a.situationSummary == b.situationSummary &&
                       a.responseType == b.responseType && a.emotionalState == b.emotionalState &&
                       a.canSpeak == b.canSpeak,
                   "override report round trip differs");
    }
    return 0;
}
