#include "triage/triagerouter.h"

#include "triage/geminitriagebackend.h"

#include <QLoggingCategory>

#include <algorithm>
#include <thread>
#include <utility>

namespace dispatch {

namespace {

Q_LOGGING_CATEGORY(lcRouter, "dispatch.triage.router")

constexpr qsizetype RingFrames = 1;  // the newest frame: Gemini takes one a second anyway
constexpr qsizetype BytesPerMs = 32; // 16 kHz x 16 bit

} // namespace

QString toString(TriageMode mode)
{
    switch (mode) {
    case TriageMode::Local:
        return QStringLiteral("local");
    case TriageMode::Gemini:
        return QStringLiteral("gemini");
    case TriageMode::Auto:
        break;
    }
    return QStringLiteral("auto");
}

std::optional<TriageMode> triageModeFromString(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("local"))
        return TriageMode::Local;
    if (t == QLatin1String("gemini"))
        return TriageMode::Gemini;
    if (t == QLatin1String("auto"))
        return TriageMode::Auto;
    return std::nullopt;
}

struct TriageRouter::Route
{
    MediaBacklog ring;
    QDateTime startedAt;
    bool localStarted = false;  // the local engine has the call (running or stopping)
    bool localStopping = false; // stopped while the call goes on (an upgrade without a slot)
    bool localRestart = false;  // needed again (failover, grace) once the stop completes
    bool localDone = false;
    bool geminiActive = false; // counts against the budget
    bool geminiDone = true;    // no Gemini callFinished outstanding
    bool geminiFailed = false;
    bool waiting = false; // on local because of the budget or the breaker: may be upgraded
    bool ending = false;
    TriageLink geminiLink;
    TriageLink link;
    qint64 notLiveSinceMs = -1;
    std::unique_ptr<QTimer> grace;
    int severity = 0;
    QDateTime firstReportAt;
    int reports = 0;
    std::optional<TriageReport> lastPublished;
    std::optional<TriageReport> lastGemini;
    std::optional<TriageReport> shadowReport; // the local engine's latest
    std::optional<QPair<QString, int>> shadowCritical;
    bool geminiFlagged = false;
    bool localPublishedMeanwhile = false;
    bool shadowSlot = false; // local started as a shadow beside Gemini (counted in the cap)
};

TriageRouter::TriageRouter(TriageRouterConfig config, TriageBackend &local,
                           GeminiTriageBackend *gemini, QObject *parent)
    : TriageBackend(parent)
    , m_config(std::move(config))
    , m_local(local)
    , m_gemini(gemini)
{
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    m_maxShadowCalls = m_config.maxShadowCalls == 0 ? 4 * cores : m_config.maxShadowCalls;
    m_breakerTimer.setSingleShot(true);
    connect(&m_breakerTimer, &QTimer::timeout, this, &TriageRouter::promoteWaiting);

    connect(&local, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                Route *r = route(id);
                if (!r || r->localStopping) // a stopped engine draining: not the call's view
                    return;
                r->shadowReport = report;
                if (localPublishes(*r))
                    publishReport(id, *r, report);
            });
    connect(&local, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                Route *r = route(id);
                if (!r || r->localStopping)
                    return;
                if (localPublishes(*r))
                    publishCritical(id, *r, reason, severity);
                else
                    r->shadowCritical = qMakePair(reason, severity);
            });
    connect(&local, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (Route *r = route(id); r && !r->localStopping && localPublishes(*r))
                    Q_EMIT transcriptProduced(id, segment);
            });
    connect(&local, &TriageBackend::degradedChanged, this, &TriageBackend::degradedChanged);
    connect(&local, &TriageBackend::callFinished, this, &TriageRouter::onLocalFinished);

    if (!m_gemini)
        return;
    connect(m_gemini, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                Route *r = route(id);
                if (!r || !r->geminiActive)
                    return;
                r->lastGemini = report;
                publishReport(id, *r, report);
            });
    connect(m_gemini, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                Route *r = route(id);
                if (!r || !r->geminiActive)
                    return;
                r->geminiFlagged = true;
                publishCritical(id, *r, reason, severity);
            });
    connect(m_gemini, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (Route *r = route(id); r && r->geminiActive)
                    Q_EMIT transcriptProduced(id, segment);
            });
    connect(m_gemini, &TriageBackend::prearrivalOffered, this, &TriageBackend::prearrivalOffered);
    connect(m_gemini, &TriageBackend::linkChanged, this, &TriageRouter::onGeminiLink);
    connect(m_gemini, &GeminiTriageBackend::sessionFailed, this, &TriageRouter::onGeminiFailed);
    connect(m_gemini, &TriageBackend::callFinished, this, &TriageRouter::onGeminiFinished);
}

