// Dashboard commands on /ws/dashboard (DashboardHub::onText hands the bytes to
// parseDashboardMessage, a pure function, and acts on the result).

#include "fuzztarget.h"
#include "phone/phonemessages.h"

#include <QJsonObject>

#include <variant>

using namespace dispatch;
using namespace dispatch::phone;

namespace {

QString typeOf(const DashboardMessage &m)
{
    static const char *const names[] = {
        "dispatcher_joined", "call_ended",    "hold_call", "resume_call",
        "take_over",         "transfer_call", "ping",      "relay"};
    return QString::fromLatin1(names[m.index()]);
}

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
    QJsonObject o{{QStringLiteral("type"), typeOf(m)}};
    if (!std::holds_alternative<DashboardPing>(m))
        o.insert(QStringLiteral("call_id"), callIdOf(m));
    if (const auto *transfer = std::get_if<TransferCall>(&m))
        o.insert(QStringLiteral("to"), transfer->to);
    return o;
}

} // namespace

DISPATCH_FUZZ_TARGET(dashboard)
{
    const QByteArray input = fuzz::bytes(data, size);
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
    return 0;
}
