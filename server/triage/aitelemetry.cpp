#include "triage/aitelemetry.h"

#include "common/metricsregistry.h"
#include "triage/geminitriagebackend.h"
#include "triage/triagerouter.h"

#include <QJsonArray>

#include <cmath>

namespace dispatch {

namespace {

QString callLabel(const QString &callId)
{
    // Call ids are [A-Za-z0-9._:-] (validated at the phone endpoint): safe in a label value.
    return QStringLiteral("call_id=\"%1\"").arg(callId);
}

} // namespace

AiTelemetry::AiTelemetry(MetricsRegistry &metrics, const TriageRouter &router,
                         const GeminiTriageBackend *gemini, AiTelemetryInfo info, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_router(router)
    , m_gemini(gemini)
    , m_info(std::move(info))
{
    connect(&router, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                const auto call = m_router.callInfo(id);
                if (!call || call->reports != 1 || call->firstReportMs < 0)
                    return;
                const QString labels = QStringLiteral("source=\"%1\"").arg(toString(report.source));
                *m_metrics.counter(QStringLiteral("dispatch_ai_first_report_ms_sum"),
                                   QStringLiteral("Answer to first triage report, summed (ms)"),
                                   labels) += static_cast<quint64>(call->firstReportMs);
                ++*m_metrics.counter(QStringLiteral("dispatch_ai_first_report_ms_count"),
                                     QStringLiteral("Calls that got a first triage report"),
                                     labels);
            });
    connect(&router, &TriageRouter::callUpgraded, this, [this] {
        ++*m_metrics.counter(QStringLiteral("dispatch_ai_upgrades_total"),
                             QStringLiteral("Calls moved from local triage to Gemini"));
    });
    connect(&router, &TriageRouter::shadowShed, this, [this] {
        ++*m_metrics.counter(QStringLiteral("dispatch_ai_shadows_shed_total"),
                             QStringLiteral("Local shadows stopped for CPU headroom"));
    });
    connect(&router, &TriageRouter::failedOver, this, [this] {
        ++*m_metrics.counter(QStringLiteral("dispatch_ai_failovers_total"),
                             QStringLiteral("Calls moved from Gemini to local triage"));
    });

    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_gemini_sessions"),
        QStringLiteral("Gemini sessions: in use, budget, calls waiting for a slot, calls "
                       "shadowed by the local engine"),
        [this] {
            return MetricsRegistry::Samples{
                {QStringLiteral("kind=\"in_use\""), m_router.primaryInUse()},
                {QStringLiteral("kind=\"budget\""), m_router.budget()},
                {QStringLiteral("kind=\"waiting\""), m_router.waitingForSlot()},
                {QStringLiteral("kind=\"shadowed\""), m_router.shadowCalls()}};
        }));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_ai_shadows"),
        QStringLiteral("Local shadows of Gemini calls: active, the limit now (CPU headroom within "
                       "the cap), and the limiting reason as limited_by"),
        [this] {
            const ShadowStatus s = m_router.shadowStatus();
            return MetricsRegistry::Samples{
                {QStringLiteral("kind=\"active\""), s.active},
                {QStringLiteral("kind=\"limit\""), s.limit},
                {QStringLiteral("kind=\"limited_by\",reason=\"%1\"").arg(toString(s.reason)), 1}};
        }));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_ai_cpu_headroom_cores"),
        QStringLiteral("Smoothed CPU headroom the local shadows are budgeted by (cores)"), [this] {
            const ShadowBudget &b = m_router.shadowBudget();
            if (!b.measured())
                return MetricsRegistry::Samples{};
            return MetricsRegistry::Samples{{QString(), b.cores() - b.busyCores()}};
        }));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_gemini_breaker_open"),
        QStringLiteral("1 while new calls go local after a final Gemini error"), [this] {
            return MetricsRegistry::Samples{{QString(), m_router.isBreakerOpen() ? 1 : 0}};
        }));

    // Per live call (bounded by the number of live calls).
    const auto perCall = [this](auto value) {
        return [this, value] {
            MetricsRegistry::Samples samples;
            for (const QString &id : m_router.callIds()) {
                const auto call = m_router.callInfo(id);
                const gemini::SessionSupervisor *s = m_gemini ? m_gemini->supervisor(id) : nullptr;
                if (call)
                    if (const auto v = value(*call, s))
                        samples.append({callLabel(id), *v});
            }
            return samples;
        };
    };
    using Info = TriageRouter::CallInfo;
    using Sup = const gemini::SessionSupervisor *;
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_ai_call_first_report_seconds"),
                         QStringLiteral("Per live call: answer to first triage report"),
                         perCall([](const Info &i, Sup) -> std::optional<double> {
                             if (i.firstReportMs < 0)
                                 return std::nullopt;
                             return i.firstReportMs / 1000.0;
                         })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_ai_call_reports"),
        QStringLiteral("Per live call: triage reports published"),
        perCall([](const Info &i, Sup) -> std::optional<double> { return i.reports; })));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_ai_call_shadowed"),
        QStringLiteral("Per live Gemini call: 1 while a local shadow runs beside it, 0 without "
                       "one (never had one, or shed for CPU headroom)"),
        perCall([](const Info &i, Sup) -> std::optional<double> {
            if (!i.primary)
                return std::nullopt;
            return i.shadowed ? 1 : 0;
        })));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_ai_call_reconnects"),
                         QStringLiteral("Per live call: Gemini hand-overs and resumptions"),
                         perCall([](const Info &, Sup s) -> std::optional<double> {
                             if (!s)
                                 return std::nullopt;
                             return s->stats().handovers + s->stats().resumes;
                         })));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_ai_call_audio_seconds_sent"),
                         QStringLiteral("Per live call: audio sent to Gemini (replays included)"),
                         perCall([](const Info &, Sup s) -> std::optional<double> {
                             if (!s)
                                 return std::nullopt;
                             return s->stats().audioBytesSent / 32000.0;
                         })));
    m_gauges.push_back(metrics.addGauge(QStringLiteral("dispatch_ai_call_tokens"),
                                        QStringLiteral("Per live call: tokens reported by Gemini"),
                                        perCall([](const Info &, Sup s) -> std::optional<double> {
                                            if (!s)
                                                return std::nullopt;
                                            return static_cast<double>(s->stats().totalTokens);
                                        })));
}

