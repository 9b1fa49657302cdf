// The HTTP edge against an attacker on loopback: a real server on 127.0.0.1, the attacker's raw
// sockets bound to 127.0.0.2 (its own per-address limits), honest clients on 127.0.0.1.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/phoneserver.h"
#include "rawhttppeer.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

namespace {

const QByteArray Token = "s3cret-token";
const QHostAddress Attacker(QStringLiteral("127.0.0.2"));
const QHostAddress Honest(QHostAddress::LocalHost);

// Resident memory of this process (server and clients), in bytes.
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

// The server's log lines of the dispatch.* categories, as they would reach a terminal.
QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;
void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && QByteArray(context.category).startsWith("dispatch.")) {
        QMutexLocker lock(&logMutex);
        logLines << message;
    }
    if (previousHandler)
        previousHandler(type, context, message);
}
QStringList linesContaining(const QString &text)
{
    QMutexLocker lock(&logMutex);
    return logLines.filter(text);
}

} // namespace

class TestHttpHardening : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CallStore> m_store;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<PhoneServer> m_server;
    QUrl m_base;

    quint16 port() const { return quint16(m_base.port()); }
    bool tls() const { return m_base.scheme() == QLatin1String("https"); }

    void startServer(PhoneServerConfig config = {}, bool tls = false)
    {
        m_server.reset();
        m_store = std::make_unique<CallStore>();
        m_metrics = std::make_unique<MetricsRegistry>();
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.dashboardToken = Token;
        config.tokenStorePath = m_dir->filePath("tokens.json");
        config.forceTls = tls;
        config.dataDir = m_dir->path();
        m_server = std::make_unique<PhoneServer>(config, *m_store, *m_metrics);
        auto url = m_server->start();
        QVERIFY2(url.ok(), qPrintable(url.error().message));
        m_base = url.value();
    }

    quint64 httpRefused(const char *reason) const
    {
        return m_metrics->value("dispatch_http_requests_refused_total",
                                QStringLiteral("reason=\"%1\"").arg(QLatin1String(reason)));
    }
    quint64 refusals() const { return m_metrics->value("dispatch_connections_refused_total"); }
    int statusOf(const QHostAddress &from, const QByteArray &request)
    {
        return RawHttpPeer::exchange(port(), from, request, tls()).status;
    }
    QByteArray metricsWith(const QByteArray &token)
    {
        return httpRequest("GET", "/metrics", port(),
                           "Authorization: Bearer " + token + "\r\nConnection: close\r\n");
    }

