#include "gemini/livemessages.h"

#include "common/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace dispatch::gemini {

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject oneKey(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{key, value}};
}

QJsonObject realtimeInput(const QString &key, const QJsonValue &value)
{
    return oneKey(QStringLiteral("realtimeInput"), oneKey(key, value));
}

// {"realtimeInput":{KIND:{"data":BASE64,"mimeType":MIME}}}, as QJsonDocument writes it compact.
// `kind` and `mimeType` are ASCII without characters JSON escapes.
QByteArray realtimeBlob(const char *kind, const QByteArray &mimeType, const QByteArray &data)
{
    static constexpr char Open[] = R"({"realtimeInput":{")";
    static constexpr char Data[] = R"(":{"data":")";
    static constexpr char Mime[] = R"(","mimeType":")";
    static constexpr char Close[] = R"("}}})";
    const QByteArray base64 = data.toBase64();
    QByteArray out;
    out.reserve(qsizetype(sizeof Open + std::strlen(kind) + sizeof Data + base64.size() +
                          sizeof Mime + mimeType.size() + sizeof Close));
    out.append(Open).append(kind).append(Data).append(base64).append(Mime).append(mimeType).append(
        Close);
    return out;
}

QString sensitivityName(Sensitivity s, bool start)
{
    const QString prefix =
        start ? QStringLiteral("START_SENSITIVITY_") : QStringLiteral("END_SENSITIVITY_");
    return prefix + (s == Sensitivity::High ? QStringLiteral("HIGH") : QStringLiteral("LOW"));
}

QJsonObject realtimeInputConfigJson(const RealtimeInputConfig &c)
{
    QJsonObject aad{{QStringLiteral("disabled"), !c.automaticActivityDetection}};
    if (c.startOfSpeechSensitivity != Sensitivity::Default)
        aad.insert(QStringLiteral("startOfSpeechSensitivity"),
                   sensitivityName(c.startOfSpeechSensitivity, true));
    if (c.endOfSpeechSensitivity != Sensitivity::Default)
        aad.insert(QStringLiteral("endOfSpeechSensitivity"),
                   sensitivityName(c.endOfSpeechSensitivity, false));
    if (c.prefixPaddingMs)
        aad.insert(QStringLiteral("prefixPaddingMs"), *c.prefixPaddingMs);
    if (c.silenceDurationMs)
        aad.insert(QStringLiteral("silenceDurationMs"), *c.silenceDurationMs);
    QJsonObject o{{QStringLiteral("automaticActivityDetection"), aad}};
    if (c.activityHandling == ActivityHandling::StartOfActivityInterrupts)
        o.insert(QStringLiteral("activityHandling"),
                 QStringLiteral("START_OF_ACTIVITY_INTERRUPTS"));
    else if (c.activityHandling == ActivityHandling::NoInterruption)
        o.insert(QStringLiteral("activityHandling"), QStringLiteral("NO_INTERRUPTION"));
    if (c.turnCoverage == TurnCoverage::OnlyActivity)
        o.insert(QStringLiteral("turnCoverage"), QStringLiteral("TURN_INCLUDES_ONLY_ACTIVITY"));
    else if (c.turnCoverage == TurnCoverage::AllInput)
        o.insert(QStringLiteral("turnCoverage"), QStringLiteral("TURN_INCLUDES_ALL_INPUT"));
    return o;
}

ProtocolError badSetup(const QString &why)
{
    return {QStringLiteral("bad_setup"), why};
}

bool isValidFunctionName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.\\-]{0,63}$"));
    return re.match(name).hasMatch();
}

} // namespace

QString modelResourceName(const QString &model)
{
    const QString m = model.trimmed();
    if (m.startsWith(QLatin1String("models/")) || m.startsWith(QLatin1String("projects/")))
        return m;
    return QStringLiteral("models/") + m;
}

