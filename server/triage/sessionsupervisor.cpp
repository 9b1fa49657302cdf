#include "triage/sessionsupervisor.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcSupervisor, "dispatch.gemini")

constexpr qsizetype MaxPendingTexts = 20;
constexpr int ClosingSocketTimeoutMs = 5000;

TriageOutputConfig outputConfig(const SupervisorConfig &c)
{
    return {c.triage.model, c.triage.textReports, c.prearrival, c.repeatedTranscriptMs, c.clock};
}

} // namespace

SessionSupervisor::SessionSupervisor(SupervisorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_output(outputConfig(m_config))
    , m_audio(static_cast<qsizetype>(m_config.replayBufferMs) * 32)
{
    connect(&m_output, &TriageOutput::reportProduced, this, [this](const TriageReport &r) {
        if (!m_stats.firstReportAt.isValid())
            m_stats.firstReportAt = r.producedAt;
        ++m_stats.reports;
        m_config.counters.report();
        Q_EMIT reportProduced(r);
    });
    connect(&m_output, &TriageOutput::criticalFlagged, this,
            [this](const QString &reason, int severity) {
                ++m_stats.criticalFlags;
                m_config.counters.criticalFlag();
                Q_EMIT criticalFlagged(reason, severity);
            });
    connect(&m_output, &TriageOutput::transcriptProduced, this,
            &SessionSupervisor::transcriptProduced);
    connect(&m_output, &TriageOutput::prearrivalOffered, this,
            &SessionSupervisor::prearrivalOffered);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SessionSupervisor::connectNext);
    m_endTimer.setSingleShot(true);
    connect(&m_endTimer, &QTimer::timeout, this, [this] {
        closeAll();
        setState(State::Finished);
        Q_EMIT finished();
    });
    m_vitalsTimer.setSingleShot(true);
    connect(&m_vitalsTimer, &QTimer::timeout, this, &SessionSupervisor::sendVitalsIfDue);
}

SessionSupervisor::~SessionSupervisor()
{
    // Children: the sessions abort their sockets in their destructors.
    if (m_active)
        m_active->disconnect(this);
    if (m_pending.session)
        m_pending.session->disconnect(this);
}

qint64 SessionSupervisor::nowMs() const
{
    return m_config.clock().toMSecsSinceEpoch();
}

int SessionSupervisor::openConnections() const
{
    return (m_active ? 1 : 0) + (m_pending.session ? 1 : 0);
}

bool SessionSupervisor::isLive() const
{
    return m_active && m_active->state() == LiveSession::State::Live;
}

void SessionSupervisor::setState(State state, const QString &detail)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcSupervisor) << "supervisor" << state << detail;
    Q_EMIT stateChanged(state, detail);
}

void SessionSupervisor::start(const MediaBacklog &backlog)
{
    if (m_state != State::Idle)
        return;
    m_stats.startedAt = m_config.clock();
    m_outageSinceMs = nowMs(); // not live yet: the outage limit covers the first connection too
    for (const QByteArray &pcm : backlog.audio()) {
        m_audio.append(pcm);
        m_stats.audioBytesIn += pcm.size();
    }
    if (!backlog.frames().isEmpty())
        m_latestFrame = backlog.frames().constLast();
    setState(State::Connecting);
    connectNext();
}

// Opens the next connection: with the handle (resuming the session) or, before the first handle,
// a fresh session that gets all the held audio.
void SessionSupervisor::connectNext()
{
    if (m_state == State::Failed || m_state == State::Finished || m_state == State::Ending ||
        m_pending.session)
        return;
    m_pending.handle = m_handle;
    m_pending.replayFrom = m_handle.isEmpty() ? m_audio.startOffset() : m_handleOffset;
    m_pending.session = openConnection(m_handle);
}

LiveSession *SessionSupervisor::openConnection(const QString &handle)
{
    LiveSessionConfig c = m_config.connection;
    c.setup = buildTriageSetup(m_config.triage, m_output.tools(), handle);
    c.counters = m_config.counters;
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
    connect(session, &LiveSession::serverContentReceived, &m_output, &TriageOutput::addContent);
    connect(session, &LiveSession::usageReported, this, &SessionSupervisor::onUsage);
    connect(session, &LiveSession::closed, session, &QObject::deleteLater);
    if (!session->open()) {
        // Invalid endpoint or setup: no connection will ever work.
        session->deleteLater();
        session->disconnect(this);
        QMetaObject::invokeMethod(
            this,
            [this] {
                fail({CloseKind::Final, CloseCategory::BadRequest,
                      tr("The AI session is misconfigured (endpoint or model).")},
                     tr("invalid endpoint or setup"));
            },
            Qt::QueuedConnection);
        return nullptr;
    }
    return session;
}

