#include "dashboard/dashboardcommands.h"

#include "common/jsonfields.h"

namespace dispatch::dashboard {

namespace {

template<typename... Fs> struct Overloaded : Fs...
{
    using Fs::operator()...;
};
template<typename... Fs> Overloaded(Fs...) -> Overloaded<Fs...>;

QJsonObject withCallId(QLatin1String type, const QString &callId)
{
    return {{QStringLiteral("type"), type}, {QStringLiteral("call_id"), callId}};
}

QJsonObject commandJson(const Command &command)
{
    return std::visit(
        Overloaded{
            [](const AnswerCall &c) { return withCallId(type::AnswerCall, c.callId); },
            [](const EndCall &c) {
                QJsonObject o = withCallId(type::EndCall, c.callId);
                if (c.disposition != Disposition::None)
                    o.insert(QStringLiteral("disposition"), toString(c.disposition));
                return o;
            },
            [](const HoldCall &c) { return withCallId(type::HoldCall, c.callId); },
            [](const ResumeCall &c) { return withCallId(type::ResumeCall, c.callId); },
            [](const TakeOver &c) { return withCallId(type::TakeOver, c.callId); },
            [](const TransferCall &c) {
                QJsonObject o = withCallId(type::TransferCall, c.callId);
                o.insert(QStringLiteral("to"), c.to);
                return o;
            },
            [](const GetCall &c) { return withCallId(type::GetCall, c.callId); },
            [](const SubscribeMedia &c) {
                return withCallId(c.subscribe ? type::SubscribeMedia : type::UnsubscribeMedia,
                                  c.callId);
            },
            [](const AcceptLocation &c) { return withCallId(type::AcceptLocation, c.callId); },
            [](const OverrideTriage &c) {
                QJsonObject o = withCallId(type::OverrideTriage, c.callId);
                o.insert(QStringLiteral("report"), toJson(c.report));
                return o;
            },
            [](const AcknowledgeCritical &c) {
                return withCallId(type::AcknowledgeCritical, c.callId);
            },
            [](const Ping &) {
                return QJsonObject{{QStringLiteral("type"), type::Ping}};
            },
            [](const ResolveFollowUp &c) {
                QJsonObject o = withCallId(type::ResolveFollowUp, c.callId);
                o.insert(QStringLiteral("follow_up"), toString(c.resolution));
                return o;
            },
            [](const Relay &c) {
                QJsonObject o = c.message;
                o.insert(QStringLiteral("call_id"), c.callId);
                return o;
            },
        },
        command);
}

Parsed<Command> parseTransfer(const QString &callId, const QJsonObject &o)
{
    json::FieldReader r;
    const QString to = r.requiredString(o, QLatin1String("to"), Limits::MaxPrincipalChars);
    if (r.error())
        return *r.error();
    if (!isPrincipalName(to))
        return json::badField(QLatin1String("to"), QStringLiteral("is not a principal name"));
    return Command{TransferCall{callId, to}};
}

Parsed<Command> parseEnd(const QString &callId, const QJsonObject &o)
{
    json::FieldReader r;
    const auto code = r.string(o, QLatin1String("disposition"), 64);
    if (r.error())
        return *r.error();
    if (!code || code->isEmpty()) // a console that does not ask, or a routine call
        return Command{EndCall{callId, Disposition::None}};
    const auto disposition = dispositionFromString(*code);
    if (!disposition)
        return json::badField(QLatin1String("disposition"),
                              QStringLiteral("is not a disposition code"));
    return Command{EndCall{callId, *disposition}};
}

Parsed<Command> parseResolveFollowUp(const QString &callId, const QJsonObject &o)
{
    json::FieldReader r;
    const QString code = r.requiredString(o, QLatin1String("follow_up"), 64);
    if (r.error())
        return *r.error();
    const auto resolution = followUpFromString(code);
    if (!resolution || !isFollowUpResolution(*resolution))
        return json::badField(QLatin1String("follow_up"),
                              QStringLiteral("is not a follow-up resolution"));
    return Command{ResolveFollowUp{callId, *resolution}};
}

Parsed<Command> parseOverride(const QString &callId, const QJsonObject &o)
{
    json::FieldReader r;
    const auto report = r.object(o, QLatin1String("report"));
    if (r.error() || !report)
        return json::badField(QLatin1String("report"), QStringLiteral("must be an object"));
    auto parsed = triageReportFromJson(*report, TriageSource::Dispatcher);
    if (!parsed)
        return parsed.error();
    return Command{OverrideTriage{callId, parsed.value()}};
}

} // namespace

QString callIdOf(const Command &command)
{
    return std::visit(
        [](const auto &c) -> QString {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, Ping>)
                return QString();
            else
                return c.callId;
        },
        command);
}

QByteArray encodeCommand(const Command &command)
{
    return phone::encode(commandJson(command));
}

Parsed<Command> parseCommand(const QByteArray &bytes)
{
    auto message = phone::parseTypedMessage(bytes, Limits::MaxCommandBytes);
    if (!message)
        return message.error();
    const QJsonObject &o = message->object;
    const QString &t = message->type;
    if (t == type::Ping)
        return Command{Ping{}};
    json::FieldReader r;
    const QString id = phone::readCallId(r, o);
    if (r.error())
        return *r.error();
    if (t == type::AnswerCall)
        return Command{AnswerCall{id}};
    if (t == type::EndCall)
        return parseEnd(id, o);
    if (t == type::HoldCall)
        return Command{HoldCall{id}};
    if (t == type::ResumeCall)
        return Command{ResumeCall{id}};
    if (t == type::TakeOver)
        return Command{TakeOver{id}};
    if (t == type::GetCall)
        return Command{GetCall{id}};
    if (t == type::SubscribeMedia)
        return Command{SubscribeMedia{id, true}};
    if (t == type::UnsubscribeMedia)
        return Command{SubscribeMedia{id, false}};
    if (t == type::AcceptLocation)
        return Command{AcceptLocation{id}};
    if (t == type::OverrideTriage)
        return parseOverride(id, o);
    if (t == type::AcknowledgeCritical)
        return Command{AcknowledgeCritical{id}};
    if (t == type::TransferCall)
        return parseTransfer(id, o);
    if (t == type::ResolveFollowUp)
        return parseResolveFollowUp(id, o);
    if (phone::isWebRtcSignalType(t))
        return Command{Relay{id, o}};
    return phone::unknownType(t);
}

} // namespace dispatch::dashboard
