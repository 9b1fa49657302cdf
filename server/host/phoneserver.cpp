#include "host/phoneserver.h"

#include "auth/accesspolicy.h"
#include "auth/requestauthenticator.h"
#include "calls/callstore.h"
#include "common/logsafe.h"
#include "common/metricsregistry.h"
#include "dashboard/dashboardhub.h"
#include "host/httpapi.h"
#include "net/guardedserver.h"
#include "net/httpfrontend.h"
#include "net/tlscredentials.h"
#include "phone/phonemessages.h"
#include "phone/phonepage.h"

#include <QEventLoop>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcServer, "dispatch.server.phone")

namespace dispatch {

namespace {

using Status = QHttpServerResponder::StatusCode;

QStringList certificateHostNames(const QHostAddress &listen)
{
    QStringList names{QStringLiteral("localhost"), QStringLiteral("127.0.0.1")};
    const QString host = QHostInfo::localHostName();
    if (!host.isEmpty())
        names.prepend(host);
    if (listen == QHostAddress::Any || listen == QHostAddress::AnyIPv4 ||
        listen == QHostAddress::AnyIPv6) {
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (!a.isLoopback() && a.protocol() == QAbstractSocket::IPv4Protocol)
                names << a.toString();
        }
    } else if (!listen.isLoopback()) {
        names << listen.toString();
    }
    names.removeDuplicates();
    return names;
}

} // namespace

PhoneServerConfig::PhoneServerConfig()
{
    signalLimits.maxMessageBytes = phone::Limits::MaxControlMessageBytes;
    signalLimits.maxMessagesPerSecond = 50;
    mediaLimits.maxMessageBytes = phone::Limits::MaxFrameMessageBytes;
    mediaLimits.maxMessagesPerSecond = 200; // 20 ms audio chunks are 50/s
    mediaLimits.maxBytesPerSecond = 6 * 1024 * 1024;
    vitalsLimits.maxMessageBytes = phone::Limits::MaxControlMessageBytes;
    vitalsLimits.maxMessagesPerSecond = 20;
    dashboardLimits.maxMessageBytes = phone::Limits::MaxControlMessageBytes;
    dashboardLimits.maxMessagesPerSecond = 100;
    dashboardLimits.maxPendingOutBytes = 16 * 1024 * 1024;
}

namespace {

// One monotonic clock for the whole server: the callers' windows follow it unless they have
// their own.
PhoneServerConfig withClocks(PhoneServerConfig config)
{
    if (!config.monotonic)
        config.monotonic = steadyClock();
    if (!config.callers.clock)
        config.callers.clock = config.monotonic;
    return config;
}

} // namespace

