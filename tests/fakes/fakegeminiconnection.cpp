#include "fakegeminiconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QWebSocket>
#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace dispatch::fakes {

namespace {

const QString InvalidArgument = QStringLiteral("Request contains an invalid argument.");

// RFC 6455 allows 123 bytes of reason; cut on a UTF-8 boundary like the real server's truncation.
QString truncateReason(const QString &reason)
{
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= 123)
        return reason;
    utf8.truncate(123);
    while (!utf8.isEmpty() && (static_cast<unsigned char>(utf8.back()) & 0xC0) == 0x80)
        utf8.chop(1);
    if (!utf8.isEmpty() && (static_cast<unsigned char>(utf8.back()) & 0x80))
        utf8.chop(1); // a lead byte whose continuation was cut
    return QString::fromUtf8(utf8);
}

// A 440 Hz tone, s16le mono at 24 kHz: the model's "voice".
QByteArray tone(int ms, int &phase)
{
    const int samples = 24 * ms;
    QByteArray pcm(samples * 2, Qt::Uninitialized);
    for (int i = 0; i < samples; ++i) {
        const double v = 6000.0 * std::sin(2.0 * M_PI * 440.0 * (phase++) / 24000.0);
        qToLittleEndian<qint16>(static_cast<qint16>(v), pcm.data() + 2 * i);
    }
    return pcm;
}

// The fake does its own decoding (not the client's helpers), so a bug cannot cancel itself out.
// Client audio is standard base64 with padding (§0).
std::optional<QByteArray> decodeBase64(const QString &text)
{
    auto r = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return *r;
}

int rateFromMimeType(const QString &mimeType)
{
    const qsizetype at = mimeType.indexOf(QLatin1String("rate="));
    if (at < 0)
        return 16000;
    bool ok = false;
    const int rate = mimeType.mid(at + 5).section(QLatin1Char(';'), 0, 0).trimmed().toInt(&ok);
    return ok && rate >= 8000 && rate <= 48000 ? rate : 16000;
}

QJsonObject serverContent(const QJsonObject &content)
{
    return QJsonObject{{QStringLiteral("serverContent"), content}};
}

} // namespace

FakeGeminiConnection::FakeGeminiConnection(QWebSocket *socket, int id, FakeApiVersion version,
                                           bool authorized, std::optional<FakeFault> faultAtSetup,
                                           FakeGeminiServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_id(id)
    , m_version(version)
    , m_authorized(authorized)
    , m_faultAtSetup(faultAtSetup)
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(
        static_cast<quint64>(server->m_config.maxClientMessageBytes));
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onMessage(text.toUtf8()); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &FakeGeminiConnection::onMessage);
    connect(socket, &QWebSocket::disconnected, this, &FakeGeminiConnection::onDisconnected);

    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &FakeGeminiConnection::runNextStep);
    connect(&m_resumptionTimer, &QTimer::timeout, this,
            &FakeGeminiConnection::sendResumptionUpdate);
    m_lifetimeTimer.setSingleShot(true);
    connect(&m_lifetimeTimer, &QTimer::timeout, this, [this] {
        if (m_server->m_config.goAwayBeforeLifetimeEnd)
            sendGoAway();
        else
            closeWith(1000, QStringLiteral("The operation was cancelled."));
    });
    m_goAwayTimer.setSingleShot(true);
    connect(&m_goAwayTimer, &QTimer::timeout, this,
            [this] { closeWith(1008, QString()); }); // the real reason text is unknown (§5.5)
}

FakeGeminiConnection::~FakeGeminiConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void FakeGeminiConnection::sendRaw(const QByteArray &payload, bool binary)
{
    if (m_closed || !m_socket)
        return;
    if (binary)
        m_socket->sendBinaryMessage(payload);
    else
        m_socket->sendTextMessage(QString::fromUtf8(payload));
}

void FakeGeminiConnection::send(const QJsonObject &message)
{
    // The real server sends every message as UTF-8 JSON in a *binary* frame (§2).
    sendRaw(QJsonDocument(message).toJson(QJsonDocument::Compact), true);
}