TriageRouter::~TriageRouter() = default;

TriageRouter::Route *TriageRouter::route(const QString &callId) const
{
    const auto it = m_routes.constFind(callId);
    return it == m_routes.constEnd() ? nullptr : it->get();
}

qint64 TriageRouter::nowMs() const
{
    return m_config.clock().toMSecsSinceEpoch();
}

int TriageRouter::geminiInUse() const
{
    int n = 0;
    for (const auto &r : m_routes)
        n += r->geminiActive ? 1 : 0;
    return n;
}

int TriageRouter::waitingForSlot() const
{
    int n = 0;
    for (const auto &r : m_routes)
        n += r->waiting ? 1 : 0;
    return n;
}

bool TriageRouter::isBreakerOpen() const
{
    return m_breakerUntilMs > nowMs();
}

std::optional<TriageRouter::CallInfo> TriageRouter::callInfo(const QString &callId) const
{
    const Route *r = route(callId);
    if (!r)
        return std::nullopt;
    return CallInfo{r->startedAt,    r->firstReportAt, r->reports,  r->geminiActive,
                    r->geminiFailed, r->waiting,       r->severity, r->link};
}

qsizetype TriageRouter::keptAudioBytes(const QString &callId) const
{
    const Route *r = route(callId);
    return r ? r->ring.audioBytes() : 0;
}

bool TriageRouter::canStartGemini(QString *whyNot) const
{
    if (!m_gemini) {
        *whyNot = m_config.unavailableReason.isEmpty() ? tr("local triage selected")
                                                       : m_config.unavailableReason;
        return false;
    }
    if (isBreakerOpen()) {
        *whyNot = tr("AI unavailable (%1); retrying in %2 s")
                      .arg(m_breakerReason)
                      .arg((m_breakerUntilMs - nowMs() + 999) / 1000);
        return false;
    }
    if (geminiInUse() >= m_config.maxGeminiSessions) {
        *whyNot = tr("waiting for an AI slot (%1 of %2 in use)")
                      .arg(geminiInUse())
                      .arg(m_config.maxGeminiSessions);
        return false;
    }
    return true;
}

void TriageRouter::startCall(const QString &callId, const MediaBacklog &backlog)
{
    if (m_routes.contains(callId)) {
        qCWarning(lcRouter) << "call already started:" << callId;
        return;
    }
    auto owned = std::make_shared<Route>();
    Route &r = *owned;
    r.ring = MediaBacklog(static_cast<qsizetype>(m_config.upgradeAudioMs) * BytesPerMs, RingFrames);
    for (const QByteArray &pcm : backlog.audio())
        r.ring.appendAudio(pcm);
    for (const QByteArray &jpeg : backlog.frames())
        r.ring.appendFrame(jpeg);
    r.startedAt = m_config.clock();
    m_routes.insert(callId, owned);

    QString whyNot;
    const bool gemini = canStartGemini(&whyNot);
    const bool shadow = gemini && m_config.shadowLocal && takeShadowSlot(r);
    if (gemini && m_config.shadowLocal && !shadow)
        qCInfo(lcRouter) << "call" << callId << "has no local shadow: all" << m_maxShadowCalls
                         << "shadow slots are taken (local starts on failover)";
    if (!gemini || shadow)
        startLocal(callId, r, backlog);
    if (gemini) {
        startGemini(callId, r, backlog);
        keepRecentAudio(r);
        return;
    }
    // Budget or breaker: local now, Gemini when possible. No backend or budget 0: local only.
    r.waiting = m_gemini && m_config.maxGeminiSessions > 0;
    keepRecentAudio(r);
    qCInfo(lcRouter) << "call" << callId << "triaged locally:" << whyNot;
    setLink(callId, r, {TriageLinkState::Local, whyNot});
}

bool TriageRouter::localRunning(const Route &r) const
{
    return r.localStarted && !r.localStopping;
}

void TriageRouter::keepRecentAudio(Route &r) const
{
    int ms = 0;
    if (r.waiting)
        ms = m_config.upgradeAudioMs;
    else if (!localRunning(r) && !r.ending)
        ms = m_config.failoverAudioMs;
    r.ring.setMaxAudioBytes(static_cast<qsizetype>(std::max(0, ms)) * BytesPerMs);
}