PhoneServer::PhoneServer(PhoneServerConfig config, CallStore &store, MetricsRegistry &metrics,
                         QObject *parent)
    : QObject(parent)
    , m_config(withClocks(std::move(config)))
    , m_store(store)
    , m_metrics(metrics)
    , m_policy(std::make_unique<AccessPolicy>(m_config.dashboardToken, m_config.allowedOrigins,
                                              m_config.maxConnectionsPerAddress,
                                              m_config.tokenStorePath))
    , m_http(std::make_unique<HttpFrontend>())
    , m_auth(std::make_unique<RequestAuthenticator>(
          *m_policy,
          AuthThrottle::Limits{m_config.authFailuresBeforeThrottle, m_config.authFailureWindowMs,
                               m_config.authThrottleMs},
          metrics,
          [this](const QHostAddress &peer, const QString &line) { logRefusal(peer, line); },
          m_config.monotonic))
    , m_api(std::make_unique<HttpApi>(store, metrics, *m_auth, m_config.monotonic))
    , m_page(std::make_unique<PhonePage>([this] { return joinInfo().urls; },
                                         QStringLiteral(":/phone"), m_config.phonePageTestOptions))
    , m_callers(new CallerHub(store, metrics, m_config.callers, this))
    , m_dashboards(new DashboardHub(store, *m_callers, m_config.dashboardRevalidationMs, this))
{
    m_dashboards->setTransferTargetCheck(
        [this](const QString &name) { return m_policy->isActiveDispatcher(name); });
    m_dashboards->setTransferTargetList([this] { return m_policy->activeDispatchers(); });
    connect(m_dashboards, &DashboardHub::transferTargetsChanged, this,
            &PhoneServer::transferTargetsChanged);
    m_dashboards->setPrincipalCheck(
        [this](const Principal &principal) { return m_policy->isStillAuthorized(principal); });
    m_refused =
        metrics.counter(QStringLiteral("dispatch_connections_refused_total"),
                        QStringLiteral("Connections refused: WebSocket upgrades (auth, origin, "
                                       "limits) and TCP connections dropped below HTTP"));
    for (const char *code : {"header_too_large", "body_too_large", "body_not_accepted",
                             "bad_request", "responses_not_read"})
        httpRefusals(QLatin1String(code)); // listed at 0 from the start
    m_tcpRefused = metrics.counter(
        QStringLiteral("dispatch_tcp_connections_refused_total"),
        QStringLiteral("TCP connections dropped below HTTP (per-address limit, no TLS handshake "
                       "or request in time); also in dispatch_connections_refused_total"));
    m_gauges.push_back(metrics.addGauge(
        QStringLiteral("dispatch_calls"), QStringLiteral("Calls by state"), [this] {
            MetricsRegistry::Samples samples;
            for (auto s :
                 {CallState::Ringing, CallState::Answered, CallState::OnHold, CallState::Ended})
                samples.append(
                    {QStringLiteral("state=\"%1\"").arg(toString(s)), m_store.countInState(s)});
            return samples;
        }));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_connected_phones"),
                         QStringLiteral("Phones with an open signal connection"), [this] {
                             return MetricsRegistry::Samples{{QString(), connectedPhones()}};
                         }));
    m_gauges.push_back(
        metrics.addGauge(QStringLiteral("dispatch_dashboard_clients"),
                         QStringLiteral("Connected dashboard clients"), [this] {
                             return MetricsRegistry::Samples{{QString(), dashboardClients()}};
                         }));

    m_api->addReadinessCheck(QStringLiteral("listener"), [this]() -> HttpApi::CheckResult {
        return {!m_url.isEmpty(), m_url.toString()};
    });
    m_api->addInfo(QStringLiteral("tls"), [this]() -> QJsonValue {
        return QJsonObject{{QStringLiteral("enabled"), m_secure},
                           {QStringLiteral("sha256_fingerprint"), m_fingerprint}};
    });
    m_api->addInfo(QStringLiteral("connected_phones"),
                   [this]() -> QJsonValue { return connectedPhones(); });
    m_api->registerRoutes(*m_http);
    m_page->registerRoutes(*m_http);

    for (const char *path : {"/ws/signal", "/ws/audio", "/ws/vitals", "/ws/dashboard"}) {
        m_http->route(QHttpServerRequest::Method::Get, QLatin1String(path),
                      [](const QHttpServerRequest &, const QString &) {
                          return jsonResponse(
                              Status::UpgradeRequired, QStringLiteral("websocket_only"),
                              QStringLiteral("this endpoint speaks WebSocket only"));
                      });
    }
    m_http->setUpgradeGate(
        [this](const QHttpServerRequest &request) { return gateUpgrade(request); });
    connect(m_http.get(), &HttpFrontend::newWebSocketConnection, this,
            &PhoneServer::onWebSocketConnection);
}

PhoneServer::~PhoneServer() = default;

quint64 *PhoneServer::httpRefusals(const QString &code)
{
    return m_metrics.counter(
        QStringLiteral("dispatch_http_requests_refused_total"),
        QStringLiteral("HTTP requests refused from their bytes before Qt read them, their "
                       "connections closed (header or body too large, a body with a "
                       "Transfer-Encoding, bad framing, answers left unread); also in "
                       "dispatch_connections_refused_total"),
        QStringLiteral("reason=\"%1\"").arg(code));
}

