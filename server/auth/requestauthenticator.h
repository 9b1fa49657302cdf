#pragma once

#include "auth/auththrottle.h"
#include "auth/tokenstore.h"

#include <QHttpServerResponder>
#include <QHttpServerResponse>

#include <functional>
#include <optional>

class QHttpServerRequest;

namespace dispatch {

class AccessPolicy;
class MetricsRegistry;

// The one door for requests that carry a bearer token (the admin HTTP routes and the dashboard
// WebSocket upgrade): an address with too many failed authentications is refused with 429 for a
// while without its token being looked at (AuthThrottle); every refusal is counted, and logged
// through `log` (which rate-limits per address), with the peer's strings made log-safe.
class RequestAuthenticator
{
public:
    // Logs one refusal line about `peer` (PhoneServer::logRefusal: a few lines per address).
    using RefusalLogger = std::function<void(const QHostAddress &peer, const QString &line)>;
    using MonotonicMs = std::function<qint64()>;

    RequestAuthenticator(const AccessPolicy &policy, AuthThrottle::Limits limits,
                         MetricsRegistry &metrics, RefusalLogger log, MonotonicMs now);

    struct Result
    {
        std::optional<Principal> principal;
        QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok;
        QString code;           // "unauthorized", "too_many_failures"
        QString message;        // for the peer
        qint64 retryAfterS = 0; // with 429
        bool ok() const { return principal.has_value(); }
    };
    Result authenticate(const QHttpServerRequest &request);
    // The HTTP answer to a refused Result (with WWW-Authenticate or Retry-After).
    static QHttpServerResponse refusal(const Result &result);

private:
    const AccessPolicy &m_policy;
    AuthThrottle m_throttle;
    RefusalLogger m_log;
    MonotonicMs m_now;
    quint64 *m_noToken;
    quint64 *m_badToken;
    quint64 *m_throttled;
};

} // namespace dispatch