void FakeGeminiConnection::closeWith(int code, const QString &reason)
{
    if (m_closed || !m_socket)
        return;
    m_closed = true;
    m_stepTimer.stop();
    m_resumptionTimer.stop();
    m_lifetimeTimer.stop();
    m_goAwayTimer.stop();
    const QString truncated = truncateReason(reason);
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), truncated);
    Q_EMIT m_server->connectionClosed(m_id, code, truncated);
}

void FakeGeminiConnection::onDisconnected()
{
    if (!m_closed) {
        m_closed = true;
        Q_EMIT m_server->connectionClosed(m_id, m_socket ? m_socket->closeCode() : 1006,
                                          m_socket ? m_socket->closeReason() : QString());
    }
    m_stepTimer.stop();
    m_resumptionTimer.stop();
    m_lifetimeTimer.stop();
    m_goAwayTimer.stop();
    deleteLater();
}

void FakeGeminiConnection::onMessage(const QByteArray &bytes)
{
    if (m_closed)
        return;
    if (!m_authorized) {
        applyFault(FakeFault::BadApiKey);
        return;
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        closeWith(1007, QStringLiteral("Invalid JSON payload received. Unexpected token."));
        return;
    }
    auto normalized = normalizeClientMessage(doc.object(), m_version);
    if (!normalized) {
        closeWith(1007, normalized.error().message);
        return;
    }
    const QJsonObject message = normalized.value();
    ++m_messageIndex; // what lastConsumedClientMessageIndex counts (docs/GEMINI.md)
    const QString kind = message.constBegin().key();
    Q_EMIT m_server->clientMessageReceived(m_id, kind);
    const QJsonObject body = message.constBegin().value().toObject();

    if (kind == QLatin1String("setup")) {
        if (m_setupDone) {
            closeWith(1007, InvalidArgument); // a second setup (§0)
            return;
        }
        onSetup(body);
        return;
    }
    if (!m_setupDone) {
        closeWith(1007, InvalidArgument); // the first message must be setup
        return;
    }
    if (kind == QLatin1String("realtimeInput"))
        onRealtimeInput(body);
    else if (kind == QLatin1String("clientContent"))
        onClientContent(body);
    else if (kind == QLatin1String("toolResponse"))
        onToolResponse(body);
}

