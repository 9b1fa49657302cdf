#include "gemini/livesupervisor.h"

#include "common/logsafe.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcSupervisor, "dispatch.gemini")

} // namespace

LiveSupervisor::LiveSupervisor(LiveSupervisorConfig config, LiveSetupBuilder setup,
                               ToolRegistry tools, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_setup(std::move(setup))
    , m_tools(std::move(tools))
    , m_audio(static_cast<qsizetype>(m_config.replayBufferMs) * 32)
    , m_activity(m_config.voiceActivity)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &LiveSupervisor::connectNext);
    m_endTimer.setSingleShot(true);
    connect(&m_endTimer, &QTimer::timeout, this, &LiveSupervisor::end);
    if (m_config.tokens) {
        connect(m_config.tokens.get(), &AccessTokenProvider::tokenChanged, this,
                &LiveSupervisor::onTokenReady);
        connect(m_config.tokens.get(), &AccessTokenProvider::exchangeFailed, this,
                &LiveSupervisor::onTokenFailed);
    }
}

LiveSupervisor::~LiveSupervisor()
{
    // Children: the sessions abort their sockets in their destructors.
    if (m_active)
        m_active->disconnect(this);
    if (m_pending.session)
        m_pending.session->disconnect(this);
}

qint64 LiveSupervisor::nowMs() const
{
    return m_config.monotonic();
}

int LiveSupervisor::openConnections() const
{
    return (m_active ? 1 : 0) + (m_pending.session ? 1 : 0);
}

bool LiveSupervisor::isLive() const
{
    return m_active && m_active->state() == LiveSession::State::Live;
}

bool LiveSupervisor::isOver() const
{
    return m_state == State::Ending || m_state == State::Failed || m_state == State::Finished;
}

void LiveSupervisor::setState(State state, Cause cause, const QString &detail)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcSupervisor).noquote() << "call" << m_config.connection.callId << "session"
                                   << code(state) << code(cause) << detail;
    Q_EMIT stateChanged(state, cause, detail);
}

void LiveSupervisor::start(const QList<QByteArray> &backlogPcm)
{
    if (m_state != State::Idle)
        return;
    m_stats.startedAt = m_config.clock();
    m_outageSinceMs = nowMs(); // not live yet: the outage limit covers the first connection too
    for (const QByteArray &pcm : backlogPcm) {
        m_activity.feed(pcm, m_audio.append(pcm));
        m_stats.audioBytesIn += pcm.size();
    }
    setState(State::Connecting, Cause::Started);
    connectNext();
}

// Opens the next connection: with the handle (resuming the session) or, before the first handle,
// a fresh session that gets all the held audio.
void LiveSupervisor::connectNext()
{
    if (isOver() || m_pending.session)
        return;
    if (backend() == LiveBackend::Vertex && !haveToken())
        return; // onTokenReady() / onTokenFailed() go on
    if (m_config.models && m_handleModel != m_config.models->current())
        m_handle.clear(); // another call left the model: a handle belongs to the one that issued it
    m_pending.handle = m_handle;
    m_pending.replayFrom = m_handle.isEmpty() ? m_audio.startOffset() : m_handleOffset;
    m_pending.session = openConnection(m_handle);
}

LiveBackend LiveSupervisor::backend() const
{
    return m_config.connection.backend;
}

