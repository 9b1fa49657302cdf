// The phone page route (GET /call, /call/<file>, /call/qr.svg) and the join links.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "common/qrcode.h"
#include "host/phoneserver.h"
#include "phone/joinlinks.h"
#include "phone/phonepage.h"

#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dispatch;

namespace {

struct RawResponse
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

// Sends the request target exactly as given (no client-side URL normalisation).
RawResponse rawRequest(quint16 port, const QByteArray &target, const QByteArray &method = "GET")
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    RawResponse r;
    if (!socket.waitForConnected(5000))
        return r;
    socket.write(method + " " + target +
                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray data;
    (void)QTest::qWaitFor(
        [&] {
            data += socket.readAll();
            const int end = data.indexOf("\r\n\r\n");
            if (end < 0)
                return socket.state() == QAbstractSocket::UnconnectedState;
            const QRegularExpression length("content-length:\\s*(\\d+)",
                                            QRegularExpression::CaseInsensitiveOption);
            const auto m = length.match(QString::fromLatin1(data.left(end)));
            return socket.state() == QAbstractSocket::UnconnectedState ||
                   (m.hasMatch() && data.size() >= end + 4 + m.captured(1).toInt());
        },
        5000);
    const int end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return r;
    const QList<QByteArray> lines = data.left(end).split('\n');
    r.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const int colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                             lines[i].mid(colon + 1).trimmed());
    }
    r.body = data.mid(end + 4);
    return r;
}

