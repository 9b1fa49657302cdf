#include "triage/triagerouter.h"

#include <QLoggingCategory>

#include <algorithm>
#include <utility>

namespace dispatch {

Q_LOGGING_CATEGORY(lcRouter, "dispatch.triage.router")

namespace {

constexpr qsizetype RingFrames = 1;  // the newest frame: Gemini takes one a second anyway
constexpr qsizetype BytesPerMs = 32; // 16 kHz x 16 bit

} // namespace

TriageRouter::TriageRouter(TriageRouterConfig config, TriageBackend &primary, TriageBackend &local,
                           QObject *parent)
    : TriageRouter(std::move(config), &primary, local, parent)
{}

TriageRouter::TriageRouter(TriageRouterConfig config, TriageBackend &local, QObject *parent)
    : TriageRouter(std::move(config), nullptr, local, parent)
{}

TriageRouter::TriageRouter(TriageRouterConfig config, TriageBackend *primary, TriageBackend &local,
                           QObject *parent)
    : TriageBackend(parent)
    , m_config(std::move(config))
    , m_policy(m_config, primary != nullptr)
    , m_shadowBudget(m_config.shadowBudget,
                     m_config.shadowLocal && primary ? m_policy.shadowCap() : 0)
    , m_local(local)
    , m_primary(primary)
    , m_deadlines(m_config.clock)
{
    connect(&m_deadlines, &DeadlineTimer::due, this, &TriageRouter::processDeadlines);
    connectLocal();
    if (m_primary)
        connectPrimary();
    if (m_primary && cpuBudgeted()) {
        m_shadowBudget.addReading(m_config.cpuSampler->read());
        if (m_config.cpuSampleMs > 0) {
            connect(&m_cpuTimer, &QTimer::timeout, this, &TriageRouter::sampleCpu);
            m_cpuTimer.start(m_config.cpuSampleMs);
        }
    }
}

TriageRouter::~TriageRouter() = default;

void TriageRouter::connectLocal()
{
    connect(&m_local, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                CallRoute *r = route(id);
                if (!r || isStopping(r->local)) // a stopped engine draining: not the call's view
                    return;
                r->shown.keepLocal(report);
                r->keptFromShedShadow = false;
                if (localPublishes(*r))
                    publishReport(id, *r, report);
            });
    connect(&m_local, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                CallRoute *r = route(id);
                if (!r || isStopping(r->local))
                    return;
                if (localPublishes(*r))
                    publishCritical(id, *r, reason, severity);
                else
                    r->shown.keepLocalCritical(reason, severity);
            });
    connect(&m_local, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (CallRoute *r = route(id); r && !isStopping(r->local) && localPublishes(*r))
                    Q_EMIT transcriptProduced(id, segment);
            });
    connect(&m_local, &TriageBackend::degradedChanged, this, &TriageBackend::degradedChanged);
    connect(&m_local, &TriageBackend::callFinished, this, &TriageRouter::onLocalFinished);
}

void TriageRouter::connectPrimary()
{
    connect(m_primary, &TriageBackend::reportProduced, this,
            [this](const QString &id, const TriageReport &report) {
                CallRoute *r = route(id);
                if (!r || !holdsSlot(r->primary))
                    return;
                r->shown.primaryReported(report);
                publishReport(id, *r, report);
            });
    connect(m_primary, &TriageBackend::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                CallRoute *r = route(id);
                if (!r || !holdsSlot(r->primary))
                    return;
                r->shown.primaryFlagged();
                publishCritical(id, *r, reason, severity);
            });
    connect(m_primary, &TriageBackend::transcriptProduced, this,
            [this](const QString &id, const TranscriptSegment &segment) {
                if (CallRoute *r = route(id); r && holdsSlot(r->primary))
                    Q_EMIT transcriptProduced(id, segment);
            });
    connect(m_primary, &TriageBackend::prearrivalOffered, this, &TriageBackend::prearrivalOffered);
    connect(m_primary, &TriageBackend::linkChanged, this, &TriageRouter::onPrimaryLink);
    connect(m_primary, &TriageBackend::callFailed, this, &TriageRouter::onPrimaryFailed);
    connect(m_primary, &TriageBackend::callFinished, this, &TriageRouter::onPrimaryFinished);
}

