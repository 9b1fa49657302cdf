#include "domain/triagelink.h"

#include <utility>

namespace dispatch {

namespace {

template<typename E, std::size_t N> std::optional<E> fromName(const QString &s, const E (&all)[N])
{
    for (E e : all) {
        if (!s.isEmpty() && toString(e) == s)
            return e;
    }
    return std::nullopt;
}

QString englishFailure(TriageFailureKind kind)
{
    switch (kind) {
    case TriageFailureKind::None:
        break;
    case TriageFailureKind::Transient:
        return QStringLiteral("connection failed");
    case TriageFailureKind::Quota:
        return QStringLiteral("quota exceeded");
    case TriageFailureKind::ApiKey:
        return QStringLiteral("API key refused");
    case TriageFailureKind::Credentials:
        return QStringLiteral("Vertex AI credentials refused");
    case TriageFailureKind::ModelNotFound:
        return QStringLiteral("model not found");
    case TriageFailureKind::BadRequest:
        return QStringLiteral("request refused");
    }
    return QStringLiteral("unknown error");
}

} // namespace

TriageLink::TriageLink(TriageLinkState s, TriageLinkReason r, TriageFailureKind f, QList<int> a,
                       QString technical)
    : state(s)
    , reason(r)
    , failure(f)
    , args(std::move(a))
    , detail(std::move(technical))
{}

QString toString(TriageLinkReason reason)
{
    switch (reason) {
    case TriageLinkReason::None:
        return QStringLiteral("none");
    case TriageLinkReason::LocalSelected:
        return QStringLiteral("local_selected");
    case TriageLinkReason::NoApiKey:
        return QStringLiteral("no_api_key");
    case TriageLinkReason::WaitingForSlot:
        return QStringLiteral("waiting_for_slot");
    case TriageLinkReason::BreakerOpen:
        return QStringLiteral("breaker_open");
    case TriageLinkReason::Fallback:
        return QStringLiteral("fallback");
    case TriageLinkReason::LocalMeanwhile:
        return QStringLiteral("local_meanwhile");
    }
    return QString();
}

QString toString(TriageFailureKind kind)
{
    switch (kind) {
    case TriageFailureKind::None:
        return QStringLiteral("none");
    case TriageFailureKind::Transient:
        return QStringLiteral("transient");
    case TriageFailureKind::Quota:
        return QStringLiteral("quota");
    case TriageFailureKind::ApiKey:
        return QStringLiteral("api_key");
    case TriageFailureKind::Credentials:
        return QStringLiteral("credentials");
    case TriageFailureKind::ModelNotFound:
        return QStringLiteral("model_not_found");
    case TriageFailureKind::BadRequest:
        return QStringLiteral("bad_request");
    }
    return QString();
}

std::optional<TriageLinkReason> triageLinkReasonFromString(const QString &s)
{
    static constexpr TriageLinkReason all[] = {
        TriageLinkReason::None,          TriageLinkReason::LocalSelected,
        TriageLinkReason::NoApiKey,      TriageLinkReason::WaitingForSlot,
        TriageLinkReason::BreakerOpen,   TriageLinkReason::Fallback,
        TriageLinkReason::LocalMeanwhile};
    return fromName(s, all);
}

std::optional<TriageFailureKind> triageFailureKindFromString(const QString &s)
{
    static constexpr TriageFailureKind all[] = {
        TriageFailureKind::None,        TriageFailureKind::Transient,
        TriageFailureKind::Quota,       TriageFailureKind::ApiKey,
        TriageFailureKind::Credentials, TriageFailureKind::ModelNotFound,
        TriageFailureKind::BadRequest};
    return fromName(s, all);
}

QString englishDetail(const TriageLink &link)
{
    const QString why = link.detail.isEmpty() ? englishFailure(link.failure) : link.detail;
    switch (link.reason) {
    case TriageLinkReason::None:
        break;
    case TriageLinkReason::LocalSelected:
        return QStringLiteral("local triage selected");
    case TriageLinkReason::NoApiKey:
        return QStringLiteral("no API key (GEMINI_API_KEY)");
    case TriageLinkReason::WaitingForSlot:
        return QStringLiteral("waiting for an AI slot (%1 of %2 in use)")
            .arg(link.arg(0))
            .arg(link.arg(1));
    case TriageLinkReason::BreakerOpen:
        return QStringLiteral("AI unavailable (%1); retrying in %2 s").arg(why).arg(link.arg(0));
    case TriageLinkReason::Fallback:
        return QStringLiteral("fallback: %1").arg(why);
    case TriageLinkReason::LocalMeanwhile:
        return link.detail.isEmpty() ? QStringLiteral("local triage meanwhile")
                                     : link.detail + QStringLiteral("; local triage meanwhile");
    }
    if (link.detail.isEmpty() && link.failure != TriageFailureKind::None)
        return englishFailure(link.failure);
    return link.detail;
}

} // namespace dispatch
