#include "audiotools/wavfile.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace dispatch;

namespace {

QByteArray le16(quint16 v)
{
    QByteArray b(2, '\0');
    qToLittleEndian(v, b.data());
    return b;
}

QByteArray le32(quint32 v)
{
    QByteArray b(4, '\0');
    qToLittleEndian(v, b.data());
    return b;
}

QByteArray chunk(const char *id, const QByteArray &body, std::optional<quint32> declared = {})
{
    QByteArray c = QByteArray(id, 4) + le32(declared.value_or(quint32(body.size()))) + body;
    if (body.size() % 2)
        c.append('\0');
    return c;
}

QByteArray fmtBody(quint16 tag, quint16 channels, quint32 rate, quint16 bits)
{
    return le16(tag) + le16(channels) + le32(rate) + le32(rate * channels * bits / 8) +
           le16(channels * bits / 8) + le16(bits);
}

QByteArray riff(const QByteArray &chunks)
{
    return "RIFF" + le32(quint32(chunks.size() + 4)) + "WAVE" + chunks;
}

QByteArray samples(std::initializer_list<qint16> values)
{
    QByteArray b;
    for (qint16 v : values)
        b += le16(quint16(v));
    return b;
}

} // namespace

class TestWavFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("pcm");
        const QByteArray pcm = samples({1, -2, 300, -32768, 32767});
        QTest::newRow("plain") << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("data", pcm))
                               << pcm;
        QTest::newRow("list chunk before data, odd size padded")
            << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("LIST", "abc") +
                    chunk("data", pcm))
            << pcm;
        QTest::newRow("fmt with extension bytes")
            << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16) + le16(0)) + chunk("data", pcm)) << pcm;
        QByteArray ext = fmtBody(0xFFFE, 1, 16000, 16) + le16(22) + le16(16) + le32(4) + le16(1) +
                         QByteArray(14, '\x01');
        QTest::newRow("extensible pcm") << riff(chunk("fmt ", ext) + chunk("data", pcm)) << pcm;
        QTest::newRow("stereo down-mixed") << riff(chunk("fmt ", fmtBody(1, 2, 16000, 16)) +
                                                   chunk("data", samples({100, 300, -100, -300})))
                                           << samples({200, -200});
        QTest::newRow("trailing half sample ignored")
            << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("data", pcm + "x")) << pcm;
        QTest::newRow("trailing chunk after data")
            << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("data", pcm) +
                    chunk("id3 ", "tag!"))
            << pcm;
    }
    void valid()
    {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, pcm);
        auto parsed = parseWav(file);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error().message));
        QCOMPARE(parsed->pcm16, pcm);
        QCOMPARE(parsed->sampleRate, 16000);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("code");
        const QByteArray fmt = chunk("fmt ", fmtBody(1, 1, 16000, 16));
        const QByteArray pcm = samples({1, 2, 3, 4});
        QTest::newRow("empty") << QByteArray() << "truncated";
        QTest::newRow("short header") << QByteArray("RIFF\0\0") << "truncated";
        QTest::newRow("not riff") << QByteArray("OggS0000WAVEfmt ") << "not_wav";
        QTest::newRow("riff but avi") << QByteArray("RIFF\x04\0\0\0AVI ", 12) << "not_wav";
        QTest::newRow("no chunks") << riff({}) << "bad_format";
        QTest::newRow("no data") << riff(fmt) << "truncated";
        QTest::newRow("data before fmt") << riff(chunk("data", pcm) + fmt) << "bad_format";
        QTest::newRow("truncated data")
            << riff(fmt + chunk("data", pcm, 1000)).left(60) << "truncated";
        QTest::newRow("huge data size")
            << riff(fmt + chunk("data", pcm, 0xFFFFFFF0u)) << "truncated";
        QTest::newRow("huge unknown chunk skipped past end")
            << riff(fmt + chunk("junk", "ab", 0xFFFFFFFFu) + chunk("data", pcm)) << "truncated";
        QTest::newRow("huge fmt size")
            << riff(chunk("fmt ", fmtBody(1, 1, 16000, 16), 0x7FFFFFFF)) << "truncated";
        QTest::newRow("short fmt")
            << riff(chunk("fmt ", "abcd") + chunk("data", pcm)) << "bad_format";
        QTest::newRow("8 bit") << riff(chunk("fmt ", fmtBody(1, 1, 16000, 8)) + chunk("data", pcm))
                               << "unsupported_encoding";
        QTest::newRow("float") << riff(chunk("fmt ", fmtBody(3, 1, 16000, 32)) + chunk("data", pcm))
                               << "unsupported_encoding";
        QTest::newRow("mulaw") << riff(chunk("fmt ", fmtBody(7, 1, 8000, 8)) + chunk("data", pcm))
                               << "unsupported_encoding";
        QTest::newRow("44.1 kHz") << riff(chunk("fmt ", fmtBody(1, 1, 44100, 16)) +
                                          chunk("data", pcm))
                                  << "bad_rate";
        QTest::newRow("zero rate")
            << riff(chunk("fmt ", fmtBody(1, 1, 0, 16)) + chunk("data", pcm)) << "bad_format";
        QTest::newRow("zero channels")
            << riff(chunk("fmt ", fmtBody(1, 0, 16000, 16)) + chunk("data", pcm)) << "bad_format";
        QTest::newRow("too many channels")
            << riff(chunk("fmt ", fmtBody(1, 40, 16000, 16)) + chunk("data", pcm))
            << "unsupported_channels";
        QByteArray badAlign = fmtBody(1, 1, 16000, 16);
        badAlign[12] = 7;
        QTest::newRow("bad block align")
            << riff(chunk("fmt ", badAlign) + chunk("data", pcm)) << "bad_format";
        QTest::newRow("extensible float")
            << riff(chunk("fmt ", fmtBody(0xFFFE, 1, 16000, 16) + le16(22) + le16(16) + le32(4) +
                                      le16(3) + QByteArray(14, '\x01')) +
                    chunk("data", pcm))
            << "unsupported_encoding";
        QTest::newRow("short extensible")
            << riff(chunk("fmt ", fmtBody(0xFFFE, 1, 16000, 16)) + chunk("data", pcm))
            << "bad_format";
    }
    void hostile()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, code);
        auto parsed = parseWav(file);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QVERIFY(!parsed.error().message.isEmpty());
    }

    void sizeLimit()
    {
        WavLimits limits;
        limits.maxBytes = 100;
        auto parsed = parseWav(
            riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("data", QByteArray(200, '\0'))),
            limits);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("too_large"));
    }

    void anyRateWhenAllowed()
    {
        WavLimits limits;
        limits.requiredSampleRate = 0;
        auto parsed = parseWav(
            riff(chunk("fmt ", fmtBody(1, 1, 8000, 16)) + chunk("data", samples({1, 2}))), limits);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->sampleRate, 8000);
    }

    void readFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("a.wav");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            riff(chunk("fmt ", fmtBody(1, 1, 16000, 16)) + chunk("data", QByteArray(32000, '\0'))));
        f.close();
        auto parsed = readWavFile(path);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->durationMs(), 1000);
        auto missing = readWavFile(dir.filePath("nope.wav"));
        QCOMPARE(missing.error().code, QStringLiteral("io_error"));
        QVERIFY(missing.error().message.contains("nope.wav"));
    }
};

QTEST_GUILESS_MAIN(TestWavFile)
#include "tst_wavfile.moc"