private Q_SLOTS:
    void initTestCase() { previousHandler = qInstallMessageHandler(captureLog); }
    void cleanupTestCase() { qInstallMessageHandler(previousHandler); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QMutexLocker lock(&logMutex);
        logLines.clear();
    }
    void cleanup()
    {
        m_server.reset();
        m_store.reset();
    }

    // --- 1. Bounded requests -------------------------------------------------------------

    // A 400 MiB POST to /health used to be buffered whole before the 405: now its headers are
    // answered 413 and the connection closed before a byte of the body is sent.
    void hugeContentLengthIsRefusedBeforeTheBody()
    {
        startServer();
        RawHttpPeer peer(port(), Attacker);
        QVERIFY(peer.isConnected());
        peer.write(httpRequest("POST", "/health", port(), "Content-Length: 419430400\r\n"));
        QVERIFY(peer.waitResponses(1));
        QCOMPARE(peer.responses().constFirst().status, 413);
        QVERIFY(peer.responses().constFirst().body.contains("body_too_large"));
        QCOMPARE(peer.responses().constFirst().header("Connection"), QByteArray("close"));
        QVERIFY(peer.waitClosed());
        QCOMPARE(httpRefused("body_too_large"), quint64(1));
        QCOMPARE(refusals(), quint64(1));
        QTRY_COMPARE(m_server->tcpConnectionsFrom(Attacker), 0);
    }

    // The attacker does not wait for an answer: it streams 64 MiB of body at once. The server
    // stops reading at the headers, so its memory does not grow with the body.
    void streamedBodyDoesNotGrowTheServer()
    {
        startServer();
        constexpr qint64 BodyBytes = 64LL * 1024 * 1024;
        constexpr qint64 Slice = 256 * 1024;
        const QByteArray slice(Slice, 'x');
        RawHttpPeer peer(port(), Attacker);
        QVERIFY(peer.isConnected());
        const qint64 before = residentBytes();
        QVERIFY(before > 0);
        peer.write(httpRequest("POST", "/health", port(),
                               "Content-Length: " + QByteArray::number(BodyBytes) + "\r\n"));
        qint64 queued = 0;
        QTimer pump;
        QObject::connect(&pump, &QTimer::timeout, &pump, [&] {
            // Keeps at most two slices in the client's own buffer.
            while (peer.isConnected() && queued < BodyBytes &&
                   peer.socket().bytesToWrite() < 2 * Slice) {
                peer.socket().write(slice);
                queued += Slice;
            }
        });
        pump.start(1);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return peer.isClosed() || (queued >= BodyBytes && !peer.socket().bytesToWrite());
            },
            30000));
        pump.stop();
        const qint64 grown = residentBytes() - before;
        qInfo() << "queued" << queued / 1024 << "KiB of body; resident memory grew by"
                << grown / 1024 << "KiB";
        QVERIFY2(peer.isClosed(), "the connection is still open after the whole body");
        QVERIFY2(grown < 24 * 1024 * 1024, qPrintable(QString::number(grown)));
        QTRY_COMPARE(httpRefused("body_too_large"), quint64(1));
    }

    void chunkedBodyIsRefused()
    {
        startServer();
        RawHttpPeer peer(port(), Attacker);
        peer.write(httpRequest("POST", "/health", port(), "Transfer-Encoding: chunked\r\n") +
                   "100000\r\n");
        QVERIFY(peer.waitResponses(1));
        QCOMPARE(peer.responses().constFirst().status, 413);
        QVERIFY(peer.waitClosed());
        QCOMPARE(httpRefused("body_not_accepted"), quint64(1));
    }

    void oversizedHeaderBlockGets431()
    {
        startServer();
        RawHttpPeer peer(port(), Attacker);
        peer.write(
            httpRequest("GET", "/health", port(), "X-Pad: " + QByteArray(20 * 1024, 'a') + "\r\n"));
        QVERIFY(peer.waitResponses(1));
        QCOMPARE(peer.responses().constFirst().status, 431);
        QVERIFY(peer.waitClosed());
        QCOMPARE(httpRefused("header_too_large"), quint64(1));
        // An endless header line is cut at the limit too, without waiting for its end.
        RawHttpPeer endless(port(), Attacker);
        endless.write("GET /health HTTP/1.1\r\nX-Pad: " + QByteArray(40 * 1024, 'b'));
        QVERIFY(endless.waitResponses(1));
        QCOMPARE(endless.responses().constFirst().status, 431);
        QVERIFY(endless.waitClosed());
    }

    void ambiguousFramingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::newRow("two lengths") << QByteArray("Content-Length: 1\r\nContent-Length: 2\r\n");
        QTest::newRow("signed length") << QByteArray("Content-Length: +5\r\n");
        QTest::newRow("folded line") << QByteArray("X-A: b\r\n c\r\n");
        QTest::newRow("escape character") << QByteArray("Origin: http://\x1b[31mx\r\n");
    }
    void ambiguousFramingIsRefused()
    {
        QFETCH(QByteArray, headers);
        startServer();
        RawHttpPeer peer(port(), Attacker);
        peer.write(httpRequest("POST", "/health", port(), headers));
        QVERIFY(peer.waitResponses(1));
        QCOMPARE(peer.responses().constFirst().status, 400);
        QVERIFY(peer.waitClosed());
    }

    // The 10 s deadline used to end at the first answer: a kept-alive connection could then
    // dribble its next request forever. Every request has the deadline now.
    void dribbledSecondRequestIsClosedAtTheDeadline()
    {
        PhoneServerConfig config;
        config.requestTimeoutMs = 800;
        config.keepAliveIdleMs = 5000;
        startServer(config);
        RawHttpPeer peer(port(), Attacker);
        peer.write(httpRequest("GET", "/health", port()));
        QVERIFY(peer.waitResponses(1));
        QCOMPARE(peer.responses().constFirst().status, 200);
        const QByteArray dribble = "GET /health HTTP/1.1\r\nX-Slow: " + QByteArray(10000, 'a');
        qsizetype sent = 0;
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, &drip, [&] {
            if (peer.isConnected() && sent < dribble.size())
                peer.write(dribble.mid(sent++, 1));
        });
        QElapsedTimer clock;
        clock.start();
        drip.start(50);
        QVERIFY(peer.waitClosed(5000));
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(elapsed >= 700 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        QCOMPARE(peer.responses().size(), 1);
        QCOMPARE(m_metrics->value("dispatch_tcp_connections_refused_total"), quint64(1));
    }

    void idleKeepAliveConnectionIsClosed()
    {
        PhoneServerConfig config;
        config.keepAliveIdleMs = 400;
        startServer(config);
        RawHttpPeer peer(port(), Attacker);
        peer.write(httpRequest("GET", "/health", port()));
        QVERIFY(peer.waitResponses(1));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(peer.waitClosed(3000));
        QVERIFY2(clock.elapsed() >= 300, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(refusals(), quint64(0)); // closing an idle connection is no refusal
        QTRY_COMPARE(m_server->tcpConnectionsFrom(Attacker), 0);
    }

    void keepAliveStillServesSeveralRequests_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("plain") << false;
        QTest::newRow("tls") << true;
    }
    void keepAliveStillServesSeveralRequests()
    {
        QFETCH(bool, tls);
        startServer({}, tls);
        RawHttpPeer peer(port(), Honest, tls);
        QVERIFY(peer.isConnected());
        for (int i = 1; i <= 5; ++i) {
            peer.write(httpRequest("GET", "/health", port()));
            QVERIFY(peer.waitResponses(i));
            QCOMPARE(peer.responses().at(i - 1).status, 200);
        }
        // Large but allowed headers, and a small body (no route takes one: 405, not 413).
        peer.write(
            httpRequest("GET", "/health", port(), "Cookie: " + QByteArray(8 * 1024, 'c') + "\r\n"));
        QVERIFY(peer.waitResponses(6));
        QCOMPARE(peer.responses().at(5).status, 200);
        peer.write(httpRequest("POST", "/health", port(), "Content-Length: 10\r\n") + "0123456789");
        QVERIFY(peer.waitResponses(7));
        QCOMPARE(peer.responses().at(6).status, 405);
        peer.write(httpRequest("GET", "/health", port()));
        QVERIFY(peer.waitResponses(8));
        QCOMPARE(peer.responses().at(7).status, 200);
        QVERIFY(peer.isConnected());
        QCOMPARE(refusals(), quint64(0));
        // Phones still get their WebSockets, which outlive the request deadline.
        TestClient phone;
        phone.open(wsUrl(m_base, "/ws/signal", "call_id=after-keepalive"));
        QVERIFY(phone.waitConnected());
    }

    // --- 2. Authentication -----------------------------------------------------------------

    void bruteForcerIsThrottledAndOthersAreNot()
    {
        PhoneServerConfig config;
        config.authFailuresBeforeThrottle = 5;
        startServer(config);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(statusOf(Attacker, metricsWith("guess-" + QByteArray::number(i))), 401);
        // Throttled: even the right token is not looked at.
        const RawHttpPeer::Response throttled =
            RawHttpPeer::exchange(port(), Attacker, metricsWith(Token));
        QCOMPARE(throttled.status, 429);
        QVERIFY(throttled.header("Retry-After").toInt() > 0);
        QCOMPARE(statusOf(Attacker, upgradeRequest("/ws/dashboard", port(),
                                                   "Authorization: Bearer " + Token + "\r\n")),
                 429);
        QCOMPARE(statusOf(Attacker, httpRequest("DELETE", "/sessions/x", port(),
                                                "Authorization: Bearer " + Token + "\r\n")),
                 429);
        QCOMPARE(m_metrics->value("dispatch_auth_throttled_total"), quint64(3));
        // Another address with the right token is not affected, over HTTP or WebSocket.
        QCOMPARE(statusOf(Honest, metricsWith(Token)), 200);
        TestClient dashboard;
        dashboard.open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer " + Token}});
        QVERIFY(dashboard.waitConnected());
        // Callers never need a token and are never throttled.
        RawHttpPeer phone(port(), Attacker);
        phone.write(upgradeRequest("/ws/signal?call_id=still-rings", port()));
        QVERIFY(phone.waitResponses(1));
        QCOMPARE(phone.responses().constFirst().status, 101);
    }

    void dashboardGuessesCountToo()
    {
        PhoneServerConfig config;
        config.authFailuresBeforeThrottle = 3;
        startServer(config);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(statusOf(Attacker, upgradeRequest("/ws/dashboard", port(),
                                                       "Authorization: Bearer guess\r\n")),
                     401);
        QCOMPARE(statusOf(Attacker, metricsWith(Token)), 429);
        QCOMPARE(statusOf(Honest, metricsWith(Token)), 200);
        // A request without a token is no guess: it is refused, not counted.
        PhoneServerConfig strict;
        strict.authFailuresBeforeThrottle = 1;
        startServer(strict);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(statusOf(Attacker, httpRequest("GET", "/sessions", port())), 401);
        QCOMPARE(statusOf(Attacker, metricsWith(Token)), 200);
    }

    void refusalsAreLoggedAtARateLimit()
    {
        PhoneServerConfig config;
        config.authFailuresBeforeThrottle = 1000;
        startServer(config);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(statusOf(Attacker, metricsWith("guess")), 401);
        const int lines = int(linesContaining(" : unauthorized (").size());
        QVERIFY2(lines >= 1 && lines <= RefusalLog::LinesPerWindow,
                 qPrintable(QString::number(lines)));
        QCOMPARE(m_metrics->value("dispatch_auth_failures_total", "reason=\"bad_token\""),
                 quint64(30));
        // Another address still gets its lines.
        QCOMPARE(statusOf(Honest, metricsWith("typo")), 401);
        QCOMPARE(int(linesContaining(" : unauthorized (").size()), lines + 1);
    }

    // --- 2. Peer strings in the log, and the Origin check --------------------------------

    void peerStringsAreMadeLogSafe()
    {
        startServer();
        // C1 CSI (a terminal escape on its own), a right-to-left override and a long tail:
        // Qt's parser takes them in a header value.
        const QByteArray origin = "https://evil.example/\xC2\x9B"
                                  "31mred\xE2\x80\xAE" +
                                  QByteArray(5000, 'A');
        QCOMPARE(statusOf(Attacker, upgradeRequest("/ws/signal?call_id=o1", port(),
                                                   "Origin: " + origin + "\r\n")),
                 403);
        const QStringList lines = linesContaining("evil.example");
        QCOMPARE(lines.size(), 1);
        const QString line = lines.constFirst();
        QVERIFY2(!line.contains(QChar(0x9B)) && !line.contains(QChar(0x202E)), qPrintable(line));
        QVERIFY2(line.contains("\\x9b31mred\\u202e"), qPrintable(line));
        QVERIFY2(line.size() < 600, qPrintable(QString::number(line.size())));
        for (const QChar c : line)
            QVERIFY(c.unicode() >= 0x20 && c.unicode() != 0x7F);
    }

    void originMustMatchSchemeHostAndPort_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("plain") << false;
        QTest::newRow("tls") << true;
    }
    void originMustMatchSchemeHostAndPort()
    {
        QFETCH(bool, tls);
        startServer({}, tls);
        const QByteArray p = QByteArray::number(port());
        const QByteArray own = tls ? "https" : "http";
        const QByteArray other = tls ? "http" : "https";
        auto statusWithOrigin = [&](const QByteArray &origin) {
            return statusOf(Attacker, upgradeRequest("/ws/signal?call_id=origin", port(),
                                                     "Origin: " + origin + "\r\n"));
        };
        QCOMPARE(statusWithOrigin(own + "://127.0.0.1:" + p), 101);
        QCOMPARE(statusWithOrigin(own + "://127.0.0.1:" + QByteArray::number(port() + 1)), 403);
        QCOMPARE(statusWithOrigin(own + "://127.0.0.2:" + p), 403);
        QCOMPARE(statusWithOrigin(other + "://127.0.0.1:" + p), 403); // the scheme counts
        QCOMPARE(statusWithOrigin("null"), 403);
    }
};

QTEST_GUILESS_MAIN(TestHttpHardening)
#include "tst_httphardening.moc"