Parsed<QByteArray> encodeSetup(const LiveSetup &setup)
{
    const QString model = modelResourceName(setup.model);
    static const QRegularExpression modelRe(
        QStringLiteral("^(?:projects/[A-Za-z0-9._\\-]+/locations/[A-Za-z0-9\\-]+/publishers/"
                       "google/)?models/[A-Za-z0-9][A-Za-z0-9._\\-]*$"));
    if (!modelRe.match(model).hasMatch())
        return badSetup(QStringLiteral("model id '%1' is empty or malformed").arg(setup.model));

    QJsonObject generation{
        {QStringLiteral("responseModalities"),
         QJsonArray{setup.responseModality == ResponseModality::Audio ? QStringLiteral("AUDIO")
                                                                      : QStringLiteral("TEXT")}}};
    if (setup.temperature)
        generation.insert(QStringLiteral("temperature"), *setup.temperature);
    if (setup.maxOutputTokens)
        generation.insert(QStringLiteral("maxOutputTokens"), *setup.maxOutputTokens);
    if (setup.thinkingBudget)
        generation.insert(QStringLiteral("thinkingConfig"),
                          QJsonObject{{QStringLiteral("thinkingBudget"), *setup.thinkingBudget}});
    if (!setup.voiceName.isEmpty() || !setup.languageCode.isEmpty()) {
        QJsonObject speech;
        if (!setup.voiceName.isEmpty())
            speech.insert(QStringLiteral("voiceConfig"),
                          oneKey(QStringLiteral("prebuiltVoiceConfig"),
                                 oneKey(QStringLiteral("voiceName"), setup.voiceName)));
        if (!setup.languageCode.isEmpty())
            speech.insert(QStringLiteral("languageCode"), setup.languageCode);
        generation.insert(QStringLiteral("speechConfig"), speech);
    }
    for (auto it = setup.extraGenerationConfig.constBegin();
         it != setup.extraGenerationConfig.constEnd(); ++it)
        generation.insert(it.key(), it.value());

    QJsonObject s{{QStringLiteral("model"), model},
                  {QStringLiteral("generationConfig"), generation}};
    if (!setup.systemInstruction.isEmpty())
        s.insert(QStringLiteral("systemInstruction"),
                 oneKey(QStringLiteral("parts"),
                        QJsonArray{oneKey(QStringLiteral("text"), setup.systemInstruction)}));
    if (!setup.functionDeclarations.isEmpty()) {
        QJsonArray decls;
        for (const auto &f : setup.functionDeclarations) {
            if (!isValidFunctionName(f.name))
                return badSetup(QStringLiteral("invalid function name '%1'").arg(f.name));
            QJsonObject d{{QStringLiteral("name"), f.name},
                          {QStringLiteral("description"), f.description}};
            if (!f.parameters.isEmpty())
                d.insert(QStringLiteral("parameters"), f.parameters);
            if (f.nonBlocking)
                d.insert(QStringLiteral("behavior"), QStringLiteral("NON_BLOCKING"));
            decls.append(d);
        }
        s.insert(QStringLiteral("tools"),
                 QJsonArray{oneKey(QStringLiteral("functionDeclarations"), decls)});
    }
    if (setup.realtimeInputConfig)
        s.insert(QStringLiteral("realtimeInputConfig"),
                 realtimeInputConfigJson(*setup.realtimeInputConfig));
    if (setup.inputAudioTranscription)
        s.insert(QStringLiteral("inputAudioTranscription"), QJsonObject{});
    if (setup.outputAudioTranscription)
        s.insert(QStringLiteral("outputAudioTranscription"), QJsonObject{});
    if (setup.sessionResumption || !setup.resumptionHandle.isEmpty()) {
        QJsonObject r;
        if (!setup.resumptionHandle.isEmpty())
            r.insert(QStringLiteral("handle"), setup.resumptionHandle);
        if (setup.transparentResumption)
            r.insert(QStringLiteral("transparent"), true);
        s.insert(QStringLiteral("sessionResumption"), r);
    }
    if (setup.contextWindowCompression.enabled) {
        const auto &c = setup.contextWindowCompression;
        QJsonObject window;
        if (c.targetTokens)
            window.insert(QStringLiteral("targetTokens"), static_cast<double>(*c.targetTokens));
        QJsonObject cwc{{QStringLiteral("slidingWindow"), window}};
        if (c.triggerTokens)
            cwc.insert(QStringLiteral("triggerTokens"), static_cast<double>(*c.triggerTokens));
        s.insert(QStringLiteral("contextWindowCompression"), cwc);
    }
    for (auto it = setup.extraSetupFields.constBegin(); it != setup.extraSetupFields.constEnd();
         ++it)
        s.insert(it.key(), it.value());
    return compact(oneKey(QStringLiteral("setup"), s));
}

