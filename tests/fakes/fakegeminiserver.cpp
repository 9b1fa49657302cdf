#include "fakegeminiserver.h"

#include "fakegeminiconnection.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace dispatch::fakes {

namespace {

constexpr qsizetype MaxRequestHead = 16 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray statusName(int status)
{
    switch (status) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 429:
        return "RESOURCE_EXHAUSTED";
    default:
        return "UNAVAILABLE";
    }
}

} // namespace

FakeGeminiServer::FakeGeminiServer(FakeGeminiConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_front(new QTcpServer(this))
    , m_webSockets(new QWebSocketServer(QStringLiteral("fake-gemini"),
                                        QWebSocketServer::NonSecureMode, this))
{
    connect(m_front, &QTcpServer::newConnection, this, &FakeGeminiServer::onFrontConnection);
    connect(m_webSockets, &QWebSocketServer::newConnection, this,
            &FakeGeminiServer::onWebSocketConnection);
}

FakeGeminiServer::~FakeGeminiServer()
{
    for (const auto &c : std::as_const(m_connections)) {
        if (c)
            c->disconnect(this);
    }
}

bool FakeGeminiServer::listen(const QHostAddress &address, quint16 port)
{
    return m_front->listen(address, port);
}

quint16 FakeGeminiServer::port() const
{
    return m_front->serverPort();
}

QUrl FakeGeminiServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_front->serverAddress().toString());
    url.setPort(port());
    return url;
}

void FakeGeminiServer::queueInputTranscripts(const QStringList &texts)
{
    m_inputTranscripts += texts;
}

void FakeGeminiServer::queueReplies(const QStringList &texts)
{
    m_replies += texts;
}

void FakeGeminiServer::scriptToolCall(int userTurn, const QList<FakeToolCall> &calls)
{
    m_toolScript[userTurn] += calls;
}

void FakeGeminiServer::triggerToolCall(const QList<FakeToolCall> &calls)
{
    for (const auto &c : std::as_const(m_connections)) {
        if (c && c->isOpen())
            c->startToolCall(calls);
    }
}

void FakeGeminiServer::injectOnNextConnection(FakeFault fault)
{
    m_faultsForNextConnections.append(fault);
}

void FakeGeminiServer::injectNow(FakeFault fault)
{
    for (const auto &c : std::as_const(m_connections)) {
        if (c && c->isOpen())
            c->applyFault(fault);
    }
}

bool FakeGeminiServer::triggerToolCallOn(int connectionId, const QList<FakeToolCall> &calls)
{
    const auto c = m_connections.value(connectionId);
    if (!c || !c->isOpen())
        return false;
    c->startToolCall(calls);
    return true;
}

bool FakeGeminiServer::injectOn(int connectionId, FakeFault fault)
{
    const auto c = m_connections.value(connectionId);
    if (!c || !c->isOpen())
        return false;
    c->applyFault(fault);
    return true;
}

void FakeGeminiServer::refuseNextUpgrade(int httpStatus)
{
    m_refuseStatuses.append(httpStatus);
}

void FakeGeminiServer::sendToAll(const QByteArray &payload, bool binary)
{
    for (const auto &c : std::as_const(m_connections)) {
        if (c && c->isOpen())
            c->sendRaw(payload, binary);
    }
}

int FakeGeminiServer::liveConnectionCount() const
{
    int n = 0;
    for (const auto &c : m_connections) {
        if (c && c->isOpen())
            ++n;
    }
    return n;
}

// The HTTP front: read the upgrade request ourselves (path, key, refusal), then hand the socket,
// with its unread request, to QWebSocketServer.
void FakeGeminiServer::onFrontConnection()
{
    while (QTcpSocket *socket = m_front->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onFrontData(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->bytesAvailable() > 0)
            onFrontData(socket);
    }
}

