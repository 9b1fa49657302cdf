#include "testclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTest>
#include <QTimer>

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

qint64 TestClient::sendPaced(const QByteArray &pcm, qsizetype chunkBytes, double msPerChunk,
                             const std::function<bool()> &stop)
{
    QElapsedTimer clock;
    clock.start();
    qsizetype at = 0;
    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    auto sendDue = [&] {
        // Every chunk whose time has come (a late tick catches up: the pace stays real).
        while (at < pcm.size() && at / chunkBytes * msPerChunk <= double(clock.elapsed())) {
            if (stop && stop()) {
                loop.quit();
                return;
            }
            m_socket.sendBinaryMessage(pcm.mid(at, chunkBytes));
            at += chunkBytes;
        }
        if (at >= pcm.size())
            loop.quit();
    };
    QObject::connect(&tick, &QTimer::timeout, &loop, sendDue);
    tick.start(std::max(1, int(msPerChunk / 2)));
    sendDue();
    if (at < pcm.size() && !(stop && stop()))
        loop.exec();
    return std::min<qint64>(at, pcm.size());
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
