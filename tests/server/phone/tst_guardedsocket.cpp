#include "common/metricsregistry.h"
#include "phone/guardedsocket.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace dispatch;

// GuardedSocket on a real loopback WebSocket pair.
class TestGuardedSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The server keeps received audio for a minute (failover ring, replay buffer, recorder
    // queue). Qt hands a binary message over as a view of the socket's read chunk, which holds
    // every frame read in one go: keeping a 640-byte chunk then pinned the whole read buffer
    // (~28 MiB per call under load). Delivered messages must own just their bytes.
    void deliveredBinaryMessagesOwnOnlyTheirBytes()
    {
        QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        MetricsRegistry metrics;
        SocketLimits limits;
        limits.maxMessagesPerSecond = 100'000;
        std::unique_ptr<GuardedSocket> guarded;
        QList<QByteArray> received;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *accepted = server.nextPendingConnection();
            guarded =
                std::make_unique<GuardedSocket>(accepted, limits, QStringLiteral("audio"), metrics);
            accepted->setParent(guarded.get());
            connect(guarded.get(), &GuardedSocket::binaryReceived, this,
                    [&](const QByteArray &data) { received.append(data); });
        });

        QWebSocket client;
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.serverPort())));
        QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState);
        QTRY_VERIFY(guarded != nullptr);

        // Many messages in one burst, so the server reads several frames per socket read.
        constexpr int Messages = 400;
        for (int i = 0; i < Messages; ++i)
            client.sendBinaryMessage(QByteArray(640, static_cast<char>(i % 251)));
        client.flush();
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), Messages, 10'000);

        qsizetype worstSlack = 0;
        for (int i = 0; i < Messages; ++i) {
            QCOMPARE(received[i], QByteArray(640, static_cast<char>(i % 251)));
            worstSlack = std::max(worstSlack, received[i].data_ptr().constAllocatedCapacity() -
                                                  received[i].size());
        }
        // A tight allocation: malloc rounding at most, not a shared read chunk.
        QVERIFY2(worstSlack <= 64, qPrintable(QStringLiteral("slack %1").arg(worstSlack)));
    }
};

QTEST_GUILESS_MAIN(TestGuardedSocket)
#include "tst_guardedsocket.moc"