LiveSession *LiveSupervisor::openConnection(const QString &handle)
{
    LiveSessionConfig c = m_config.connection;
    c.setup = m_setup ? m_setup(handle) : LiveSetup{};
    c.setup.resumptionHandle = handle;
    c.counters = m_config.counters;
    if (m_config.models)
        c.setup.model = m_config.models->current();
    const ModelCapabilities caps = modelCapabilities(c.setup.model, backend());
    if (caps.isShutDown() || (m_config.models && m_config.models->exhausted())) {
        // The service would refuse it (1008 not found): say so without connecting.
        const QString detail = m_config.models && m_config.models->exhausted()
                                   ? QStringLiteral("every configured model is shut down: %1")
                                         .arg(m_config.models->configured().join(QLatin1Char(',')))
                                   : QStringLiteral("model %1 was shut down on %2")
                                         .arg(c.setup.model, caps.shutDownOn.toString(Qt::ISODate));
        QMetaObject::invokeMethod(
            this,
            [this, detail] {
                fail({CloseKind::Final, CloseCategory::ModelNotFound,
                      QStringLiteral("The configured AI model is shut down.")},
                     Cause::ModelShutDown, detail);
            },
            Qt::QueuedConnection);
        return nullptr;
    }
    if (c.backend == LiveBackend::Vertex) {
        c.bearerToken = m_config.tokens->token(); // haveToken() checked it
        c.setup.transparentResumption = caps.resumption == ResumptionKind::Transparent;
    }
    m_pending.model = c.setup.model;
    m_pending.token = c.bearerToken;
    auto *session = new LiveSession(c, this);
    ++m_stats.connections;
    connect(session, &LiveSession::setupCompleted, this,
            [this, session] { onSetupCompleted(session); });
    connect(session, &LiveSession::closed, this,
            [this, session](int, const QString &, const CloseClassification &cls) {
                onClosed(session, cls);
            });
    connect(session, &LiveSession::goAwayReceived, this,
            [this, session](qint64 ms) { onGoAway(session, ms); });
    connect(session, &LiveSession::resumptionHandleUpdated, this,
            [this, session](const QString &h, bool resumable) { onHandle(session, h, resumable); });
    connect(session, &LiveSession::toolCallReceived, this,
            [this, session](const ToolCall &call) { onToolCall(session, call); });
    connect(session, &LiveSession::serverContentReceived, this,
            &LiveSupervisor::serverContentReceived);
    connect(session, &LiveSession::usageReported, this, &LiveSupervisor::onUsage);
    connect(session, &LiveSession::closed, session, &QObject::deleteLater);
    if (!session->open()) {
        // Invalid endpoint or setup: no connection will ever work.
        session->deleteLater();
        session->disconnect(this);
        QMetaObject::invokeMethod(
            this,
            [this] {
                fail({CloseKind::Final, CloseCategory::BadRequest,
                      QStringLiteral("The AI session is misconfigured (endpoint or model).")},
                     Cause::Misconfigured, QStringLiteral("invalid endpoint or setup"));
            },
            Qt::QueuedConnection);
        return nullptr;
    }
    return session;
}

void LiveSupervisor::onSetupCompleted(LiveSession *session)
{
    if (session != m_pending.session)
        return;
    if (isOver()) {
        retire(session);
        m_pending = {};
        return;
    }
    LiveSession *old = m_active;
    const bool handover = old != nullptr;
    const bool resumed = !handover && m_state == State::Resuming;
    const qint64 from = m_pending.replayFrom;
    const QString model = m_pending.model;
    m_active = session;
    m_handle = m_pending.handle;
    m_handleModel = model;
    m_handleOffset = from;
    m_pending = {};
    m_attempt = 0;
    m_outageSinceMs = -1;
    m_refreshedForRefusal = false;
    if (m_config.models && m_config.models->confirm(model))
        qCInfo(lcSupervisor).noquote() << "model" << m_config.models->describe();

    // Replay: the audio since what the handle covers, then live audio continues from the end.
    qint64 replayed = 0;
    m_transparent = session->config().setup.transparentResumption;
    m_consumed.reset(from);
    qint64 at = std::max(from, m_audio.startOffset());
    beginActivity(session, at);
    const QList<QByteArray> chunks = m_audio.since(from);
    for (const QByteArray &pcm : chunks) {
        if (!sendDueActivity(at, at + pcm.size()) || !session->sendAudio(pcm))
            break;
        replayed += pcm.size();
        at += pcm.size();
        if (m_transparent)
            m_consumed.sent(session->lastSentIndex(), at);
    }
    sendDueActivity(at, at);
    const qint64 alreadySent = std::max<qint64>(0, std::min(m_sentOffset, m_audio.endOffset()) -
                                                       std::max(from, m_audio.startOffset()));
    const qint64 duplicate = std::min(replayed, alreadySent);
    m_sentOffset = m_audio.endOffset();
    m_holdingSinceMs.reset(); // a new connection starts with everything held sent
    m_stats.audioBytesSent += replayed;
    m_stats.replayedBytes += replayed;
    m_stats.duplicateBytes += duplicate;
    m_config.counters.audioSent(replayed);
    m_config.counters.replayed(replayed, duplicate);
    Q_EMIT connectionSwitched(duplicate > 0);

    if (handover) {
        ++m_stats.handovers;
        m_config.counters.handover();
        retire(old);
    } else if (resumed) {
        ++m_stats.resumes;
        m_config.counters.resumed();
    }
    const QString how = handover  ? QStringLiteral("handed over to a new connection")
                        : resumed ? QStringLiteral("resumed")
                                  : QString();
    qCInfo(lcSupervisor).noquote()
        << "call" << m_config.connection.callId
        << "connection live:" << (how.isEmpty() ? QStringLiteral("new") : how) << "replayed"
        << replayed << "bytes (" << duplicate << "duplicate)";
    flushPendingTexts();
    setState(State::Live,
             handover  ? Cause::HandedOver
             : resumed ? Cause::Resumed
                       : Cause::Connected,
             how);
}