QString AiTelemetry::readinessDetail() const
{
    if (!m_router.hasPrimary())
        return QStringLiteral("local triage only");
    if (m_router.isBreakerOpen())
        return QStringLiteral("gemini paused (%1); local triage").arg(m_router.breakerReason());
    return QStringLiteral("gemini %1/%2 sessions, %3 waiting")
        .arg(m_router.primaryInUse())
        .arg(m_router.budget())
        .arg(m_router.waitingForSlot());
}

namespace {

// "model" (in use), "model_backend" (gemini_api / vertex), "model_reason" (first_choice / fallback
// / none_left), "model_status" (the capability table's stable / preview / shut_down / unknown),
// "model_confirmed" (a connection went live with it), "models_skipped" [{model, reason}]: codes,
// never sentences.
void insertModel(QJsonObject &o, const AiTelemetryInfo &info)
{
    const gemini::ModelChoice *choice = info.models.get();
    const QString model = choice ? choice->current() : info.model;
    o.insert(QStringLiteral("model"), model);
    const gemini::LiveBackend backend = choice ? choice->backend() : gemini::LiveBackend::GeminiApi;
    o.insert(QStringLiteral("model_status"),
             gemini::toString(gemini::modelCapabilities(model, backend).status));
    o.insert(QStringLiteral("model_backend"), gemini::toString(backend)); // gemini_api / vertex
    if (!choice)
        return;
    o.insert(QStringLiteral("model_reason"), choice->reasonCode());
    o.insert(QStringLiteral("model_confirmed"), !model.isEmpty() && choice->confirmed() == model);
    QJsonArray skipped;
    for (const auto &s : choice->skipped())
        skipped.append(
            QJsonObject{{QStringLiteral("model"), s.model}, {QStringLiteral("reason"), s.reason}});
    o.insert(QStringLiteral("models_skipped"), skipped);
}

} // namespace

