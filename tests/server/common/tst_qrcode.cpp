#include "common/qrcode.h"

#include <QFile>
#include <QRegularExpression>
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

// The mask a reference symbol uses, read from its first copy of the format bits.
int maskOf(const QList<QByteArray> &rows)
{
    auto dark = [&](int x, int y) { return rows[y][x] == '1' ? 1u : 0u; };
    uint bits = 0;
    for (int i = 0; i <= 5; ++i)
        bits |= dark(8, i) << i;
    bits |= dark(8, 7) << 6 | dark(8, 8) << 7 | dark(7, 8) << 8;
    for (int i = 9; i < 15; ++i)
        bits |= dark(14 - i, 8) << i;
    return static_cast<int>(((bits ^ 0x5412) >> 10) & 7);
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

    void matchesReferenceEncoder()
    {
        QFETCH(QByteArray, data);
        QFETCH(QList<QByteArray>, rows);
        const int referenceMask = maskOf(rows);

        // Everything but the mask choice: encode with the reference's mask.
        const auto forced = qr::encode(data, referenceMask);
        QVERIFY(forced);
        QCOMPARE(forced->size, int(rows.size()));
        QCOMPARE(forced->version, (forced->size - 17) / 4);
        for (int y = 0; y < forced->size; ++y)
            QCOMPARE(render(*forced, y), rows[y]);

        // The automatic mask choice scores penalties as ISO/IEC 18004 7.8.3 says. libqrencode
        // scores the finder-like rule (N3) and the balance rule (N4) a little differently, so
        // its choice may differ; any mask decodes. The chosen symbol must be that mask's symbol.
        const auto chosen = qr::encode(data);
        QVERIFY(chosen);
        QVERIFY(chosen->mask >= 0 && chosen->mask < 8);
        QCOMPARE(chosen->modules, qr::encode(data, chosen->mask)->modules);
        if (chosen->mask == referenceMask)
            QCOMPARE(chosen->modules, forced->modules);
    }

    void versionLimits()
    {
        QCOMPARE(qr::encode(QByteArray(14, 'a'))->version, 1);
        QCOMPARE(qr::encode(QByteArray(15, 'a'))->version, 2);
        QCOMPARE(qr::encode(QByteArray(qr::MaxBytes, 'a'))->version, 10);
        QCOMPARE(qr::encode(QByteArray(qr::MaxBytes, 'a'))->size, 57);
        QVERIFY(!qr::encode(QByteArray(qr::MaxBytes + 1, 'a')));
        QCOMPARE(qr::encode(QByteArray())->version, 1);
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