CallRoute *TriageRouter::route(const QString &callId) const
{
    const auto it = m_routes.constFind(callId);
    return it == m_routes.constEnd() ? nullptr : it->get();
}

int TriageRouter::primaryInUse() const
{
    return static_cast<int>(std::count_if(m_routes.cbegin(), m_routes.cend(),
                                          [](const auto &r) { return holdsSlot(r->primary); }));
}

int TriageRouter::waitingForSlot() const
{
    return static_cast<int>(std::count_if(m_routes.cbegin(), m_routes.cend(), [](const auto &r) {
        return r->mode == RouteMode::Waiting;
    }));
}

bool TriageRouter::isBreakerOpen() const
{
    return m_policy.isBreakerOpen(nowMs());
}

QString TriageRouter::breakerReason() const
{
    if (!isBreakerOpen())
        return QString();
    const QString detail = m_policy.breakerDetail();
    return detail.isEmpty() ? toString(m_policy.breakerKind()) : detail;
}

int TriageRouter::shadowCap() const
{
    return m_config.shadowLocal && m_primary ? m_policy.shadowCap() : 0;
}

ShadowStatus TriageRouter::shadowStatus() const
{
    if (cpuBudgeted())
        return m_shadowBudget.status(m_shadowCalls);
    const int cap = shadowCap();
    return {m_shadowCalls, cap, cap == 0 ? ShadowLimitReason::Off : ShadowLimitReason::Cap};
}

std::optional<TriageRouter::CallInfo> TriageRouter::callInfo(const QString &callId) const
{
    const CallRoute *r = route(callId);
    return r ? std::optional<CallInfo>(r->info()) : std::nullopt;
}

qsizetype TriageRouter::keptAudioBytes(const QString &callId) const
{
    const CallRoute *r = route(callId);
    return r ? r->ring.audioBytes() : 0;
}

void TriageRouter::driveLocal(const QString &callId, CallRoute &r, LocalEvent event,
                              const MediaBacklog &media)
{
    const EngineAction action = r.moveLocal(event);
    if (action == EngineAction::StartCall)
        m_local.startCall(callId, media); // `media` may be the ring: sized down only after
    keepRecentAudio(r);
    if (action == EngineAction::EndCall)
        m_local.endCall(callId); // may finish synchronously: nothing is looked at after
}

void TriageRouter::drivePrimary(const QString &callId, CallRoute &r, PrimaryEvent event,
                                const MediaBacklog &media)
{
    const EngineAction action = r.movePrimary(event);
    if (action == EngineAction::StartCall)
        m_primary->startCall(callId, media);
    else if (action == EngineAction::EndCall)
        m_primary->endCall(callId);
}

void TriageRouter::startCall(const QString &callId, const MediaBacklog &backlog)
{
    if (m_routes.contains(callId)) {
        qCWarning(lcRouter) << "call already started:" << callId;
        return;
    }
    auto owned = std::make_shared<CallRoute>();
    CallRoute &r = *owned;
    r.ring = MediaBacklog(static_cast<qsizetype>(m_config.upgradeAudioMs) * BytesPerMs, RingFrames);
    for (const QByteArray &pcm : backlog.audio())
        r.ring.appendAudio(pcm);
    for (const QByteArray &jpeg : backlog.frames())
        r.ring.appendFrame(jpeg);
    r.startedAtMs = nowMs();
    m_routes.insert(callId, owned);

    const int inUse = primaryInUse();
    if (m_policy.canStartPrimary(inUse, r.startedAtMs)) {
        r.mode = RouteMode::Primary;
        if (m_policy.wantsShadow(m_shadowCalls) && takeShadowSlot(r))
            driveLocal(callId, r, LocalEvent::Start, backlog);
        else if (m_config.shadowLocal)
            qCInfo(lcRouter) << "call" << callId << "has no local shadow:" << m_shadowCalls
                             << "shadowed, limit" << shadowStatus().limit << "by"
                             << toString(shadowStatus().reason) << "(local starts on failover)";
        startPrimary(callId, r, backlog);
        keepRecentAudio(r);
        return;
    }
    // Budget or breaker: local now, the primary when possible. No backend or budget 0: local.
    r.mode = m_policy.waitsForPrimary() ? RouteMode::Waiting : RouteMode::LocalOnly;
    const TriageLink link = m_policy.localLink(inUse, r.startedAtMs);
    qCInfo(lcRouter) << "call" << callId << "triaged locally:" << englishDetail(link);
    setLink(callId, r, link);
    driveLocal(callId, r, LocalEvent::Start, backlog);
}

