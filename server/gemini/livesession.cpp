#include "gemini/livesession.h"

#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QWebSocket>

#include <algorithm>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcSession, "dispatch.gemini")

constexpr int AbnormalClose = 1006; // RFC 6455: no close frame was received

// Qt reports a refused upgrade only in the error text ("Unhandled http status code: 429 (...)").
int httpStatusFromError(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("http status code: (\\d{3})"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

} // namespace

LiveSession::LiveSession(LiveSessionConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_setupTimer.setSingleShot(true);
    connect(&m_setupTimer, &QTimer::timeout, this, &LiveSession::onSetupTimeout);
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, [this] { endDrain(false); });
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] { endDrain(false); });
    m_config.counters.track(this);
}

LiveSession::~LiveSession()
{
    m_config.counters.untrack(this);
    if (m_socket) {
        m_socket->disconnect(this);
        countUnsent();
        m_socket->abort();
    }
}

qint64 LiveSession::bytesQueued() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

QString LiveSession::defaultApiVersion(LiveBackend backend)
{
    return backend == LiveBackend::Vertex ? QStringLiteral("v1beta1") : QStringLiteral("v1beta");
}

QString LiveSession::vertexModelPath(const QString &model, const QString &project,
                                     const QString &location)
{
    const QString m = model.trimmed();
    if (m.startsWith(QLatin1String("projects/")))
        return m;
    return QStringLiteral("projects/%1/locations/%2/publishers/google/models/%3")
        .arg(project, location, normalizedModelId(m));
}

QUrl LiveSession::endpointUrl(const QUrl &base, const QString &apiVersion, LiveBackend backend)
{
    QUrl url;
    const QString scheme = base.scheme().toLower();
    if (scheme == QLatin1String("https"))
        url.setScheme(QStringLiteral("wss"));
    else if (scheme == QLatin1String("http"))
        url.setScheme(QStringLiteral("ws"));
    else
        url.setScheme(scheme);
    url.setHost(base.host());
    url.setPort(base.port());
    if (backend == LiveBackend::Vertex)
        url.setPath(
            QStringLiteral("/ws/google.cloud.aiplatform.%1.LlmBidiService/BidiGenerateContent")
                .arg(apiVersion));
    else
        url.setPath(QStringLiteral("/ws/google.ai.generativelanguage.%1.GenerativeService."
                                   "BidiGenerateContent")
                        .arg(apiVersion));
    return url;
}

bool LiveSession::open()
{
    if (m_state != State::Idle)
        return false;
    const bool vertex = m_config.backend == LiveBackend::Vertex;
    const QUrl url = endpointUrl(m_config.endpoint, m_config.apiVersion, m_config.backend);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        qCWarning(lcSession) << "refusing to open: invalid endpoint" << url.toDisplayString();
        return false;
    }
    static const QRegularExpression versionRe(QStringLiteral("^v[0-9a-z]{1,12}$"));
    if (!versionRe.match(m_config.apiVersion).hasMatch()) {
        qCWarning(lcSession) << "refusing to open: invalid API version" << m_config.apiVersion;
        return false;
    }
    if (vertex) {
        static const QRegularExpression segmentRe(QStringLiteral("^[A-Za-z0-9._\\-]{1,63}$"));
        if (m_config.bearerToken.isEmpty() || !segmentRe.match(m_config.vertexProject).hasMatch() ||
            !segmentRe.match(m_config.vertexLocation).hasMatch()) {
            qCWarning(lcSession) << "refusing to open: Vertex needs a token, project and location";
            return false;
        }
        m_config.setup.model =
            vertexModelPath(m_config.setup.model, m_config.vertexProject, m_config.vertexLocation);
    }
    auto setup = encodeSetup(m_config.setup);
    if (!setup) {
        qCWarning(lcSession) << "refusing to open:" << setup.error().message;
        return false;
    }
    m_setupJson = setup.value();

    QNetworkRequest request(url);
    if (vertex)
        request.setRawHeader(QByteArrayLiteral("Authorization"),
                             "Bearer " + m_config.bearerToken.toUtf8());
    else if (!m_config.apiKey.isEmpty())
        request.setRawHeader(QByteArrayLiteral("x-goog-api-key"), m_config.apiKey.toUtf8());

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // The decoder refuses anything over the configured limit (counted, the session survives);
    // the socket limit only stops a runaway frame from exhausting memory (Qt then closes 1009).
    const auto socketLimit = static_cast<quint64>(m_config.maxInboundMessageBytes) * 2 + 65536;
    m_socket->setMaxAllowedIncomingMessageSize(socketLimit);
    m_socket->setMaxAllowedIncomingFrameSize(socketLimit);

    connect(m_socket, &QWebSocket::connected, this, &LiveSession::onConnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &LiveSession::onFrame);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onFrame(text.toUtf8()); });
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] {
        // Qt also emits this for our own abort() and for a failed upgrade: only a peer close
        // after the upgrade carries a close frame worth reporting.
        if (!m_closeRequested && !m_aborting && m_state != State::Connecting)
            m_closeFrameReceived = true;
        if (m_state != State::Closed)
            setState(State::Closing);
    });
    connect(m_socket, &QWebSocket::disconnected, this, &LiveSession::finish);
    connect(m_socket, &QWebSocket::bytesWritten, this, &LiveSession::onDrainProgress);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(m_socket, &QWebSocket::errorOccurred, this, &LiveSession::onSocketError);