void SessionSupervisor::onSetupCompleted(LiveSession *session)
{
    if (session != m_pending.session)
        return;
    if (m_state == State::Ending || m_state == State::Failed || m_state == State::Finished) {
        retire(session);
        m_pending = {};
        return;
    }
    LiveSession *old = m_active;
    const bool handover = old != nullptr;
    const bool resumed = !handover && m_state == State::Resuming;
    const qint64 from = m_pending.replayFrom;
    m_active = session;
    m_handle = m_pending.handle;
    m_handleOffset = from;
    m_pending = {};
    m_attempt = 0;
    m_outageSinceMs = -1;

    // Replay: the audio since what the handle covers, then live audio continues from the end.
    qint64 replayed = 0;
    const QList<QByteArray> chunks = m_audio.since(from);
    for (const QByteArray &pcm : chunks) {
        if (!session->sendAudio(pcm))
            break;
        replayed += pcm.size();
    }
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
    m_output.connectionSwitched(duplicate > 0);

    if (handover) {
        ++m_stats.handovers;
        m_config.counters.handover();
        retire(old);
    } else if (resumed) {
        ++m_stats.resumes;
        m_config.counters.resumed();
    }
    qCInfo(lcSupervisor) << "connection live:"
                         << (handover  ? "hand-over"
                             : resumed ? "resumed"
                                       : "new")
                         << "replayed" << replayed << "bytes (" << duplicate << "duplicate)";
    setState(State::Live, handover  ? tr("handed over to a new connection")
                          : resumed ? tr("resumed")
                                    : QString());
    if (!m_latestFrame.isEmpty()) {
        if (session->sendVideoFrame(m_latestFrame)) {
            m_lastFrameMs = nowMs();
            ++m_stats.framesSent;
            m_config.counters.frame(true);
        }
        m_latestFrame.clear();
    }
    flushPendingTexts();
    sendVitalsIfDue();
}

void SessionSupervisor::onClosed(LiveSession *session, const CloseClassification &classification)
{
    session->disconnect(this);
    const bool wasPending = session == m_pending.session;
    const bool wasActive = session == m_active;
    if (!wasPending && !wasActive)
        return;
    m_lastClose = classification;
    if (m_state == State::Ending || m_state == State::Failed || m_state == State::Finished) {
        if (wasActive)
            m_active = nullptr;
        if (wasPending)
            m_pending = {};
        return;
    }

    if (wasPending) {
        const QString triedHandle = m_pending.handle;
        m_pending = {};
        ++m_attempt;
        ++m_stats.failedAttempts;
        m_config.counters.attemptFailed();
        if (classification.kind == CloseKind::Final) {
            // A rejected handle (the server's code for it is UNCONFIRMED; the fake uses 1007):
            // start a fresh session once, replaying what is held.
            if (!triedHandle.isEmpty() && classification.category == CloseCategory::BadRequest) {
                qCWarning(lcSupervisor) << "resumption refused; starting a fresh session";
                m_handle.clear();
                scheduleRetry();
                return;
            }
            fail(classification, classification.humanReadable);
            return;
        }
        scheduleRetry();
        return;
    }

    // The active connection ended.
    m_active = nullptr;
    // The setup was accepted, so the session itself is sound: one refused message (e.g. a tool
    // response racing its cancellation; the real handling of that is UNCONFIRMED) must not end
    // the call's AI. Resume; the same again beyond the allowance is final.
    const bool refusedMessage = classification.kind == CloseKind::Final &&
                                classification.category == CloseCategory::BadRequest &&
                                m_midSessionRefusals < m_config.maxMidSessionRefusals;
    if (refusedMessage) {
        ++m_midSessionRefusals;
        qCWarning(lcSupervisor) << "a message was refused mid-session; resuming";
    } else if (classification.kind == CloseKind::Final) {
        fail(classification, classification.humanReadable);
        return;
    }
    m_outageSinceMs = nowMs();
    setState(State::Resuming, classification.humanReadable);
    if (m_pending.session)
        return; // a hand-over connection is already on its way
    scheduleRetry();
}

