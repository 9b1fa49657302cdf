#pragma once

#include "common/metricsregistry.h"
#include "common/monotonicclock.h"
#include "domain/transfertarget.h"
#include "net/guardedsocket.h"
#include "net/refusallog.h"
#include "phone/callerhub.h"
#include "phone/joinlinks.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <vector>

namespace dispatch {

class AccessPolicy;
class CallStore;
class DashboardHub;
class HttpApi;
class ConnectionGuard;
class HttpFrontend;
class MetricsRegistry;
class PhonePage;
class RequestAuthenticator;

struct PhoneServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    QString dataDir;           // where a generated certificate goes
    QByteArray dashboardToken; // the bootstrap admin token; empty: only issued tokens
    QString tokenStorePath;    // issued dispatcher/supervisor tokens (TokenStore); empty: none
    QString tlsCertPath;       // with tlsKeyPath: serve HTTPS/WSS with this certificate
    QString tlsKeyPath;
    bool allowPlaintext = false;       // plain ws:// off loopback (not recommended)
    bool forceTls = false;             // TLS on loopback too (e.g. to test the phone page on https)
    QStringList allowedOrigins;        // extra browser origins besides same-origin
    bool phonePageTestOptions = false; // the phone page honours autostart & co. (tests only)
    int maxConnectionsPerAddress = 64;
    // Plain and TLS listener alike (ConnectionGuard): open TCP connections per address,
    // upgraded or not (0: 2 x maxConnectionsPerAddress + 64, room for refusals in flight), and
    // how long a request may take until it is answered: the first one from the accept (TLS
    // handshake included; also the TLS handshake timeout), each later one on a kept-alive
    // connection from its first byte.
    int maxTcpConnectionsPerAddress = 0;
    int requestTimeoutMs = 10'000;
    // A kept-alive connection with no request for this long after an answer is closed.
    int keepAliveIdleMs = 5'000;
    // No route takes a body: a request announcing more (or any Transfer-Encoding) is answered
    // 413 and its connection closed before the body is read; request line and headers over
    // maxRequestHeaderBytes get 431. Both are decided from the bytes, before Qt buffers them.
    qsizetype maxRequestHeaderBytes = 16 * 1024;
    qsizetype maxRequestBodyBytes = 1024;
    // A peer that sends requests without reading this much of its answers is dropped.
    qint64 maxUnreadResponseBytes = 1024 * 1024;
    // Failed authentications (a token presented and refused) per address, on the admin routes
    // and the dashboard upgrade: after authFailuresBeforeThrottle within authFailureWindowMs,
    // the address gets 429 for authThrottleMs without its tokens being checked.
    int authFailuresBeforeThrottle = 10;
    int authFailureWindowMs = 60'000;
    int authThrottleMs = 60'000;
    // Dashboard clients whose token was revoked or has expired are closed within this long
    // (and at once on revalidateDashboards()).
    int dashboardRevalidationMs = 5'000;
    // Monotonic milliseconds for every window, rate and deadline this server keeps (auth
    // throttle, refusal log, socket idle and rate limits, and callers.clock when that is
    // empty); empty: steadyClock(). Tests pass a fake they advance by hand.
    MonotonicClock monotonic;
    CallerHubConfig callers;
    SocketLimits signalLimits;
    SocketLimits mediaLimits;
    SocketLimits vitalsLimits;
    SocketLimits dashboardLimits;

    PhoneServerConfig();
};

// HTTP and WebSocket on one port: the phone endpoints of the seed protocol, the authenticated
// dashboard, and the HTTP API. TLS for any non-loopback listener.
class PhoneServer : public QObject
{
    Q_OBJECT

public:
    PhoneServer(PhoneServerConfig config, CallStore &store, MetricsRegistry &metrics,
                QObject *parent = nullptr);
    ~PhoneServer() override;

    // Listens; on success returns the base URL (http(s)://host:port).
    Parsed<QUrl> start();
    QUrl url() const { return m_url; }
    bool isSecure() const { return m_secure; }
    // Open TCP connections from `peer` as the listener's guard counts them (its per-address limit).
    int tcpConnectionsFrom(const QHostAddress &peer) const;
    QString tlsFingerprint() const { return m_fingerprint; }
    // The phone page's URLs on this host's LAN addresses and the certificate fingerprint.
    JoinInfo joinInfo() const;
    int connectedPhones() const;
    // At shutdown, after the calls were ended: runs the event loop until every phone has been
    // told and has closed (or `timeoutMs` passes), so that no caller is cut off unaware.
    void drainPhones(int timeoutMs);
    int dashboardClients() const;
    // Issued dashboard tokens (empty: only the bootstrap token is accepted).
    QString tokenStorePath() const { return m_config.tokenStorePath; }
    // Closes the dashboard connections whose token was revoked or expired, now (and looks at
    // the transfer targets again).
    void revalidateDashboards();
    // Who calls may be transferred to: connected dashboard dispatchers (online) and active
    // issued dispatcher tokens.
    QList<TransferTarget> transferTargets() const;
    // Where a remote console connects: ws(s)://<first join address>:<port>.
    QUrl dashboardUrl() const;
    HttpApi &httpApi() { return *m_api; }

Q_SIGNALS:
    void transferTargetsChanged(const QList<dispatch::TransferTarget> &targets);

private:
    std::optional<QHttpServerResponse> gateUpgrade(const QHttpServerRequest &request);
    // Logs a refusal, at most a few lines per address per 10 s (RefusalLog).
    void logRefusal(const QHostAddress &peer, const QString &line);
    // dispatch_http_requests_refused_total{reason="code"}
    quint64 *httpRefusals(const QString &code);
    void onWebSocketConnection();
    void adoptDashboard(QWebSocket *raw, GuardedSocket *socket);
    Parsed<bool> setUpTls();

    PhoneServerConfig m_config;
    CallStore &m_store;
    MetricsRegistry &m_metrics;
    std::unique_ptr<AccessPolicy> m_policy;
    std::unique_ptr<HttpFrontend> m_http;
    RefusalLog m_refusalLog;
    std::unique_ptr<RequestAuthenticator> m_auth;
    ConnectionGuard *m_tcpGuard = nullptr; // the listener's (plain or TLS; owned by m_http)
    std::unique_ptr<HttpApi> m_api;
    std::unique_ptr<PhonePage> m_page;
    CallerHub *m_callers;
    DashboardHub *m_dashboards;
    QUrl m_url;
    bool m_secure = false;
    QString m_fingerprint;
    QSslConfiguration m_tlsConfiguration; // when m_secure
    quint64 *m_refused;
    quint64 *m_tcpRefused;
    std::vector<GaugeHandle> m_gauges; // last: removed first, before what they sample
};

} // namespace dispatch
