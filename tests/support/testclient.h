#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QWebSocket>

#include <functional>

namespace dispatch::test {

// A real WebSocket client that records everything it receives, for tests that play a phone,
// a dashboard or a hostile peer against a real server on 127.0.0.1.
class TestClient : public QObject
{
    Q_OBJECT

public:
    explicit TestClient(QObject *parent = nullptr);

    void open(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    bool waitConnected(int timeoutMs = 5000);
    bool waitDisconnected(int timeoutMs = 5000);
    // Waits until a text message of this type (and call id, when given) has arrived.
    QJsonObject waitForType(const QString &type, int timeoutMs = 5000,
                            const QString &callId = QString());
    int countOfType(const QString &type) const;

    void sendJson(const QJsonObject &message);
    // Sends pcm as binary messages of chunkBytes, one every msPerChunk (20 ms of 16 kHz audio
    // is 640 bytes: 20.0 is real time), paced by a precise timer so the test process sleeps
    // between chunks instead of spinning (a spinning test takes a core from the server under
    // test). Stops early once `stop` returns true. Returns the bytes sent.
    qint64 sendPaced(const QByteArray &pcm, qsizetype chunkBytes, double msPerChunk,
                     const std::function<bool()> &stop = {});
    QWebSocket &socket() { return m_socket; }
    const QList<QJsonObject> &messages() const { return m_messages; }
    const QList<QByteArray> &binaries() const { return m_binaries; }
    qint64 binaryBytes() const;

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_messages;
    QList<QByteArray> m_binaries;
};

// URL of a server endpoint: ws(s)://host:port/path?query
QUrl wsUrl(const QUrl &base, const QString &path, const QString &query = QString());

} // namespace dispatch::test