JoinInfo PhoneServer::joinInfo() const
{
    return {joinUrls(m_url, m_config.address, hostLanAddresses()), m_fingerprint};
}

int PhoneServer::connectedPhones() const
{
    return m_callers->connectedPhones();
}

void PhoneServer::drainPhones(int timeoutMs)
{
    if (connectedPhones() == 0)
        return;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer check; // the sockets close asynchronously: look again until none is left
    connect(&check, &QTimer::timeout, &loop, [this, &loop] {
        if (connectedPhones() == 0)
            loop.quit();
    });
    deadline.start(timeoutMs);
    check.start(20);
    loop.exec();
    if (const int left = connectedPhones(); left > 0)
        qCWarning(lcServer) << left << "phone connection(s) still open after" << timeoutMs
                            << "ms at shutdown";
}

QList<TransferTarget> PhoneServer::transferTargets() const
{
    return m_dashboards->transferTargets();
}

void PhoneServer::revalidateDashboards()
{
    m_dashboards->revalidateClients();
}

QUrl PhoneServer::dashboardUrl() const
{
    const JoinInfo join = joinInfo();
    QUrl url = join.urls.isEmpty() ? m_url : join.urls.constFirst();
    url.setScheme(m_secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QString());
    url.setQuery(QString());
    return url;
}

int PhoneServer::dashboardClients() const
{
    return m_dashboards->clientCount();
}

void PhoneServer::logRefusal(const QHostAddress &peer, const QString &line)
{
    int leftOut = 0;
    if (!m_refusalLog.shouldLog(peer.toString(), m_config.monotonic(), &leftOut))
        return;
    if (leftOut > 0)
        qCWarning(lcServer).noquote()
            << line
            << QStringLiteral("(and %1 more refusals from this address not logged)").arg(leftOut);
    else
        qCWarning(lcServer).noquote() << line;
}

std::optional<QHttpServerResponse> PhoneServer::gateUpgrade(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    const bool dashboard = path == QLatin1String("/ws/dashboard");
    const bool caller = path == QLatin1String("/ws/signal") || path == QLatin1String("/ws/audio") ||
                        path == QLatin1String("/ws/vitals");
    // Everything the peer wrote is made log-safe (escaped, truncated) before it is logged.
    auto deny = [&](Status status, const QString &code, const QString &message) {
        ++*m_refused;
        logRefusal(request.remoteAddress(),
                   QStringLiteral("refused WebSocket %1 from %2 : %3 %4")
                       .arg(logSafe(request.url().path(QUrl::FullyEncoded).toUtf8(), 120),
                            request.remoteAddress().toString(), code, message));
        return std::optional<QHttpServerResponse>(jsonResponse(status, code, message));
    };
    if (!dashboard && !caller)
        return deny(Status::NotFound, QStringLiteral("not_found"),
                    QStringLiteral("no such endpoint"));
    if (!m_policy->isOriginAllowed(request, m_secure))
        return deny(
            Status::Forbidden, QStringLiteral("origin"),
            QStringLiteral("origin %1 is not allowed").arg(logSafe(request.value("origin"), 120)));
    if (dashboard) {
        // Counted, throttled per address and logged by the authenticator.
        const RequestAuthenticator::Result auth = m_auth->authenticate(request);
        if (!auth.ok()) {
            ++*m_refused;
            return RequestAuthenticator::refusal(auth);
        }
    }
    if (caller && !phone::isValidCallId(request.query().queryItemValue(QStringLiteral("call_id"))))
        return deny(Status::BadRequest, QStringLiteral("bad_call_id"),
                    QStringLiteral("call_id must be 1-128 characters of [A-Za-z0-9._:-]"));
    if (caller && request.query().hasQueryItem(QStringLiteral("call_secret")) &&
        !phone::isValidCallSecret(request.query().queryItemValue(QStringLiteral("call_secret"))))
        return deny(Status::BadRequest, QStringLiteral("bad_call_secret"),
                    QStringLiteral("call_secret must be base64url"));
    if (m_policy->connectionsFrom(request.remoteAddress()) >= m_config.maxConnectionsPerAddress)
        return deny(Status::TooManyRequests, QStringLiteral("too_many_connections"),
                    QStringLiteral("too many connections from this address"));
    return std::nullopt;
}

