#pragma once

#include "calls/mediabacklog.h"
#include "common/clock.h"
#include "gemini/closeclassification.h"
#include "triage/triagebackend.h"

#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>

namespace dispatch {

class GeminiTriageBackend;

enum class TriageMode
{
    Local,  // the offline engine only
    Gemini, // Gemini Live for every call (local when it cannot)
    Auto    // Gemini when a key is set, else local
};

QString toString(TriageMode mode);
std::optional<TriageMode> triageModeFromString(const QString &text);

struct TriageRouterConfig
{
    int maxGeminiSessions = 3; // live Gemini sessions at once (the concurrency budget)
    // Each call keeps its recent audio (the "ring") only while it may need it: a call on local
    // triage waiting for a Gemini slot keeps upgradeAudioMs (the audio its Gemini session
    // starts with); a Gemini call without a local engine keeps failoverAudioMs (the audio its
    // local engine starts with on failover); a call whose local engine runs keeps none.
    int upgradeAudioMs = 60000;
    int failoverAudioMs = 20000; // 0.6 MiB: under load most calls are in this state
    // The local engine runs beside Gemini for every call without publishing, so that a
    // failover has the whole call's context at once.
    bool shadowLocal = true;
    // Calls shadowed at once. A shadow is a pocketsphinx decoder (~75 MiB, its own thread and
    // CPU) per call, so shadowing hundreds of Gemini calls exhausts memory and CPU: calls beyond
    // the cap have no shadow, and a failover starts their local engine then, from the ring's
    // last failoverAudioMs of audio. A long (re)connect starts it too, but only in a free slot.
    // A waiting call upgraded to Gemini keeps its local engine as a shadow only in a free slot;
    // otherwise the engine stops (its decoder goes back to the pool) and restarts on failover.
    // 0: 4 x cores. -1: no cap.
    int maxShadowCalls = 0;
    // Gemini connecting or resuming for this long: local reports are published meanwhile.
    int localGraceMs = 5000;
    int quotaCooldownMs = 120000;       // after a quota error new calls go local this long
    int configErrorCooldownMs = 600000; // after a key, model or bad-request error
    QString unavailableReason;          // why there is no Gemini backend ("no API key")
    Clock clock = systemClock();
};

// The TriageBackend the TriageCoordinator feeds. Sends each call to Gemini Live while the
// concurrency budget allows, else to the local engine; upgrades local calls to Gemini when a
// slot frees (highest current severity first, then the longest waiting), with the call's last
// `upgradeAudioMs` of audio; fails a call over to the local engine when its Gemini session fails
// for good. Exactly one source is published per call at a time, so the dispatcher never sees two
// competing assessments: Gemini while its link is live (or briefly connecting/resuming), the
// local engine otherwise. Final key/model/quota errors open a breaker: new calls go local
// until it closes. Policy details in docs/GEMINI.md.
class TriageRouter : public TriageBackend
{
    Q_OBJECT

public:
    struct CallInfo
    {
        QDateTime startedAt;
        QDateTime firstReportAt; // first published report
        int reports = 0;         // published reports
        bool gemini = false;     // a Gemini session is running for it
        bool geminiFailed = false;
        bool waitingForSlot = false;
        int severity = 0;
        TriageLink link;
    };

    // `gemini` may be null (no key, or --triage local).
    TriageRouter(TriageRouterConfig config, TriageBackend &local, GeminiTriageBackend *gemini,
                 QObject *parent = nullptr);
    ~TriageRouter() override;

    void startCall(const QString &callId, const MediaBacklog &backlog) override;
    void addAudio(const QString &callId, const QByteArray &pcm16k) override;
    void addFrame(const QString &callId, const QByteArray &jpeg) override;
    void addVitals(const QString &callId, const VitalsSample &vitals) override;
    void addCallerText(const QString &callId, const QString &text) override;
    void endCall(const QString &callId) override;

    int budget() const { return m_config.maxGeminiSessions; }
    int geminiInUse() const;
    int waitingForSlot() const;
    bool hasGemini() const { return m_gemini != nullptr; }
    bool isBreakerOpen() const;
    QString breakerReason() const { return isBreakerOpen() ? m_breakerReason : QString(); }
    std::optional<CallInfo> callInfo(const QString &callId) const;
    QStringList callIds() const { return m_routes.keys(); }
    int shadowCalls() const { return m_shadowCalls; }      // Gemini calls with a local shadow now
    qsizetype keptAudioBytes(const QString &callId) const; // the call's ring now
    const TriageRouterConfig &config() const { return m_config; }

Q_SIGNALS:
    void callUpgraded(const QString &callId);
    void failedOver(const QString &callId, const QString &reason);

private:
    struct Route;

    Route *route(const QString &callId) const;
    qint64 nowMs() const;
    bool canStartGemini(QString *whyNot) const;
    void startGemini(const QString &callId, Route &r, const MediaBacklog &media);
    void startLocal(const QString &callId, Route &r, const MediaBacklog &media);
    void stopLocal(const QString &callId, Route &r); // the call goes on without a local engine
    bool localRunning(const Route &r) const;
    void keepRecentAudio(Route &r) const; // sizes the ring for what the call may need next
    bool takeShadowSlot(Route &r);        // false when all are taken
    void releaseShadowSlot(Route &r);
    void promoteWaiting();
    bool localPublishes(const Route &r) const;
    void publishReport(const QString &callId, Route &r, const TriageReport &report);
    void publishCritical(const QString &callId, Route &r, const QString &reason, int severity);
    void publishShadow(const QString &callId, Route &r);
    void setLink(const QString &callId, Route &r, const TriageLink &link);
    void refreshGeminiLink(const QString &callId, Route &r);
    void onGeminiLink(const QString &callId, const TriageLink &link);
    void onGeminiFailed(const QString &callId, const gemini::CloseClassification &c,
                        const QString &detail);
    void onGeminiFinished(const QString &callId);
    void onLocalFinished(const QString &callId);
    void onGraceElapsed(const QString &callId);
    void maybeFinish(const QString &callId);
    void tripBreaker(const gemini::CloseClassification &c);

    TriageRouterConfig m_config;
    TriageBackend &m_local;
    GeminiTriageBackend *m_gemini;
    QHash<QString, std::shared_ptr<Route>> m_routes;
    int m_shadowCalls = 0; // routes holding a shadow slot
    int m_maxShadowCalls = -1;
    qint64 m_breakerUntilMs = 0;
    QString m_breakerReason;
    QTimer m_breakerTimer;
};

} // namespace dispatch
