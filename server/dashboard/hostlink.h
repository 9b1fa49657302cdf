#pragma once

#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace dispatch::remote {

struct HostLinkConfig
{
    QUrl url;         // ws(s)://host:port; the path /ws/dashboard is added when missing
    QByteArray token; // bearer token issued by the host (never logged)
    // SHA-256 of the host's certificate (hex, colons optional), as the host console shows it.
    // With a pin, only the certificate that matches it is trusted, whatever CAs would say;
    // without one the system's CAs must vouch for it.
    QString pinnedSha256;
    int reconnectMinMs = 500;
    int reconnectMaxMs = 10000;
    // Keep-alive: a ping this often; every message from the host (its pong included) shows it
    // is alive. Silent for stalledAfterMs: Stalled (shown at once, the link stays up); silent
    // for dropAfterMs: the connection is given up and a new one tried.
    int pingIntervalMs = 2000;
    int stalledAfterMs = 5000;
    int dropAfterMs = 15000;
};

// Why the link is in its state: a code the console words in its own language, with the
// untranslated technical part (a URL, a socket error, the host's close reason).
enum class HostLinkReason
{
    Connecting,           // detail: the URL
    Connected,            // detail: the URL
    HostSilent,           // the host answers nothing; silentMs says for how long
    ConnectionLost,       // detail: the socket error or close code
    ClosedByHost,         // the host closed this console for good; detail: its reason
    CertificateUntrusted, // no pin and no CA vouches; detail: the TLS error
    PinMismatch,          // fingerprint: what the host showed (empty: not TLS)
};

struct HostLinkStatus
{
    HostLinkStatus() = default;
    HostLinkStatus(HostLinkReason why, QString technical = QString())
        : reason(why)
        , detail(std::move(technical))
    {}

    HostLinkReason reason = HostLinkReason::Connecting;
    QString detail;
    QString fingerprint; // the host's certificate fingerprint, when the reason is about it
    qint64 silentMs = 0; // HostSilent: since the host was last heard
    int retryInMs = -1;  // Reconnecting: the next attempt is this far away
};

// For logs: English, never shown to a dispatcher (the UI words the reason).
QString englishText(const HostLinkStatus &status);

// A remote console's connection to its host's /ws/dashboard: TLS with a pinned certificate, the
// bearer token, reconnect with backoff and jitter, keep-alive pings; decoded events and binary
// media in, commands and talk-back out. It keeps no call state (StoreMirror does).
class HostLink : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Connecting,
        Connected,
        Stalled, // connected, but the host has not been heard for stalledAfterMs
        Reconnecting,
        Refused // the host refused this console for good (token revoked, certificate mismatch)
    };
    Q_ENUM(State)

    explicit HostLink(HostLinkConfig config, QObject *parent = nullptr);
    ~HostLink() override;

    void start();
    void stop();
    State state() const { return m_state; }
    const HostLinkStatus &status() const { return m_status; }
    QUrl url() const { return m_url; }
    // The host's certificate fingerprint seen on the last TLS handshake (colon-separated).
    QString peerFingerprint() const { return m_peerFingerprint; }

    // False (and nothing sent) while not connected.
    bool sendCommand(const dashboard::Command &command);
    bool sendMedia(const dashboard::MediaFrame &frame);

    static QString normalizedFingerprint(const QString &fingerprint);

Q_SIGNALS:
    void stateChanged(dispatch::remote::HostLink::State state,
                      const dispatch::remote::HostLinkStatus &status);
    void eventReceived(const dispatch::dashboard::HostEvent &event);
    void mediaReceived(const dispatch::dashboard::MediaFrame &frame);

private:
    void connectNow();
    void dropSocket(); // closes the socket, if any, without its signals reaching this link
    void setState(State state, HostLinkStatus status);
    void scheduleReconnect(HostLinkStatus why);
    void heard();
    void checkSilence();
    void refuse(HostLinkStatus why);
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void onSslErrors(const QList<QSslError> &errors);

    HostLinkConfig m_config;
    QUrl m_url;
    QWebSocket *m_socket = nullptr;
    QTimer m_retry;
    QTimer m_ping; // also checks how long the host has been silent
    QElapsedTimer m_lastHeard;
    State m_state = State::Connecting;
    HostLinkStatus m_status;
    QString m_peerFingerprint;
    int m_attempt = 0;
    bool m_running = false;
    bool m_pinRefused = false;
    bool m_handshaking = false; // a connection is being opened
};

} // namespace dispatch::remote
