#include "aitriage.h"

#include "common/cpusampler.h"
#include "common/relaylatency.h"
#include "host/httpapi.h"
#include "triage/aitelemetry.h"
#include "triage/geminitriagebackend.h"
#include "triage/prearrivalknowledge.h"
#include "triage/sessionsupervisor.h"
#include "triage/triagerouter.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace dispatch {

namespace {

Q_LOGGING_CATEGORY(lcAi, "dispatch.gemini")

QString hostAndPort(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

AiTriage::AiTriage() = default;
AiTriage::~AiTriage() = default;
AiTriage::AiTriage(AiTriage &&) noexcept = default;
AiTriage &AiTriage::operator=(AiTriage &&) noexcept = default;

AiTriage buildAiTriage(const AiOptions &options, TriageBackend &local, MetricsRegistry &metrics,
                       HttpApi &api, QString *notice)
{
    AiTriage ai;
    TriageRouterConfig routerConfig;
    routerConfig.maxPrimarySessions = options.maxSessions;
    if (options.localShadows == 0)
        routerConfig.shadowLocal = false;
    else if (options.localShadows > 0)
        routerConfig.maxShadowCalls = options.localShadows;
    // Shadows only within the measured CPU headroom: they must not push the relay off its
    // latency target (the relay's own histogram is the second signal).
    routerConfig.cpuSampler = std::make_shared<ProcessCpuSampler>(relayLatencyHistogram(metrics));

    gemini::SupervisorConfig session;
    const GeminiBackendOptions &backend = options.backend;
    session.connection.backend = backend.backend;
    session.connection.apiVersion = gemini::LiveSession::defaultApiVersion(backend.backend);
    if (backend.isVertex()) {
        session.connection.endpoint = backend.vertexEndpoint();
        session.connection.vertexProject = backend.project;
        session.connection.vertexLocation = backend.location;
    }
    if (!options.endpoint.isEmpty())
        session.connection.endpoint = options.endpoint;
    // --gemini-model a,b,c: tried in order, the working one remembered process-wide.
    QStringList models = gemini::ModelChoice::parseList(options.model);
    if (models.isEmpty())
        models.append(backend.isVertex() ? gemini::currentStableModel(backend.backend)
                                         : gemini::defaultTriageModel());
    session.models = std::make_shared<gemini::ModelChoice>(models, backend.backend);
    if (!session.models->current().isEmpty())
        session.triage.model = session.models->current();
    session.triage.textReports = options.textReports;
    session.triage.backend = backend.backend;

    if (options.wantsGemini()) {
        if (backend.isVertex()) {
            gemini::AccessTokenConfig tokens;
            tokens.account = *backend.account;
            session.tokens = std::make_shared<gemini::AccessTokenProvider>(tokens);
            session.tokens->start(); // the first call should not wait for it
            qCInfo(lcAi).noquote() << "Vertex AI project" << backend.project << "location"
                                   << backend.location << "account" << backend.account->clientEmail;
        } else {
            session.connection.apiKey = options.apiKey;
        }
        const auto knowledge = PrearrivalKnowledge::load(defaultPrearrivalKnowledgePath());
        if (knowledge)
            session.prearrival = knowledge.value();
        else
            qCWarning(lcAi) << "no pre-arrival tool:" << knowledge.error().message;
        session.counters = gemini::GeminiCounters(metrics);
        ai.models = session.models;
        ai.gemini = std::make_unique<GeminiTriageBackend>(session);
        qCInfo(lcAi) << "Gemini triage on" << hostAndPort(session.connection.endpoint) << "models"
                     << session.models->configured().join(QLatin1Char(',')) << "budget"
                     << options.maxSessions;
    } else if (options.mode == TriageMode::Gemini) {
        routerConfig.unavailableReason = TriageLinkReason::NoApiKey;
        *notice = QCoreApplication::translate(
            "main", "--triage gemini without GEMINI_API_KEY: every call gets local triage");
    } else if (options.mode == TriageMode::Local) {
        routerConfig.unavailableReason = TriageLinkReason::LocalSelected;
    } else {
        routerConfig.unavailableReason = TriageLinkReason::NoApiKey;
    }
    ai.router = ai.gemini ? std::make_unique<TriageRouter>(routerConfig, *ai.gemini, local)
                          : std::make_unique<TriageRouter>(routerConfig, local);

    AiTelemetryInfo info;
    info.mode = options.mode;
    info.keyConfigured = options.hasCredentials();
    info.model = session.triage.model;
    info.models = session.models;
    info.endpointHost = hostAndPort(session.connection.endpoint);
    info.textReports = options.textReports;
    ai.telemetry =
        std::make_unique<AiTelemetry>(metrics, *ai.router, ai.gemini.get(), std::move(info));
    AiTelemetry *telemetry = ai.telemetry.get();
    api.addInfo(QStringLiteral("ai"), HttpApi::InfoSource([telemetry](HttpApi::Audience a) {
                    return QJsonValue(telemetry->healthInfo(a == HttpApi::Audience::Authenticated));
                }));
    api.addReadinessCheck(QStringLiteral("ai"), [telemetry]() -> HttpApi::CheckResult {
        return {true, telemetry->readinessDetail()};
    });
    return ai;
}

} // namespace dispatch