QByteArray resource(const QString &name)
{
    QFile f(":/phone/" + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPhonePage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CallStore> m_store;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<PhoneServer> m_server;
    quint16 m_port = 0;

private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<CallStore>();
        m_metrics = std::make_unique<MetricsRegistry>();
        m_server = std::make_unique<PhoneServer>(PhoneServerConfig(), *m_store, *m_metrics);
        auto url = m_server->start();
        QVERIFY(url);
        m_port = static_cast<quint16>(url->port());
    }
    void cleanup() { m_server.reset(); }

    void pageIsServedWithStrictHeaders()
    {
        for (const QByteArray target : {"/call", "/call/", "/call?autostart=1&lat=1&lng=2"}) {
            const RawResponse r = rawRequest(m_port, target);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.headers.value("content-type"), QByteArray("text/html; charset=utf-8"));
            QCOMPARE(r.body, resource("index.html"));
            QCOMPARE(r.headers.value("cache-control"), QByteArray("no-store"));
            const QByteArray csp = r.headers.value("content-security-policy");
            QVERIFY(csp.startsWith("default-src 'self';"));
            QVERIFY(csp.contains("script-src 'self';"));
            QVERIFY(csp.contains("connect-src 'self' wss: ws:;"));
            QVERIFY(csp.contains("object-src 'none'"));
            QVERIFY(csp.contains("frame-ancestors 'none'"));
            QVERIFY(!csp.contains("unsafe"));
            QCOMPARE(r.headers.value("x-content-type-options"), QByteArray("nosniff"));
        }
        QCOMPARE(rawRequest(m_port, "/call", "POST").status, 405);
    }

    void everyFileHasItsContentType_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("type");
        QTest::newRow("js") << "phone.js" << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("worklet") << "capture-worklet.js"
                                 << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("strings") << "strings.js" << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("call") << "call.js" << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("media") << "media.js" << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("css") << "phone.css" << QByteArray("text/css; charset=utf-8");
        QTest::newRow("html") << "index.html" << QByteArray("text/html; charset=utf-8");
    }

    void everyFileHasItsContentType()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, type);
        const RawResponse r = rawRequest(m_port, "/call/" + name.toLatin1());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-type"), type);
        QVERIFY(!r.body.isEmpty());
        QCOMPARE(r.body, resource(name));
        QVERIFY(r.headers.contains("content-security-policy"));
        QCOMPARE(r.headers.value("cache-control"), QByteArray("no-store"));
    }

    void pageUsesNothingFromElsewhere()
    {
        // No external scripts, styles or fonts: every reference stays on the console.
        const QRegularExpression external("(src|href)=\"(https?:)?//");
        const QRegularExpression importFrom("from '([^']+)'");
        PhonePage page({});
        for (const QString &name : page.fileNames()) {
            const QString text = QString::fromUtf8(resource(name));
            QVERIFY2(!external.match(text).hasMatch(), qPrintable(name));
            auto it = importFrom.globalMatch(text);
            while (it.hasNext()) {
                const QString target = it.next().captured(1);
                QVERIFY2(target.startsWith("./") && page.fileNames().contains(target.mid(2)),
                         qPrintable(name + ": " + target));
            }
        }
    }

    void nothingElseIsReachable_data()
    {
        QTest::addColumn<QByteArray>("target");
        for (const char *t : {"/call/../../etc/passwd",
                              "/call/..%2f..%2fetc%2fpasswd",
                              "/call/%2e%2e/%2e%2e/etc/passwd",
                              "/call/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                              "/call/%252e%252e%252fetc%252fpasswd",
                              "/call/..%5c..%5cetc%5cpasswd",
                              "/call/..\\..\\etc\\passwd",
                              "/call//etc/passwd",
                              "/call/%2fetc%2fpasswd",
                              "/call/phone.js%00.html",
                              "/call/.phone.js",
                              "/call/PHONE.JS",
                              "/call/..",
                              "/call/.",
                              "/call/CMakeLists.txt",
                              "/call/phone/index.html",
                              "/call/:/phone/index.html",
                              "/call/qrc:/phone/index.html",
                              "/call/%3a%2fphone",
                              "/call/nonexistent.js",
                              "/etc/passwd",
                              "/phone/index.html",
                              "/index.html"})
            QTest::newRow(t) << QByteArray(t);
    }

    void nothingElseIsReachable()
    {
        QFETCH(QByteArray, target);
        const RawResponse r = rawRequest(m_port, target);
        QVERIFY2(r.status == 404 || r.status == 400, qPrintable(QString::number(r.status)));
        QVERIFY(!r.body.contains("root:"));
        QVERIFY(!r.body.contains("<html"));
        QVERIFY(!r.body.contains("import "));
    }

    void qrCodeShowsTheJoinUrl()
    {
        const RawResponse r = rawRequest(m_port, "/call/qr.svg");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-type"), QByteArray("image/svg+xml"));
        QCOMPARE(r.headers.value("cache-control"), QByteArray("no-store"));
        const QList<QUrl> urls = m_server->joinInfo().urls;
        QVERIFY(!urls.isEmpty());
        const auto matrix = qr::encode(urls.first().toString().toUtf8());
        QVERIFY(matrix);
        QCOMPARE(r.body, qr::toSvg(*matrix));
        QCOMPARE(rawRequest(m_port, "/call/qr.svg?i=999").status, 404);
        QCOMPARE(rawRequest(m_port, "/call/qr.svg?i=-1").status, 404);
        QCOMPARE(rawRequest(m_port, "/call/qr.svg?i=x").status, 404);
    }

    void joinUrlsPreferLanAddresses()
    {
        const QUrl server("https://127.0.0.1:8443");
        const QList<QHostAddress> host{
            QHostAddress("127.0.0.1"),    QHostAddress("172.17.0.1"), QHostAddress("2001:db8::5"),
            QHostAddress("192.168.1.20"), QHostAddress("fe80::1%1"),  QHostAddress("169.254.3.4"),
            QHostAddress("10.0.0.5"),     QHostAddress("fd00::7"),    QHostAddress("::1"),
            QHostAddress("192.168.1.20"), QHostAddress("203.0.113.9")};
        QList<QUrl> expected{
            QUrl("https://192.168.1.20:8443/call"), QUrl("https://10.0.0.5:8443/call"),
            QUrl("https://172.17.0.1:8443/call"),   QUrl("https://203.0.113.9:8443/call"),
            QUrl("https://[fd00::7]:8443/call"),    QUrl("https://[2001:db8::5]:8443/call")};
        QCOMPARE(joinUrls(server, QHostAddress::Any, host), expected);
        expected.resize(4);
        QCOMPARE(joinUrls(server, QHostAddress::AnyIPv4, host), expected);
        QCOMPARE(joinUrls(server, QHostAddress("10.0.0.5"), host),
                 QList<QUrl>{QUrl("https://10.0.0.5:8443/call")});
        // Only reachable from this machine: still the one URL that works.
        QCOMPARE(joinUrls(QUrl("http://127.0.0.1:9000"), QHostAddress::LocalHost, host),
                 QList<QUrl>{QUrl("http://127.0.0.1:9000/call")});
        QCOMPARE(joinUrls(server, QHostAddress::Any, {QHostAddress("127.0.0.1")}),
                 QList<QUrl>{QUrl("https://127.0.0.1:8443/call")});
        QVERIFY(joinUrls(QUrl(), QHostAddress::Any, host).isEmpty());
    }

    void serverTellsItsJoinInfo()
    {
        JoinInfo plain = m_server->joinInfo();
        QCOMPARE(plain.urls, QList<QUrl>{QUrl(QString("http://127.0.0.1:%1/call").arg(m_port))});
        QVERIFY(plain.tlsFingerprint.isEmpty());

        QTemporaryDir dir;
        PhoneServerConfig config;
        config.forceTls = true;
        config.dataDir = dir.path();
        MetricsRegistry metrics;
        PhoneServer tls(config, *m_store, metrics);
        auto url = tls.start();
        QVERIFY(url);
        const JoinInfo info = tls.joinInfo();
        QCOMPARE(info.urls.size(), 1);
        QCOMPARE(info.urls.first().scheme(), QString("https"));
        QCOMPARE(info.urls.first().path(), QString("/call"));
        QCOMPARE(info.tlsFingerprint, tls.tlsFingerprint());
        QVERIFY(info.tlsFingerprint.size() >= 64);
    }
};

QTEST_GUILESS_MAIN(TestPhonePage)
#include "tst_phonepage.moc"
