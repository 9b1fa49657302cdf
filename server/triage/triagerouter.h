#pragma once

#include "calls/mediabacklog.h"
#include "common/monotonicclock.h"
#include "triage/callroute.h"
#include "triage/deadlinetimer.h"
#include "triage/routingpolicy.h"
#include "triage/shadowbudget.h"
#include "triage/triagebackend.h"

#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>

namespace dispatch {

struct TriageRouterConfig : RoutingPolicyConfig
{
    MonotonicClock clock = steadyClock(); // every duration: grace, breaker, first report
    // Shadows budgeted by measured CPU headroom (ShadowBudget), within maxShadowCalls: the
    // sampler is read every cpuSampleMs (0: only when sampleCpu() is called, as tests do).
    // Null: the cap alone.
    std::shared_ptr<CpuSampler> cpuSampler;
    ShadowBudgetConfig shadowBudget;
    int cpuSampleMs = 1000;
};

// The TriageBackend the TriageCoordinator feeds, in front of two backends: the primary (the AI,
// Gemini Live) and the local engine. Sends each call to the primary while the concurrency
// budget allows, else to the local engine; upgrades local calls when a slot frees (highest
// current severity first, then the longest waiting), with the call's last `upgradeAudioMs` of
// audio; fails a call over to the local engine when its primary fails for good (callFailed).
// Exactly one source is published per call at a time, so the dispatcher never sees two competing
// assessments: the primary while its link is live (or briefly connecting/resuming), the local
// engine otherwise. Quota and configuration failures open a breaker: new calls go local until
// it closes. The decisions are RoutingPolicy's; each call's engines are explicit states
// (routestate.h). The links it emits carry codes (TriageLinkReason), never text for people.
// Policy details in docs/GEMINI.md.
class TriageRouter : public TriageBackend
{
    Q_OBJECT

public:
    using CallInfo = CallRouteInfo;

    TriageRouter(TriageRouterConfig config, TriageBackend &primary, TriageBackend &local,
                 QObject *parent = nullptr);
    // No primary (no key, or --triage local): every call is local, with config.unavailableReason.
    TriageRouter(TriageRouterConfig config, TriageBackend &local, QObject *parent = nullptr);
    ~TriageRouter() override;

    void startCall(const QString &callId, const MediaBacklog &backlog) override;
    void addAudio(const QString &callId, const QByteArray &pcm16k) override;
    void addFrame(const QString &callId, const QByteArray &jpeg) override;
    void addVitals(const QString &callId, const VitalsSample &vitals) override;
    void addCallerText(const QString &callId, const QString &text) override;
    void endCall(const QString &callId) override;

    // Acts on what is due at the clock's now: grace periods that ended, the breaker closing.
    // The router's own timer calls it; a test driving a fake clock calls it after advancing.
    void processDeadlines();
    // Takes a CPU reading and sheds shadows when the headroom is gone (the most recently
    // shadowed first; never a call whose primary is not live), or, when the headroom allows,
    // shadows the live Gemini call that has been without one longest (one a reading). The
    // router's CPU timer calls it; a test with a scripted sampler calls it.
    void sampleCpu();

    int budget() const { return m_policy.budget(); }
    int primaryInUse() const;
    int waitingForSlot() const;
    bool hasPrimary() const { return m_primary != nullptr; }
    bool isBreakerOpen() const;
    QString breakerReason() const; // technical, for /health and logs; empty while closed
    std::optional<CallInfo> callInfo(const QString &callId) const;
    QStringList callIds() const { return m_routes.keys(); }
    int shadowCalls() const { return m_shadowCalls; } // primary calls with a local shadow
    // Calls that may be shadowed at once whatever the CPU: -1 no cap, 0 shadowing off.
    int shadowCap() const;
    // Shadowed calls, how many may be now (CPU headroom within the cap), and why.
    ShadowStatus shadowStatus() const;
    const ShadowBudget &shadowBudget() const { return m_shadowBudget; }
    qsizetype keptAudioBytes(const QString &callId) const; // the call's ring now
    const TriageRouterConfig &config() const { return m_config; }

Q_SIGNALS:
    void callUpgraded(const QString &callId);
    void failedOver(const QString &callId, const QString &detail);
    // The call's local shadow was stopped for CPU headroom (what it concluded is kept).
    void shadowShed(const QString &callId);

private:
    TriageRouter(TriageRouterConfig config, TriageBackend *primary, TriageBackend &local,
                 QObject *parent);
    void connectLocal();
    void connectPrimary();
    CallRoute *route(const QString &callId) const;
    CallRoute *mediaRoute(const QString &callId) const; // null once the call ends
    qint64 nowMs() const { return m_config.clock(); }
    void driveLocal(const QString &callId, CallRoute &r, LocalEvent event,
                    const MediaBacklog &media);
    void drivePrimary(const QString &callId, CallRoute &r, PrimaryEvent event,
                      const MediaBacklog &media);
    void startPrimary(const QString &callId, CallRoute &r, const MediaBacklog &media);
    void keepRecentAudio(CallRoute &r) const; // sizes the ring for what the call may need next
    // False when all are taken, or (budgeted) when the CPU headroom does not allow another.
    bool takeShadowSlot(CallRoute &r, bool budgeted = true);
    void releaseShadowSlot(CallRoute &r);
    bool cpuBudgeted() const { return m_config.cpuSampler != nullptr && shadowCap() != 0; }
    int shedShadows(int count); // returns how many were shed
    void shadowOneMore();
    void shedShadow(const QString &callId, CallRoute &r);
    void promoteWaiting();
    bool localPublishes(const CallRoute &r) const;
    void publishReport(const QString &callId, CallRoute &r, const TriageReport &report);
    void publishCritical(const QString &callId, CallRoute &r, const QString &reason, int severity);
    void publishShadow(const QString &callId, CallRoute &r);
    void setLink(const QString &callId, CallRoute &r, const TriageLink &link);
    void refreshPrimaryLink(const QString &callId, CallRoute &r);
    void onPrimaryLink(const QString &callId, const TriageLink &link);
    void onPrimaryFailed(const QString &callId, const TriageFailure &failure);
    void onPrimaryFinished(const QString &callId);
    void onLocalFinished(const QString &callId);
    void onGraceDue(const QString &callId, CallRoute &r);
    void maybeFinish(const QString &callId);
    template<typename Send>
    void forward(const CallRoute *r, Send send); // to the engines that have the call

    TriageRouterConfig m_config;
    RoutingPolicy m_policy;
    ShadowBudget m_shadowBudget;
    TriageBackend &m_local;
    TriageBackend *m_primary; // null: local only
    QHash<QString, std::shared_ptr<CallRoute>> m_routes;
    int m_shadowCalls = 0;         // routes holding a shadow slot
    qint64 m_breakerHandledMs = 0; // the breaker closing already acted on
    DeadlineTimer m_deadlines;     // the next one: processDeadlines
    QTimer m_cpuTimer;             // sampleCpu
};

} // namespace dispatch
