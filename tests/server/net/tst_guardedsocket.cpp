#include "common/metricsregistry.h"
#include "net/guardedserver.h"
#include "net/guardedsocket.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace dispatch;

// The guarded connection layer on real loopback sockets: GuardedSocket, the guarded listeners.
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

    // QTcpServer pauses accepting for good after an accept() error it does not call temporary
    // (EMFILE, ENOBUFS, ECONNABORTED): the listener must resume by itself.
    void listenerAcceptsAgainAfterAnAcceptError()
    {
        GuardedTcpServer server({}, {});
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        // What QTcpServer does on such an error, then tells its owner.
        server.pauseAccepting();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("accepting a connection failed"));
        Q_EMIT server.acceptError(QAbstractSocket::SocketResourceError);
        QSignalSpy accepted(&server, &QTcpServer::newConnection);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(accepted.wait(3000));
    }
};

QTEST_GUILESS_MAIN(TestGuardedSocket)
#include "tst_guardedsocket.moc"