void TriageRouter::startLocal(const QString &callId, Route &r, const MediaBacklog &media)
{
    if (r.localStopping) {
        r.localRestart = true; // the engine still drains the call: start again once it is done
        return;
    }
    if (r.localStarted)
        return;
    r.localStarted = true;
    m_local.startCall(callId, media);
    keepRecentAudio(r);
}

void TriageRouter::stopLocal(const QString &callId, Route &r)
{
    if (!localRunning(r))
        return;
    r.localStopping = true;
    r.localRestart = false;
    r.shadowReport.reset(); // a failover must not bring back what it concluded before
    r.shadowCritical.reset();
    keepRecentAudio(r); // from now on a failover needs the ring again
    m_local.endCall(callId);
}

void TriageRouter::startGemini(const QString &callId, Route &r, const MediaBacklog &media)
{
    r.waiting = false;
    r.geminiActive = true;
    r.geminiDone = false;
    r.geminiLink = {TriageLinkState::Connecting, QString()};
    r.notLiveSinceMs = nowMs();
    if (!r.grace) {
        r.grace = std::make_unique<QTimer>();
        r.grace->setSingleShot(true);
        connect(r.grace.get(), &QTimer::timeout, this, [this, callId] { onGraceElapsed(callId); });
    }
    r.grace->start(std::max(0, m_config.localGraceMs));
    setLink(callId, r, r.geminiLink);
    m_gemini->startCall(callId, media);
}

bool TriageRouter::localPublishes(const Route &r) const
{
    if (!r.geminiActive)
        return true;
    if (r.geminiLink.state == TriageLinkState::Live || r.notLiveSinceMs < 0)
        return false;
    return nowMs() - r.notLiveSinceMs >= m_config.localGraceMs;
}

void TriageRouter::publishReport(const QString &callId, Route &r, const TriageReport &report)
{
    r.lastPublished = report;
    r.severity = report.severity;
    ++r.reports;
    if (!r.firstReportAt.isValid())
        r.firstReportAt = m_config.clock();
    if (r.geminiActive && report.source == TriageSource::Local)
        r.localPublishedMeanwhile = true;
    Q_EMIT reportProduced(callId, report);
}

void TriageRouter::publishCritical(const QString &callId, Route &r, const QString &reason,
                                   int severity)
{
    r.severity = std::max(r.severity, severity);
    Q_EMIT criticalFlagged(callId, reason, severity);
}

// The local engine takes over (failover, or Gemini out for longer than the grace): what it
// concluded while in the shadow becomes visible at once.
void TriageRouter::publishShadow(const QString &callId, Route &r)
{
    if (r.shadowReport && !(r.lastPublished && r.lastPublished->source == TriageSource::Local &&
                            r.lastPublished->sameAssessment(*r.shadowReport)))
        publishReport(callId, r, *r.shadowReport);
    if (r.shadowCritical && !r.geminiFlagged)
        publishCritical(callId, r, r.shadowCritical->first, r.shadowCritical->second);
    r.shadowCritical.reset();
}

void TriageRouter::setLink(const QString &callId, Route &r, const TriageLink &link)
{
    if (r.link == link)
        return;
    r.link = link;
    Q_EMIT linkChanged(callId, link);
}

void TriageRouter::refreshGeminiLink(const QString &callId, Route &r)
{
    TriageLink link = r.geminiLink;
    if (link.state != TriageLinkState::Live && localPublishes(r)) {
        const QString meanwhile = tr("local triage meanwhile");
        link.detail =
            link.detail.isEmpty() ? meanwhile : link.detail + QStringLiteral("; ") + meanwhile;
    }
    setLink(callId, r, link);
}

void TriageRouter::onGeminiLink(const QString &callId, const TriageLink &link)
{
    Route *r = route(callId);
    if (!r || !r->geminiActive || link.state == TriageLinkState::Failed)
        return; // a failure is handled by onGeminiFailed
    r->geminiLink = link;
    if (link.state == TriageLinkState::Live) {
        r->notLiveSinceMs = -1;
        if (r->grace)
            r->grace->stop();
        // Local spoke while Gemini was away: Gemini's assessment is the current one again.
        if (r->localPublishedMeanwhile && r->lastGemini)
            publishReport(callId, *r, *r->lastGemini);
        r->localPublishedMeanwhile = false;
    } else if (r->notLiveSinceMs < 0) {
        r->notLiveSinceMs = nowMs();
        if (r->grace)
            r->grace->start(std::max(0, m_config.localGraceMs));
    }
    refreshGeminiLink(callId, *r);
}