void LiveSupervisor::onClosed(LiveSession *session, const CloseClassification &classification)
{
    session->disconnect(this);
    const bool wasPending = session == m_pending.session;
    const bool wasActive = session == m_active;
    if (!wasPending && !wasActive)
        return;
    m_lastClose = classification;
    if (isOver()) {
        if (wasActive)
            m_active = nullptr;
        if (wasPending)
            m_pending = {};
        return;
    }

    if (wasPending) {
        const QString triedHandle = m_pending.handle;
        const QString triedModel = m_pending.model;
        const QString triedToken = m_pending.token;
        m_pending = {};
        ++m_attempt;
        ++m_stats.failedAttempts;
        m_config.counters.attemptFailed();
        if (classification.category == CloseCategory::Credentials &&
            retryWithFreshToken(triedToken))
            return;
        // The model was not found, or the setup was refused (a refused handle is handled below):
        // the next model of the list, at once.
        const bool modelRefused =
            classification.category == CloseCategory::ModelNotFound ||
            (classification.category == CloseCategory::BadRequest && triedHandle.isEmpty());
        if (classification.kind == CloseKind::Final && modelRefused &&
            tryNextModel(triedModel, classification))
            return;
        if (classification.kind == CloseKind::Final) {
            // A rejected handle (the server's code for it is UNCONFIRMED; the fake uses 1007):
            // start a fresh session once, replaying what is held.
            if (!triedHandle.isEmpty() && classification.category == CloseCategory::BadRequest) {
                qCWarning(lcSupervisor) << "resumption refused; starting a fresh session";
                m_handle.clear();
                scheduleRetry();
                return;
            }
            fail(classification, Cause::FinalClose, classification.humanReadable);
            return;
        }
        scheduleRetry();
        return;
    }

    // The active connection ended.
    m_active = nullptr;
    // The setup was accepted, so the session itself is sound: one refused message (e.g. a tool
    // response racing its cancellation; the real handling of that is UNCONFIRMED) must not end
    // the session. Resume; the same again beyond the allowance is final.
    const bool refusedMessage = classification.kind == CloseKind::Final &&
                                classification.category == CloseCategory::BadRequest &&
                                m_midSessionRefusals < m_config.maxMidSessionRefusals;
    if (refusedMessage) {
        ++m_midSessionRefusals;
        qCWarning(lcSupervisor) << "a message was refused mid-session; resuming";
    } else if (classification.kind == CloseKind::Final) {
        fail(classification, Cause::FinalClose, classification.humanReadable);
        return;
    }
    m_outageSinceMs = nowMs();
    setState(State::Resuming, Cause::ConnectionLost, classification.humanReadable);
    if (m_pending.session)
        return; // a hand-over connection is already on its way
    scheduleRetry();
}

bool LiveSupervisor::tryNextModel(const QString &refusedModel,
                                  const CloseClassification &classification)
{
    if (!m_config.models || !m_config.models->refuse(refusedModel, classification.category))
        return false;
    if (m_config.models->current() == refusedModel)
        return false;
    // A handle belongs to the model that issued it: the new model starts a fresh session with
    // everything held. A new model is not a retry of the old one: the attempts start again.
    m_handle.clear();
    m_attempt = 0;
    qCInfo(lcSupervisor).noquote()
        << "call" << m_config.connection.callId << "model" << refusedModel << "refused ("
        << toString(classification.category) << "): connecting with" << m_config.models->current();
    QMetaObject::invokeMethod(this, &LiveSupervisor::connectNext, Qt::QueuedConnection);
    return true;
}

