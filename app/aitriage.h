#pragma once

#include "appoptions.h"
#include "gemini/modelchoice.h"

#include <memory>

namespace dispatch {

class AiTelemetry;
class GeminiTriageBackend;
class HttpApi;
class MetricsRegistry;
class TriageBackend;
class TriageRouter;

// The AI triage part of the composition root: Gemini Live (when the options and a key allow),
// the router in front of the local engine, and their /metrics and /health entries.
struct AiTriage
{
    AiTriage();
    ~AiTriage();
    AiTriage(AiTriage &&) noexcept;
    AiTriage &operator=(AiTriage &&) noexcept;

    std::unique_ptr<GeminiTriageBackend> gemini; // null: local triage only
    std::unique_ptr<TriageRouter> router;        // what the TriageCoordinator feeds
    std::unique_ptr<AiTelemetry> telemetry;
    std::shared_ptr<const gemini::ModelChoice> models; // null: no Gemini
};

// `notice` gets a line for the operator (e.g. "--triage gemini without GEMINI_API_KEY").
AiTriage buildAiTriage(const AiOptions &options, TriageBackend &local, MetricsRegistry &metrics,
                       HttpApi &api, QString *notice);

} // namespace dispatch
