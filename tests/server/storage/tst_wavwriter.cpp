#include "storage/wavwriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace dispatch;

namespace {

QByteArray pcm(int samples, int seed)
{
    QByteArray out(samples * 2, '\0');
    for (int i = 0; i < samples; ++i)
        qToLittleEndian<qint16>(qint16((seed * 1000 + i) % 30000), out.data() + 2 * i);
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestWavFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void headerRoundTrip()
    {
        const QByteArray h = wavHeader(32000);
        QCOMPARE(h.size(), WavInfo::HeaderBytes);
        const auto info = parseWavHeader(h, 44 + 32000);
        QVERIFY(info);
        QCOMPARE(info->sampleRate, 16000);
        QCOMPARE(info->channels, 1);
        QCOMPARE(info->bitsPerSample, 16);
        QCOMPARE(info->declaredDataBytes, 32000u);
        QVERIFY(info->finalized());
        QCOMPARE(info->durationMs(32000), qint64(1000));
        QVERIFY(!parseWavHeader(wavHeader(WavInfo::UnknownSize), 44 + 10)->finalized());
    }

    void hostileHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QByteArray good = wavHeader(0);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("short") << good.left(43);
        QTest::newRow("not riff") << QByteArray("RIFX") + good.mid(4);
        QByteArray adpcm = good;
        qToLittleEndian<quint16>(2, adpcm.data() + 20);
        QTest::newRow("not pcm") << adpcm;
        QByteArray rate = good;
        qToLittleEndian<quint32>(12, rate.data() + 24);
        QTest::newRow("absurd rate") << rate;
        QByteArray align = good;
        qToLittleEndian<quint16>(3, align.data() + 32);
        QTest::newRow("bad block align") << align;
        QByteArray list = good;
        memcpy(list.data() + 36, "LIST", 4);
        QTest::newRow("foreign chunk") << list;
    }
    void hostileHeaders()
    {
        QFETCH(QByteArray, header);
        const auto info = parseWavHeader(header, 100);
        QVERIFY(!info);
        QCOMPARE(info.error().code, QString("bad_wav"));
    }

    void writerAppendsAndFinalizes()
    {
        const QString path = m_dir.filePath("a.wav");
        WavWriter w(path);
        QVERIFY(w.open());
        QVERIFY(w.append(pcm(160, 1)));
        QVERIFY(w.append(pcm(160, 2)));
        QVERIFY(w.append(QByteArray(3, 'x'))); // a trailing half sample is not written
        QCOMPARE(w.dataBytes(), qint64(642));
        // Before close the file holds every byte already (no user-space buffer)...
        QCOMPARE(QFile(path).size(), qint64(44 + 642));
        QVERIFY(w.close());
        const QByteArray file = readAll(path);
        const auto info = parseWavHeader(file, file.size());
        QVERIFY(info && info->finalized());
        QCOMPARE(file.mid(44), pcm(160, 1) + pcm(160, 2) + QByteArray(2, 'x'));
    }

    void syncHeaderFollowsData()
    {
        const QString path = m_dir.filePath("b.wav");
        WavWriter w(path);
        QVERIFY(w.open());
        QVERIFY(w.append(pcm(100, 3)));
        QCOMPARE(parseWavHeader(readAll(path))->declaredDataBytes, WavInfo::UnknownSize);
        QVERIFY(w.syncHeader());
        QCOMPARE(parseWavHeader(readAll(path))->declaredDataBytes, 200u);
        QVERIFY(w.append(pcm(100, 4))); // still appends at the end after the header write
        QVERIFY(w.close());
        QCOMPARE(readAll(path).mid(44), pcm(100, 3) + pcm(100, 4));
    }

    void repairAfterCrash()
    {
        const QString path = m_dir.filePath("c.wav");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(wavHeader(WavInfo::UnknownSize) + pcm(800, 5) + QByteArray(1, '\x7f'));
        }
        const auto repaired = repairWavFile(path);
        QVERIFY2(repaired, qPrintable(repaired.error().message));
        QCOMPARE(repaired->availableDataBytes(), qint64(1600));
        const QByteArray file = readAll(path);
        QCOMPARE(file.size(), 44 + 1600); // the partial sample is gone
        QVERIFY(parseWavHeader(file, file.size())->finalized());
        QCOMPARE(file.mid(44), pcm(800, 5));
        // Repairing a finalized file changes nothing.
        QVERIFY(repairWavFile(path));
        QCOMPARE(readAll(path), file);
        // A file that is not ours is refused, not "repaired".
        const QString other = m_dir.filePath("other.wav");
        QFile o(other);
        QVERIFY(o.open(QIODevice::WriteOnly));
        o.write(QByteArray(100, 'z'));
        o.close();
        QVERIFY(!repairWavFile(other));
        QCOMPARE(QFile(other).size(), qint64(100));
    }

    void writerContinuesAnExistingFile()
    {
        const QString path = m_dir.filePath("d.wav");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(wavHeader(WavInfo::UnknownSize) + pcm(10, 6) + QByteArray(1, 'y'));
        }
        WavWriter w(path);
        QVERIFY(w.open());
        QCOMPARE(w.dataBytes(), qint64(20));
        QVERIFY(w.append(pcm(10, 7)));
        QVERIFY(w.close());
        QCOMPARE(readAll(path).mid(44), pcm(10, 6) + pcm(10, 7));
    }

    void silenceFill()
    {
        const QString path = m_dir.filePath("e.wav");
        WavWriter w(path);
        QVERIFY(w.open());
        QVERIFY(w.appendSilence(40001)); // rounded down to whole samples
        QCOMPARE(w.dataBytes(), qint64(40000));
        QCOMPARE(w.durationMs(), qint64(1250));
        QVERIFY(w.close());
        QCOMPARE(readAll(path).mid(44), QByteArray(40000, '\0'));
    }
};

QTEST_GUILESS_MAIN(TestWavFile)
#include "tst_wavwriter.moc"