void TriageRouter::onGraceElapsed(const QString &callId)
{
    Route *r = route(callId);
    if (!r || !r->geminiActive || r->geminiLink.state == TriageLinkState::Live ||
        r->notLiveSinceMs < 0)
        return;
    if (!localPublishes(*r)) {
        // Coarse timers may fire a little early: wait for the rest.
        r->grace->start(static_cast<int>(
            std::max<qint64>(1, r->notLiveSinceMs + m_config.localGraceMs - nowMs())));
        return;
    }
    if (!localRunning(*r)) {
        // A call without a shadow takes a slot for its local engine meanwhile: under overload
        // every session is slow to connect, and a decoder for each would add to the overload.
        if (!r->shadowSlot && !takeShadowSlot(*r)) {
            qCInfo(lcRouter) << "call" << callId << "Gemini not live for" << m_config.localGraceMs
                             << "ms and all" << m_maxShadowCalls
                             << "local slots are taken: waiting for Gemini";
            r->grace->start(std::max(1, m_config.localGraceMs)); // try again for a free slot
            return;
        }
        startLocal(callId, *r, r->ring);
    }
    qCInfo(lcRouter) << "call" << callId << "Gemini not live for" << m_config.localGraceMs
                     << "ms: publishing local triage meanwhile";
    publishShadow(callId, *r);
    refreshGeminiLink(callId, *r);
}

void TriageRouter::onGeminiFailed(const QString &callId, const gemini::CloseClassification &c,
                                  const QString &detail)
{
    Route *r = route(callId);
    if (!r || !r->geminiActive)
        return;
    qCWarning(lcRouter) << "call" << callId << "fails over to local triage:" << detail;
    r->geminiActive = false;
    r->geminiFailed = true;
    r->waiting = false;
    if (r->grace)
        r->grace->stop();
    tripBreaker(c);
    setLink(callId, *r, {TriageLinkState::Failed, detail});
    if (!r->ending) {
        startLocal(callId, *r, r->ring);
        publishShadow(callId, *r);
        setLink(callId, *r, {TriageLinkState::Local, tr("fallback: %1").arg(detail)});
    }
    Q_EMIT failedOver(callId, detail);
    promoteWaiting();
}

void TriageRouter::tripBreaker(const gemini::CloseClassification &c)
{
    int cooldown = 0;
    switch (c.category) {
    case gemini::CloseCategory::Quota:
        cooldown = m_config.quotaCooldownMs;
        break;
    case gemini::CloseCategory::ApiKey:
    case gemini::CloseCategory::ModelNotFound:
    case gemini::CloseCategory::BadRequest:
        cooldown = m_config.configErrorCooldownMs;
        break;
    default:
        return; // retries ran out on a network problem: other calls may still get through
    }
    if (cooldown <= 0)
        return;
    m_breakerUntilMs = std::max(m_breakerUntilMs, nowMs() + cooldown);
    m_breakerReason = c.humanReadable;
    m_breakerTimer.start(static_cast<int>(m_breakerUntilMs - nowMs()));
    qCWarning(lcRouter) << "Gemini paused for" << cooldown << "ms:" << toString(c.category);
}

void TriageRouter::promoteWaiting()
{
    QString whyNot;
    while (canStartGemini(&whyNot)) {
        QString best;
        const Route *bestRoute = nullptr;
        for (auto it = m_routes.constBegin(); it != m_routes.constEnd(); ++it) {
            const Route &r = **it;
            if (!r.waiting || r.ending)
                continue;
            if (!bestRoute || r.severity > bestRoute->severity ||
                (r.severity == bestRoute->severity && r.startedAt < bestRoute->startedAt)) {
                bestRoute = &r;
                best = it.key();
            }
        }
        if (!bestRoute)
            return;
        Route &r = *route(best);
        qCInfo(lcRouter) << "call" << best << "upgraded to Gemini (severity" << r.severity
                         << ") with" << r.ring.audioBytes() << "bytes of recent audio";
        startGemini(best, r, r.ring);
        // Its local engine stays as a shadow only within the cap, like any Gemini call's.
        if (!m_config.shadowLocal || !takeShadowSlot(r)) {
            qCInfo(lcRouter) << "call" << best
                             << "stops its local engine: no shadow slot (restarts on failover)";
            stopLocal(best, r);
        }
        keepRecentAudio(r);
        Q_EMIT callUpgraded(best);
    }
    // Still waiting calls show why (the slot count or the breaker changed).
    for (auto it = m_routes.begin(); it != m_routes.end(); ++it) {
        if ((*it)->waiting && !(*it)->ending)
            setLink(it.key(), **it, {TriageLinkState::Local, whyNot});
    }
}

