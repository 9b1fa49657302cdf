#include "testclient.h"

#include <QJsonDocument>
#include <QTest>

namespace dispatch::test {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &m) {
        m_messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &b) { m_binaries.append(b); });
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Tests pin nothing here: they check the fingerprint separately.
        m_socket.ignoreSslErrors(errors);
    });
}

void TestClient::open(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    m_socket.open(request);
}

bool TestClient::waitConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           timeoutMs);
}

bool TestClient::waitDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

QJsonObject TestClient::waitForType(const QString &type, int timeoutMs, const QString &callId)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (const auto &m : std::as_const(m_messages)) {
                if (m.value(QLatin1String("type")).toString() == type &&
                    (callId.isEmpty() || m.value(QLatin1String("call_id")).toString() == callId)) {
                    found = m;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

int TestClient::countOfType(const QString &type) const
{
    int n = 0;
    for (const auto &m : m_messages)
        n += m.value(QLatin1String("type")).toString() == type ? 1 : 0;
    return n;
}

void TestClient::sendJson(const QJsonObject &message)
{
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

qint64 TestClient::binaryBytes() const
{
    qint64 n = 0;
    for (const auto &b : m_binaries)
        n += b.size();
    return n;
}

QUrl wsUrl(const QUrl &base, const QString &path, const QString &query)
{
    QUrl url = base;
    url.setScheme(base.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                          : QStringLiteral("ws"));
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

} // namespace dispatch::test
