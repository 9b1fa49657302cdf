#pragma once

#include "common/monotonicclock.h"
#include "common/parseresult.h"
#include "common/tokenbucket.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QWebSocketProtocol>

class QWebSocket;

namespace dispatch {

class MetricsRegistry;

struct SocketLimits
{
    qsizetype maxMessageBytes = 64 * 1024;
    int idleTimeoutMs = 45'000;  // no message and no pong for this long: the peer is gone
    int pingIntervalMs = 15'000; // keeps NATs open and detects half-open connections
    double maxMessagesPerSecond = 200;
    double maxBytesPerSecond = 4 * 1024 * 1024;
    double burstSeconds = 2;
    int floodCloseAfterDrops = 400; // consecutive rate-limited messages before we hang up
    qint64 maxPendingOutBytes = 8 * 1024 * 1024;
};

// Every WebSocket the server accepts is wrapped in one of these: it enforces the size limits,
// the idle/half-open timeout, a flood limit and outbound backpressure, counts what it drops,
// and answers protocol errors with a clear message and a log line.
class GuardedSocket : public QObject
{
    Q_OBJECT

public:
    enum class Delivery
    {
        Reliable,
        Droppable
    };

    // `clock` times the idle timeout, the rate limits and the error-reply window.
    GuardedSocket(QWebSocket *socket, const SocketLimits &limits, const QString &channel,
                  MetricsRegistry &metrics, MonotonicClock clock = steadyClock(),
                  QObject *parent = nullptr);
    ~GuardedSocket() override;

    QString channel() const { return m_channel; }
    QHostAddress peerAddress() const { return m_peer; }
    bool isOpen() const;
    // Binary messages are refused with "unexpected_binary" instead of being delivered.
    void setTextOnly(bool textOnly) { m_textOnly = textOnly; }

    bool sendText(const QByteArray &utf8, Delivery delivery = Delivery::Reliable);
    bool sendBinary(const QByteArray &data, Delivery delivery = Delivery::Reliable);
    // Sends {"type":"error",...} (rate limited), logs and counts it.
    void rejectMessage(const ProtocolError &error, const QString &callId = QString());
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);

Q_SIGNALS:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    void disconnected();

private:
    bool admit(qsizetype bytes);
    bool mayWrite(qsizetype bytes, Delivery delivery);
    void touch();

    QWebSocket *m_socket;
    SocketLimits m_limits;
    QString m_channel;
    QHostAddress m_peer;
    QTimer m_idle;
    QTimer m_ping;
    MonotonicClock m_clock;
    TokenBucket m_messageTokens;
    TokenBucket m_byteTokens;
    qint64 m_lastActivityMs = 0; // m_clock() time of the last message or pong
    bool m_textOnly = false;
    int m_consecutiveDrops = 0;
    qint64 m_errorWindowStartMs = -1000;
    int m_errorsInWindow = 0;
    quint64 *m_messagesIn;
    quint64 *m_bytesIn;
    quint64 *m_messagesOut;
    quint64 *m_bytesOut;
    quint64 *m_droppedIn;
    quint64 *m_droppedOut;
    quint64 *m_errors;
};

} // namespace dispatch
