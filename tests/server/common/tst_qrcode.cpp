#include "common/qrcode.h"
#include "skiporfail.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

namespace {

struct Vector
{
    QByteArray data;
    QList<QByteArray> rows;
};

QList<Vector> loadVectors()
{
    QFile file(QStringLiteral(QR_VECTORS));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Vector> vectors;
    for (const QByteArray &raw : file.readAll().split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.startsWith("hex: "))
            vectors.append({QByteArray::fromHex(line.mid(5)), {}});
        else if (!line.isEmpty() && !line.startsWith('#') && !vectors.isEmpty())
            vectors.last().rows.append(line);
    }
    return vectors;
}

QByteArray render(const qr::QrMatrix &m, int y)
{
    QByteArray row;
    for (int x = 0; x < m.size; ++x)
        row += m.at(x, y) ? '1' : '0';
    return row;
}

} // namespace

class TestQrCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesReferenceEncoder_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QList<QByteArray>>("rows");
        const QList<Vector> vectors = loadVectors();
        QVERIFY(vectors.size() >= 20);
        for (const Vector &v : vectors)
            QTest::addRow("%d bytes", int(v.data.size())) << v.data << v.rows;
    }

    // The vectors come from Debian's qrencode tool (the same library): this checks what our
    // wrapper adds, i.e. byte mode, level M, the version choice and the module orientation.
    void matchesReferenceEncoder()
    {
        QFETCH(QByteArray, data);
        QFETCH(QList<QByteArray>, rows);
        const auto m = qr::encode(data);
        QVERIFY(m);
        QCOMPARE(m->size, int(rows.size()));
        QCOMPARE(m->version, (m->size - 17) / 4);
        for (int y = 0; y < m->size; ++y)
            QCOMPARE(render(*m, y), rows[y]);
    }

    void versionLimits()
    {
        QCOMPARE(qr::encode(QByteArray(14, 'a'))->version, 1);
        QCOMPARE(qr::encode(QByteArray(15, 'a'))->version, 2);
        QCOMPARE(qr::encode(QByteArray(qr::MaxBytes, 'a'))->version, 10);
        QCOMPARE(qr::encode(QByteArray(qr::MaxBytes, 'a'))->size, 57);
        QVERIFY(!qr::encode(QByteArray(qr::MaxBytes + 1, 'a')));
    }

    // What a phone's camera does: the SVG the phone page serves, rasterised (rsvg-convert) and
    // read by an independent decoder (zbarimg), gives back the join link.
    void svgDecodesToTheLink_data()
    {
        QTest::addColumn<QByteArray>("link");
        QTest::newRow("lan https") << QByteArray("https://192.168.1.20:8443/call");
        QTest::newRow("with token") << QByteArray(
            "https://10.0.0.7:8443/call?join=Zx9-_aQ1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz");
        QTest::newRow("ipv6") << QByteArray("https://[fd00::1234:5678]:8443/call");
    }

    void svgDecodesToTheLink()
    {
        QFETCH(QByteArray, link);
        const QString rsvg = QStandardPaths::findExecutable("rsvg-convert");
        const QString zbar = QStandardPaths::findExecutable("zbarimg");
        if (rsvg.isEmpty() || zbar.isEmpty())
            DISPATCH_SKIP_OR_FAIL(
                "rsvg-convert or zbarimg missing (Debian: librsvg2-bin zbar-tools)");
        const auto m = qr::encode(link);
        QVERIFY(m);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile svg(dir.filePath("join.svg"));
        QVERIFY(svg.open(QIODevice::WriteOnly));
        svg.write(qr::toSvg(*m));
        svg.close();
        QProcess convert;
        convert.start(rsvg, {"-o", dir.filePath("join.png"), svg.fileName()});
        QVERIFY(convert.waitForFinished(30000));
        QCOMPARE(convert.exitCode(), 0);
        QProcess decode;
        decode.start(zbar, {"--quiet", "--raw", dir.filePath("join.png")});
        QVERIFY(decode.waitForFinished(30000));
        QCOMPARE(decode.exitCode(), 0);
        QCOMPARE(decode.readAllStandardOutput().trimmed(), link);
    }

    void svgDrawsEveryDarkModule()
    {
        const auto m = qr::encode("https://192.168.1.20:8443/call");
        QVERIFY(m);
        const QByteArray svg = qr::toSvg(*m, 4, 8);
        QVERIFY(svg.contains("<svg"));
        QVERIFY(svg.contains(QByteArray("viewBox=\"0 0 " + QByteArray::number(m->size + 8))));
        QSet<QPair<int, int>> drawn;
        const QRegularExpression square("M(\\d+),(\\d+)h1v1h-1z");
        auto it = square.globalMatch(QString::fromLatin1(svg));
        while (it.hasNext()) {
            const auto match = it.next();
            drawn.insert({match.captured(1).toInt() - 4, match.captured(2).toInt() - 4});
        }
        QSet<QPair<int, int>> expected;
        for (int y = 0; y < m->size; ++y) {
            for (int x = 0; x < m->size; ++x) {
                if (m->at(x, y))
                    expected.insert({x, y});
            }
        }
        QCOMPARE(drawn, expected);
    }
};

QTEST_GUILESS_MAIN(TestQrCode)
#include "tst_qrcode.moc"