void TriageRouter::keepRecentAudio(CallRoute &r) const
{
    r.ring.setMaxAudioBytes(static_cast<qsizetype>(m_policy.keptAudioMs(r.mode, r.local)) *
                            BytesPerMs);
}

void TriageRouter::startPrimary(const QString &callId, CallRoute &r, const MediaBacklog &media)
{
    r.primaryLink = {};
    r.primaryLink.state = TriageLinkState::Connecting;
    r.notLiveSinceMs = nowMs();
    setLink(callId, r, r.primaryLink);
    drivePrimary(callId, r, PrimaryEvent::Start, media); // `media` may be the ring: the caller
    if (holdsSlot(r.primary)) {                          // sizes it down afterwards
        r.graceDueMs = m_policy.graceEndsAtMs(r.notLiveSinceMs);
        m_deadlines.at(r.graceDueMs);
    }
}

bool TriageRouter::localPublishes(const CallRoute &r) const
{
    return m_policy.publisher(r.primary, r.notLiveSinceMs, nowMs()) == Publisher::Local;
}

void TriageRouter::publishReport(const QString &callId, CallRoute &r, const TriageReport &report)
{
    r.shown.published(report, holdsSlot(r.primary), nowMs() - r.startedAtMs);
    Q_EMIT reportProduced(callId, report);
}

void TriageRouter::publishCritical(const QString &callId, CallRoute &r, const QString &reason,
                                   int severity)
{
    r.shown.flagged(severity);
    Q_EMIT criticalFlagged(callId, reason, severity);
}

// The local engine takes over (failover, or the primary out for longer than the grace): what it
// concluded while in the shadow becomes visible at once.
void TriageRouter::publishShadow(const QString &callId, CallRoute &r)
{
    if (auto report = r.shown.localToShow()) {
        if (r.keptFromShedShadow) // heard until its shadow was shed: the provenance says so
            report->provenance.append(
                {QStringLiteral("source"), QStringLiteral("shadow_shed"),
                 QStringLiteral("local engine stopped for CPU headroom %1 s into the call; "
                                "assessed until then")
                     .arg((r.shadowShedAtMs - r.startedAtMs) / 1000)});
        publishReport(callId, r, *report);
    }
    if (const auto critical = r.shown.takeLocalCritical())
        publishCritical(callId, r, critical->reason, critical->severity);
}

void TriageRouter::setLink(const QString &callId, CallRoute &r, const TriageLink &link)
{
    if (r.link == link)
        return;
    r.link = link;
    Q_EMIT linkChanged(callId, link);
}

void TriageRouter::refreshPrimaryLink(const QString &callId, CallRoute &r)
{
    const Publisher p = localPublishes(r) ? Publisher::Local : Publisher::Primary;
    setLink(callId, r, RoutingPolicy::primaryCallLink(r.primaryLink, p));
}

void TriageRouter::onPrimaryLink(const QString &callId, const TriageLink &link)
{
    CallRoute *r = route(callId);
    if (!r || !holdsSlot(r->primary) || link.state == TriageLinkState::Failed)
        return; // a failure is handled by onPrimaryFailed
    r->primaryLink = link;
    if (link.state == TriageLinkState::Live) {
        r->notLiveSinceMs = -1;
        r->graceDueMs = -1;
        // Local spoke while the primary was away: its assessment is the current one again.
        if (const auto again = r->shown.takePrimaryToShowAgain())
            publishReport(callId, *r, *again);
    } else if (r->notLiveSinceMs < 0) {
        r->notLiveSinceMs = nowMs();
        r->graceDueMs = m_policy.graceEndsAtMs(r->notLiveSinceMs);
        m_deadlines.at(r->graceDueMs);
    }
    refreshPrimaryLink(callId, *r);
}

