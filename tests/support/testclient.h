#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QWebSocket>

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
