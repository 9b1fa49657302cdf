#pragma once

#include "common/monotonicclock.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <map>

namespace dispatch {

class HttpFrontend;
class CallStore;
class MetricsRegistry;
class RequestAuthenticator;

// The plain HTTP endpoints: GET /health (liveness, readiness and versions), GET /sessions and
// DELETE /sessions/{call_id} (authenticated admin), GET /metrics (authenticated, Prometheus).
// Authentication goes through the RequestAuthenticator (failed attempts throttled per address).
class HttpApi
{
public:
    struct CheckResult
    {
        bool ok = true;
        QString detail;
    };
    using ReadinessCheck = std::function<CheckResult()>;
    // Who reads /health: anyone (load balancers, monitoring) or a holder of a valid token.
    // What identifies a call (its id) is only for the second.
    enum class Audience
    {
        Public,
        Authenticated
    };
    using InfoSource = std::function<QJsonValue(Audience)>;

    // `clock` measures the uptime.
    HttpApi(CallStore &store, MetricsRegistry &metrics, RequestAuthenticator &auth,
            MonotonicClock clock = steadyClock());

    // Subsystems (listener, storage, AI link) add what readiness depends on.
    void addReadinessCheck(const QString &name, ReadinessCheck check);
    void addInfo(const QString &key, std::function<QJsonValue()> value);
    void addInfo(const QString &key, InfoSource value);
    void registerRoutes(HttpFrontend &server);

    QJsonObject health(Audience audience = Audience::Public) const;

private:
    CallStore &m_store;
    MetricsRegistry &m_metrics;
    RequestAuthenticator &m_auth;
    std::map<QString, ReadinessCheck> m_checks;
    std::map<QString, InfoSource> m_info;
    MonotonicClock m_clock;
    qint64 m_startedMs;
};

} // namespace dispatch
