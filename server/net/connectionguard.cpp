#include "net/connectionguard.h"

#include "net/httpframer.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#include <utility>

Q_LOGGING_CATEGORY(lcGuard, "dispatch.server.listener")

namespace dispatch {

// One admitted connection: its deadlines, its requests as they arrive, and the release of its
// count. A child of the socket, so it dies with it, and it remembers the peer (a socket forgets
// its peer address once disconnected). The count is released at the socket's disconnection or,
// at the latest, by this destructor: Qt drops every signal connection of a socket it upgrades
// to a WebSocket (QObject::disconnect(), `destroyed` included), but not its children.
class ConnectionWatch : public QObject
{
public:
    enum class Phase
    {
        FirstRequest, // from the accept (TLS handshake included) to the first answer
        Request,      // a later request, from its first byte to its answer
        Idle,         // answered, no new request yet
        Upgraded,     // a WebSocket now: not watched
        Closing       // refused: the refusal is written, then the connection closes
    };

    ConnectionWatch(ConnectionGuard *guard, QTcpSocket *socket, QString key, QString id)
        : QObject(socket)
        , peer(socket->peerAddress())
        , m_guard(guard)
        , m_socket(socket)
        , m_key(std::move(key))
        , m_id(std::move(id))
        , m_framer({guard->limits().maxHeaderBytes, guard->limits().maxBodyBytes})
        , m_limits(guard->limits())
    {
        setObjectName(name());
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &ConnectionWatch::onTimeout);
        connect(socket, &QTcpSocket::disconnected, this, &ConnectionWatch::releaseOnce);
        // Before Qt's HTTP parser, which the HTTP server connects after the socket is queued.
        connect(socket, &QIODevice::readyRead, this, &ConnectionWatch::onReadyRead);
        // An answer written back (a QSslSocket signals only the application data it wrote, not
        // its handshake). The connections are made to this object, not to the listener:
        // QSslServer drops its own connections to an encrypted socket when it queues it.
        connect(socket, &QIODevice::bytesWritten, this, &ConnectionWatch::onAnswered);
        m_timer.start(m_limits.answerTimeoutMs);
    }
    ~ConnectionWatch() override { releaseOnce(); }
    ConnectionWatch(const ConnectionWatch &) = delete;
    ConnectionWatch &operator=(const ConnectionWatch &) = delete;

    static QString name() { return QStringLiteral("dispatch-connection-watch"); }
    static ConnectionWatch *of(QTcpSocket *socket)
    {
        // Only this class names a child so.
        return static_cast<ConnectionWatch *>(
            socket->findChild<QObject *>(name(), Qt::FindDirectChildrenOnly));
    }

    void releaseOnce()
    {
        if (!std::exchange(m_released, true) && m_guard)
            m_guard->release(m_key, m_id);
    }
    bool dropBeforeFirstAnswer(const QString &why)
    {
        if (m_phase != Phase::FirstRequest || !m_timer.isActive())
            return false;
        m_timer.stop();
        report(QStringLiteral("timeout"), why);
        m_socket->abort();
        return true;
    }
    void markUpgraded()
    {
        m_phase = Phase::Upgraded;
        m_timer.stop();
    }

    const QHostAddress peer;

private:
    void report(const QString &code, const QString &why)
    {
        if (m_guard)
            m_guard->refuse(peer, code, why);
    }

    void onReadyRead()
    {
        if (m_phase == Phase::Upgraded || m_phase == Phase::Closing || m_framer.upgraded())
            return; // after an upgrade request the bytes are WebSocket frames, not HTTP
        if (m_socket->bytesToWrite() > m_limits.maxUnreadResponseBytes) {
            m_phase = Phase::Closing;
            m_timer.stop();
            report(QStringLiteral("responses_not_read"),
                   QStringLiteral("more requests with %1 bytes of answers unread")
                       .arg(m_socket->bytesToWrite()));
            m_socket->abort();
            return;
        }
        // Qt's parser reads everything at each readyRead, so what is available now is what
        // arrived since the last one (its transaction keeps the rest of a partial request
        // behind the read position).
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            return;
        const int begun = m_framer.requestsBegun();
        const HttpFramer::Refusal refusal = m_framer.feed(m_socket->peek(available));
        if (refusal != HttpFramer::Refusal::None) {
            refuseRequest(refusal);
            return;
        }
        if (m_framer.requestsBegun() > begun && m_phase == Phase::Idle) {
            m_phase = Phase::Request;
            m_timer.start(m_limits.answerTimeoutMs);
        }
    }

    void onAnswered()
    {
        if (m_phase == Phase::Upgraded || m_phase == Phase::Closing)
            return;
        if (m_framer.inRequest() || m_framer.upgraded()) {
            // The next request is under way already (its deadline runs from this answer), or
            // this was the answer to an upgrade request: the WebSocket is marked upgraded
            // next, or Qt closes a refused one; bounded either way.
            m_phase = Phase::Request;
            m_timer.start(m_limits.answerTimeoutMs);
            return;
        }
        m_phase = Phase::Idle;
        m_timer.start(m_limits.idleTimeoutMs);
    }

