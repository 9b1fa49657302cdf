#include "host/httpapi.h"

#include "auth/requestauthenticator.h"
#include "calls/callstore.h"
#include "common/logsafe.h"
#include "common/metricsregistry.h"
#include "dashboard/dashboardevents.h"
#include "net/httpfrontend.h"
#include "phone/phonemessages.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcHttp, "dispatch.server.http")

namespace dispatch {

namespace {

using Status = QHttpServerResponder::StatusCode;

// The admin endpoints: supervisors and the bootstrap admin. The refusal, if any.
// `who`, when given, gets the principal on success.
std::optional<QHttpServerResponse> refuseUnlessAdmin(RequestAuthenticator &auth,
                                                     const QHttpServerRequest &request,
                                                     Principal *who = nullptr)
{
    RequestAuthenticator::Result result = auth.authenticate(request);
    if (result.ok() && result.principal->role == Role::Dispatcher) {
        // A valid token without the role: not a guess, so not counted as a failure.
        result.principal.reset();
        result.status = Status::Unauthorized;
        result.code = QStringLiteral("unauthorized");
        result.message = QStringLiteral("a supervisor or admin token is required");
    }
    if (result.ok()) {
        if (who)
            *who = *result.principal;
        return std::nullopt;
    }
    return RequestAuthenticator::refusal(result);
}

} // namespace

HttpApi::HttpApi(CallStore &store, MetricsRegistry &metrics, RequestAuthenticator &auth,
                 MonotonicClock clock)
    : m_store(store)
    , m_metrics(metrics)
    , m_auth(auth)
    , m_clock(std::move(clock))
    , m_startedMs(m_clock())
{}

void HttpApi::addReadinessCheck(const QString &name, ReadinessCheck check)
{
    m_checks[name] = std::move(check);
}

void HttpApi::addInfo(const QString &key, std::function<QJsonValue()> value)
{
    m_info[key] = [value = std::move(value)](Audience) { return value(); };
}

void HttpApi::addInfo(const QString &key, InfoSource value)
{
    m_info[key] = std::move(value);
}

QJsonObject HttpApi::health(Audience audience) const
{
    bool ready = true;
    QJsonObject checks;
    for (const auto &[name, check] : m_checks) {
        const CheckResult r = check();
        ready = ready && r.ok;
        checks.insert(
            name, QJsonObject{{QStringLiteral("ok"), r.ok}, {QStringLiteral("detail"), r.detail}});
    }
    QJsonObject calls;
    for (auto s : {CallState::Ringing, CallState::Answered, CallState::OnHold})
        calls.insert(toString(s), m_store.countInState(s));
    QJsonObject o{
        {QStringLiteral("status"), ready ? QStringLiteral("ok") : QStringLiteral("degraded")},
        {QStringLiteral("live"), true},
        {QStringLiteral("ready"), ready},
        {QStringLiteral("checks"), checks},
        {QStringLiteral("calls"), calls},
        {QStringLiteral("uptime_s"), (m_clock() - m_startedMs) / 1000},
        {QStringLiteral("versions"),
         QJsonObject{{QStringLiteral("dispatch_console"), QStringLiteral(DISPATCH_VERSION)},
                     {QStringLiteral("protocol"), phone::ProtocolVersion},
                     {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
                     {QStringLiteral("tls_library"), QSslSocket::sslLibraryVersionString()}}},
    };
    for (const auto &[key, value] : m_info)
        o.insert(key, value(audience));
    return o;
}

void HttpApi::registerRoutes(HttpFrontend &server)
{
    using Method = QHttpServerRequest::Method;
    server.route(Method::Get, QStringLiteral("/health"),
                 [this](const QHttpServerRequest &request, const QString &) {
                     // Open to monitoring without a token; call ids only with one.
                     const bool withToken = !request.value("authorization").isEmpty() &&
                                            m_auth.authenticate(request).ok();
                     const QJsonObject h =
                         health(withToken ? Audience::Authenticated : Audience::Public);
                     return QHttpServerResponse(h, h.value(QLatin1String("ready")).toBool()
                                                       ? Status::Ok
                                                       : Status::ServiceUnavailable);
                 });
    server.route(Method::Get, QStringLiteral("/sessions"),
                 [this](const QHttpServerRequest &request, const QString &) {
                     if (auto refused = refuseUnlessAdmin(m_auth, request))
                         return std::move(*refused);
                     QJsonArray sessions;
                     for (const Call *c : m_store.calls()) {
                         if (c->isLive())
                             sessions.append(dashboard::callSnapshot(*c, m_store.now()));
                     }
                     return QHttpServerResponse(
                         QJsonObject{{QStringLiteral("sessions"), sessions},
                                     {QStringLiteral("count"), sessions.size()}});
                 });
    server.route(
        Method::Delete, QStringLiteral("/sessions/*"),
        [this](const QHttpServerRequest &request, const QString &callId) {
            Principal principal;
            if (auto refused = refuseUnlessAdmin(m_auth, request, &principal))
                return std::move(*refused);
            // Only the admin ends a call from outside the dashboard. A supervisor
            // takes the call over first, as on the dashboard, so that the call has
            // an owner who answers for it.
            if (principal.role != Role::Admin) {
                qCWarning(lcHttp).noquote() << "refused DELETE /sessions/" << logSafe(callId)
                                            << "to" << toString(principal.role) << principal.name;
                return jsonResponse(
                    Status::Forbidden, QStringLiteral("forbidden"),
                    QStringLiteral("only the admin token ends calls through the API; a "
                                   "supervisor takes the call over on the dashboard "
                                   "first"));
            }
            principal.name = QStringLiteral("admin@%1").arg(request.remoteAddress().toString());
            const auto result = m_store.end(callId, EndReason::AdminTerminated, actorOf(principal));
            if (result == CallStore::Result::UnknownCall)
                return jsonResponse(Status::NotFound, QStringLiteral("unknown_call"),
                                    QStringLiteral("no call with this id"));
            if (result == CallStore::Result::CallEnded)
                return jsonResponse(Status::Conflict, QStringLiteral("call_ended"),
                                    QStringLiteral("the call has already ended"));
            qCWarning(lcHttp).noquote()
                << "call" << logSafe(callId) << "terminated by" << principal.name;
            return QHttpServerResponse(
                QJsonObject{{QStringLiteral("call_id"), callId}, {QStringLiteral("ended"), true}});
        });
    server.route(Method::Get, QStringLiteral("/metrics"),
                 [this](const QHttpServerRequest &request, const QString &) {
                     if (auto refused = refuseUnlessAdmin(m_auth, request))
                         return std::move(*refused);
                     return QHttpServerResponse("text/plain; version=0.0.4",
                                                m_metrics.renderPrometheus());
                 });
}

} // namespace dispatch