#else
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &LiveSession::onSocketError);
#endif

    qCInfo(lcSession) << "opening" << url.toDisplayString() << "model"
                      << modelResourceName(m_config.setup.model) << "resuming"
                      << !m_config.setup.resumptionHandle.isEmpty();
    setState(State::Connecting);
    if (m_config.setupTimeoutMs > 0)
        m_setupTimer.start(m_config.setupTimeoutMs);
    m_socket->open(request);
    return true;
}

void LiveSession::close()
{
    switch (m_state) {
    case State::Idle:
        m_closeRequested = true;
        finish();
        return;
    case State::Closing:
    case State::Closed:
        return;
    case State::Connecting:
    case State::AwaitingSetupComplete:
    case State::Live:
        break;
    }
    const bool connected = m_socket->state() == QAbstractSocket::ConnectedState;
    m_closeRequested = true;
    setState(State::Closing);
    m_setupTimer.stop();
    const qint64 queued = bytesQueued();
    if (connected && queued > 0 && m_config.drainTimeoutMs > 0) {
        // The close frame would queue behind this data anyway, but whoever deletes the session
        // after a close grace would abort it with the data: let it leave first, bounded.
        qCInfo(lcSession) << "call" << m_config.callId << "draining" << queued
                          << "queued bytes before closing";
        m_drainTimer.start(m_config.drainTimeoutMs);
        m_stallTimer.start(std::max(1, std::min(m_config.drainStallMs, m_config.drainTimeoutMs)));
        return;
    }
    if (connected)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    else
        abortSocket();
    // A socket that never connected may not report disconnected().
    if (m_state != State::Closed && m_socket->state() == QAbstractSocket::UnconnectedState)
        finish();
}

bool LiveSession::sendAudio(const QByteArray &pcm16le, int sampleRate)
{
    return send(encodeRealtimeAudio(pcm16le, sampleRate), pcm16le.size());
}

bool LiveSession::sendVideoFrame(const QByteArray &jpeg)
{
    return send(encodeRealtimeVideo(jpeg));
}

bool LiveSession::sendText(const QString &text)
{
    return send(encodeRealtimeText(text));
}

bool LiveSession::sendAudioStreamEnd()
{
    return send(encodeAudioStreamEnd());
}

bool LiveSession::sendActivityStart()
{
    return send(encodeActivityStart());
}

bool LiveSession::sendActivityEnd()
{
    return send(encodeActivityEnd());
}

bool LiveSession::sendToolResponse(const QList<FunctionResponse> &responses)
{
    auto json = encodeToolResponse(responses);
    if (!json) {
        qCWarning(lcSession) << "tool response refused:" << json.error().message;
        ++m_counters.sendsRefused;
        return false;
    }
    return send(json.value());
}

bool LiveSession::send(const QByteArray &json, qint64 audioBytes)
{
    if (m_state != State::Live) {
        ++m_counters.sendsRefused;
        return false;
    }
    if (m_socket->sendTextMessage(QString::fromUtf8(json)) < 0) {
        ++m_counters.sendsRefused;
        return false;
    }
    // Written now, not on the event loop's next pass: the AI gets the chunk without waiting for
    // a write notification, and the pass costs no notifier toggling (docs/PERFORMANCE.md).
    // What the kernel does not take stays queued and goes out on the notification as before.
    m_socket->flush();
    ++m_counters.messagesSent;
    m_counters.audioBytesSent += audioBytes;
    return true;
}

void LiveSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveSession::onConnected()
{
    if (m_state != State::Connecting)
        return;
    setState(State::AwaitingSetupComplete);
    m_socket->sendTextMessage(QString::fromUtf8(m_setupJson));
    ++m_counters.messagesSent;
}

// What the decoder kept out of a message (unknown fields, unreadable values) and the newer
// messages we follow only in the log: a model update that adds or retypes a field must never
// cost the rest of a message, and must not flood the log either (each path once a connection).
void LiveSession::noteLeniency(const ServerMessage &m)
{
    if (!m.unknownKeys.isEmpty())
        qCDebug(lcSession) << "ignored server fields" << m.unknownKeys;
    m_counters.fieldsIgnored += m.ignoredFields.size();
    for (const QString &field : m.ignoredFields) {
        if (m_loggedFields.size() >= 32 || m_loggedFields.contains(field))
            continue;
        m_loggedFields.insert(field);
        qCWarning(lcSession) << "server field ignored, rest of the message kept:" << field;
    }
    if (!m.sessionId.isEmpty())
        qCInfo(lcSession) << "server session" << m.sessionId;
    if (m.voiceActivity || !m.vadSignal.isEmpty())
        qCDebug(lcSession) << "server voice activity"
                           << (m.voiceActivity ? m.voiceActivity->type : m.vadSignal)
                           << "(our own endpointing decides)";
    if (m.serverContent && !m.serverContent->turnCompleteReason.isEmpty()) {
        const QString &reason = m.serverContent->turnCompleteReason;
        if (!m_loggedFields.contains(reason) && m_loggedFields.size() < 32) {
            m_loggedFields.insert(reason);
            qCInfo(lcSession) << "turn ended by the server:" << reason;
        }
    }
}

void LiveSession::onFrame(const QByteArray &bytes)
{
    if (m_state == State::Closed)
        return;
    ++m_counters.messagesReceived;
    m_counters.bytesReceived += bytes.size();
    auto decoded = decodeServerMessage(bytes, m_config.maxInboundMessageBytes);
    if (!decoded) {
        ++m_counters.messagesRejected;
        qCWarning(lcSession) << "server message rejected (" << bytes.size()
                             << "bytes):" << decoded.error().message;
        Q_EMIT messageRejected(decoded.error());
        return;
    }
    const ServerMessage &m = decoded.value();
    noteLeniency(m);

    if (m.setupComplete) {
        if (m_state == State::AwaitingSetupComplete) {
            m_setupTimer.stop();
            setState(State::Live);
            qCInfo(lcSession) << "setup complete";
            Q_EMIT setupCompleted();
        } else {
            qCWarning(lcSession) << "unexpected setupComplete in state" << m_state;
        }
    }
    if (m.serverContent) {
        for (const Part &p : m.serverContent->parts) {
            if (p.inlineData && p.inlineData->sampleRate > 0)
                m_counters.audioBytesReceived += p.inlineData->data.size();
        }
        Q_EMIT serverContentReceived(*m.serverContent);
    }
    if (m.toolCall) {
        qCInfo(lcSession) << "tool call with" << m.toolCall->functionCalls.size() << "calls";
        Q_EMIT toolCallReceived(*m.toolCall);
    }
    if (m.toolCallCancellation) {
        qCInfo(lcSession) << "tool calls cancelled:" << *m.toolCallCancellation;
        Q_EMIT toolCallCancelled(*m.toolCallCancellation);
    }
    if (m.sessionResumptionUpdate) {
        const auto &u = *m.sessionResumptionUpdate;
        if (u.resumable && !u.newHandle.isEmpty())
            m_resumptionHandle = u.newHandle;
        m_lastConsumedIndex = u.lastConsumedClientMessageIndex;
        Q_EMIT resumptionHandleUpdated(u.newHandle, u.resumable);
    }
    if (m.usageMetadata)
        Q_EMIT usageReported(*m.usageMetadata);
    if (m.goAwayTimeLeftMs) {
        m_goAwayReceived = true;
        qCInfo(lcSession) << "goAway, time left (ms):" << *m.goAwayTimeLeftMs;
        Q_EMIT goAwayReceived(*m.goAwayTimeLeftMs);
    }
    if (m.error) {
        qCWarning(lcSession) << "in-band error" << m.error->code << m.error->status
                             << m.error->message;
        Q_EMIT serverErrorReceived(*m.error);
    }
}

