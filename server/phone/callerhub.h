#pragma once

#include "calls/callstore.h"
#include "calls/mediabacklog.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

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
};

// The caller side of every call: the phone's signal, audio and vitals sockets. Turns phone
// messages into CallStore commands and CallStore events into messages to the phone. Handles a
// phone that reconnects (re-attaches, never duplicates) and one that vanishes (grace period).
class CallerHub : public QObject
{
    Q_OBJECT

public:
    CallerHub(CallStore &store, MetricsRegistry &metrics, CallerHubConfig config,
              QObject *parent = nullptr);
    ~CallerHub() override;

    void adoptSignal(GuardedSocket *socket, const QString &callId);
    void adoptAudio(GuardedSocket *socket, const QString &callId);
    void adoptVitals(GuardedSocket *socket, const QString &callId);

    // SDP/ICE from the dispatcher side to the phone.
    bool relayToCaller(const QString &callId, const QJsonObject &message);
    int connectedPhones() const;

Q_SIGNALS:
    // SDP/ICE or another typed message from the phone for the dispatcher side.
    void callerMessageRelayed(const QString &callId, const QJsonObject &message);

private:
    struct Link;
    Link &link(const QString &callId);
    void onSignalText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8);
    void onAudioBinary(GuardedSocket *socket, const QString &callId, const QByteArray &pcm);
    void onAudioText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8);
    void onVitalsText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8);
    void onSignalClosed(GuardedSocket *socket, const QString &callId);
    void attachCall(GuardedSocket *socket, const QString &callId,
                    const std::optional<GeoLocation> &location);
    void flushOrphanMedia(const QString &callId);
    void onCallEnded(const QString &callId, EndReason reason);
    static bool openAudio(const Link &l);
    void endHungUpCall(const QString &callId);
    void dropLinkIfUnused(const QString &callId);
    bool refuseIfNotLive(GuardedSocket *socket, const QString &callId);
    bool attachMediaSocket(GuardedSocket *socket, const QString &callId, bool audio);

    CallStore &m_store;
    MetricsRegistry &m_metrics;
    CallerHubConfig m_config;
    QHash<QString, Link *> m_links;
    quint64 *m_reattached;
    quint64 *m_callersLost;
    quint64 *m_orphanDrops;
};

} // namespace dispatch