void TriageRouter::onGraceDue(const QString &callId, CallRoute &r)
{
    r.graceDueMs = -1;
    if (!holdsSlot(r.primary) || r.mode == RouteMode::Ending || !localPublishes(r))
        return;
    if (!isRunning(r.local)) {
        // A call without a shadow takes a slot for its local engine meanwhile: under overload
        // every session is slow to connect, and a decoder for each would add to the overload.
        // Not budgeted by CPU: the call needs it (only the cap bounds it).
        if (!r.shadowSlot && !takeShadowSlot(r, false)) {
            qCInfo(lcRouter) << "call" << callId << "primary not live for" << m_config.localGraceMs
                             << "ms and all" << m_policy.shadowCap()
                             << "local slots are taken: waiting for the primary";
            r.graceDueMs = nowMs() + std::max(1, m_config.localGraceMs); // look again
            return;
        }
        driveLocal(callId, r, LocalEvent::Start, r.ring);
    }
    qCInfo(lcRouter) << "call" << callId << "primary not live for" << m_config.localGraceMs
                     << "ms: publishing local triage meanwhile";
    publishShadow(callId, r);
    refreshPrimaryLink(callId, r);
}

void TriageRouter::onPrimaryFailed(const QString &callId, const TriageFailure &failure)
{
    const std::shared_ptr<CallRoute> keep = m_routes.value(callId);
    CallRoute *r = keep.get();
    if (!r || !holdsSlot(r->primary))
        return;
    qCWarning(lcRouter) << "call" << callId
                        << "fails over to local triage:" << toString(failure.kind)
                        << failure.detail;
    drivePrimary(callId, *r, PrimaryEvent::Fail, r->ring);
    m_policy.recordFailure(failure.kind, failure.detail, nowMs());
    if (m_policy.isBreakerOpen(nowMs())) {
        qCWarning(lcRouter) << "primary paused until" << m_policy.breakerClosesAtMs()
                            << "ms:" << toString(m_policy.breakerKind());
        m_deadlines.at(m_policy.breakerClosesAtMs());
    }
    setLink(callId, *r, RoutingPolicy::failedLink(failure.kind, failure.detail));
    if (r->mode != RouteMode::Ending) {
        r->mode = RouteMode::FailedOver;
        driveLocal(callId, *r, LocalEvent::Start, r->ring);
        publishShadow(callId, *r);
        setLink(callId, *r, RoutingPolicy::fallbackLink(failure.kind, failure.detail));
    }
    Q_EMIT failedOver(callId, failure.detail);
    promoteWaiting();
}

void TriageRouter::promoteWaiting()
{
    while (m_policy.canStartPrimary(primaryInUse(), nowMs())) {
        QStringList ids;
        QList<RoutingPolicy::Candidate> waiting;
        for (auto it = m_routes.constBegin(); it != m_routes.constEnd(); ++it) {
            if ((*it)->mode == RouteMode::Waiting) {
                ids << it.key();
                waiting.append({(*it)->shown.severity(), (*it)->startedAtMs});
            }
        }
        const qsizetype next = RoutingPolicy::nextToPromote(waiting);
        if (next < 0)
            break;
        const QString id = ids.at(next);
        const std::shared_ptr<CallRoute> keep = m_routes.value(id);
        CallRoute &r = *keep;
        qCInfo(lcRouter) << "call" << id << "upgraded (severity" << r.shown.severity() << ") with"
                         << r.ring.audioBytes() << "bytes of recent audio";
        r.mode = RouteMode::Primary;
        startPrimary(id, r, r.ring);
        // Its local engine stays as a shadow only within the cap, like any primary call's.
        if (!m_policy.wantsShadow(m_shadowCalls) || !takeShadowSlot(r)) {
            qCInfo(lcRouter) << "call" << id
                             << "stops its local engine: no shadow slot (restarts on failover)";
            driveLocal(id, r, LocalEvent::Stop, r.ring);
        }
        keepRecentAudio(r);
        Q_EMIT callUpgraded(id);
    }
    // Still waiting calls show why (the slot count or the breaker changed).
    const TriageLink link = m_policy.localLink(primaryInUse(), nowMs());
    for (auto it = m_routes.begin(); it != m_routes.end(); ++it) {
        if ((*it)->mode == RouteMode::Waiting)
            setLink(it.key(), **it, link);
    }
}

CallRoute *TriageRouter::mediaRoute(const QString &callId) const
{
    CallRoute *r = route(callId);
    return r && r->mode != RouteMode::Ending ? r : nullptr;
}