void FakeGeminiConnection::onSetup(const QJsonObject &setup)
{
    m_setupDone = true;
    const FakeGeminiConfig &config = m_server->m_config;
    Q_EMIT m_server->setupReceived(m_id, setup);

    if (m_faultAtSetup) {
        applyFault(*m_faultAtSetup);
        return;
    }

    QString model = setup.value(QLatin1String("model")).toString();
    if (model.isEmpty()) {
        closeWith(1007, InvalidArgument);
        return;
    }
    const bool vertex = m_version == FakeApiVersion::VertexV1beta1;
    static const QRegularExpression vertexModelRe(
        QStringLiteral("^projects/[^/]+/locations/[^/]+/publishers/google/models/([^/]+)$"));
    if (vertex) {
        m_model = vertexModelRe.match(model).captured(1);
    } else {
        if (!model.startsWith(QLatin1String("models/")))
            model.prepend(QLatin1String("models/"));
        m_model = model.mid(7);
    }
    if (!(vertex ? config.vertexModels : config.models).contains(m_model)) {
        closeWith(1008,
                  QStringLiteral("%1 is not found for API version %2, or is not supported "
                                 "for bidiGenerateContent. Call ListModels to see the list "
                                 "of available models and their supported methods.")
                      .arg(model, m_version == FakeApiVersion::V1alpha ? QStringLiteral("v1alpha")
                                                                       : QStringLiteral("v1beta")));
        return;
    }

    const QJsonObject generation = setup.value(QLatin1String("generationConfig")).toObject();
    const QJsonArray modalities = generation.value(QLatin1String("responseModalities")).toArray();
    if (modalities.size() > 1) {
        closeWith(1007, QStringLiteral("At most one response modality can be specified in the "
                                       "setup request. To enable simultaneous transcription and "
                                       "audio output, please use the output_audio_transcription "
                                       "field."));
        return;
    }
    m_textModality = modalities.size() == 1 && modalities.first().toString().compare(
                                                   QLatin1String("TEXT"), Qt::CaseInsensitive) == 0;
    if (m_textModality && config.nativeAudioModels.contains(m_model)) {
        closeWith(1007, QStringLiteral("Cannot extract voices from a non-audio request."));
        return;
    }
    if (m_textModality && config.textFailsInternallyModels.contains(m_model)) {
        closeWith(1011, QStringLiteral("Internal error encountered."));
        return;
    }

    const QJsonObject realtime = setup.value(QLatin1String("realtimeInputConfig")).toObject();
    m_automaticActivityDetection = !realtime.value(QLatin1String("automaticActivityDetection"))
                                        .toObject()
                                        .value(QLatin1String("disabled"))
                                        .toBool(false);
    m_interruptsOnActivity = realtime.value(QLatin1String("activityHandling")).toString() !=
                             QLatin1String("NO_INTERRUPTION");
    m_turnIncludesAllInput = realtime.value(QLatin1String("turnCoverage")).toString() ==
                             QLatin1String("TURN_INCLUDES_ALL_INPUT");
    m_inputTranscription = setup.contains(QLatin1String("inputAudioTranscription"));
    m_outputTranscription = setup.contains(QLatin1String("outputAudioTranscription"));
    m_resumption = setup.contains(QLatin1String("sessionResumption"));
    m_transparent = setup.value(QLatin1String("sessionResumption"))
                        .toObject()
                        .value(QLatin1String("transparent"))
                        .toBool(false);

    const QString handle = setup.value(QLatin1String("sessionResumption"))
                               .toObject()
                               .value(QLatin1String("handle"))
                               .toString();
    if (!handle.isEmpty()) {
        const auto snapshot = m_server->snapshot(handle);
        // The real close code is UNCONFIRMED (a forum post reports 1007); we use the generic text.
        if (!snapshot || snapshot->model != m_model) {
            closeWith(1007, InvalidArgument);
            return;
        }
        m_userTurns = snapshot->userTurns;
        m_sessionAudio = snapshot->audio;
        if (m_transparent)
            m_server->m_sessionAudio[m_id] = m_sessionAudio;
        Q_EMIT m_server->sessionResumed(m_id, handle, m_userTurns);
    }

    if (!config.answerSetup)
        return;
    send(QJsonObject{{QStringLiteral("setupComplete"), QJsonObject{}}});
    if (m_resumption && config.resumptionUpdateIntervalMs > 0)
        m_resumptionTimer.start(config.resumptionUpdateIntervalMs);
    if (config.connectionLifetimeMs > 0)
        m_lifetimeTimer.start(static_cast<int>(config.connectionLifetimeMs));
}

void FakeGeminiConnection::onRealtimeInput(const QJsonObject &input)
{
    if (input.size() != 1) { // exactly one field per message (§4.1)
        closeWith(1007, InvalidArgument);
        return;
    }
    const QString field = input.constBegin().key();
    const QJsonValue value = input.constBegin().value();
    if (field == QLatin1String("audio")) {
        onAudio(value.toObject());
    } else if (field == QLatin1String("mediaChunks")) {
        const QJsonArray chunks = value.toArray();
        if (!chunks.isEmpty()) // all but the first are ignored (PROTO)
            onAudio(chunks.first().toObject());
    } else if (field == QLatin1String("video")) {
        // Frames are accepted and ignored.
    } else if (field == QLatin1String("text")) {
        userTurnEnded({value.toString(), false, 0});
    } else if (field == QLatin1String("activityStart") || field == QLatin1String("activityEnd")) {
        if (m_automaticActivityDetection) {
            closeWith(1007, QStringLiteral("Explicit activity control is not supported when "
                                           "automatic activity detection is enabled"));
            return;
        }
        const bool start = field == QLatin1String("activityStart");
        Q_EMIT m_server->activityReceived(m_id, start);
        if (m_closed)
            return;
        if (start && !m_explicitActivity) {
            m_explicitActivity = true;
            if (!m_turnIncludesAllInput)
                m_turnAudioMs = 0;
            speechStarted();
        } else if (!start && m_explicitActivity) {
            m_explicitActivity = false;
            userTurnEnded({m_server->nextInputTranscript(), true, m_turnAudioMs});
            m_turnAudioMs = 0;
        }
    } else if (field == QLatin1String("audioStreamEnd")) {
        if (!m_automaticActivityDetection) {
            closeWith(1007, InvalidArgument); // only valid with automatic detection (§9.4)
            return;
        }
        if (m_vad.endTurn())
            userTurnEnded({m_server->nextInputTranscript(), true, m_vad.turnAudioMs()});
    }
}

