#pragma once

#include "domain/triagelink.h"
#include "triage/routestate.h"

#include <QList>
#include <QString>

namespace dispatch {

// The router's knobs (docs/GEMINI.md). "Primary" is the AI backend (Gemini Live), "local" the
// offline engine.
struct RoutingPolicyConfig
{
    int maxPrimarySessions = 3; // live primary sessions at once (the concurrency budget)
    // Each call keeps its recent audio (the "ring") only while it may need it: a call on local
    // triage waiting for a slot keeps upgradeAudioMs (the audio its primary session starts
    // with); a primary call without a local engine keeps failoverAudioMs (the audio its local
    // engine starts with on failover); a call whose local engine runs keeps none.
    int upgradeAudioMs = 60000;
    int failoverAudioMs = 20000; // 0.6 MiB: under load most calls are in this state
    // The local engine runs beside the primary for every call without publishing, so that a
    // failover has the whole call's context at once.
    bool shadowLocal = true;
    // Calls shadowed at once. A shadow is a pocketsphinx decoder (~75 MiB, its own thread and
    // CPU) per call, so shadowing hundreds of calls exhausts memory and CPU: calls beyond the cap
    // have no shadow, and a failover starts their local engine then, from the ring's last
    // failoverAudioMs of audio. A long (re)connect starts it too, but only in a free slot.
    // A waiting call upgraded keeps its local engine as a shadow only in a free slot; otherwise
    // the engine stops (its decoder goes back to the pool) and restarts on failover.
    // 0: 4 x cores. -1: no cap.
    int maxShadowCalls = 0;
    // The primary connecting or resuming for this long: local reports are published meanwhile.
    int localGraceMs = 5000;
    int quotaCooldownMs = 120000;       // after a quota error new calls go local this long
    int configErrorCooldownMs = 600000; // after a key, model or bad-request error
    // Why a router without a primary backend triages locally (no key, or --triage local).
    TriageLinkReason unavailableReason = TriageLinkReason::NoApiKey;
};

// Who is shown for a call right now.
enum class Publisher
{
    Local,
    Primary
};

// The router's decisions as pure functions of the counts, the call's states and a monotonic
// time in ms: admission (budget, breaker, shadow slots), the order in which waiting calls are
// upgraded, which source publishes, how much recent audio a call keeps, and the link a call
// shows. Its only state is the breaker. No QObject, no timers, no sockets.
class RoutingPolicy
{
public:
    RoutingPolicy(RoutingPolicyConfig config, bool hasPrimary);

    const RoutingPolicyConfig &config() const { return m_config; }
    bool hasPrimary() const { return m_hasPrimary; }
    int budget() const { return m_config.maxPrimarySessions; }
    int shadowCap() const { return m_shadowCap; } // -1: no cap

    // Admission of a new call, or of a waiting call's upgrade.
    bool canStartPrimary(int primaryInUse, qint64 nowMs) const;
    // Why a call that cannot start the primary now is local (a Local link with its reason).
    TriageLink localLink(int primaryInUse, qint64 nowMs) const;
    // A call that cannot start the primary now is upgraded later (there is a primary and a
    // budget), rather than being local for good.
    bool waitsForPrimary() const;
    bool shadowSlotFree(int shadowsInUse) const;
    // A primary call (new or upgraded) keeps or starts a local shadow.
    bool wantsShadow(int shadowsInUse) const;

    // A primary session failed for good: quota and configuration failures open the breaker.
    void recordFailure(TriageFailureKind kind, const QString &detail, qint64 nowMs);
    int cooldownMs(TriageFailureKind kind) const; // 0: the breaker stays as it is
    bool isBreakerOpen(qint64 nowMs) const;
    qint64 breakerClosesAtMs() const { return m_breakerUntilMs; } // 0: never opened
    TriageFailureKind breakerKind() const { return m_breakerKind; }
    QString breakerDetail() const { return m_breakerDetail; } // technical

    // Waiting calls in promotion order: highest current severity, then the longest waiting.
    struct Candidate
    {
        int severity = 0;
        qint64 waitingSinceMs = 0;
    };
    static bool promotesBefore(const Candidate &a, const Candidate &b);
    // The index of the call to upgrade first, -1 for none.
    static qsizetype nextToPromote(const QList<Candidate> &waiting);

    // The primary holds a slot, its link is live or not since notLiveSinceMs (-1: live):
    // the primary publishes while live and for the grace after it went away.
    Publisher publisher(PrimaryEngine primary, qint64 notLiveSinceMs, qint64 nowMs) const;
    // When the grace of a primary that is not live ends (local publishes from then on).
    qint64 graceEndsAtMs(qint64 notLiveSinceMs) const;

    // Recent audio the call keeps for a switch of engine it may need next.
    int keptAudioMs(RouteMode mode, LocalEngine local) const;

    // The link a primary call shows: the primary's own link, "local meanwhile" once local
    // publishes during a connect or resume.
    static TriageLink primaryCallLink(const TriageLink &primaryLink, Publisher publisher);
    // The link of a call whose primary failed for good.
    static TriageLink failedLink(TriageFailureKind kind, const QString &detail);
    static TriageLink fallbackLink(TriageFailureKind kind, const QString &detail);

private:
    RoutingPolicyConfig m_config;
    bool m_hasPrimary = false;
    int m_shadowCap = -1;
    qint64 m_breakerUntilMs = 0;
    TriageFailureKind m_breakerKind = TriageFailureKind::None;
    QString m_breakerDetail;
};

} // namespace dispatch