void LiveSupervisor::scheduleRetry()
{
    const auto &policy = m_config.reconnect;
    const bool outageTooLong =
        m_outageSinceMs >= 0 && nowMs() - m_outageSinceMs > policy.maxOutageMs;
    if (m_attempt >= policy.maxAttempts || outageTooLong) {
        CloseClassification gaveUp = m_lastClose;
        gaveUp.kind = CloseKind::Final;
        fail(gaveUp, Cause::RetriesExhausted,
             QStringLiteral("gave up reconnecting after %1 %2: %3")
                 .arg(m_attempt)
                 .arg(m_attempt == 1 ? QStringLiteral("attempt") : QStringLiteral("attempts"),
                      m_lastClose.humanReadable));
        return;
    }
    if (m_retryTimer.isActive())
        return;
    const double r =
        m_config.random ? m_config.random() : QRandomGenerator::global()->generateDouble();
    const int delay = backoffDelayMs(policy, m_attempt + 1, r);
    qCInfo(lcSupervisor) << "reconnecting in" << delay << "ms (attempt" << m_attempt + 1 << ")";
    m_retryTimer.start(delay);
}

void LiveSupervisor::onGoAway(LiveSession *session, qint64 timeLeftMs)
{
    if (session != m_active || m_state != State::Live)
        return;
    setState(State::HandingOver, Cause::GoAway,
             QStringLiteral("connection time limit (%1 ms left): handing over").arg(timeLeftMs));
    connectNext();
}

void LiveSupervisor::onHandle(LiveSession *session, const QString &handle, bool resumable)
{
    if (session != m_active || !resumable || handle.isEmpty())
        return;
    m_handle = handle;
    m_handleModel = session->config().setup.model;
    // Transparent resumption: the handle covers exactly the audio messages up to the consumed
    // index. Otherwise what was in flight is unknown: the margin covers it.
    const std::optional<qint64> consumed = session->lastConsumedIndex();
    if (m_transparent && consumed)
        m_handleOffset = std::max(m_handleOffset, m_consumed.consumed(*consumed));
    else
        m_handleOffset = std::max(m_handleOffset,
                                  m_sentOffset - bytesForMs(std::max(0, m_config.replayMarginMs)));
    releaseCoveredAudio();
}

void LiveSupervisor::releaseCoveredAudio()
{
    qint64 keepFrom = m_handle.isEmpty() ? m_audio.startOffset() : m_handleOffset;
    if (m_pending.session)
        keepFrom = std::min(keepFrom, m_pending.replayFrom);
    m_audio.releaseBefore(keepFrom);
    releaseActivity();
}

void LiveSupervisor::onToolCall(LiveSession *session, const ToolCall &call)
{
    // `session` may be the old connection during a hand-over: the answer goes where the call
    // came from, never to another connection (its ids would be unknown there).
    QPointer<LiveSession> origin(session);
    QList<FunctionResponse> responses;
    // `scheduling` only where the model honours it (3.1 and Vertex refuse or ignore it, §4.3).
    const bool schedules =
        modelCapabilities(session->config().setup.model, backend()).toolResponseScheduling;
    for (const FunctionCall &f : call.functionCalls) {
        ToolInvocation invocation = m_tools.dispatch(f);
        if (m_config.toolResponseScheduling && schedules)
            invocation.response.scheduling = m_config.toolResponseScheduling;
        if (!invocation.handled)
            qCWarning(lcSupervisor).noquote()
                << "call" << m_config.connection.callId << "tool" << logSafe(f.name, 64)
                << "not handled:" << logSafe(invocation.error);
        ++m_stats.toolCalls;
        m_config.counters.toolCall();
        responses.append(invocation.response);
        Q_EMIT toolCallAnswered(invocation);
    }
    if (!responses.isEmpty() && origin)
        origin->sendToolResponse(responses);
}

void LiveSupervisor::onUsage(const UsageMetadata &usage)
{
    m_stats.promptTokens += usage.promptTokenCount;
    m_stats.responseTokens += usage.responseTokenCount;
    m_stats.totalTokens += usage.totalTokenCount;
    m_config.counters.tokens(usage.promptTokenCount, usage.responseTokenCount,
                             usage.totalTokenCount);
    Q_EMIT usageReported(usage);
}

void LiveSupervisor::addAudio(const QByteArray &pcm16k)
{
    if (m_state == State::Idle || isOver() || pcm16k.isEmpty())
        return;
    const qint64 overflowBefore = m_audio.overflowBytes();
    m_activity.feed(pcm16k, m_audio.append(pcm16k));
    m_stats.audioBytesIn += pcm16k.size();
    if (const qint64 dropped = m_audio.overflowBytes() - overflowBefore) {
        m_stats.overflowBytes += dropped;
        m_config.counters.overflow(dropped);
        releaseActivity();
    }
    if (isLive())
        sendAudioNow();
    // Otherwise it waits in the buffer and is replayed when a connection is live.
}

