#pragma once

#include "calls/callstore.h"
#include "calls/mediabacklog.h"
#include "common/monotonicclock.h"
#include "phone/newcalllimiter.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <unordered_map>

namespace dispatch {

class GuardedSocket;
class MetricsRegistry;

struct CallerHubConfig
{
    int reconnectGraceMs = 30'000; // a vanished phone may come back this long before "caller lost"
    int orphanTimeoutMs = 10'000;  // media for a call that never starts is refused after this
    qsizetype orphanAudioBytes = 3 * 16000 * 2; // audio kept while waiting for call_initiated
    // After the caller hangs up, audio the phone sent before it (on its own socket, which may be
    // read after the signal socket) is still taken for this long, or until the phone closes its
    // audio socket, before the call ends.
    int hangUpDrainMs = 500;
    // Phones that speak only the seed protocol never learn the call's secret. Their first audio
    // socket and first vitals socket are accepted without it when they come from the address
    // that started the call, within this long of call_initiated (or before it). Anything later
    // (a reconnect, a second socket, another address) needs the secret.
    int firstMediaWindowMs = 10'000;
    // Audio accepted per call, as a multiple of real time (16 kHz s16le: 32,000 bytes/s), with
    // this much saved-up allowance for a phone resending after a blip; the rest is dropped and
    // counted. 0: no limit (benchmarks and tests that send faster than real time).
    double maxAudioRealTime = 2.0;
    double audioBurstSeconds = 6.0;
    NewCallLimiter::Limits newCalls;
    // Monotonic milliseconds for the windows and rates above (tests inject a fake clock);
    // empty: steadyClock().
    MonotonicClock clock;
};

// What a phone's WebSocket URL says: ?call_id=X[&call_secret=S].
struct CallerEndpoint
{
    QString callId;
    QString secret;
};

// The caller side of every call: the phone's signal, audio and vitals sockets. Turns phone
// messages into CallStore commands and CallStore events into messages to the phone. Handles a
// phone that reconnects (re-attaches, never duplicates) and one that vanishes (grace period).
// A call id is not a credential: the socket that starts a call is sent the call's secret, and
// every later attachment must present it (server/PROTOCOL.md, "Call credential").
class CallerHub : public QObject
{
    Q_OBJECT

public:
    CallerHub(CallStore &store, MetricsRegistry &metrics, CallerHubConfig config,
              QObject *parent = nullptr);
    ~CallerHub() override;

    void adoptSignal(GuardedSocket *socket, const CallerEndpoint &endpoint);
    void adoptAudio(GuardedSocket *socket, const CallerEndpoint &endpoint);
    void adoptVitals(GuardedSocket *socket, const CallerEndpoint &endpoint);

    // SDP/ICE from the dispatcher side to the phone.
    bool relayToCaller(const QString &callId, const QJsonObject &message);
    int connectedPhones() const;

Q_SIGNALS:
    // WebRTC SDP/ICE from the phone for the dispatcher side (data, never a host event).
    void callerMessageRelayed(const QString &callId, const QJsonObject &message);

private:
    struct Link;
    Link &link(const QString &callId);
    Link *findLink(const QString &callId) const; // null when the call has no link
    enum class MediaKind
    {
        Audio,
        Vitals
    };
    void onSignalText(GuardedSocket *socket, const CallerEndpoint &endpoint,
                      const QByteArray &utf8);
    void onAudioBinary(GuardedSocket *socket, const QString &callId, const QByteArray &pcm);
    void onAudioText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8);
    void onVitalsText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8);
    void onSignalClosed(GuardedSocket *socket, const QString &callId);
    void attachCall(GuardedSocket *socket, const CallerEndpoint &endpoint,
                    const std::optional<GeoLocation> &location, const QString &presentedSecret);
    bool startCall(GuardedSocket *socket, const QString &callId,
                   const std::optional<GeoLocation> &location);
    void refuseCredential(GuardedSocket *socket, const QString &callId, const QString &code,
                          const QString &message);
    bool mayAttachMedia(const Link &l, MediaKind kind, GuardedSocket *socket,
                        const CallerEndpoint &endpoint, QString *code, QString *why) const;
    int ringingFrom(const QHostAddress &address) const;
    qint64 nowMs() const;
    void flushOrphanMedia(const QString &callId);
    void onCallEnded(const QString &callId, EndReason reason);
    void endHungUpCall(const QString &callId);
    void dropLinkIfUnused(const QString &callId);
    bool refuseIfNotLive(GuardedSocket *socket, const QString &callId);
    bool attachMediaSocket(GuardedSocket *socket, const CallerEndpoint &endpoint, MediaKind kind);
    bool admitAudio(GuardedSocket *socket, const QString &callId, qsizetype bytes);

    CallStore &m_store;
    MetricsRegistry &m_metrics;
    CallerHubConfig m_config;
    std::unordered_map<QString, std::unique_ptr<Link>> m_links;
    NewCallLimiter m_newCalls;
    quint64 *m_reattached;
    quint64 *m_credentialRefused;
    quint64 *m_callsRefused;
    quint64 *m_audioOverRate;
    quint64 *m_callersLost;
    quint64 *m_orphanDrops;
};

} // namespace dispatch
