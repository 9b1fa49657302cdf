#include "gemini/livemessages.h"

#include "common/jsonfields.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

// Decoding what the Live API sends: server messages and the value formats inside them. The
// encoding half is in livemessages.cpp.

namespace dispatch::gemini {

using json::FieldReader;

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

// Bounded by the message size (decodeServerMessage's maxBytes), not per field.
constexpr qsizetype Unbounded = std::numeric_limits<qsizetype>::max();

void readTranscription(FieldReader &content, const QJsonObject &sc, QLatin1String key,
                       std::optional<Transcription> &out)
{
    const auto t = content.object(sc, key);
    if (!t)
        return;
    FieldReader r = content.nested(key);
    Transcription tr;
    tr.text = r.string(*t, QLatin1String("text"), Unbounded).value_or(QString());
    tr.finished = r.boolean(*t, QLatin1String("finished")).value_or(false);
    tr.languageCode = r.string(*t, QLatin1String("languageCode"), 64).value_or(QString());
    content.merge(r);
    out = tr;
}

std::optional<InlineData> readInlineData(FieldReader &part, const QJsonObject &po)
{
    const auto inl = part.object(po, QLatin1String("inlineData"));
    if (!inl)
        return std::nullopt;
    FieldReader r = part.nested(QLatin1String("inlineData"));
    InlineData d;
    d.mimeType = r.string(*inl, QLatin1String("mimeType"), Unbounded).value_or(QString());
    const QString b64 = r.string(*inl, QLatin1String("data"), Unbounded).value_or(QString());
    const auto bytes = decodeBase64Lenient(b64);
    if (!bytes)
        r.fail(QLatin1String("data"), QStringLiteral("is not base64"));
    part.merge(r);
    if (!bytes)
        return std::nullopt; // the part is dropped: its bytes are not audio
    d.data = *bytes;
    if (d.mimeType.startsWith(QLatin1String("audio/"), Qt::CaseInsensitive))
        d.sampleRate = sampleRateFromMimeType(d.mimeType);
    return d;
}

void readModelTurn(FieldReader &content, const QJsonObject &sc, QList<Part> &out)
{
    const auto turn = content.object(sc, QLatin1String("modelTurn"));
    if (!turn)
        return;
    FieldReader r = content.nested(QLatin1String("modelTurn"));
    const QList<QJsonObject> parts = r.objects(*turn, QLatin1String("parts"), Unbounded);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        FieldReader pr = r.item(QLatin1String("parts"), i);
        const QJsonObject &po = parts.at(i);
        Part p;
        const auto text = pr.string(po, QLatin1String("text"), Unbounded);
        p.text = text.value_or(QString());
        p.thought = pr.boolean(po, QLatin1String("thought")).value_or(false);
        p.inlineData = readInlineData(pr, po);
        r.merge(pr);
        if (text || p.inlineData)
            out.append(p);
    }
    content.merge(r);
}

ServerContent readServerContent(FieldReader &top, const QJsonObject &sc)
{
    FieldReader r = top.nested(QLatin1String("serverContent"));
    ServerContent c;
    readModelTurn(r, sc, c.parts);
    c.turnComplete = r.boolean(sc, QLatin1String("turnComplete")).value_or(false);
    c.generationComplete = r.boolean(sc, QLatin1String("generationComplete")).value_or(false);
    c.interrupted = r.boolean(sc, QLatin1String("interrupted")).value_or(false);
    c.waitingForInput = r.boolean(sc, QLatin1String("waitingForInput")).value_or(false);
    c.turnCompleteReason =
        r.string(sc, QLatin1String("turnCompleteReason"), Unbounded).value_or(QString());
    readTranscription(r, sc, QLatin1String("inputTranscription"), c.inputTranscription);
    readTranscription(r, sc, QLatin1String("outputTranscription"), c.outputTranscription);
    readTranscription(r, sc, QLatin1String("interimInputTranscription"),
                      c.interimInputTranscription);
    const QString status = r.string(sc, QLatin1String("interactionStatus"), 64).value_or(QString());
    if (status == QLatin1String("IN_PROGRESS"))
        c.interactionStatus = InteractionStatus::InProgress;
    else if (status == QLatin1String("IDLE") || status == QLatin1String("REQUIRES_ACTION"))
        c.interactionStatus = InteractionStatus::Idle;
    top.merge(r);
    return c;
}