void TriageRouter::addAudio(const QString &callId, const QByteArray &pcm16k)
{
    Route *r = route(callId);
    if (!r || r->ending)
        return;
    if (!localRunning(*r) || r->waiting)
        r->ring.appendAudio(pcm16k); // kept only while a switch of engine may need it
    if (localRunning(*r))
        m_local.addAudio(callId, pcm16k);
    if (r->geminiActive)
        m_gemini->addAudio(callId, pcm16k);
}

void TriageRouter::addFrame(const QString &callId, const QByteArray &jpeg)
{
    Route *r = route(callId);
    if (!r || r->ending)
        return;
    r->ring.appendFrame(jpeg);
    if (localRunning(*r))
        m_local.addFrame(callId, jpeg);
    if (r->geminiActive)
        m_gemini->addFrame(callId, jpeg);
}

void TriageRouter::addVitals(const QString &callId, const VitalsSample &vitals)
{
    Route *r = route(callId);
    if (!r || r->ending)
        return;
    if (localRunning(*r))
        m_local.addVitals(callId, vitals);
    if (r->geminiActive)
        m_gemini->addVitals(callId, vitals);
}

void TriageRouter::addCallerText(const QString &callId, const QString &text)
{
    Route *r = route(callId);
    if (!r || r->ending)
        return;
    if (localRunning(*r))
        m_local.addCallerText(callId, text);
    if (r->geminiActive)
        m_gemini->addCallerText(callId, text);
}

void TriageRouter::endCall(const QString &callId)
{
    Route *r = route(callId);
    if (!r || r->ending)
        return;
    r->ending = true;
    r->waiting = false;
    r->localRestart = false;
    r->ring.clear();
    if (r->grace)
        r->grace->stop();
    const bool endLocal = localRunning(*r) && !r->localDone; // a stopping one ends anyway
    const bool endGemini = !r->geminiDone;
    // Either backend may finish synchronously (and the route go): look nothing up afterwards.
    if (endLocal)
        m_local.endCall(callId);
    if (endGemini)
        m_gemini->endCall(callId);
    maybeFinish(callId);
}

void TriageRouter::onLocalFinished(const QString &callId)
{
    if (Route *r = route(callId)) {
        if (r->localStopping && !r->ending) {
            // Stopped after an upgrade: the call goes on without a local engine, unless a
            // failover or a long reconnect asked for it meanwhile.
            r->localStopping = false;
            r->localStarted = false;
            if (std::exchange(r->localRestart, false))
                startLocal(callId, *r, r->ring);
            keepRecentAudio(*r);
            return;
        }
        r->localStopping = false;
        r->localDone = true;
        releaseShadowSlot(*r);
        maybeFinish(callId);
    }
}

void TriageRouter::onGeminiFinished(const QString &callId)
{
    Route *r = route(callId);
    if (!r)
        return;
    r->geminiDone = true;
    const bool freed = r->geminiActive;
    r->geminiActive = false;
    maybeFinish(callId);
    if (freed)
        promoteWaiting();
}

void TriageRouter::maybeFinish(const QString &callId)
{
    Route *r = route(callId);
    if (!r || !r->ending || !r->geminiDone || (r->localStarted && !r->localDone))
        return;
    releaseShadowSlot(*r);
    m_routes.remove(callId);
    Q_EMIT callFinished(callId);
}

bool TriageRouter::takeShadowSlot(Route &r)
{
    if (m_maxShadowCalls >= 0 && m_shadowCalls >= m_maxShadowCalls)
        return false;
    r.shadowSlot = true;
    ++m_shadowCalls;
    return true;
}

void TriageRouter::releaseShadowSlot(Route &r)
{
    if (!r.shadowSlot)
        return;
    r.shadowSlot = false;
    --m_shadowCalls;
}

} // namespace dispatch
