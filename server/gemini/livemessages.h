#pragma once

// Pure Gemini Live (BidiGenerateContent) wire protocol: value types, encoders for the client
// messages and one decoder for every server message. No sockets here.
// Source of truth: shared/reference/gemini-live-protocol.md (section numbers below refer to it).

#include "common/parseresult.h"
#include "gemini/closeclassification.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dispatch::gemini {

// ---------------------------------------------------------------------------------------------
// Client -> server

enum class ResponseModality
{
    Audio,
    Text
};

enum class Sensitivity
{
    Default,
    High,
    Low
};

enum class ActivityHandling
{
    Default,
    StartOfActivityInterrupts,
    NoInterruption
};

enum class TurnCoverage
{
    Default,
    OnlyActivity,
    AllInput
};

// setup.realtimeInputConfig (reference §3.1). Only sent when LiveSetup::realtimeInputConfig is set.
struct RealtimeInputConfig
{
    bool automaticActivityDetection = true;
    Sensitivity startOfSpeechSensitivity = Sensitivity::Default;
    Sensitivity endOfSpeechSensitivity = Sensitivity::Default;
    std::optional<int> prefixPaddingMs;
    std::optional<int> silenceDurationMs;
    ActivityHandling activityHandling = ActivityHandling::Default;
    TurnCoverage turnCoverage = TurnCoverage::Default;
};

// One entry of setup.tools[].functionDeclarations. `parameters` is the Gemini OpenAPI-subset
// schema (type OBJECT, properties, required); ToolRegistry generates it from a declaration.
struct FunctionDeclaration
{
    QString name;
    QString description;
    QJsonObject parameters;
    bool nonBlocking = false; // behavior: NON_BLOCKING (Gemini 2.x on the Gemini API only, §4.3)
};

// setup.contextWindowCompression: {slidingWindow:{}} when only `enabled`, else with the tokens.
struct ContextWindowCompression
{
    bool enabled = false;
    std::optional<qint64> triggerTokens;
    std::optional<qint64> targetTokens;
};

// Everything one `setup` message carries. A supervisor resumes a session by copying the setup
// and setting `resumptionHandle`.
struct LiveSetup
{
    QString model; // "gemini-..." or "models/gemini-..."; encoded as models/<id>
    ResponseModality responseModality = ResponseModality::Audio;
    QString systemInstruction;
    QList<FunctionDeclaration> functionDeclarations;
    bool inputAudioTranscription = true;  // setup level, never inside generationConfig (§9.2)
    bool outputAudioTranscription = true; // setup level
    bool sessionResumption = true;        // sends sessionResumption:{} (or {handle})
    QString resumptionHandle;             // empty = new session
    // sessionResumption.transparent (Vertex only, the Developer API refuses it): the server then
    // says which client message each handle covers (lastConsumedClientMessageIndex).
    bool transparentResumption = false;
    ContextWindowCompression contextWindowCompression;
    std::optional<RealtimeInputConfig> realtimeInputConfig;
    std::optional<double> temperature;
    std::optional<int> maxOutputTokens;
    std::optional<int> thinkingBudget;
    QString voiceName;    // speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName
    QString languageCode; // speechConfig.languageCode
    // Fields this struct does not model (thinkingLevel, proactivity, enableAffectiveDialog, ...),
    // merged in as given, overriding generated keys. Send only what the model and API version
    // accept: the server closes 1007 "Unknown name ..." on anything else (§3.3).
    QJsonObject extraSetupFields;
    QJsonObject extraGenerationConfig;
};

enum class FunctionResponseScheduling
{
    Interrupt,
    WhenIdle,
    Silent
};

// One entry of toolResponse.functionResponses. `id` must echo toolCall.functionCalls[i].id.
struct FunctionResponse
{
    QString id;
    QString name;
    QJsonObject response; // convention: {"output": ...} or {"error": "..."}
    std::optional<FunctionResponseScheduling> scheduling;
};

// Every encoder returns one compact JSON object with exactly one top-level key (camelCase), ready
// for QWebSocket::sendTextMessage.
// Refuses an empty or malformed model id and invalid function names (code "bad_setup").
Parsed<QByteArray> encodeSetup(const LiveSetup &setup);
QByteArray encodeRealtimeAudio(const QByteArray &pcm16le, int sampleRate = 16000);
// Socket bytes per PCM byte of the audio messages the console sends (one per 20 ms phone chunk:
// base64 JSON in a masked text frame with a 16-bit length), ~1.46: to express audio in what it
// costs on an AI socket's queue, and back.
double realtimeAudioWireBytesPerPcmByte();
QByteArray encodeRealtimeVideo(const QByteArray &jpeg);
QByteArray encodeRealtimeText(const QString &text);
QByteArray encodeAudioStreamEnd();
QByteArray encodeActivityStart();
QByteArray encodeActivityEnd();
// Refuses an empty list or a response without id or name (code "bad_tool_response").
Parsed<QByteArray> encodeToolResponse(const QList<FunctionResponse> &responses);

// "x" -> "models/x"; "models/x" and "projects/p/locations/l/publishers/google/models/x" (Vertex)
// unchanged.
QString modelResourceName(const QString &model);

