#include "dashboard/hostlink.h"

#include "common/reconnectpolicy.h"
#include "net/tlscredentials.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslCertificate>

Q_LOGGING_CATEGORY(lcHostLink, "dispatch.remote.link")

namespace dispatch::remote {

QString englishText(const HostLinkStatus &status)
{
    QString text;
    switch (status.reason) {
    case HostLinkReason::Connecting:
        text = QStringLiteral("connecting to %1").arg(status.detail);
        break;
    case HostLinkReason::Connected:
        text = QStringLiteral("connected to %1").arg(status.detail);
        break;
    case HostLinkReason::HostSilent:
        text = QStringLiteral("the host has answered nothing for %1 s").arg(status.silentMs / 1000);
        break;
    case HostLinkReason::ConnectionLost:
        text = QStringLiteral("connection lost (%1)").arg(status.detail);
        break;
    case HostLinkReason::ClosedByHost:
        text = QStringLiteral("the host closed the connection: %1").arg(status.detail);
        break;
    case HostLinkReason::CertificateUntrusted:
        text = QStringLiteral("the host's certificate %1 is not trusted (%2)")
                   .arg(status.fingerprint, status.detail);
        break;
    case HostLinkReason::PinMismatch:
        text = QStringLiteral("the host's certificate fingerprint %1 does not match the pinned one")
                   .arg(status.fingerprint.isEmpty() ? QStringLiteral("(none: not TLS)")
                                                     : status.fingerprint);
        break;
    }
    if (status.retryInMs >= 0)
        text += QStringLiteral("; reconnecting in %1 s")
                    .arg(QString::number(status.retryInMs / 1000.0, 'f', 1));
    return text;
}

HostLink::HostLink(HostLinkConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_url(m_config.url)
{
    if (m_url.path().isEmpty() || m_url.path() == QLatin1String("/"))
        m_url.setPath(QStringLiteral("/ws/dashboard"));
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &HostLink::connectNow);
    m_ping.setInterval(m_config.pingIntervalMs);
    connect(&m_ping, &QTimer::timeout, this, [this] {
        checkSilence();
        sendCommand(dashboard::Ping{});
    });
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
    setState(State::Connecting, {HostLinkReason::Connecting, m_url.toDisplayString()});
    connectNow();
}

void HostLink::stop()
{
    m_running = false;
    m_retry.stop();
    m_ping.stop();
    dropSocket();
}

void HostLink::dropSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void HostLink::setState(State state, HostLinkStatus status)
{
    const bool same = state == m_state && status.reason == m_status.reason &&
                      status.detail == m_status.detail && status.silentMs == m_status.silentMs;
    if (same)
        return;
    m_state = state;
    m_status = std::move(status);
    qCInfo(lcHostLink).noquote() << "host link" << QVariant::fromValue(state).toString() << "-"
                                 << englishText(m_status);
    Q_EMIT stateChanged(m_state, m_status);
}

void HostLink::refuse(HostLinkStatus why)
{
    m_pinRefused = true;
    m_running = false;
    m_retry.stop();
    m_ping.stop();
    setState(State::Refused, std::move(why));
}

void HostLink::heard()
{
    m_lastHeard.start();
    if (m_state == State::Stalled)
        setState(State::Connected, {HostLinkReason::Connected, m_url.toDisplayString()});
}

void HostLink::checkSilence()
{
    const bool up = m_state == State::Connected || m_state == State::Stalled;
    if (!up && !m_handshaking)
        return;
    const qint64 silent = m_lastHeard.elapsed();
    if (silent >= m_config.dropAfterMs) {
        // A host that froze (or a path that silently lost every packet) never closes the
        // connection itself: give it up and try a new one.
        m_ping.stop();
        m_handshaking = false;
        dropSocket();
        HostLinkStatus why{HostLinkReason::HostSilent};
        why.silentMs = silent;
        scheduleReconnect(why);
    } else if (silent >= m_config.stalledAfterMs) {
        HostLinkStatus why{HostLinkReason::HostSilent};
        why.silentMs = silent;
        setState(State::Stalled, why);
    }
}

void HostLink::connectNow()
{
    if (!m_running)
        return;
    dropSocket();
    m_pinRefused = false;
    // A host that accepts the connection and then answers nothing is given up like a silent one.
    m_handshaking = true;
    m_lastHeard.start();
    m_ping.start();
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
            HostLinkStatus why{HostLinkReason::PinMismatch};
            why.fingerprint = peer.isNull() ? QString() : TlsCredentials::fingerprintOf(peer);
            m_socket->abort();
            refuse(why);
            return;
        }
        m_attempt = 0;
        m_handshaking = false;
        m_lastHeard.start();
        setState(State::Connected, {HostLinkReason::Connected, m_url.toDisplayString()});
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &HostLink::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &HostLink::onBinary);
    connect(m_socket, &QWebSocket::sslErrors, this, &HostLink::onSslErrors);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_ping.stop();
        m_handshaking = false;
        const auto code = m_socket ? m_socket->closeCode() : QWebSocketProtocol::CloseCodeNormal;
        const QString reason = m_socket ? m_socket->closeReason() : QString();
        if (m_pinRefused)
            return; // already Refused, with the reason
        if (code == QWebSocketProtocol::CloseCodePolicyViolated) {
            // The host closed us on purpose (revoked or expired token): retrying cannot help.
            refuse({HostLinkReason::ClosedByHost, reason});
            return;
        }
        const QString why = m_socket && !m_socket->errorString().isEmpty() &&
                                    m_socket->error() != QAbstractSocket::UnknownSocketError
                                ? m_socket->errorString()
                                : (reason.isEmpty() ? QString::number(code) : reason);
        scheduleReconnect({HostLinkReason::ConnectionLost, why});
    });
    m_socket->open(request);
}

void HostLink::scheduleReconnect(HostLinkStatus why)
{
    if (!m_running)
        return;
    ++m_attempt;
    gemini::ReconnectPolicy policy;
    policy.initialDelayMs = m_config.reconnectMinMs;
    policy.maxDelayMs = m_config.reconnectMaxMs;
    const int delay =
        gemini::backoffDelayMs(policy, m_attempt, QRandomGenerator::global()->generateDouble());
    why.retryInMs = delay;
    setState(State::Reconnecting, std::move(why));
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
    HostLinkStatus why{pin.isEmpty() ? HostLinkReason::CertificateUntrusted
                                     : HostLinkReason::PinMismatch,
                       errors.value(0).errorString()};
    why.fingerprint = m_peerFingerprint;
    refuse(why);
}

void HostLink::onText(const QString &text)
{
    heard();
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
    heard();
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
    if ((m_state != State::Connected && m_state != State::Stalled) || !m_socket)
        return false;
    return m_socket->sendTextMessage(QString::fromUtf8(dashboard::encodeCommand(command))) > 0;
}

bool HostLink::sendMedia(const dashboard::MediaFrame &frame)
{
    if ((m_state != State::Connected && m_state != State::Stalled) || !m_socket)
        return false;
    return m_socket->sendBinaryMessage(dashboard::encodeMediaFrame(frame)) > 0;
}

} // namespace dispatch::remote
