#include "gemini/livemessages.h"

#include "common/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
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

QJsonObject blob(const QString &mimeType, const QByteArray &data)
{
    return QJsonObject{{QStringLiteral("mimeType"), mimeType},
                       {QStringLiteral("data"), QString::fromLatin1(data.toBase64())}};
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
    if (m.startsWith(QLatin1String("models/")))
        return m;
    return QStringLiteral("models/") + m;
}

Parsed<QByteArray> encodeSetup(const LiveSetup &setup)
{
    const QString model = modelResourceName(setup.model);
    static const QRegularExpression modelRe(
        QStringLiteral("^models/[A-Za-z0-9][A-Za-z0-9._\\-]*$"));
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
    return compact(
        realtimeInput(QStringLiteral("audio"),
                      blob(QStringLiteral("audio/pcm;rate=%1").arg(sampleRate), pcm16le)));
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
    return compact(
        realtimeInput(QStringLiteral("video"), blob(QStringLiteral("image/jpeg"), jpeg)));
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

// ---------------------------------------------------------------------------------------------
// Decoding

std::optional<QByteArray> decodeBase64Lenient(const QString &text)
{
    QByteArray b;
    b.reserve(text.size() + 3);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == ' ' || u == '\n' || u == '\r' || u == '\t')
            continue;
        if (u == '-')
            b.append('+');
        else if (u == '_')
            b.append('/');
        else if (u < 128)
            b.append(static_cast<char>(u));
        else
            return std::nullopt;
    }
    while (b.endsWith('='))
        b.chop(1);
    if (b.size() % 4 == 1)
        return std::nullopt;
    while (b.size() % 4 != 0)
        b.append('=');
    auto result = QByteArray::fromBase64Encoding(b, QByteArray::Base64Encoding |
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

namespace {
// The longest duration parseDurationMs reads ("999999999999.999s"); anything longer is refused,
// so that every accepted duration formats back to text that parses.
constexpr qint64 MaxDurationMs = 999'999'999'999'999;
} // namespace

std::optional<qint64> parseDurationMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,12})(?:\\.(\\d{1,9}))?s?\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 seconds = m.captured(1).toLongLong();
    QString frac = m.captured(2);
    frac = QString(frac + QStringLiteral("0000")).left(4); // millis + one rounding digit
    qint64 ms = seconds * 1000 + frac.left(3).toLongLong();
    if (frac.at(3) >= QLatin1Char('5'))
        ++ms;
    if (ms > MaxDurationMs)
        return std::nullopt;
    return ms;
}

QString formatDuration(qint64 ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1.%2s").arg(ms / 1000).arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

int sampleRateFromMimeType(const QString &mimeType, int fallback)
{
    const auto params = mimeType.split(QLatin1Char(';'));
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QString p = params.at(i).trimmed();
        if (!p.startsWith(QLatin1String("rate="), Qt::CaseInsensitive))
            continue;
        bool ok = false;
        const int rate = p.mid(5).trimmed().toInt(&ok);
        if (ok && rate >= 1000 && rate <= 192000)
            return rate;
    }
    return fallback;
}

namespace {

// Reads known fields and remembers the first type error with its JSON path.
class FieldReader
{
public:
    std::optional<ProtocolError> error;

    static QString join(const QString &path, QLatin1String key)
    {
        return path.isEmpty() ? QString(key) : path + QLatin1Char('.') + key;
    }

    void fail(const QString &path, const QString &why)
    {
        if (!error)
            error = ProtocolError{QStringLiteral("bad_field"),
                                  QStringLiteral("field '%1' %2").arg(path, why)};
    }

    static bool present(const QJsonObject &o, QLatin1String key)
    {
        const auto it = o.constFind(key);
        return it != o.constEnd() && !it->isNull();
    }

    bool boolean(const QJsonObject &o, QLatin1String key, const QString &path, bool &out)
    {
        if (!present(o, key))
            return false;
        const QJsonValue v = o.value(key);
        if (!v.isBool()) {
            fail(join(path, key), QStringLiteral("must be true or false"));
            return false;
        }
        out = v.toBool();
        return true;
    }

    bool string(const QJsonObject &o, QLatin1String key, const QString &path, QString &out)
    {
        if (!present(o, key))
            return false;
        const QJsonValue v = o.value(key);
        if (!v.isString()) {
            fail(join(path, key), QStringLiteral("must be a string"));
            return false;
        }
        out = v.toString();
        return true;
    }

    bool object(const QJsonObject &o, QLatin1String key, const QString &path, QJsonObject &out)
    {
        if (!present(o, key))
            return false;
        const QJsonValue v = o.value(key);
        if (!v.isObject()) {
            fail(join(path, key), QStringLiteral("must be an object"));
            return false;
        }
        out = v.toObject();
        return true;
    }

    bool array(const QJsonObject &o, QLatin1String key, const QString &path, QJsonArray &out)
    {
        if (!present(o, key))
            return false;
        const QJsonValue v = o.value(key);
        if (!v.isArray()) {
            fail(join(path, key), QStringLiteral("must be an array"));
            return false;
        }
        out = v.toArray();
        return true;
    }