int PhoneServer::tcpConnectionsFrom(const QHostAddress &peer) const
{
    return m_tcpGuard ? m_tcpGuard->openFrom(peer) : 0;
}

void PhoneServer::onWebSocketConnection()
{
    while (m_http->hasPendingWebSocketConnections()) {
        QWebSocket *raw = m_http->nextPendingWebSocketConnection().release();
        const QUrl url = raw->requestUrl();
        const QString path = url.path();
        const QUrlQuery query(url);
        const CallerEndpoint endpoint{query.queryItemValue(QStringLiteral("call_id")),
                                      query.queryItemValue(QStringLiteral("call_secret"))};
        const QHostAddress peer = raw->peerAddress();
        if (m_tcpGuard)
            m_tcpGuard->markUpgraded(peer, raw->peerPort());
        if (!m_policy->admitConnection(peer)) {
            // Upgrades that arrive together all pass the gate before the first is admitted:
            // the ones over the limit are refused here, counted and logged like a 429.
            ++*m_refused;
            logRefusal(peer, QStringLiteral("refused WebSocket %1 from %2 : too_many_connections "
                                            "(over the limit once upgraded; closed 1008)")
                                 .arg(path, peer.toString()));
            raw->close(QWebSocketProtocol::CloseCodePolicyViolated,
                       QStringLiteral("too many connections from this address"));
            raw->deleteLater();
            continue;
        }
        auto make = [&](const SocketLimits &limits, const QString &channel) {
            auto *socket = new GuardedSocket(raw, limits, channel, m_metrics, m_config.monotonic);
            connect(socket, &QObject::destroyed, this,
                    [this, peer] { m_policy->releaseConnection(peer); });
            return socket;
        };
        if (path == QLatin1String("/ws/signal"))
            m_callers->adoptSignal(make(m_config.signalLimits, QStringLiteral("signal")), endpoint);
        else if (path == QLatin1String("/ws/audio"))
            m_callers->adoptAudio(make(m_config.mediaLimits, QStringLiteral("audio")), endpoint);
        else if (path == QLatin1String("/ws/vitals"))
            m_callers->adoptVitals(make(m_config.vitalsLimits, QStringLiteral("vitals")), endpoint);
        else if (path == QLatin1String("/ws/dashboard"))
            adoptDashboard(raw, make(m_config.dashboardLimits, QStringLiteral("dashboard")));
        else {
            raw->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("no route"));
            raw->deleteLater();
            m_policy->releaseConnection(peer);
        }
    }
}

void PhoneServer::adoptDashboard(QWebSocket *raw, GuardedSocket *socket)
{
    // Authenticated again: the gate let this token through a moment ago, but it may have been
    // revoked since.
    const auto auth = m_policy->authenticate(
        AccessPolicy::presentedToken(raw->request().rawHeader("Authorization"), raw->requestUrl()));
    if (!auth.principal) {
        qCWarning(lcServer).noquote() << "refused dashboard after upgrade:" << auth.refusal;
        socket->setParent(this);
        connect(socket, &GuardedSocket::disconnected, socket, &QObject::deleteLater);
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unauthorized"));
        return;
    }
    Principal principal = *auth.principal;
    if (principal.role == Role::Admin) // several consoles may share the bootstrap token
        principal.name = QStringLiteral("admin@%1").arg(raw->peerAddress().toString());
    m_dashboards->adopt(socket, principal);
}