ToolCall readToolCall(FieldReader &top, const QJsonObject &tc)
{
    FieldReader r = top.nested(QLatin1String("toolCall"));
    ToolCall call;
    const QList<QJsonObject> calls = r.objects(tc, QLatin1String("functionCalls"), Unbounded);
    for (qsizetype i = 0; i < calls.size(); ++i) {
        FieldReader fr = r.item(QLatin1String("functionCalls"), i);
        const QJsonObject &fo = calls.at(i);
        FunctionCall f;
        f.id = fr.string(fo, QLatin1String("id"), Unbounded).value_or(QString());
        f.name = fr.string(fo, QLatin1String("name"), Unbounded).value_or(QString());
        f.args = fr.object(fo, QLatin1String("args")).value_or(QJsonObject());
        if (f.name.isEmpty())
            fr.fail(QLatin1String("name"), QStringLiteral("is required"));
        r.merge(fr);
        call.functionCalls.append(f);
    }
    top.merge(r);
    return call;
}

QStringList readCancelledIds(FieldReader &top, const QJsonObject &cancellation)
{
    FieldReader r = top.nested(QLatin1String("toolCallCancellation"));
    QStringList list;
    const QJsonArray ids =
        r.array(cancellation, QLatin1String("ids"), Unbounded).value_or(QJsonArray());
    for (const auto &id : ids) {
        if (id.isString())
            list.append(id.toString());
        else
            r.fail(QLatin1String("ids"), QStringLiteral("must hold strings"));
    }
    top.merge(r);
    return list;
}

qint64 readGoAwayTimeLeft(FieldReader &top, const QJsonObject &goAway)
{
    FieldReader r = top.nested(QLatin1String("goAway"));
    qint64 ms = -1;
    const QJsonValue t = goAway.value(QLatin1String("timeLeft"));
    if (t.isString()) {
        if (const auto parsed = parseDurationMs(t.toString()))
            ms = *parsed;
        else
            r.fail(QLatin1String("timeLeft"), QStringLiteral("is not a duration"));
    } else if (const double s = t.toDouble();
               t.isDouble() && std::isfinite(s) && s >= 0 && s * 1000.0 <= double(MaxDurationMs)) {
        // Bounded first: llround of 1e300 s is out of range and came out negative.
        ms = std::min(std::llround(s * 1000.0), MaxDurationMs);
    } else if (!t.isUndefined() && !t.isNull()) {
        r.fail(QLatin1String("timeLeft"), QStringLiteral("is not a duration"));
    }
    top.merge(r);
    return ms;
}

SessionResumptionUpdate readResumption(FieldReader &top, const QJsonObject &o)
{
    FieldReader r = top.nested(QLatin1String("sessionResumptionUpdate"));
    SessionResumptionUpdate u;
    u.newHandle = r.string(o, QLatin1String("newHandle"), Unbounded).value_or(QString());
    u.resumable = r.boolean(o, QLatin1String("resumable")).value_or(false);
    if (FieldReader::present(o, QLatin1String("lastConsumedClientMessageIndex")))
        u.lastConsumedClientMessageIndex =
            r.protoCount(o, QLatin1String("lastConsumedClientMessageIndex"));
    top.merge(r);
    return u;
}

UsageMetadata readUsage(FieldReader &top, const QJsonObject &u)
{
    FieldReader r = top.nested(QLatin1String("usageMetadata"));
    UsageMetadata m;
    auto count = [&](const char *key) { return r.protoCount(u, QLatin1String(key)).value_or(0); };
    m.promptTokenCount = count("promptTokenCount");
    m.responseTokenCount = FieldReader::present(u, QLatin1String("responseTokenCount"))
                               ? count("responseTokenCount")
                               : count("candidatesTokenCount");
    m.totalTokenCount = count("totalTokenCount");
    m.thoughtsTokenCount = count("thoughtsTokenCount");
    m.cachedContentTokenCount = count("cachedContentTokenCount");
    m.toolUsePromptTokenCount = count("toolUsePromptTokenCount");
    top.merge(r);
    return m;
}