// ---------------------------------------------------------------------------------------------
// Server -> client

struct InlineData
{
    QString mimeType;
    QByteArray data;    // decoded bytes
    int sampleRate = 0; // audio/*: the rate= parameter, default 24000; 0 for other types
};

struct Part
{
    QString text;
    bool thought = false; // a thought summary, never the answer
    std::optional<InlineData> inlineData;
};

struct Transcription
{
    QString text;
    bool finished = false;
    QString languageCode; // BCP-47, when the server says (3.x); speakerLabel, words, offsets unused
};

// serverContent.interactionStatus (extended-thinking models): whether the model is still
// working on its turn. REQUIRES_ACTION, deprecated, reads as Idle.
enum class InteractionStatus
{
    Unspecified,
    InProgress,
    Idle
};

// voiceActivity {voiceActivityType, audioOffset}: the server's own VAD events. Logged only: our
// own endpointing stays authoritative (issue 21).
struct VoiceActivity
{
    QString type;              // e.g. ACTIVITY_START / ACTIVITY_END
    qint64 audioOffsetMs = -1; // -1: not given
};

struct ServerContent
{
    QList<Part> parts; // modelTurn.parts, in order; parts of unknown kinds are skipped
    bool turnComplete = false;
    bool generationComplete = false;
    bool interrupted = false;
    bool waitingForInput = false;
    std::optional<Transcription> inputTranscription;
    std::optional<Transcription> outputTranscription;
    // The input transcript so far, before the server settles it (3.x): shown as partial text.
    std::optional<Transcription> interimInputTranscription;
    QString turnCompleteReason; // MALFORMED_FUNCTION_CALL, NEED_MORE_INPUT, ...
    InteractionStatus interactionStatus = InteractionStatus::Unspecified;
};

struct FunctionCall
{
    QString id;
    QString name;
    QJsonObject args;
};

struct ToolCall
{
    QList<FunctionCall> functionCalls;
};

struct SessionResumptionUpdate
{
    QString newHandle;
    bool resumable = false;
    // With sessionResumption.transparent (Vertex): the index of the last client message of this
    // connection that the state behind newHandle includes (0 = setup, see docs/GEMINI.md).
    std::optional<qint64> lastConsumedClientMessageIndex;
};

struct UsageMetadata
{
    qint64 promptTokenCount = 0;
    qint64 responseTokenCount = 0; // Vertex: candidatesTokenCount
    qint64 totalTokenCount = 0;
    qint64 thoughtsTokenCount = 0;
    qint64 cachedContentTokenCount = 0;
    qint64 toolUsePromptTokenCount = 0;
};

// In-band error object (shape UNCONFIRMED, §5.8): {"error":{"code","message","status"}}.
struct ServerError
{
    int code = 0;
    QString message;
    QString status;
};

// One decoded server message. Several members can be set at once (usageMetadata rides along
// with anything; Gemini 3.x bundles). Consumers must look at every member.
struct ServerMessage
{
    bool setupComplete = false;
    QString sessionId; // setupComplete.sessionId (3.x), for logs and support requests
    std::optional<ServerContent> serverContent;
    std::optional<ToolCall> toolCall;
    std::optional<QStringList> toolCallCancellation; // ids
    std::optional<qint64> goAwayTimeLeftMs;          // goAway present; -1 if timeLeft missing
    std::optional<SessionResumptionUpdate> sessionResumptionUpdate;
    std::optional<UsageMetadata> usageMetadata;
    std::optional<ServerError> error;
    std::optional<VoiceActivity> voiceActivity;
    QString vadSignal;       // voiceActivityDetectionSignal.vadSignalType
    QStringList unknownKeys; // top-level keys that were ignored (names only, for logs)
    // Known fields with a value we could not read ("field 'PATH' why"), ignored while the rest of
    // the message was kept, as the SDK does.
    QStringList ignoredFields;

    bool hasKnownContent() const;
};

// Decodes one server frame (text or binary, the bytes are UTF-8 JSON). Errors: "too_large",
// "bad_json" (invalid, or not an object). Leniently, like Google's SDK: unknown fields are
// ignored (top-level ones named in unknownKeys), and a known field with a wrong type or bad
// base64 is ignored with its JSON path in ignoredFields while the rest of the message is kept
// (a part whose audio is not base64 is dropped, a function call without a name is kept so it
// can be answered with an error).
Parsed<ServerMessage> decodeServerMessage(const QByteArray &bytes, qsizetype maxBytes);

// Lenient base64: standard or URL-safe alphabet, padding optional, whitespace ignored.
std::optional<QByteArray> decodeBase64Lenient(const QString &text);

// "50s", "9.5s", "0.250s" (proto Duration) -> milliseconds, rounded. A bare number is seconds.
// At most 999999999999.999 s: longer text is refused, so formatDuration output always parses.
std::optional<qint64> parseDurationMs(const QString &text);
QString formatDuration(qint64 ms); // 50000 -> "50s", 9500 -> "9.500s"

// rate= parameter of an audio mime type; `fallback` when absent or unusable.
int sampleRateFromMimeType(const QString &mimeType, int fallback = 24000);

} // namespace dispatch::gemini
