#include "auth/requestauthenticator.h"

#include "auth/accesspolicy.h"
#include "common/logsafe.h"
#include "common/metricsregistry.h"
#include "net/httpfrontend.h"

#include <QHttpServerRequest>

namespace dispatch {

namespace {

using Status = QHttpServerResponder::StatusCode;

QString describe(const QHttpServerRequest &request)
{
    const bool upgrade = !request.value("upgrade").isEmpty();
    return QStringLiteral("%1 %2 from %3")
        .arg(upgrade ? QStringLiteral("WebSocket") : QStringLiteral("HTTP"),
             logSafe(request.url().path(QUrl::FullyEncoded).toUtf8(), 120),
             request.remoteAddress().toString());
}

} // namespace

RequestAuthenticator::RequestAuthenticator(const AccessPolicy &policy, AuthThrottle::Limits limits,
                                           MetricsRegistry &metrics, RefusalLogger log,
                                           MonotonicMs now)
    : m_policy(policy)
    , m_throttle(limits)
    , m_log(std::move(log))
    , m_now(std::move(now))
{
    const QString help = QStringLiteral("Requests refused for their bearer token (no token, or a "
                                        "token that is unknown, revoked or expired)");
    m_noToken = metrics.counter(QStringLiteral("dispatch_auth_failures_total"), help,
                                QStringLiteral("reason=\"no_token\""));
    m_badToken = metrics.counter(QStringLiteral("dispatch_auth_failures_total"), help,
                                 QStringLiteral("reason=\"bad_token\""));
    m_throttled = metrics.counter(
        QStringLiteral("dispatch_auth_throttled_total"),
        QStringLiteral("Requests refused (429) without checking their token: too many failed "
                       "authentications from the address"));
}

RequestAuthenticator::Result RequestAuthenticator::authenticate(const QHttpServerRequest &request)
{
    Result result;
    const QHostAddress peer = request.remoteAddress();
    const qint64 nowMs = m_now();
    if (const qint64 blockedMs = m_throttle.blockedForMs(peer, nowMs); blockedMs > 0) {
        ++*m_throttled;
        result.status = Status::TooManyRequests;
        result.code = QStringLiteral("too_many_failures");
        result.message = QStringLiteral("too many failed authentications from this address");
        result.retryAfterS = (blockedMs + 999) / 1000;
        m_log(peer, QStringLiteral("refused %1 : too_many_failures (throttled %2 s more)")
                        .arg(describe(request))
                        .arg(result.retryAfterS));
        return result;
    }
    const QByteArray token =
        AccessPolicy::presentedToken(request.value("authorization"), request.url());
    const AccessPolicy::Authentication auth = m_policy.authenticate(token);
    if (auth.principal) {
        result.principal = auth.principal;
        return result;
    }
    result.status = Status::Unauthorized;
    result.code = QStringLiteral("unauthorized");
    result.message = m_policy.dashboardEnabled()
                         ? QStringLiteral("a valid bearer token is required (Authorization: "
                                          "Bearer <token>)")
                         : QStringLiteral("access is disabled: no token configured");
    QString line = QStringLiteral("refused %1 : unauthorized (%2)")
                       .arg(describe(request), logSafe(auth.refusal));
    if (token.isEmpty()) {
        ++*m_noToken;
    } else {
        // Only a presented token is a guess; a request without one is not throttled.
        ++*m_badToken;
        if (m_throttle.recordFailure(peer, nowMs))
            line += QStringLiteral(" - too many failures: address throttled");
    }
    m_log(peer, line);
    return result;
}

QHttpServerResponse RequestAuthenticator::refusal(const Result &result)
{
    QHttpServerResponse response = jsonResponse(result.status, result.code, result.message);
    if (result.status == Status::Unauthorized)
        response.setHeader("WWW-Authenticate", "Bearer");
    if (result.retryAfterS > 0)
        response.setHeader("Retry-After", QByteArray::number(result.retryAfterS));
    return response;
}

} // namespace dispatch
