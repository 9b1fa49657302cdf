#include "httpapi.h"

#include "accesspolicy.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "httpfrontend.h"
#include "phonemessages.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcHttp, "dispatch.server.http")

namespace dispatch {

namespace {

using Status = QHttpServerResponder::StatusCode;

QHttpServerResponse unauthorized(const QHttpServerRequest &request)
{
    qCWarning(lcHttp) << "refused unauthenticated" << request.url().path() << "from"
                      << request.remoteAddress().toString();
    QHttpServerResponse response = jsonResponse(
        Status::Unauthorized, QStringLiteral("unauthorized"),
        QStringLiteral("a valid bearer token is required (Authorization: Bearer <token>)"));
    response.setHeader("WWW-Authenticate", "Bearer");
    return response;
}

} // namespace

HttpApi::HttpApi(CallStore &store, MetricsRegistry &metrics, const AccessPolicy &policy)
    : m_store(store)
    , m_metrics(metrics)
    , m_policy(policy)
    , m_startedMs(QDateTime::currentMSecsSinceEpoch())
{}

void HttpApi::addReadinessCheck(const QString &name, ReadinessCheck check)
{
    m_checks[name] = std::move(check);
}

void HttpApi::addInfo(const QString &key, std::function<QJsonValue()> value)
{
    m_info[key] = std::move(value);
}

QJsonObject HttpApi::health() const
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
        {QStringLiteral("uptime_s"), (QDateTime::currentMSecsSinceEpoch() - m_startedMs) / 1000},
        {QStringLiteral("versions"),
         QJsonObject{{QStringLiteral("dispatch_console"), QStringLiteral(DISPATCH_VERSION)},
                     {QStringLiteral("protocol"), phone::ProtocolVersion},
                     {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
                     {QStringLiteral("tls_library"), QSslSocket::sslLibraryVersionString()}}},
    };
    for (const auto &[key, value] : m_info)
        o.insert(key, value());
    return o;
}

void HttpApi::registerRoutes(HttpFrontend &server)
{
    using Method = QHttpServerRequest::Method;
    server.route(Method::Get, QStringLiteral("/health"),
                 [this](const QHttpServerRequest &, const QString &) {
                     const QJsonObject h = health();
                     return QHttpServerResponse(h, h.value(QLatin1String("ready")).toBool()
                                                       ? Status::Ok
                                                       : Status::ServiceUnavailable);
                 });
    server.route(Method::Get, QStringLiteral("/sessions"),
                 [this](const QHttpServerRequest &request, const QString &) {
                     if (!m_policy.isAuthorized(request))
                         return unauthorized(request);
                     QJsonArray sessions;
                     for (const Call *c : m_store.calls()) {
                         if (c->isLive())
                             sessions.append(phone::callSnapshot(*c, m_store.now()));
                     }
                     return QHttpServerResponse(
                         QJsonObject{{QStringLiteral("sessions"), sessions},
                                     {QStringLiteral("count"), sessions.size()}});
                 });
    server.route(Method::Delete, QStringLiteral("/sessions/*"),
                 [this](const QHttpServerRequest &request, const QString &callId) {
                     const auto principal = m_policy.adminPrincipal(request);
                     if (!principal)
                         return unauthorized(request);
                     // Only the admin ends a call from outside the dashboard. A supervisor
                     // takes the call over first, as on the dashboard, so that the call has
                     // an owner who answers for it.
                     if (principal->role != Role::Admin) {
                         qCWarning(lcHttp).noquote()
                             << "refused DELETE /sessions/" << callId << "to"
                             << toString(principal->role) << principal->name;
                         return jsonResponse(
                             Status::Forbidden, QStringLiteral("forbidden"),
                             QStringLiteral("only the admin token ends calls through the API; a "
                                            "supervisor takes the call over on the dashboard "
                                            "first"));
                     }
                     const auto result =
                         m_store.end(callId, EndReason::AdminTerminated, actorOf(*principal));
                     if (result == CallStore::Result::UnknownCall)
                         return jsonResponse(Status::NotFound, QStringLiteral("unknown_call"),
                                             QStringLiteral("no call with this id"));
                     if (result == CallStore::Result::CallEnded)
                         return jsonResponse(Status::Conflict, QStringLiteral("call_ended"),
                                             QStringLiteral("the call has already ended"));
                     qCWarning(lcHttp).noquote()
                         << "call" << callId << "terminated by" << principal->name;
                     return QHttpServerResponse(QJsonObject{{QStringLiteral("call_id"), callId},
                                                            {QStringLiteral("ended"), true}});
                 });
    server.route(Method::Get, QStringLiteral("/metrics"),
                 [this](const QHttpServerRequest &request, const QString &) {
                     if (!m_policy.isAuthorized(request))
                         return unauthorized(request);
                     return QHttpServerResponse("text/plain; version=0.0.4",
                                                m_metrics.renderPrometheus());
                 });
}

} // namespace dispatch