void FakeGeminiConnection::onAudio(const QJsonObject &blob)
{
    const auto pcm = decodeBase64(blob.value(QLatin1String("data")).toString());
    if (!pcm) {
        closeWith(1007, QStringLiteral("Invalid value at 'realtime_input.audio.data' (TYPE_BYTES), "
                                       "Base64 decoding failed"));
        return;
    }
    const int rate = rateFromMimeType(blob.value(QLatin1String("mimeType")).toString());
    m_server->countAudio(m_id, pcm->size());
    if (m_transparent) {
        m_sessionAudio += *pcm;
        m_server->m_sessionAudio[m_id] = m_sessionAudio;
    }
    Q_EMIT m_server->audioDataReceived(m_id, *pcm);
    const qint64 chunkMs = pcm->size() * 1000 / (2 * rate);
    if (m_audioSinceModelTurnMs >= 0)
        m_audioSinceModelTurnMs += chunkMs;
    if (m_automaticActivityDetection) {
        const FakeGeminiConfig &config = m_server->m_config;
        m_vad.feed(
            *pcm, rate, {config.vadThreshold, config.minSpeechMs, config.endOfTurnSilenceMs},
            [this](FakeEnergyVad::Event event) {
                if (event == FakeEnergyVad::Event::SpeechStarted) {
                    m_speechStartAfterModelTurnMs =
                        m_audioSinceModelTurnMs < 0
                            ? -1
                            : std::max<qint64>(0, m_audioSinceModelTurnMs -
                                                      m_server->m_config.minSpeechMs);
                    speechStarted();
                } else if (!dropsShortAnswer()) {
                    userTurnEnded({m_server->nextInputTranscript(), true, m_vad.turnAudioMs()});
                }
                return !m_closed;
            });
    } else if (m_explicitActivity || m_turnIncludesAllInput) {
        m_turnAudioMs += chunkMs;
    }
}

// The reported server VAD failure (FakeGeminiConfig::dropShortAnswersAfterModelTurn): the turn
// that just ended under automatic detection is lost if it was short and came right after a
// model turn.
bool FakeGeminiConnection::dropsShortAnswer()
{
    const FakeGeminiConfig &config = m_server->m_config;
    const qint64 speechMs = m_vad.turnAudioMs() - config.endOfTurnSilenceMs;
    if (!config.dropShortAnswersAfterModelTurn || m_speechStartAfterModelTurnMs < 0 ||
        m_speechStartAfterModelTurnMs >= config.shortAnswerWindowMs ||
        speechMs >= config.shortAnswerMaxMs)
        return false;
    Q_EMIT m_server->utteranceIgnored(m_id, speechMs);
    return true;
}

void FakeGeminiConnection::speechStarted()
{
    if (m_generating && m_interruptsOnActivity)
        interrupt(); // barge-in (§ fake item 7)
}

void FakeGeminiConnection::interrupt()
{
    m_steps.clear();
    m_stepTimer.stop();
    if (!m_pendingCallIds.isEmpty()) {
        send(QJsonObject{
            {QStringLiteral("toolCallCancellation"),
             QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(m_pendingCallIds)}}}});
        m_pendingCallIds.clear();
    }
    send(serverContent({{QStringLiteral("interrupted"), true}}));
    send(serverContent({{QStringLiteral("turnComplete"), true}})); // no generationComplete
    m_generating = false;
    Q_EMIT m_server->modelTurnInterrupted(m_id);
}