void FakeGeminiServer::onFrontData(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(MaxRequestHead);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= MaxRequestHead)
            refuse(socket, 431);
        return;
    }
    socket->disconnect(this);

    const QList<QByteArray> lines = head.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    const QByteArray target = requestLine.value(1);
    const qsizetype q = target.indexOf('?');
    FakeUpgradeRequest request;
    request.path = QString::fromLatin1(q < 0 ? target : target.left(q));
    request.query = q < 0 ? QString() : QString::fromLatin1(target.mid(q + 1));
    QHash<QByteArray, QByteArray> headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                           lines.at(i).mid(colon + 1).trimmed());
    }

    static const QRegularExpression pathRe(QStringLiteral(
        "^/ws/google\\.ai\\.generativelanguage\\.(v1beta|v1alpha)\\."
        "GenerativeService\\.(BidiGenerateContent|BidiGenerateContentConstrained)$"));
    static const QRegularExpression vertexPathRe(QStringLiteral(
        "^/ws/google\\.cloud\\.aiplatform\\.(v1beta1)\\.LlmBidiService/BidiGenerateContent$"));
    const auto vertexMatch = vertexPathRe.match(request.path);
    request.vertex = vertexMatch.hasMatch();
    const auto match = request.vertex ? vertexMatch : pathRe.match(request.path);
    const bool constrained = match.captured(2) == QLatin1String("BidiGenerateContentConstrained");
    if (!match.hasMatch() || (constrained && match.captured(1) != QLatin1String("v1alpha"))) {
        m_lastUpgrade = request;
        refuse(socket, 404);
        return;
    }

    const QUrlQuery query(request.query);
    const QString headerKey = QString::fromUtf8(headers.value("x-goog-api-key"));
    const QString queryKey = query.queryItemValue(QStringLiteral("key"));
    const QString token = query.queryItemValue(QStringLiteral("access_token"));
    QString authorization = QString::fromUtf8(headers.value("authorization"));
    request.authorizationScheme = authorization.section(QLatin1Char(' '), 0, 0);
    const bool bearer = authorization.startsWith(QLatin1String("Bearer "));
    if (authorization.startsWith(QLatin1String("Token ")) || bearer)
        authorization = authorization.mid(bearer ? 7 : 6);
    request.keyInHeader = !headerKey.isEmpty();
    request.keyInQuery = !queryKey.isEmpty() || !token.isEmpty();
    const QString expected = m_config.expectedApiKey;
    request.authorized = expected.isEmpty() || headerKey == expected || queryKey == expected ||
                         token == expected || authorization == expected;
    if (request.vertex) // OAuth2 only: an API key (express mode) is not emulated
        request.authorized = bearer && m_bearerTokens.contains(authorization);
    m_lastUpgrade = request;
    if (request.vertex && !request.authorized) {
        refuse(socket, 401);
        return;
    }

    if (!m_refuseStatuses.isEmpty()) {
        refuse(socket, m_refuseStatuses.takeFirst());
        return;
    }
    m_pendingUpgrades.insert(socket->peerPort(),
                             {match.captured(1), request.authorized, request.vertex});
    m_webSockets->handleConnection(socket);
}

void FakeGeminiServer::refuse(QTcpSocket *socket, int status)
{
    socket->disconnect(this);
    const QByteArray body =
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("error"),
                 QJsonObject{{QStringLiteral("code"), status},
                             {QStringLiteral("message"), QStringLiteral("refused by the fake")},
                             {QStringLiteral("status"), QString::fromLatin1(statusName(status))}}}})
            .toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                  "\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
    Q_EMIT upgradeRefused(status);
}

void FakeGeminiServer::onWebSocketConnection()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        const UpgradeInfo info = m_pendingUpgrades.take(socket->peerPort());
        const int id = ++m_connectionsAccepted;
        std::optional<FakeFault> fault;
        if (!m_faultsForNextConnections.isEmpty())
            fault = m_faultsForNextConnections.takeFirst();
        const auto version = info.vertex ? FakeApiVersion::VertexV1beta1
                             : info.apiVersion == QLatin1String("v1alpha") ? FakeApiVersion::V1alpha
                                                                           : FakeApiVersion::V1beta;
        auto *connection =
            new FakeGeminiConnection(socket, id, version, info.authorized, fault, this);
        m_connections.insert(id, connection);
        Q_EMIT connectionOpened(id);
        if (!info.authorized)
            connection->applyFault(FakeFault::BadApiKey);
    }
}

QString FakeGeminiServer::nextInputTranscript()
{
    return m_inputTranscripts.isEmpty() ? m_config.defaultInputTranscript
                                        : m_inputTranscripts.takeFirst();
}

QString FakeGeminiServer::nextReply()
{
    return m_replies.isEmpty() ? m_config.defaultReply : m_replies.takeFirst();
}

QString FakeGeminiServer::nextCallId()
{
    return QStringLiteral("function-call-%1").arg(++m_nextCallId);
}

QString FakeGeminiServer::issueHandle(const SessionSnapshot &snapshot)
{
    const QString handle = QStringLiteral("fake-handle-%1").arg(++m_nextHandle);
    m_handles.insert(handle, snapshot);
    return handle;
}

std::optional<FakeGeminiServer::SessionSnapshot>
FakeGeminiServer::snapshot(const QString &handle) const
{
    const auto it = m_handles.constFind(handle);
    if (it == m_handles.constEnd())
        return std::nullopt;
    return *it;
}

QList<FakeToolCall> FakeGeminiServer::scriptedCalls(int userTurn) const
{
    return m_toolScript.value(userTurn);
}

void FakeGeminiServer::countAudio(int connectionId, qint64 bytes)
{
    m_audioBytes[connectionId] += bytes;
    m_totalAudioBytes += bytes;
    Q_EMIT audioReceived(connectionId, bytes);
}

} // namespace dispatch::fakes