    // int64 in proto3 JSON: a number or a decimal string.
    bool int64(const QJsonObject &o, QLatin1String key, const QString &path, qint64 &out)
    {
        if (!present(o, key))
            return false;
        const QJsonValue v = o.value(key);
        bool ok = false;
        qint64 n = 0;
        if (v.isDouble()) {
            const double d = v.toDouble();
            ok = std::isfinite(d) && d >= 0 && d < 9.0e15 && std::floor(d) == d;
            n = ok ? static_cast<qint64>(d) : 0;
        } else if (v.isString()) {
            n = v.toString().toLongLong(&ok);
            ok = ok && n >= 0;
        }
        if (!ok) {
            fail(join(path, key), QStringLiteral("must be a non-negative integer"));
            return false;
        }
        out = n;
        return true;
    }
};

void readTranscription(FieldReader &r, const QJsonObject &sc, QLatin1String key,
                       std::optional<Transcription> &out)
{
    QJsonObject t;
    const QString path = QStringLiteral("serverContent.") + key;
    if (!r.object(sc, key, QStringLiteral("serverContent"), t))
        return;
    Transcription tr;
    r.string(t, QLatin1String("text"), path, tr.text);
    r.boolean(t, QLatin1String("finished"), path, tr.finished);
    out = tr;
}

std::optional<ServerContent> readServerContent(FieldReader &r, const QJsonObject &sc)
{
    ServerContent c;
    const QString path = QStringLiteral("serverContent");
    QJsonObject turn;
    if (r.object(sc, QLatin1String("modelTurn"), path, turn)) {
        QJsonArray parts;
        r.array(turn, QLatin1String("parts"), path + QStringLiteral(".modelTurn"), parts);
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QString partPath = QStringLiteral("serverContent.modelTurn.parts[%1]").arg(i);
            if (!parts.at(i).isObject()) {
                r.fail(partPath, QStringLiteral("must be an object"));
                break;
            }
            const QJsonObject po = parts.at(i).toObject();
            Part p;
            const bool hasText = r.string(po, QLatin1String("text"), partPath, p.text);
            r.boolean(po, QLatin1String("thought"), partPath, p.thought);
            QJsonObject inl;
            if (r.object(po, QLatin1String("inlineData"), partPath, inl)) {
                const QString inlPath = partPath + QStringLiteral(".inlineData");
                InlineData d;
                r.string(inl, QLatin1String("mimeType"), inlPath, d.mimeType);
                QString b64;
                r.string(inl, QLatin1String("data"), inlPath, b64);
                const auto bytes = decodeBase64Lenient(b64);
                if (!bytes)
                    r.fail(inlPath + QStringLiteral(".data"), QStringLiteral("is not base64"));
                else
                    d.data = *bytes;
                if (d.mimeType.startsWith(QLatin1String("audio/"), Qt::CaseInsensitive))
                    d.sampleRate = sampleRateFromMimeType(d.mimeType);
                p.inlineData = d;
            }
            if (hasText || p.inlineData)
                c.parts.append(p);
        }
    }
    r.boolean(sc, QLatin1String("turnComplete"), path, c.turnComplete);
    r.boolean(sc, QLatin1String("generationComplete"), path, c.generationComplete);
    r.boolean(sc, QLatin1String("interrupted"), path, c.interrupted);
    r.boolean(sc, QLatin1String("waitingForInput"), path, c.waitingForInput);
    r.string(sc, QLatin1String("turnCompleteReason"), path, c.turnCompleteReason);
    readTranscription(r, sc, QLatin1String("inputTranscription"), c.inputTranscription);
    readTranscription(r, sc, QLatin1String("outputTranscription"), c.outputTranscription);
    return c;
}

ToolCall readToolCall(FieldReader &r, const QJsonObject &tc)
{
    ToolCall call;
    QJsonArray calls;
    r.array(tc, QLatin1String("functionCalls"), QStringLiteral("toolCall"), calls);
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QString path = QStringLiteral("toolCall.functionCalls[%1]").arg(i);
        if (!calls.at(i).isObject()) {
            r.fail(path, QStringLiteral("must be an object"));
            break;
        }
        const QJsonObject fo = calls.at(i).toObject();
        FunctionCall f;
        r.string(fo, QLatin1String("id"), path, f.id);
        r.string(fo, QLatin1String("name"), path, f.name);
        r.object(fo, QLatin1String("args"), path, f.args);
        if (f.name.isEmpty())
            r.fail(path + QStringLiteral(".name"), QStringLiteral("is required"));
        call.functionCalls.append(f);
    }
    return call;
}