void LiveSession::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_state == State::Closed)
        return;
    m_socketError = m_socket->errorString();
    if (const int status = httpStatusFromError(m_socketError))
        m_httpStatus = status;
    qCInfo(lcSession) << "socket error" << error << m_socketError;
    if (m_state == State::Connecting) {
        // A failed connect or refused upgrade: nothing more will come.
        abortSocket();
        if (m_state != State::Closed)
            finish();
    }
}

void LiveSession::onSetupTimeout()
{
    if (m_state != State::Connecting && m_state != State::AwaitingSetupComplete)
        return;
    qCWarning(lcSession) << "no setupComplete within" << m_config.setupTimeoutMs << "ms";
    m_setupTimedOut = true;
    abortSocket();
    if (m_state != State::Closed)
        finish();
}

void LiveSession::finish()
{
    if (m_state == State::Closed)
        return;
    m_setupTimer.stop();
    m_drainTimer.stop();
    m_stallTimer.stop();
    countUnsent(); // a peer that dropped the connection leaves the queue unsent too

    if (m_setupTimedOut) {
        m_closeCode = AbnormalClose;
        m_closeReason =
            QStringLiteral("no setupComplete within %1 ms").arg(m_config.setupTimeoutMs);
        m_classification = {CloseKind::Retryable, CloseCategory::SetupTimeout,
                            QStringLiteral("The AI service did not answer in time.")};
    } else if (m_closeRequested) {
        m_closeCode = QWebSocketProtocol::CloseCodeNormal;
        m_closeReason.clear();
        m_classification = {CloseKind::Final, CloseCategory::ClosedByClient,
                            QStringLiteral("The AI session was ended.")};
    } else if (m_closeFrameReceived) {
        m_closeCode = m_socket->closeCode();
        m_closeReason = m_socket->closeReason();
        m_classification = classifyClose(m_closeCode, m_closeReason, {m_goAwayReceived});
    } else {
        m_closeCode = AbnormalClose;
        m_closeReason = m_socketError;
        m_classification = m_httpStatus ? classifyHandshakeStatus(m_httpStatus)
                                        : classifyClose(AbnormalClose, m_closeReason);
    }
    if (m_config.backend == LiveBackend::Vertex &&
        m_classification.category == CloseCategory::ApiKey) // the bearer token, not a key
        m_classification = {CloseKind::Final, CloseCategory::Credentials,
                            QStringLiteral("The AI service rejected the Vertex AI access token.")};
    qCInfo(lcSession) << "closed" << m_closeCode << m_closeReason << "->"
                      << toString(m_classification.kind) << toString(m_classification.category);
    setState(State::Closed);
    Q_EMIT closed(m_closeCode, m_closeReason, m_classification);
}

void LiveSession::onDrainProgress()
{
    if (!m_drainTimer.isActive())
        return;
    if (bytesQueued() == 0) {
        endDrain(true);
        return;
    }
    m_stallTimer.start(); // bytes are still leaving: the stall window starts again
}

void LiveSession::endDrain(bool drained)
{
    m_drainTimer.stop();
    m_stallTimer.stop();
    if (m_state == State::Closed)
        return;
    if (drained && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        return;
    }
    // The peer stopped reading: a close frame behind the queue would never be read either.
    qCInfo(lcSession) << "call" << m_config.callId << "drain gave up with" << bytesQueued()
                      << "bytes queued";
    abortSocket();
    if (m_state != State::Closed && m_socket->state() == QAbstractSocket::UnconnectedState)
        finish();
}

void LiveSession::abortSocket()
{
    countUnsent();
    m_aborting = true;
    m_socket->abort();
}

void LiveSession::countUnsent()
{
    if (m_unsentCounted || !m_socket)
        return;
    m_unsentCounted = true;
    const qint64 unsent = m_socket->bytesToWrite();
    if (unsent <= 0)
        return;
    m_config.counters.unsent(unsent);
    qCWarning(lcSession).noquote() << QStringLiteral("call %1: %2 bytes queued for the AI were "
                                                     "never sent (the connection was aborted)")
                                          .arg(m_config.callId)
                                          .arg(unsent);
}

} // namespace dispatch::gemini