template<typename Send> void TriageRouter::forward(const CallRoute *r, Send send)
{
    if (r && isRunning(r->local))
        send(m_local);
    if (r && holdsSlot(r->primary))
        send(*m_primary);
}

void TriageRouter::addAudio(const QString &callId, const QByteArray &pcm16k)
{
    CallRoute *r = mediaRoute(callId);
    if (r && (!isRunning(r->local) || r->mode == RouteMode::Waiting))
        r->ring.appendAudio(pcm16k); // kept only while a switch of engine may need it
    forward(r, [&](TriageBackend &b) { b.addAudio(callId, pcm16k); });
}

void TriageRouter::addFrame(const QString &callId, const QByteArray &jpeg)
{
    CallRoute *r = mediaRoute(callId);
    if (r)
        r->ring.appendFrame(jpeg);
    forward(r, [&](TriageBackend &b) { b.addFrame(callId, jpeg); });
}

void TriageRouter::addVitals(const QString &callId, const VitalsSample &vitals)
{
    forward(mediaRoute(callId), [&](TriageBackend &b) { b.addVitals(callId, vitals); });
}

void TriageRouter::addCallerText(const QString &callId, const QString &text)
{
    forward(mediaRoute(callId), [&](TriageBackend &b) { b.addCallerText(callId, text); });
}

void TriageRouter::endCall(const QString &callId)
{
    const std::shared_ptr<CallRoute> keep = m_routes.value(callId);
    CallRoute *r = keep.get();
    if (!r || r->mode == RouteMode::Ending)
        return;
    r->mode = RouteMode::Ending;
    r->graceDueMs = -1;
    r->ring.clear();
    // Either backend may finish synchronously: both states move before either is told.
    const EngineAction local = r->moveLocal(LocalEvent::EndCall);
    const EngineAction primary = r->movePrimary(PrimaryEvent::EndCall);
    keepRecentAudio(*r);
    if (local == EngineAction::EndCall)
        m_local.endCall(callId);
    if (primary == EngineAction::EndCall)
        m_primary->endCall(callId);
    maybeFinish(callId);
}

void TriageRouter::onLocalFinished(const QString &callId)
{
    const std::shared_ptr<CallRoute> keep = m_routes.value(callId);
    CallRoute *r = keep.get();
    if (!r)
        return;
    driveLocal(callId, *r, LocalEvent::Finished, r->ring);
    if (r->local != LocalEngine::Done)
        return; // stopped after an upgrade: the call goes on (restarted if it was asked for)
    releaseShadowSlot(*r);
    maybeFinish(callId);
}

void TriageRouter::onPrimaryFinished(const QString &callId)
{
    const std::shared_ptr<CallRoute> keep = m_routes.value(callId);
    CallRoute *r = keep.get();
    if (!r)
        return;
    const bool freed = holdsSlot(r->primary);
    drivePrimary(callId, *r, PrimaryEvent::Finished, r->ring);
    maybeFinish(callId);
    if (freed)
        promoteWaiting();
}

void TriageRouter::maybeFinish(const QString &callId)
{
    CallRoute *r = route(callId);
    if (!r || r->mode != RouteMode::Ending || finishOutstanding(r->local) ||
        finishOutstanding(r->primary))
        return;
    releaseShadowSlot(*r);
    m_routes.remove(callId);
    Q_EMIT callFinished(callId);
}

void TriageRouter::processDeadlines()
{
    const qint64 now = nowMs();
    QStringList due;
    for (auto it = m_routes.constBegin(); it != m_routes.constEnd(); ++it) {
        if ((*it)->graceDueMs >= 0 && (*it)->graceDueMs <= now)
            due << it.key();
    }
    for (const QString &id : due) {
        if (CallRoute *r = route(id))
            onGraceDue(id, *r);
    }
    const qint64 closesAt = m_policy.breakerClosesAtMs();
    if (closesAt > m_breakerHandledMs && closesAt <= now) {
        m_breakerHandledMs = closesAt;
        promoteWaiting();
    }
    // The next deadline.
    m_deadlines.clear();
    for (const auto &r : std::as_const(m_routes)) {
        if (r->graceDueMs >= 0)
            m_deadlines.at(r->graceDueMs);
    }
    if (m_policy.breakerClosesAtMs() > m_breakerHandledMs)
        m_deadlines.at(m_policy.breakerClosesAtMs());
}

} // namespace dispatch