void LiveSupervisor::sendAudioNow(bool force)
{
    // Sends the stream from where the live connection stopped: normally just the newest chunk;
    // after a refused send, or while the socket's queue was over its bound, what waited too.
    const qint64 bound =
        force || m_config.maxQueuedAudioMs <= 0
            ? -1
            : static_cast<qint64>(static_cast<double>(bytesForMs(m_config.maxQueuedAudioMs)) *
                                  realtimeAudioWireBytesPerPcmByte());
    qint64 offset = std::max(m_sentOffset, m_audio.startOffset());
    for (const QByteArray &chunk : m_audio.since(offset)) {
        if (bound >= 0 && m_active->bytesQueued() > bound) {
            if (!m_holdingSinceMs.has_value()) {
                m_holdingSinceMs = nowMs();
                qCWarning(lcSupervisor).noquote()
                    << QStringLiteral("call %1: the AI link does not keep up (%2 bytes queued on "
                                      "its socket): holding audio until it drains")
                           .arg(m_config.connection.callId)
                           .arg(m_active->bytesQueued());
            }
            break;
        }
        if (!sendDueActivity(offset, offset + chunk.size()) || !m_active->sendAudio(chunk))
            break;
        offset += chunk.size();
        m_sentOffset = offset;
        if (m_transparent)
            m_consumed.sent(m_active->lastSentIndex(), offset);
        m_stats.audioBytesSent += chunk.size();
        m_config.counters.audioSent(chunk.size());
    }
    sendDueActivity(m_sentOffset, m_sentOffset);
    if (m_sentOffset < m_audio.endOffset())
        return;
    if (m_holdingSinceMs) {
        qCInfo(lcSupervisor).noquote()
            << QStringLiteral("call %1: the AI link caught up after %2 ms of held audio")
                   .arg(m_config.connection.callId)
                   .arg(nowMs() - *m_holdingSinceMs);
        m_holdingSinceMs.reset();
    }
    m_config.counters.audioRelayed(); // the newest chunk went with this delivery
}

bool LiveSupervisor::sendFrame(const QByteArray &jpeg)
{
    return isLive() && !isOver() && m_active->sendVideoFrame(jpeg);
}

bool LiveSupervisor::sendText(const QString &text)
{
    if (text.isEmpty() || m_state == State::Idle || isOver())
        return false;
    m_pendingTexts.append(text);
    while (m_pendingTexts.size() > std::max(1, m_config.maxQueuedTexts))
        m_pendingTexts.removeFirst();
    flushPendingTexts();
    return true;
}

void LiveSupervisor::flushPendingTexts()
{
    while (isLive() && !m_pendingTexts.isEmpty()) {
        if (!m_active->sendText(m_pendingTexts.constFirst()))
            return;
        m_pendingTexts.removeFirst();
    }
}

void LiveSupervisor::finish()
{
    switch (m_state) {
    case State::Ending:
    case State::Finished:
        return;
    case State::Failed:
    case State::Idle:
        end();
        return;
    default:
        break;
    }
    m_retryTimer.stop();
    if (m_pending.session) {
        retire(m_pending.session);
        m_pending = {};
    }
    if (!isLive()) {
        end();
        return;
    }
    sendAudioNow(true); // audio held for a slow link goes before the end of the stream
    if (m_activeManual)
        endActivity(); // the caller's last words make a turn; audioStreamEnd is AAD-only (§4.1)
    else if (backend() != LiveBackend::Vertex) // audioStreamEnd is Developer-API-only (§1.2)
        m_active->sendAudioStreamEnd();
    setState(State::Ending, Cause::Ending);
    m_endTimer.start(std::max(0, m_config.endGraceMs));
}

void LiveSupervisor::end()
{
    closeAll();
    setState(State::Finished, Cause::Finished);
    Q_EMIT finished();
}

void LiveSupervisor::fail(const CloseClassification &classification, Cause cause,
                          const QString &detail)
{
    if (m_state == State::Failed || m_state == State::Finished)
        return;
    qCWarning(lcSupervisor).noquote()
        << "call" << m_config.connection.callId
        << "session failed:" << toString(classification.category) << detail;
    m_retryTimer.stop();
    closeAll();
    m_config.counters.sessionFailed(classification.category);
    setState(State::Failed, cause, detail);
    Q_EMIT failed(classification, detail);
}

} // namespace dispatch::gemini
