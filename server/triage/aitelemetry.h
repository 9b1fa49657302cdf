#pragma once

#include "common/metricsregistry.h"
#include "gemini/modelchoice.h"
#include "triage/triagemode.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace dispatch {

class GeminiTriageBackend;
class MetricsRegistry;
class TriageRouter;

// What /health says about the AI (besides the router's live state).
struct AiTelemetryInfo
{
    TriageMode mode = TriageMode::Auto;
    QString model;        // empty when Gemini is off
    QString endpointHost; // host[:port] only: never a path or query
    bool keyConfigured = false;
    bool textReports = false;
    // The process-wide model list: the model in use and why. Empty: `model` as given.
    std::shared_ptr<const gemini::ModelChoice> models = nullptr;
};

// AI triage in GET /metrics (per-call and process-wide) and the `ai` block of GET /health:
// the concurrency budget in use, calls waiting for a slot, the breaker, per-call link states.
class AiTelemetry : public QObject
{
    Q_OBJECT

public:
    AiTelemetry(MetricsRegistry &metrics, const TriageRouter &router,
                const GeminiTriageBackend *gemini, AiTelemetryInfo info, QObject *parent = nullptr);

    // withCalls: per-call detail with call ids (authenticated readers only).
    QJsonObject healthInfo(bool withCalls) const;
    // Ready as long as every call gets triage (the local engine backs Gemini up); the detail
    // says what is in use.
    QString readinessDetail() const;

private:
    QJsonObject shadowsInfo() const;

    MetricsRegistry &m_metrics;
    const TriageRouter &m_router;
    const GeminiTriageBackend *m_gemini;
    AiTelemetryInfo m_info;
    std::vector<GaugeHandle> m_gauges;
};

} // namespace dispatch