// {"active", "limit" (now), "reason" (off / cap / cpu / latency), "cap" (-1 none), and once
// measured "headroom_cores" and "busy_cores"}.
QJsonObject AiTelemetry::shadowsInfo() const
{
    const ShadowStatus s = m_router.shadowStatus();
    QJsonObject o{{QStringLiteral("active"), s.active},
                  {QStringLiteral("limit"), s.limit},
                  {QStringLiteral("reason"), toString(s.reason)},
                  {QStringLiteral("cap"), m_router.shadowCap()}};
    const ShadowBudget &b = m_router.shadowBudget();
    if (b.measured() && s.reason != ShadowLimitReason::Off) {
        o.insert(QStringLiteral("busy_cores"), std::round(b.busyCores() * 100) / 100);
        o.insert(QStringLiteral("headroom_cores"),
                 std::round((b.cores() - b.busyCores()) * 100) / 100);
    }
    return o;
}

QJsonObject AiTelemetry::healthInfo(bool withCalls) const
{
    QJsonArray calls;
    for (const QString &id : withCalls ? m_router.callIds() : QStringList()) {
        const auto info = m_router.callInfo(id);
        if (!info)
            continue;
        QJsonObject c{{QStringLiteral("call_id"), id},
                      {QStringLiteral("link"), toString(info->link.state)},
                      {QStringLiteral("reason"), toString(info->link.reason)},
                      {QStringLiteral("detail"), englishDetail(info->link)},
                      {QStringLiteral("reports"), info->reports}};
        if (info->firstReportMs >= 0)
            c.insert(QStringLiteral("first_report_ms"), info->firstReportMs);
        // "running": a local shadow beside the primary; "shed": stopped for CPU headroom (its
        // report so far is kept for a failover); "none".
        c.insert(QStringLiteral("shadow"), info->shadowed     ? QStringLiteral("running")
                                           : info->shadowShed ? QStringLiteral("shed")
                                                              : QStringLiteral("none"));
        if (const auto *s = m_gemini ? m_gemini->supervisor(id) : nullptr) {
            c.insert(QStringLiteral("reconnects"), s->stats().handovers + s->stats().resumes);
            c.insert(QStringLiteral("audio_s_sent"), s->stats().audioBytesSent / 32000.0);
            c.insert(QStringLiteral("tokens"), s->stats().totalTokens);
        }
        calls.append(c);
    }
    QJsonObject o{{QStringLiteral("mode"), toString(m_info.mode)},
                  {QStringLiteral("gemini_enabled"), m_router.hasPrimary()},
                  {QStringLiteral("key_configured"), m_info.keyConfigured},
                  {QStringLiteral("budget"),
                   QJsonObject{{QStringLiteral("max_sessions"), m_router.budget()},
                               {QStringLiteral("in_use"), m_router.primaryInUse()},
                               {QStringLiteral("waiting"), m_router.waitingForSlot()}}},
                  // Gemini calls whose local engine runs beside them, ready for a failover.
                  {QStringLiteral("shadows"), shadowsInfo()},
                  {QStringLiteral("breaker"),
                   QJsonObject{{QStringLiteral("open"), m_router.isBreakerOpen()},
                               {QStringLiteral("reason"), m_router.breakerReason()}}}};
    if (withCalls)
        o.insert(QStringLiteral("calls"), calls);
    else
        o.insert(QStringLiteral("calls_in_triage"), m_router.callIds().size());
    if (m_router.hasPrimary()) {
        insertModel(o, m_info);
        o.insert(QStringLiteral("endpoint_host"), m_info.endpointHost);
        o.insert(QStringLiteral("text_reports"), m_info.textReports);
    }
    return o;
}

} // namespace dispatch