Parsed<bool> PhoneServer::setUpTls()
{
    const bool loopback = m_config.address.isLoopback();
    const bool haveFiles = !m_config.tlsCertPath.isEmpty() || !m_config.tlsKeyPath.isEmpty();
    if (!haveFiles && !m_config.forceTls && (loopback || m_config.allowPlaintext)) {
        if (!loopback)
            qCWarning(lcServer) << "serving PLAINTEXT on" << m_config.address.toString()
                                << "because --allow-plaintext was given";
        return false;
    }
    Parsed<TlsCredentials> credentials =
        haveFiles ? TlsCredentials::load(m_config.tlsCertPath, m_config.tlsKeyPath)
                  : (m_config.dataDir.isEmpty()
                         ? Parsed<TlsCredentials>(ProtocolError{
                               QStringLiteral("tls"),
                               QStringLiteral("no data dir to keep a generated certificate in")})
                         : TlsCredentials::loadOrGenerate(m_config.dataDir,
                                                          certificateHostNames(m_config.address)));
    if (!credentials)
        return credentials.error();
    m_tlsConfiguration = credentials->serverConfiguration();
    m_fingerprint = credentials->sha256Fingerprint();
    qCInfo(lcServer).noquote() << "TLS certificate"
                               << (credentials->wasGenerated() ? "generated" : "loaded")
                               << "- SHA-256 fingerprint" << m_fingerprint;
    return true;
}

Parsed<QUrl> PhoneServer::start()
{
    auto tls = setUpTls();
    if (!tls)
        return tls.error();
    m_secure = tls.value();
    // Guarded below HTTP (and below TLS): half-open peers, stalled handshakes and TCP floods never
    // reach the upgrade gate.
    ConnectionGuard::Limits limits;
    limits.maxPerAddress = m_config.maxTcpConnectionsPerAddress > 0
                               ? m_config.maxTcpConnectionsPerAddress
                               : 2 * m_config.maxConnectionsPerAddress + 64;
    limits.answerTimeoutMs = m_config.requestTimeoutMs;
    limits.idleTimeoutMs = m_config.keepAliveIdleMs;
    limits.maxHeaderBytes = m_config.maxRequestHeaderBytes;
    limits.maxBodyBytes = m_config.maxRequestBodyBytes;
    limits.maxUnreadResponseBytes = m_config.maxUnreadResponseBytes;
    const auto onRefused = [this](const QHostAddress &peer, const QString &code,
                                  const QString &why) {
        ++*m_refused;
        const bool tcp =
            code == QLatin1String("too_many_connections") || code == QLatin1String("timeout");
        if (tcp)
            ++*m_tcpRefused;
        else
            ++*httpRefusals(code);
        logRefusal(peer, QStringLiteral("refused %1 connection from %2 : %3")
                             .arg(tcp ? QStringLiteral("TCP") : QStringLiteral("HTTP"),
                                  peer.toString(), why));
    };
    QTcpServer *listener = nullptr;
    if (m_secure) {
        auto *secure = new GuardedSslServer(limits, onRefused, this);
        secure->setSslConfiguration(m_tlsConfiguration);
        m_tcpGuard = &secure->guard();
        listener = secure;
    } else {
        auto *tcp = new GuardedTcpServer(limits, onRefused, this);
        m_tcpGuard = &tcp->guard();
        listener = tcp;
    }
    quint16 port = 0;
    if (listener->listen(m_config.address, m_config.port)) {
        m_http->bind(listener);
        port = listener->serverPort();
    } else {
        m_tcpGuard = nullptr;
        delete listener;
    }
    if (port == 0)
        return ProtocolError{QStringLiteral("listen"), QStringLiteral("cannot listen on %1:%2")
                                                           .arg(m_config.address.toString())
                                                           .arg(m_config.port)};
    QUrl url;
    url.setScheme(m_secure ? QStringLiteral("https") : QStringLiteral("http"));
    QHostAddress shown = m_config.address;
    if (shown == QHostAddress::Any || shown == QHostAddress::AnyIPv4)
        shown = QHostAddress::LocalHost;
    url.setHost(shown.toString());
    url.setPort(port);
    m_url = url;
    qCInfo(lcServer).noquote() << "phone server listening on" << m_url.toString()
                               << (m_policy->dashboardEnabled() ? "(dashboard token set)"
                                                                : "(dashboard disabled: no token)");
    return m_url;
}

} // namespace dispatch