void FakeGeminiConnection::onClientContent(const QJsonObject &content)
{
    if (!content.value(QLatin1String("turnComplete")).toBool())
        return;
    if (m_generating)
        interrupt(); // clientContent interrupts the current generation (§4.2)
    QString text;
    for (const QJsonValue &turn : content.value(QLatin1String("turns")).toArray()) {
        for (const QJsonValue &part : turn.toObject().value(QLatin1String("parts")).toArray())
            text += part.toObject().value(QLatin1String("text")).toString();
    }
    userTurnEnded({text, false, 0});
}

void FakeGeminiConnection::onToolResponse(const QJsonObject &response)
{
    QStringList ids;
    const QJsonArray list = response.value(QLatin1String("functionResponses")).toArray();
    for (const QJsonValue &r : list) {
        const QString id = r.toObject().value(QLatin1String("id")).toString();
        // Real behaviour for unknown ids is UNCONFIRMED (§ fake item 8): we close with the
        // generic invalid-argument text so a client bug cannot go unnoticed.
        if (!m_pendingCallIds.contains(id)) {
            closeWith(1007, InvalidArgument);
            return;
        }
        ids.append(id);
    }
    for (const QString &id : std::as_const(ids))
        m_pendingCallIds.removeAll(id);
    Q_EMIT m_server->toolResponseReceived(m_id, ids, list);
    if (m_pendingCallIds.isEmpty() && m_generating)
        scheduleNextStep();
}

void FakeGeminiConnection::userTurnEnded(PendingTurn turn)
{
    if (m_generating) {
        m_deferredTurns.append(turn); // blocked behind the reply or a pending tool call
        return;
    }
    startModelTurn(turn);
}

void FakeGeminiConnection::startModelTurn(const PendingTurn &turn)
{
    const FakeGeminiConfig &config = m_server->m_config;
    ++m_userTurns;
    Q_EMIT m_server->userTurnEnded(m_id, m_userTurns, turn.transcript);
    if (m_closed)
        return;
    if (turn.fromAudio && m_inputTranscription)
        send(serverContent({{QStringLiteral("inputTranscription"),
                             QJsonObject{{QStringLiteral("text"), turn.transcript},
                                         {QStringLiteral("finished"), true}}}}));

    m_generating = true;
    if (m_resumption) // no handle while generating (§5.6)
        send(QJsonObject{{QStringLiteral("sessionResumptionUpdate"),
                          QJsonObject{{QStringLiteral("newHandle"), QString()},
                                      {QStringLiteral("resumable"), false}}}});

    const QList<FakeToolCall> calls = m_server->scriptedCalls(m_userTurns);
    if (!calls.isEmpty())
        m_steps.append({Step::Kind::ToolCall, {}, {}, calls});

    const QString reply = m_server->nextReply();
    const int chunks = std::max(1, config.replyAudioMs / std::max(1, config.replyChunkMs));
    const QStringList words = reply.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    int phase = 0;
    for (int i = 0; i < chunks; ++i) {
        // Spread the words over the chunks, one transcript message before each audio message.
        const qsizetype from = words.size() * i / chunks;
        const qsizetype to = words.size() * (i + 1) / chunks;
        const QString piece = words.mid(from, to - from).join(QLatin1Char(' '));
        if (m_textModality) {
            if (!piece.isEmpty())
                m_steps.append({Step::Kind::Text, {}, piece + QLatin1Char(' '), {}});
            continue;
        }
        if (m_outputTranscription && !piece.isEmpty())
            m_steps.append({Step::Kind::OutputTranscript, {}, piece + QLatin1Char(' '), {}});
        m_steps.append({Step::Kind::Audio, tone(config.replyChunkMs, phase), {}, {}});
    }
    m_steps.append({Step::Kind::GenerationComplete, {}, {}, {}});
    Step done{Step::Kind::TurnComplete, {}, {}, {}};
    done.text = QString::number(turn.audioMs * 25 / 1000 + turn.transcript.size() / 4 + 10);
    m_steps.append(done);
    scheduleNextStep();
}

