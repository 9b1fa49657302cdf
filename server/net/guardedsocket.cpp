#include "net/guardedsocket.h"

#include "common/metricsregistry.h"
#include "common/ownedbytes.h"
#include "net/errorreply.h"

#include <QLoggingCategory>
#include <QWebSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSocket, "dispatch.server.socket")

namespace dispatch {

GuardedSocket::GuardedSocket(QWebSocket *socket, const SocketLimits &limits, const QString &channel,
                             MetricsRegistry &metrics, MonotonicClock clock, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_channel(channel)
    , m_peer(socket->peerAddress())
    , m_clock(std::move(clock))
    , m_messageTokens(limits.maxMessagesPerSecond,
                      limits.maxMessagesPerSecond * limits.burstSeconds)
    , m_byteTokens(limits.maxBytesPerSecond, limits.maxBytesPerSecond * limits.burstSeconds)
{
    const QString label = QStringLiteral("channel=\"%1\"").arg(channel);
    m_messagesIn = metrics.counter(QStringLiteral("dispatch_messages_received_total"),
                                   QStringLiteral("WebSocket messages received"), label);
    m_bytesIn = metrics.counter(QStringLiteral("dispatch_bytes_received_total"),
                                QStringLiteral("WebSocket payload bytes received"), label);
    m_messagesOut = metrics.counter(QStringLiteral("dispatch_messages_sent_total"),
                                    QStringLiteral("WebSocket messages sent"), label);
    m_bytesOut = metrics.counter(QStringLiteral("dispatch_bytes_sent_total"),
                                 QStringLiteral("WebSocket payload bytes sent"), label);
    m_droppedIn = metrics.counter(QStringLiteral("dispatch_messages_dropped_total"),
                                  QStringLiteral("Messages dropped by rate limits or backpressure"),
                                  label + QStringLiteral(",direction=\"in\""));
    m_droppedOut =
        metrics.counter(QStringLiteral("dispatch_messages_dropped_total"),
                        QStringLiteral("Messages dropped by rate limits or backpressure"),
                        label + QStringLiteral(",direction=\"out\""));
    m_errors = metrics.counter(QStringLiteral("dispatch_protocol_errors_total"),
                               QStringLiteral("Messages refused as malformed or invalid"), label);

    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(limits.maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(limits.maxMessageBytes));
    m_lastActivityMs = m_clock();
    m_errorWindowStartMs = m_lastActivityMs - 1000;

    m_idle.setSingleShot(true);
    m_idle.setInterval(limits.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        // Heard from since the timer started: wait out the rest from the last activity.
        const qint64 quietMs = m_clock() - m_lastActivityMs;
        if (quietMs < m_limits.idleTimeoutMs) {
            m_idle.start(static_cast<int>(m_limits.idleTimeoutMs - quietMs));
            return;
        }
        qCWarning(lcSocket) << m_channel << "connection from" << m_peer.toString()
                            << "idle, closing (half-open or silent peer)";
        m_socket->abort();
    });
    m_ping.setInterval(limits.pingIntervalMs);
    connect(&m_ping, &QTimer::timeout, this, [this] { m_socket->ping(); });
    m_idle.start();
    m_ping.start();

    connect(socket, &QWebSocket::pong, this, [this] { touch(); });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &message) {
        QByteArray utf8 = message.toUtf8();
        if (admit(utf8.size()))
            Q_EMIT textReceived(utf8);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        if (!admit(data.size()))
            return;
        if (m_textOnly)
            rejectMessage({QStringLiteral("unexpected_binary"),
                           QStringLiteral("the %1 channel takes JSON text only").arg(m_channel)});
        else
            Q_EMIT binaryReceived(ownedBytes(data)); // receivers keep audio for a minute
    });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        m_idle.stop();
        m_ping.stop();
        if (m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
            ++*m_errors;
        qCInfo(lcSocket) << m_channel << "connection from" << m_peer.toString() << "closed, code"
                         << m_socket->closeCode() << m_socket->closeReason();
        Q_EMIT disconnected();
    });
}

GuardedSocket::~GuardedSocket() = default;

bool GuardedSocket::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void GuardedSocket::touch()
{
    // Only a timestamp: restarting the QTimer for every message walks the event loop's timer
    // list (one entry per socket), which made the relay O(connections) per chunk.
    m_lastActivityMs = m_clock();
}

bool GuardedSocket::admit(qsizetype bytes)
{
    touch();
    ++*m_messagesIn;
    *m_bytesIn += static_cast<quint64>(bytes);
    const qint64 nowMs = m_clock();
    // Both limits must allow the message before either is charged.
    if (m_messageTokens.available(nowMs) >= 1 &&
        m_byteTokens.available(nowMs) >= static_cast<double>(bytes)) {
        m_messageTokens.take(1, nowMs);
        m_byteTokens.take(static_cast<double>(bytes), nowMs);
        m_consecutiveDrops = 0;
        return true;
    }
    ++*m_droppedIn;
    if (++m_consecutiveDrops == 1)
        rejectMessage({QStringLiteral("rate_limited"),
                       QStringLiteral("too many messages: this one was dropped")});
    if (m_consecutiveDrops >= m_limits.floodCloseAfterDrops) {
        qCWarning(lcSocket) << m_channel << "flood from" << m_peer.toString() << "- closing";
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("rate limit exceeded"));
    }
    return false;
}

bool GuardedSocket::mayWrite(qsizetype bytes, Delivery delivery)
{
    if (!isOpen())
        return false;
    if (delivery == Delivery::Droppable &&
        m_socket->bytesToWrite() + bytes > m_limits.maxPendingOutBytes) {
        ++*m_droppedOut;
        return false;
    }
    ++*m_messagesOut;
    *m_bytesOut += static_cast<quint64>(bytes);
    return true;
}

bool GuardedSocket::sendText(const QByteArray &utf8, Delivery delivery)
{
    if (!mayWrite(utf8.size(), delivery))
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
    return true;
}

bool GuardedSocket::sendBinary(const QByteArray &data, Delivery delivery)
{
    if (!mayWrite(data.size(), delivery))
        return false;
    m_socket->sendBinaryMessage(data);
    return true;
}

void GuardedSocket::rejectMessage(const ProtocolError &error, const QString &callId)
{
    ++*m_errors;
    // At most 5 error replies and log lines a second per socket: garbage must not amplify.
    const qint64 nowMs = m_clock();
    if (nowMs - m_errorWindowStartMs >= 1000) {
        m_errorWindowStartMs = nowMs;
        m_errorsInWindow = 0;
    }
    if (++m_errorsInWindow > 5)
        return;
    qCWarning(lcSocket).noquote() << m_channel << "from" << m_peer.toString() << "call"
                                  << (callId.isEmpty() ? QStringLiteral("-") : callId)
                                  << "refused:" << error.code << error.message;
    sendText(encodeErrorReply(error, callId));
}

void GuardedSocket::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->close(code, reason);
}

} // namespace dispatch
