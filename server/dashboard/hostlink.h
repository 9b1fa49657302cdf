#pragma once

#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"

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
};

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
        Reconnecting,
        Refused // the host refused this console for good (token revoked, certificate mismatch)
    };
    Q_ENUM(State)

    explicit HostLink(HostLinkConfig config, QObject *parent = nullptr);
    ~HostLink() override;

    void start();
    void stop();
    State state() const { return m_state; }
    QString detail() const { return m_detail; }
    QUrl url() const { return m_url; }
    // The host's certificate fingerprint seen on the last TLS handshake (colon-separated).
    QString peerFingerprint() const { return m_peerFingerprint; }

    // False (and nothing sent) while not connected.
    bool sendCommand(const dashboard::Command &command);
    bool sendMedia(const dashboard::MediaFrame &frame);

    static QString normalizedFingerprint(const QString &fingerprint);

Q_SIGNALS:
    void stateChanged(dispatch::remote::HostLink::State state, const QString &detail);
    void eventReceived(const dispatch::dashboard::HostEvent &event);
    void mediaReceived(const dispatch::dashboard::MediaFrame &frame);

private:
    void connectNow();
    void setState(State state, const QString &detail);
    void scheduleReconnect(const QString &why);
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void onSslErrors(const QList<QSslError> &errors);

    HostLinkConfig m_config;
    QUrl m_url;
    QWebSocket *m_socket = nullptr;
    QTimer m_retry;
    QTimer m_ping;
    State m_state = State::Connecting;
    QString m_detail;
    QString m_peerFingerprint;
    int m_attempt = 0;
    bool m_running = false;
    bool m_pinRefused = false;
};

} // namespace dispatch::remote