UsageMetadata readUsage(FieldReader &r, const QJsonObject &u)
{
    const QString path = QStringLiteral("usageMetadata");
    UsageMetadata m;
    r.int64(u, QLatin1String("promptTokenCount"), path, m.promptTokenCount);
    if (!r.int64(u, QLatin1String("responseTokenCount"), path, m.responseTokenCount))
        r.int64(u, QLatin1String("candidatesTokenCount"), path, m.responseTokenCount);
    r.int64(u, QLatin1String("totalTokenCount"), path, m.totalTokenCount);
    r.int64(u, QLatin1String("thoughtsTokenCount"), path, m.thoughtsTokenCount);
    r.int64(u, QLatin1String("cachedContentTokenCount"), path, m.cachedContentTokenCount);
    r.int64(u, QLatin1String("toolUsePromptTokenCount"), path, m.toolUsePromptTokenCount);
    return m;
}

} // namespace

bool ServerMessage::hasKnownContent() const
{
    return setupComplete || serverContent || toolCall || toolCallCancellation || goAwayTimeLeftMs ||
           sessionResumptionUpdate || usageMetadata || error;
}

Parsed<ServerMessage> decodeServerMessage(const QByteArray &bytes, qsizetype maxBytes)
{
    auto parsed = json::parseObject(bytes, maxBytes);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = parsed.value();

    static const QStringList known{
        QStringLiteral("setupComplete"), QStringLiteral("serverContent"),
        QStringLiteral("toolCall"),      QStringLiteral("toolCallCancellation"),
        QStringLiteral("goAway"),        QStringLiteral("sessionResumptionUpdate"),
        QStringLiteral("usageMetadata"), QStringLiteral("error")};

    FieldReader r;
    ServerMessage m;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (!known.contains(it.key()))
            m.unknownKeys.append(it.key());
    }

    QJsonObject obj;
    if (r.object(o, QLatin1String("setupComplete"), QString(), obj))
        m.setupComplete = true;
    if (r.object(o, QLatin1String("serverContent"), QString(), obj))
        m.serverContent = readServerContent(r, obj);
    if (r.object(o, QLatin1String("toolCall"), QString(), obj))
        m.toolCall = readToolCall(r, obj);
    if (r.object(o, QLatin1String("toolCallCancellation"), QString(), obj)) {
        QJsonArray ids;
        QStringList list;
        r.array(obj, QLatin1String("ids"), QStringLiteral("toolCallCancellation"), ids);
        for (const auto &id : std::as_const(ids)) {
            if (!id.isString()) {
                r.fail(QStringLiteral("toolCallCancellation.ids"),
                       QStringLiteral("must hold strings"));
                break;
            }
            list.append(id.toString());
        }
        m.toolCallCancellation = list;
    }
    if (r.object(o, QLatin1String("goAway"), QString(), obj)) {
        m.goAwayTimeLeftMs = -1;
        const QJsonValue t = obj.value(QLatin1String("timeLeft"));
        if (t.isString()) {
            if (const auto ms = parseDurationMs(t.toString()))
                m.goAwayTimeLeftMs = *ms;
            else
                r.fail(QStringLiteral("goAway.timeLeft"), QStringLiteral("is not a duration"));
        } else if (const double s = t.toDouble(); t.isDouble() && std::isfinite(s) && s >= 0 &&
                                                  s * 1000.0 <= double(MaxDurationMs)) {
            // Bounded first: llround of 1e300 s is out of range and came out negative.
            m.goAwayTimeLeftMs = std::min(std::llround(s * 1000.0), MaxDurationMs);
        } else if (!t.isUndefined() && !t.isNull()) {
            r.fail(QStringLiteral("goAway.timeLeft"), QStringLiteral("is not a duration"));
        }
    }
    if (r.object(o, QLatin1String("sessionResumptionUpdate"), QString(), obj)) {
        SessionResumptionUpdate u;
        r.string(obj, QLatin1String("newHandle"), QStringLiteral("sessionResumptionUpdate"),
                 u.newHandle);
        r.boolean(obj, QLatin1String("resumable"), QStringLiteral("sessionResumptionUpdate"),
                  u.resumable);
        m.sessionResumptionUpdate = u;
    }
    if (r.object(o, QLatin1String("usageMetadata"), QString(), obj))
        m.usageMetadata = readUsage(r, obj);
    if (FieldReader::present(o, QLatin1String("error"))) {
        const QJsonValue e = o.value(QLatin1String("error"));
        ServerError err;
        if (e.isString()) {
            err.message = e.toString();
        } else if (e.isObject()) {
            const QJsonObject eo = e.toObject();
            qint64 code = 0;
            if (r.int64(eo, QLatin1String("code"), QStringLiteral("error"), code))
                err.code =
                    static_cast<int>(std::min<qint64>(code, std::numeric_limits<int>::max()));
            r.string(eo, QLatin1String("message"), QStringLiteral("error"), err.message);
            r.string(eo, QLatin1String("status"), QStringLiteral("error"), err.status);
        } else {
            r.fail(QStringLiteral("error"), QStringLiteral("must be an object"));
        }
        m.error = err;
    }

    if (r.error)
        return *r.error;
    return m;
}

} // namespace dispatch::gemini