QByteArray encodeRealtimeAudio(const QByteArray &pcm16le, int sampleRate)
{
    // The hot path: one message per 20 ms chunk per call. Written directly rather than through
    // a QJsonObject tree (which cost about a sixth of the relay's CPU at 100 calls); the bytes
    // are the same as QJsonDocument's compact form (keys sorted, base64 needs no escaping), and
    // tst_livemessages compares the two.
    return realtimeBlob("audio", QByteArray("audio/pcm;rate=") + QByteArray::number(sampleRate),
                        pcm16le);
}

double realtimeAudioWireBytesPerPcmByte()
{
    static const double ratio = [] {
        constexpr int ChunkBytes = 640;        // 20 ms
        constexpr int FrameHeader = 2 + 2 + 4; // opcode/length, 16-bit length, mask key
        return static_cast<double>(encodeRealtimeAudio(QByteArray(ChunkBytes, 0)).size() +
                                   FrameHeader) /
               ChunkBytes;
    }();
    return ratio;
}

QByteArray encodeRealtimeVideo(const QByteArray &jpeg)
{
    return realtimeBlob("video", "image/jpeg", jpeg);
}

QByteArray encodeRealtimeText(const QString &text)
{
    return compact(realtimeInput(QStringLiteral("text"), text));
}

QByteArray encodeAudioStreamEnd()
{
    return compact(realtimeInput(QStringLiteral("audioStreamEnd"), true));
}

QByteArray encodeActivityStart()
{
    return compact(realtimeInput(QStringLiteral("activityStart"), QJsonObject{}));
}

QByteArray encodeActivityEnd()
{
    return compact(realtimeInput(QStringLiteral("activityEnd"), QJsonObject{}));
}

Parsed<QByteArray> encodeToolResponse(const QList<FunctionResponse> &responses)
{
    if (responses.isEmpty())
        return ProtocolError{QStringLiteral("bad_tool_response"),
                             QStringLiteral("a toolResponse needs at least one function response")};
    QJsonArray list;
    for (const auto &r : responses) {
        if (r.id.isEmpty() || r.name.isEmpty())
            return ProtocolError{QStringLiteral("bad_tool_response"),
                                 QStringLiteral("function response without id or name")};
        QJsonObject o{{QStringLiteral("id"), r.id},
                      {QStringLiteral("name"), r.name},
                      {QStringLiteral("response"), r.response}};
        if (r.scheduling) {
            switch (*r.scheduling) {
            case FunctionResponseScheduling::Interrupt:
                o.insert(QStringLiteral("scheduling"), QStringLiteral("INTERRUPT"));
                break;
            case FunctionResponseScheduling::WhenIdle:
                o.insert(QStringLiteral("scheduling"), QStringLiteral("WHEN_IDLE"));
                break;
            case FunctionResponseScheduling::Silent:
                o.insert(QStringLiteral("scheduling"), QStringLiteral("SILENT"));
                break;
            }
        }
        list.append(o);
    }
    return compact(
        oneKey(QStringLiteral("toolResponse"), oneKey(QStringLiteral("functionResponses"), list)));
}

} // namespace dispatch::gemini