ServerError readError(FieldReader &top, const QJsonObject &o)
{
    const QJsonValue e = o.value(QLatin1String("error"));
    ServerError err;
    if (e.isString()) {
        err.message = e.toString();
        return err;
    }
    if (!e.isObject()) {
        top.fail(QLatin1String("error"), QStringLiteral("must be an object"));
        return err;
    }
    const QJsonObject eo = e.toObject();
    FieldReader r = top.nested(QLatin1String("error"));
    if (const auto code = r.protoCount(eo, QLatin1String("code")))
        err.code = static_cast<int>(std::min<qint64>(*code, std::numeric_limits<int>::max()));
    err.message = r.string(eo, QLatin1String("message"), Unbounded).value_or(QString());
    err.status = r.string(eo, QLatin1String("status"), Unbounded).value_or(QString());
    top.merge(r);
    return err;
}

VoiceActivity readVoiceActivity(FieldReader &top, const QJsonObject &o)
{
    FieldReader r = top.nested(QLatin1String("voiceActivity"));
    VoiceActivity v;
    v.type = r.string(o, QLatin1String("voiceActivityType"), 64).value_or(QString());
    const auto offset = r.string(o, QLatin1String("audioOffset"), 64);
    if (offset) {
        if (const auto ms = parseDurationMs(*offset))
            v.audioOffsetMs = *ms;
        else
            r.fail(QLatin1String("audioOffset"), QStringLiteral("is not a duration"));
    }
    top.merge(r);
    return v;
}

} // namespace

bool ServerMessage::hasKnownContent() const
{
    return setupComplete || serverContent || toolCall || toolCallCancellation || goAwayTimeLeftMs ||
           sessionResumptionUpdate || usageMetadata || error || voiceActivity ||
           !vadSignal.isEmpty();
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
        QStringLiteral("usageMetadata"), QStringLiteral("error"),
        QStringLiteral("voiceActivity"), QStringLiteral("voiceActivityDetectionSignal")};

    FieldReader r;
    ServerMessage m;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (!known.contains(it.key()))
            m.unknownKeys.append(it.key());
    }
    if (const auto setup = r.object(o, QLatin1String("setupComplete"))) {
        m.setupComplete = true;
        FieldReader sr = r.nested(QLatin1String("setupComplete"));
        m.sessionId = sr.string(*setup, QLatin1String("sessionId"), 256).value_or(QString());
        r.merge(sr);
    }
    if (const auto sc = r.object(o, QLatin1String("serverContent")))
        m.serverContent = readServerContent(r, *sc);
    if (const auto tc = r.object(o, QLatin1String("toolCall")))
        m.toolCall = readToolCall(r, *tc);
    if (const auto c = r.object(o, QLatin1String("toolCallCancellation")))
        m.toolCallCancellation = readCancelledIds(r, *c);
    if (const auto g = r.object(o, QLatin1String("goAway")))
        m.goAwayTimeLeftMs = readGoAwayTimeLeft(r, *g);
    if (const auto u = r.object(o, QLatin1String("sessionResumptionUpdate")))
        m.sessionResumptionUpdate = readResumption(r, *u);
    if (const auto u = r.object(o, QLatin1String("usageMetadata")))
        m.usageMetadata = readUsage(r, *u);
    if (FieldReader::present(o, QLatin1String("error")))
        m.error = readError(r, o);
    if (const auto v = r.object(o, QLatin1String("voiceActivity")))
        m.voiceActivity = readVoiceActivity(r, *v);
    if (const auto v = r.object(o, QLatin1String("voiceActivityDetectionSignal"))) {
        FieldReader vr = r.nested(QLatin1String("voiceActivityDetectionSignal"));
        m.vadSignal = vr.string(*v, QLatin1String("vadSignalType"), 64).value_or(QString());
        r.merge(vr);
    }
    for (const ProtocolError &fault : r.faults())
        m.ignoredFields.append(fault.message);
    return m;
}

} // namespace dispatch::gemini