void FakeGeminiConnection::startToolCall(const QList<FakeToolCall> &calls)
{
    if (!m_setupDone || m_closed)
        return;
    if (m_generating) {
        // Right after the step in flight, unless already waiting on another call.
        m_steps.prepend({Step::Kind::ToolCall, {}, {}, calls});
        return;
    }
    m_generating = true;
    m_steps = {{Step::Kind::ToolCall, {}, {}, calls},
               {Step::Kind::GenerationComplete, {}, {}, {}},
               {Step::Kind::TurnComplete, {}, QStringLiteral("0"), {}}};
    scheduleNextStep();
}

void FakeGeminiConnection::scheduleNextStep()
{
    if (!m_stepTimer.isActive())
        m_stepTimer.start(m_server->m_config.stepIntervalMs);
}

void FakeGeminiConnection::runNextStep()
{
    if (m_closed || m_steps.isEmpty() || !m_pendingCallIds.isEmpty())
        return;
    const Step step = m_steps.takeFirst();
    const FakeGeminiConfig &config = m_server->m_config;
    switch (step.kind) {
    case Step::Kind::Audio:
        send(serverContent(
            {{QStringLiteral("modelTurn"),
              QJsonObject{{QStringLiteral("parts"),
                           QJsonArray{QJsonObject{
                               {QStringLiteral("inlineData"),
                                QJsonObject{{QStringLiteral("mimeType"),
                                             QStringLiteral("audio/pcm;rate=24000")},
                                            {QStringLiteral("data"),
                                             QString::fromLatin1(step.audio.toBase64())}}}}}}}}}));
        break;
    case Step::Kind::Text:
        send(serverContent(
            {{QStringLiteral("modelTurn"),
              QJsonObject{{QStringLiteral("parts"),
                           QJsonArray{QJsonObject{{QStringLiteral("text"), step.text}}}}}}}));
        break;
    case Step::Kind::OutputTranscript:
        send(serverContent({{QStringLiteral("outputTranscription"),
                             QJsonObject{{QStringLiteral("text"), step.text}}}}));
        break;
    case Step::Kind::ToolCall: {
        QJsonArray functionCalls;
        for (const FakeToolCall &call : step.calls) {
            const QString id = m_server->nextCallId();
            m_pendingCallIds.append(id);
            functionCalls.append(QJsonObject{{QStringLiteral("id"), id},
                                             {QStringLiteral("name"), call.name},
                                             {QStringLiteral("args"), call.args}});
        }
        send(QJsonObject{{QStringLiteral("toolCall"),
                          QJsonObject{{QStringLiteral("functionCalls"), functionCalls}}}});
        Q_EMIT m_server->toolCallSent(m_id, m_pendingCallIds);
        return; // blocked until every id is answered
    }
    case Step::Kind::GenerationComplete:
        send(serverContent({{QStringLiteral("generationComplete"), true}}));
        break;
    case Step::Kind::TurnComplete: {
        const qint64 prompt = step.text.toLongLong();
        const qint64 response = config.replyAudioMs * 25 / 1000;
        send(QJsonObject{
            {QStringLiteral("serverContent"), QJsonObject{{QStringLiteral("turnComplete"), true}}},
            {QStringLiteral("usageMetadata"),
             QJsonObject{{QStringLiteral("promptTokenCount"), prompt},
                         {QStringLiteral("responseTokenCount"), response},
                         {QStringLiteral("totalTokenCount"), prompt + response}}}});
        m_generating = false;
        m_audioSinceModelTurnMs = 0;
        if (m_resumption)
            sendResumptionUpdate();
        Q_EMIT m_server->modelTurnCompleted(m_id, m_userTurns);
        if (!m_closed && !m_generating && !m_deferredTurns.isEmpty())
            startModelTurn(m_deferredTurns.takeFirst());
        return;
    }
    }
    if (!m_closed)
        scheduleNextStep();
}

} // namespace dispatch::fakes
