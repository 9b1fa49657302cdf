#include "net/httpframer.h"

#include <QTest>

using namespace dispatch;
using Refusal = HttpFramer::Refusal;

Q_DECLARE_METATYPE(HttpFramer::Refusal)

class TestHttpFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Whole connections' bytes, fed at once and byte by byte: the verdict must not depend on
    // how TCP cut them.
    void connections_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Refusal>("refusal");
        QTest::addColumn<int>("requests");
        QTest::addColumn<bool>("inRequest");
        QTest::addColumn<bool>("upgraded");

        const QByteArray get = "GET /health HTTP/1.1\r\nHost: 127.0.0.1:8443\r\n\r\n";
        QTest::newRow("one GET") << get << Refusal::None << 1 << false << false;
        QTest::newRow("three kept alive")
            << QByteArray(get + get + get) << Refusal::None << 3 << false << false;
        QTest::newRow("half a request") << get.left(20) << Refusal::None << 1 << true << false;
        QTest::newRow("bare LF lines")
            << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << Refusal::None << 1 << false << false;
        QTest::newRow("empty lines between requests")
            << QByteArray(get + "\r\n\r\n" + get) << Refusal::None << 2 << false << false;
        QTest::newRow("small body, then a request")
            << QByteArray("POST /health HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + get)
            << Refusal::None << 2 << false << false;
        QTest::newRow("body not all there") << QByteArray("POST / HTTP/1.1\r\nContent-Length: "
                                                          "5\r\n\r\nhel")
                                            << Refusal::None << 1 << true << false;
        QTest::newRow("body bytes that look like a request")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.1\r\n\r\n")
            << Refusal::None << 1 << false << false;
        QTest::newRow("body at the limit")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1024\r\n\r\n" + QByteArray(1024, 'x'))
            << Refusal::None << 1 << false << false;
        QTest::newRow("WebSocket upgrade, then frames")
            << QByteArray("GET /ws/signal HTTP/1.1\r\nUpgrade: websocket\r\nConnection: "
                          "keep-alive, Upgrade\r\n\r\n\x81\x85garbage\r\n\r\nnot http")
            << Refusal::None << 1 << false << true;
        QTest::newRow("Upgrade without Connection: upgrade is a plain request")
            << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n" + get) << Refusal::None
            << 2 << false << false;

        QTest::newRow("huge Content-Length")
            << QByteArray("POST /health HTTP/1.1\r\nContent-Length: 419430400\r\n\r\n")
            << Refusal::BodyTooLarge << 1 << false << false;
        QTest::newRow("one byte over")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n")
            << Refusal::BodyTooLarge << 1 << false << false;
        QTest::newRow("length beyond 64 bits")
            << QByteArray("POST / HTTP/1.1\r\ncontent-length: 99999999999999999999999\r\n\r\n")
            << Refusal::BodyTooLarge << 1 << false << false;
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: "
                                               "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                                 << Refusal::BodyEncoded << 1 << false << false;
        QTest::newRow("any transfer coding")
            << QByteArray("GET / HTTP/1.1\r\nTRANSFER-ENCODING: gzip\r\n\r\n")
            << Refusal::BodyEncoded << 1 << false << false;
        QTest::newRow("second request too large")
            << QByteArray(get + "POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n")
            << Refusal::BodyTooLarge << 2 << false << false;
        QTest::newRow("header block over 16 KiB")
            << QByteArray("GET / HTTP/1.1\r\nCookie: " + QByteArray(16 * 1024, 'c') + "\r\n\r\n")
            << Refusal::HeaderTooLarge << 1 << false << false;
        QTest::newRow("endless request line") << QByteArray("GET /" + QByteArray(17 * 1024, 'a'))
                                              << Refusal::HeaderTooLarge << 1 << false << false;
        QTest::newRow("many small headers")
            << QByteArray("GET / HTTP/1.1\r\n" + QByteArray("X-A: b\r\n").repeated(3000) + "\r\n")
            << Refusal::HeaderTooLarge << 1 << false << false;
        QTest::newRow("two different lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("same length twice")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx")
            << Refusal::None << 1 << false << false;
        QTest::newRow("length with a sign")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << Refusal::BadFraming
            << 1 << false << false;
        QTest::newRow("empty length") << QByteArray("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n")
                                      << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nX-A: b\r\n\tc\r\n\r\n")
                                       << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("line without a name") << QByteArray("GET / HTTP/1.1\r\n: x\r\n\r\n")
                                             << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("escape in a header")
            << QByteArray("GET / HTTP/1.1\r\nOrigin: \x1b]0;pwned\x07\r\n\r\n")
            << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("NUL in the request line") << QByteArray("GET /\0x HTTP/1.1\r\n\r\n", 20)
                                                 << Refusal::BadFraming << 1 << false << false;
        QTest::newRow("CONNECT") << QByteArray("CONNECT example.org:443 HTTP/1.1\r\n\r\n")
                                 << Refusal::BadFraming << 1 << false << false;
    }
    void connections()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(Refusal, refusal);
        QFETCH(int, requests);
        QFETCH(bool, inRequest);
        QFETCH(bool, upgraded);
        for (const bool byteByByte : {false, true}) {
            HttpFramer framer;
            Refusal got = Refusal::None;
            if (byteByByte) {
                for (qsizetype i = 0; i < bytes.size() && got == Refusal::None; ++i)
                    got = framer.feed(QByteArrayView(bytes).sliced(i, 1));
            } else {
                got = framer.feed(bytes);
            }
            QCOMPARE(got, refusal);
            QCOMPARE(framer.refusal(), refusal);
            QCOMPARE(framer.requestsBegun(), requests);
            if (refusal == Refusal::None) {
                QCOMPARE(framer.inRequest(), inRequest);
                QCOMPARE(framer.upgraded(), upgraded);
            }
        }
    }

    void refusedStaysRefused()
    {
        HttpFramer framer({64, 8});
        QCOMPARE(framer.feed(QByteArray("GET / HTTP/1.1\r\nX: ").append(100, 'a')),
                 Refusal::HeaderTooLarge);
        QCOMPARE(framer.feed("\r\n\r\nGET / HTTP/1.1\r\n\r\n"), Refusal::HeaderTooLarge);
        QCOMPARE(framer.requestsBegun(), 1);
    }

    void statusAndCodes()
    {
        QCOMPARE(HttpFramer::statusOf(Refusal::HeaderTooLarge), 431);
        QCOMPARE(HttpFramer::statusOf(Refusal::BodyTooLarge), 413);
        QCOMPARE(HttpFramer::statusOf(Refusal::BodyEncoded), 413);
        QCOMPARE(HttpFramer::statusOf(Refusal::BadFraming), 400);
        QCOMPARE(QByteArray(HttpFramer::codeOf(Refusal::BodyTooLarge)), "body_too_large");
    }
};

QTEST_GUILESS_MAIN(TestHttpFramer)
#include "tst_httpframer.moc"