    void onTimeout()
    {
        switch (m_phase) {
        case Phase::FirstRequest:
            report(
                QStringLiteral("timeout"),
                QStringLiteral("no complete request within %1 ms").arg(m_limits.answerTimeoutMs));
            m_socket->abort();
            break;
        case Phase::Request:
            report(QStringLiteral("timeout"),
                   QStringLiteral("a request on a kept-alive connection not complete within %1 ms")
                       .arg(m_limits.answerTimeoutMs));
            m_socket->abort();
            break;
        case Phase::Idle:
            // Keep-alive hygiene, not a refusal. Answers the peer never read: nothing to wait for.
            qCDebug(lcGuard) << "closing idle keep-alive connection from" << peer.toString();
            m_phase = Phase::Closing;
            if (m_socket->bytesToWrite() > 0) {
                m_socket->abort();
            } else {
                m_socket->disconnectFromHost();
                m_timer.start(m_limits.answerTimeoutMs);
            }
            break;
        case Phase::Closing:
            m_socket->abort(); // the peer does not take the last bytes
            break;
        case Phase::Upgraded:
            break;
        }
    }

    // Answers the refusal itself and closes: Qt's parser never sees the request, so it never
    // buffers its body, and the socket stops reading (disconnectFromHost) while the answer goes.
    void refuseRequest(HttpFramer::Refusal refusal)
    {
        m_phase = Phase::Closing;
        const int status = HttpFramer::statusOf(refusal);
        const QString code = QString::fromLatin1(HttpFramer::codeOf(refusal));
        QString message;
        switch (refusal) {
        case HttpFramer::Refusal::HeaderTooLarge:
            message = QStringLiteral("request line and headers over %1 bytes")
                          .arg(m_limits.maxHeaderBytes);
            break;
        case HttpFramer::Refusal::BodyTooLarge:
            message = QStringLiteral("request body over %1 bytes").arg(m_limits.maxBodyBytes);
            break;
        case HttpFramer::Refusal::BodyEncoded:
            message = QStringLiteral("no endpoint takes a Transfer-Encoding body");
            break;
        case HttpFramer::Refusal::BadFraming:
        case HttpFramer::Refusal::None:
            message = QStringLiteral("malformed or ambiguous request framing");
            break;
        }
        report(code, QStringLiteral("HTTP %1 %2: %3").arg(status).arg(code, message));
        QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        if (m_socket->isTransactionStarted())
            m_socket->rollbackTransaction();
        m_socket->skip(m_socket->bytesAvailable());
        m_socket->write(refusalBytes(status, code, message));
        m_socket->disconnectFromHost();
        m_timer.start(m_limits.answerTimeoutMs);
    }

    static QByteArray refusalBytes(int status, const QString &code, const QString &message)
    {
        const char *reason = status == 431   ? "Request Header Fields Too Large"
                             : status == 413 ? "Payload Too Large"
                                             : "Bad Request";
        const QByteArray body =
            QStringLiteral("{\"error\":\"%1\",\"message\":\"%2\"}").arg(code, message).toUtf8();
        return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
               "\r\nContent-Type: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    }

    QPointer<ConnectionGuard> m_guard; // may go first when the listener is destroyed
    QTcpSocket *m_socket;
    QString m_key;
    QString m_id;
    HttpFramer m_framer;
    ConnectionGuard::Limits m_limits;
    QTimer m_timer;
    Phase m_phase = Phase::FirstRequest;
    bool m_released = false;
};

namespace {

QString connectionId(const QHostAddress &peer, quint16 port)
{
    return peer.toString() + QLatin1Char('|') + QString::number(port);
}

} // namespace

ConnectionGuard::ConnectionGuard(Limits limits, RefusalHandler onRefused, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_onRefused(std::move(onRefused))
{}

bool ConnectionGuard::admit(QTcpSocket *socket)
{
    const QHostAddress peer = socket->peerAddress();
    const QString key = peer.toString();
    if (m_open.value(key) >= m_limits.maxPerAddress) {
        socket->abort();
        socket->deleteLater();
        refuse(peer, QStringLiteral("too_many_connections"),
               QStringLiteral("too many open TCP connections from this address"));
        return false;
    }
    ++m_open[key];
    const QString id = connectionId(peer, socket->peerPort());
    m_watches.insert(id, new ConnectionWatch(this, socket, key, id));
    return true;
}

bool ConnectionGuard::drop(QTcpSocket *socket, const QString &why)
{
    ConnectionWatch *watch = ConnectionWatch::of(socket);
    return watch && watch->dropBeforeFirstAnswer(why);
}

void ConnectionGuard::markUpgraded(const QHostAddress &peer, quint16 peerPort)
{
    const auto watch = m_watches.take(connectionId(peer, peerPort));
    if (watch)
        watch->markUpgraded();
}

void ConnectionGuard::release(const QString &key, const QString &id)
{
    m_watches.remove(id);
    auto it = m_open.find(key);
    if (it != m_open.end() && --*it <= 0)
        m_open.erase(it);
}

void ConnectionGuard::refuse(const QHostAddress &peer, const QString &code, const QString &why)
{
    if (m_onRefused)
        m_onRefused(peer, code, why);
}

} // namespace dispatch