void SessionSupervisor::scheduleRetry()
{
    const auto &policy = m_config.reconnect;
    const bool outageTooLong =
        m_outageSinceMs >= 0 && nowMs() - m_outageSinceMs > policy.maxOutageMs;
    if (m_attempt >= policy.maxAttempts || outageTooLong) {
        CloseClassification gaveUp = m_lastClose;
        gaveUp.kind = CloseKind::Final;
        fail(gaveUp, tr("gave up reconnecting after %n attempt(s): %1", nullptr, m_attempt)
                         .arg(m_lastClose.humanReadable));
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

void SessionSupervisor::onGoAway(LiveSession *session, qint64 timeLeftMs)
{
    if (session != m_active || m_state != State::Live)
        return;
    qCInfo(lcSupervisor) << "goAway: handing over with" << timeLeftMs << "ms left";
    setState(State::HandingOver, tr("connection time limit: handing over"));
    connectNext();
}

void SessionSupervisor::onHandle(LiveSession *session, const QString &handle, bool resumable)
{
    if (session != m_active || !resumable || handle.isEmpty())
        return;
    m_handle = handle;
    m_handleOffset =
        std::max(m_handleOffset, m_sentOffset - bytesForMs(std::max(0, m_config.replayMarginMs)));
    releaseCoveredAudio();
}

void SessionSupervisor::releaseCoveredAudio()
{
    qint64 keepFrom = m_handle.isEmpty() ? m_audio.startOffset() : m_handleOffset;
    if (m_pending.session)
        keepFrom = std::min(keepFrom, m_pending.replayFrom);
    m_audio.releaseBefore(keepFrom);
}

void SessionSupervisor::onToolCall(LiveSession *session, const ToolCall &call)
{
    const QList<FunctionResponse> responses = m_output.answer(call);
    m_stats.toolCalls += static_cast<int>(responses.size());
    for (qsizetype i = 0; i < responses.size(); ++i)
        m_config.counters.toolCall();
    if (!responses.isEmpty())
        session->sendToolResponse(responses);
}

void SessionSupervisor::onUsage(const UsageMetadata &usage)
{
    m_stats.promptTokens += usage.promptTokenCount;
    m_stats.responseTokens += usage.responseTokenCount;
    m_stats.totalTokens += usage.totalTokenCount;
    m_config.counters.tokens(usage.promptTokenCount, usage.responseTokenCount,
                             usage.totalTokenCount);
}

void SessionSupervisor::addAudio(const QByteArray &pcm16k)
{
    if (m_state == State::Idle || m_state == State::Ending || m_state == State::Failed ||
        m_state == State::Finished || pcm16k.isEmpty())
        return;
    const qint64 overflowBefore = m_audio.overflowBytes();
    m_audio.append(pcm16k);
    m_stats.audioBytesIn += pcm16k.size();
    if (const qint64 dropped = m_audio.overflowBytes() - overflowBefore) {
        m_stats.overflowBytes += dropped;
        m_config.counters.overflow(dropped);
    }
    if (isLive())
        sendAudioNow();
    // Otherwise it waits in the buffer and is replayed when a connection is live.
}

void SessionSupervisor::sendAudioNow(bool force)
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
        if (!m_active->sendAudio(chunk))
            break;
        offset += chunk.size();
        m_sentOffset = offset;
        m_stats.audioBytesSent += chunk.size();
        m_config.counters.audioSent(chunk.size());
    }
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

void SessionSupervisor::addFrame(const QByteArray &jpeg)
{
    const qint64 now = nowMs();
    const bool due = m_lastFrameMs < 0 || now - m_lastFrameMs >= m_config.frameIntervalMs;
    if (!isLive()) {
        m_latestFrame = jpeg; // the newest one goes first when a connection is live
        return;
    }
    if (!due || !m_active->sendVideoFrame(jpeg)) {
        ++m_stats.framesSkipped;
        m_config.counters.frame(false);
        return;
    }
    m_lastFrameMs = now;
    ++m_stats.framesSent;
    m_config.counters.frame(true);
}

void SessionSupervisor::addVitals(const VitalsSample &vitals)
{
    const auto confident = confidentVitals(vitals, m_config.vitals);
    if (!confident)
        return; // low-confidence readings are not evidence
    if (!vitalsChangedMeaningfully(*confident, m_vitalsTold, m_config.vitals)) {
        m_vitalsPending.reset();
        return;
    }
    m_vitalsPending = confident;
    sendVitalsIfDue();
}

void SessionSupervisor::sendVitalsIfDue()
{
    if (!m_vitalsPending || !isLive())
        return;
    const qint64 now = nowMs();
    const qint64 wait = m_lastVitalsMs < 0 ? 0 : m_lastVitalsMs + m_config.vitalsIntervalMs - now;
    if (wait > 0) {
        if (!m_vitalsTimer.isActive())
            m_vitalsTimer.start(static_cast<int>(std::min<qint64>(wait, 3600000)));
        return;
    }
    if (!m_active->sendText(vitalsText(*m_vitalsPending)))
        return;
    m_vitalsTold = m_vitalsPending;
    m_vitalsPending.reset();
    m_lastVitalsMs = now;
    ++m_stats.vitalsSent;
    m_config.counters.vitalsSent();
}

void SessionSupervisor::addCallerText(const QString &text)
{
    const QString t = text.trimmed().left(2000);
    if (t.isEmpty() || m_state == State::Idle || m_state == State::Ending ||
        m_state == State::Failed || m_state == State::Finished)
        return;
    m_pendingTexts.append(QStringLiteral("[caller typed] ") + t);
    while (m_pendingTexts.size() > MaxPendingTexts)
        m_pendingTexts.removeFirst();
    flushPendingTexts();
}

void SessionSupervisor::flushPendingTexts()
{
    while (isLive() && !m_pendingTexts.isEmpty()) {
        if (!m_active->sendText(m_pendingTexts.constFirst()))
            return;
        m_pendingTexts.removeFirst();
    }
}

void SessionSupervisor::finish()
{
    switch (m_state) {
    case State::Ending:
    case State::Finished:
        return;
    case State::Failed:
    case State::Idle:
        closeAll();
        setState(State::Finished);
        Q_EMIT finished();
        return;
    default:
        break;
    }
    m_retryTimer.stop();
    m_vitalsTimer.stop();
    if (m_pending.session) {
        retire(m_pending.session);
        m_pending = {};
    }
    if (!isLive()) {
        closeAll();
        setState(State::Finished);
        Q_EMIT finished();
        return;
    }
    sendAudioNow(true); // audio held for a slow link goes before the end of the stream
    m_active->sendAudioStreamEnd();
    setState(State::Ending);
    m_endTimer.start(std::max(0, m_config.endGraceMs));
}

void SessionSupervisor::fail(const CloseClassification &classification, const QString &detail)
{
    if (m_state == State::Failed || m_state == State::Finished)
        return;
    qCWarning(lcSupervisor) << "session failed:" << toString(classification.category) << detail;
    m_retryTimer.stop();
    m_vitalsTimer.stop();
    closeAll();
    m_config.counters.sessionFailed(classification.category);
    setState(State::Failed, detail);
    Q_EMIT failed(classification, detail);
}

// Closes a connection we no longer use, letting its queue drain and its close handshake finish
// in the background. It deletes itself once closed, or at the deadline (aborting and counting
// whatever is still queued).
void SessionSupervisor::retire(LiveSession *session)
{
    if (!session)
        return;
    session->disconnect(this);
    if (session->state() == LiveSession::State::Closed) {
        session->deleteLater();
        return;
    }
    session->close();
    if (session->state() == LiveSession::State::Closed)
        return; // closed() already scheduled its deletion
    int deadlineMs = ClosingSocketTimeoutMs;
    if (session->isDraining()) {
        // The supervisor is deleted right after finished(), and its children with it: a draining
        // connection must outlive it. Nothing waits for it at shutdown (no event loop then).
        session->setParent(nullptr);
        deadlineMs += std::max(0, session->config().drainTimeoutMs);
    }
    QTimer::singleShot(deadlineMs, session, &QObject::deleteLater);
}

void SessionSupervisor::closeAll()
{
    LiveSession *active = m_active;
    LiveSession *pending = m_pending.session;
    m_active = nullptr;
    m_pending = {};
    retire(active);
    retire(pending);
}

} // namespace dispatch::gemini
