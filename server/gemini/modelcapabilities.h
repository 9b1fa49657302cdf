#pragma once

// What each Live model accepts and how it behaves, as data (reference §3.3, §4.3, §7, §8 and the
// "2026-12 update"). A pure lookup: no sockets, no knowledge of what a session is for. Setups are
// built from a row instead of guessing from the model name.

#include <QDate>
#include <QList>
#include <QString>

namespace dispatch::gemini {

enum class LiveBackend
{
    GeminiApi, // the Developer API (generativelanguage.googleapis.com): what LiveSession speaks
    Vertex     // Vertex AI / Gemini Enterprise Agent Platform (--gemini-backend vertex)
};

enum class ModelStatus
{
    Stable,
    Preview,
    ShutDown, // a setup naming it fails: refused before connecting
    Unknown   // not in the table: the conservative row
};

// setup.tools[].functionDeclarations[].behavior.
enum class ToolBehavior
{
    Blocking,
    NonBlocking
};

enum class ThinkingControl
{
    None,   // no thinkingConfig
    Budget, // generationConfig.thinkingConfig.thinkingBudget (2.5)
    Level   // generationConfig.thinkingConfig.thinkingLevel (3.x)
};

enum class ResumptionKind
{
    ClientReplay, // handles only: the client keeps and replays unacknowledged audio
    Transparent   // sessionResumption.transparent: lastConsumedClientMessageIndex (Vertex)
};

struct ModelCapabilities
{
    QString id; // without "models/" or a Vertex resource path
    LiveBackend backend = LiveBackend::GeminiApi;
    ModelStatus status = ModelStatus::Unknown;
    QDate shutDownOn; // for ShutDown rows

    // Tools: which `behavior` values the model accepts and what it does when none is sent.
    bool acceptsBlockingTools = true;
    bool acceptsNonBlockingTools = false;
    ToolBehavior defaultToolBehavior = ToolBehavior::Blocking;
    // functionResponses[].scheduling (SILENT / WHEN_IDLE / INTERRUPT) is accepted and honoured.
    bool toolResponseScheduling = false;

    // Optional setup fields: sending one the model does not accept closes 1007 "Unknown name".
    bool proactivity = false;     // setup.proactivity {proactiveAudio}
    bool affectiveDialog = false; // generationConfig.enableAffectiveDialog
    ThinkingControl thinking = ThinkingControl::None;
    bool mediaResolution = false;        // generationConfig.mediaResolution
    bool inputTranscription = true;      // setup.inputAudioTranscription {}
    bool outputTranscription = true;     // setup.outputAudioTranscription {}
    bool transcriptionOptions = false;   // languageCodes, customVocabulary, ... inside them
    bool textModality = false;           // responseModalities ["TEXT"]
    bool midSessionClientContent = true; // clientContent after the first turn (3.1: 1007)
    // realtimeInputConfig.automaticActivityDetection.disabled with activityStart / activityEnd
    // from the client (§4.1) and turnCoverage TURN_INCLUDES_ALL_INPUT: our own VAD ends the
    // caller's turns (the server's drops short answers after a model turn, python-genai #2903).
    bool manualActivity = false;

    ResumptionKind resumption = ResumptionKind::ClientReplay;
    qint64 inputTokenLimit = 0;  // 0: not published
    qint64 outputTokenLimit = 0; // 0: not published

    bool isKnown() const { return status != ModelStatus::Unknown; }
    bool isShutDown() const { return status == ModelStatus::ShutDown; }
    // What to put in `behavior` when the caller wants non-blocking tools (or blocking ones):
    // the wanted behavior where the model accepts it, its only behavior otherwise.
    ToolBehavior toolBehaviorFor(bool wantNonBlocking) const;
};

// "gemini-x", "models/gemini-x" and "projects/p/locations/l/publishers/google/models/gemini-x"
// -> "gemini-x" (trimmed, lower case).
QString normalizedModelId(const QString &model);

// The row of `model` on `backend`. Unknown models (and known ones on a backend without a row)
// get the conservative row: status Unknown, BLOCKING tools only and no `behavior` field, no
// scheduling, no optional field (proactivity, affective dialog, thinking, media resolution,
// transcription options), AUDIO only, both transcriptions, client replay, limits unknown: what
// every Live model accepted so far.
ModelCapabilities modelCapabilities(const QString &model,
                                    LiveBackend backend = LiveBackend::GeminiApi);

// Every row of the table, in the order of the table (newest first per backend).
const QList<ModelCapabilities> &knownModels();

// The current stable model of a backend: the default when none is configured (Vertex: the GA
// native-audio model, the only Vertex row of the table).
QString currentStableModel(LiveBackend backend = LiveBackend::GeminiApi);

// Codes for logs and /health: "stable", "preview", "shut_down", "unknown"; "gemini_api", "vertex".
QString toString(ModelStatus status);
QString toString(LiveBackend backend);

} // namespace dispatch::gemini
