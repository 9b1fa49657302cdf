#include "dashboard/hostlink.h"

#include "common/reconnectpolicy.h"
#include "net/tlscredentials.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslCertificate>

Q_LOGGING_CATEGORY(lcHostLink, "dispatch.remote.link")

namespace dispatch::remote {

HostLink::HostLink(HostLinkConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_url(m_config.url)
{
    if (m_url.path().isEmpty() || m_url.path() == QLatin1String("/"))
        m_url.setPath(QStringLiteral("/ws/dashboard"));
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &HostLink::connectNow);
    m_ping.setInterval(std::chrono::seconds(10));
    connect(&m_ping, &QTimer::timeout, this, [this] { sendCommand(dashboard::Ping{}); });
}

HostLink::~HostLink()
{
    stop();
}

QString HostLink::normalizedFingerprint(const QString &fingerprint)
{
    QString hex = fingerprint;
    hex.remove(QLatin1Char(':'));
    return hex.trimmed().toLower();
}

void HostLink::start()
{
    m_running = true;
    m_attempt = 0;
    setState(State::Connecting, tr("connecting to %1").arg(m_url.toDisplayString()));
    connectNow();
}

void HostLink::stop()
{
    m_running = false;
    m_retry.stop();
    m_ping.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void HostLink::setState(State state, const QString &detail)
{
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    qCInfo(lcHostLink).noquote() << "host link" << QVariant::fromValue(state).toString() << "-"
                                 << detail;
    Q_EMIT stateChanged(state, detail);
}

void HostLink::connectNow()
{
    if (!m_running)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_pinRefused = false;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(dashboard::Limits::MaxEventBytes);
    if (!normalizedFingerprint(m_config.pinnedSha256).isEmpty()) {
        // With a pin the pin is the only trust: no CA may vouch for another certificate (one a
        // public CA issued for the host's name, or a corporate proxy's). Without trusted CAs
        // every handshake reaches onSslErrors(), which lets only the pinned certificate through.
        QSslConfiguration tls = m_socket->sslConfiguration();
        tls.setCaCertificates({});
        m_socket->setSslConfiguration(tls);
    }
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_config.token);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        const QString pin = normalizedFingerprint(m_config.pinnedSha256);
        const QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
        if (!pin.isEmpty() &&
            (peer.isNull() || normalizedFingerprint(TlsCredentials::fingerprintOf(peer)) != pin)) {
            // Cannot happen with the CA list emptied above; checked again all the same.
            m_pinRefused = true;
            m_running = false;
            m_socket->abort();
            setState(State::Refused,
                     tr("the host's certificate fingerprint %1 does not match the pinned one")
                         .arg(peer.isNull() ? tr("(none: not TLS)")
                                            : TlsCredentials::fingerprintOf(peer)));
            return;
        }
        m_attempt = 0;
        m_ping.start();
        setState(State::Connected, tr("connected to %1").arg(m_url.toDisplayString()));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &HostLink::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &HostLink::onBinary);
    connect(m_socket, &QWebSocket::sslErrors, this, &HostLink::onSslErrors);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_ping.stop();
        const auto code = m_socket ? m_socket->closeCode() : QWebSocketProtocol::CloseCodeNormal;
        const QString reason = m_socket ? m_socket->closeReason() : QString();
        if (m_pinRefused)
            return; // already Refused, with the reason
        if (code == QWebSocketProtocol::CloseCodePolicyViolated) {
            // The host closed us on purpose (revoked or expired token): retrying cannot help.
            setState(State::Refused, tr("the host closed the connection: %1").arg(reason));
            m_running = false;
            return;
        }
        const QString why = m_socket && !m_socket->errorString().isEmpty() &&
                                    m_socket->error() != QAbstractSocket::UnknownSocketError
                                ? m_socket->errorString()
                                : tr("connection closed (%1)")
                                      .arg(reason.isEmpty() ? QString::number(code) : reason);
        scheduleReconnect(why);
    });
    m_socket->open(request);
}

void HostLink::scheduleReconnect(const QString &why)
{
    if (!m_running)
        return;
    ++m_attempt;
    gemini::ReconnectPolicy policy;
    policy.initialDelayMs = m_config.reconnectMinMs;
    policy.maxDelayMs = m_config.reconnectMaxMs;
    const int delay =
        gemini::backoffDelayMs(policy, m_attempt, QRandomGenerator::global()->generateDouble());
    setState(State::Reconnecting,
             tr("%1; reconnecting in %2 s").arg(why).arg(QString::number(delay / 1000.0, 'f', 1)));
    m_retry.start(delay);
}

void HostLink::onSslErrors(const QList<QSslError> &errors)
{
    const QSslCertificate certificate = m_socket->sslConfiguration().peerCertificate();
    m_peerFingerprint = TlsCredentials::fingerprintOf(certificate);
    const QString pin = normalizedFingerprint(m_config.pinnedSha256);
    if (!pin.isEmpty() && pin == normalizedFingerprint(m_peerFingerprint)) {
        m_socket->ignoreSslErrors(errors);
        return;
    }
    m_pinRefused = true;
    m_running = false;
    m_retry.stop();
    setState(State::Refused,
             pin.isEmpty()
                 ? tr("the host's certificate is not trusted (%1); check its fingerprint on the "
                      "host and pass it with --fingerprint %2")
                       .arg(errors.value(0).errorString(), m_peerFingerprint)
                 : tr("the host's certificate fingerprint %1 does not match the pinned one")
                       .arg(m_peerFingerprint));
}

void HostLink::onText(const QString &text)
{
    auto event = dashboard::parseEvent(text.toUtf8(), QDateTime::currentDateTimeUtc());
    if (!event) {
        // An event type this console does not know comes from a newer host: not a fault.
        if (event.error().code == QLatin1String("unknown_type"))
            qCDebug(lcHostLink).noquote() << "ignored" << event.error().message;
        else
            qCWarning(lcHostLink).noquote()
                << "ignored a bad message from the host:" << event.error().message;
        return;
    }
    Q_EMIT eventReceived(event.value());
}

void HostLink::onBinary(const QByteArray &data)
{
    auto frame = dashboard::parseMediaFrame(data);
    if (!frame) {
        qCWarning(lcHostLink).noquote()
            << "ignored a bad media frame from the host:" << frame.error().message;
        return;
    }
    Q_EMIT mediaReceived(frame.value());
}

bool HostLink::sendCommand(const dashboard::Command &command)
{
    if (m_state != State::Connected || !m_socket)
        return false;
    return m_socket->sendTextMessage(QString::fromUtf8(dashboard::encodeCommand(command))) > 0;
}

bool HostLink::sendMedia(const dashboard::MediaFrame &frame)
{
    if (m_state != State::Connected || !m_socket)
        return false;
    return m_socket->sendBinaryMessage(dashboard::encodeMediaFrame(frame)) > 0;
}

} // namespace dispatch::remote
