// dispatch-caller's inputs without a network: command line, WAV files, track/vitals scripts.
#include "audiotools/resample.h"
#include "audiotools/wavfile.h"
#include "calleroptions.h"
#include "callscript.h"

#include "audiomatch.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cmath>

using namespace dispatch::caller;
using dispatch::test::samplesOf;
using dispatch::test::wavFile;

namespace {

QByteArray tone(int rate, int channels, double hz, double seconds, int bits = 16)
{
    const int frames = int(rate * seconds);
    QByteArray pcm;
    for (int i = 0; i < frames; ++i) {
        const double v = 0.5 * std::sin(2 * M_PI * hz * i / rate);
        for (int c = 0; c < channels; ++c) {
            if (bits == 16) {
                char b[2];
                qToLittleEndian<qint16>(qint16(std::lround(v * 32767)), b);
                pcm.append(b, 2);
            } else {
                pcm.append(char(quint8(128 + std::lround(v * 127))));
            }
        }
    }
    return pcm;
}

// A WAV header for any format, for the reader's refusals.
QByteArray wavWith(int format, int channels, int rate, int bits, const QByteArray &data,
                   const QByteArray &extraChunk = QByteArray())
{
    QByteArray fmt(16, '\0');
    qToLittleEndian<quint16>(quint16(format), fmt.data());
    qToLittleEndian<quint16>(quint16(channels), fmt.data() + 2);
    qToLittleEndian<quint32>(quint32(rate), fmt.data() + 4);
    qToLittleEndian<quint32>(quint32(rate * channels * bits / 8), fmt.data() + 8);
    qToLittleEndian<quint16>(quint16(channels * bits / 8), fmt.data() + 12);
    qToLittleEndian<quint16>(quint16(bits), fmt.data() + 14);
    auto chunk = [](const QByteArray &id, const QByteArray &body) -> QByteArray {
        QByteArray size(4, '\0');
        qToLittleEndian<quint32>(quint32(body.size()), size.data());
        return id + size + body + (body.size() % 2 ? QByteArray(1, '\0') : QByteArray());
    };
    const QByteArray body = "WAVE" + chunk("fmt ", fmt) + extraChunk + chunk("data", data);
    QByteArray size(4, '\0');
    qToLittleEndian<quint32>(quint32(body.size()), size.data());
    return "RIFF" + size + body;
}

double rms(const QList<qint16> &s, qsizetype from = 0)
{
    double sum = 0;
    for (qsizetype i = from; i < s.size(); ++i)
        sum += double(s[i]) * s[i];
    return std::sqrt(sum / double(s.size() - from));
}

CallerOptionsResult parse(const QStringList &args)
{
    return parseCallerOptions(QStringList{"dispatch-caller"} + args);
}

} // namespace

// What dispatch-caller streams: any rate and up to stereo, converted to 16 kHz mono.
struct Converted
{
    QByteArray pcm;
    int sourceRate = 0;
    QString error;
    bool ok() const { return error.isEmpty(); }
    double seconds() const { return double(pcm.size()) / (2 * 16000); }
};

Converted convert(const QByteArray &bytes)
{
    dispatch::WavLimits limits;
    limits.requiredSampleRate = 0;
    limits.maxChannels = 2;
    const auto wav = dispatch::parseWav(bytes, limits);
    if (!wav)
        return {{}, 0, wav.error().message};
    return {dispatch::resampleS16(wav->pcm16, wav->sampleRate, 16000), wav->sampleRate, {}};
}

class TestCallerInputs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wav16kMonoIsTakenAsIs()
    {
        const QByteArray pcm = tone(16000, 1, 440, 0.5);
        const Converted a = convert(wavFile(pcm));
        QVERIFY2(a.ok(), qPrintable(a.error));
        QCOMPARE(a.pcm, pcm);
        QCOMPARE(a.sourceRate, 16000);
        QCOMPARE(a.seconds(), 0.5);
    }

    void otherRatesAndStereoAreConverted_data()
    {
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::newRow("48k stereo") << 48000 << 2;
        QTest::newRow("44.1k mono") << 44100 << 1;
        QTest::newRow("8k mono") << 8000 << 1;
    }

    void otherRatesAndStereoAreConverted()
    {
        QFETCH(int, rate);
        QFETCH(int, channels);
        const Converted a = convert(wavWith(1, channels, rate, 16, tone(rate, channels, 440, 1)));
        QVERIFY2(a.ok(), qPrintable(a.error));
        QVERIFY(std::abs(a.pcm.size() / 2 - 16000) <= 2);
        const QList<qint16> s = samplesOf(a.pcm);
        const double level = rms(s, 400) / (0.5 * 32767 / std::sqrt(2.0));
        QVERIFY2(std::abs(level - 1) < 0.03, qPrintable(QString::number(level)));
        // Still a 440 Hz tone: matches a clean one at some small lag.
        const QList<qint16> clean = samplesOf(tone(16000, 1, 440, 1));
        QVERIFY(dispatch::test::align(clean.mid(400, 8000), s, 800).correlation > 0.99);
    }

    void toneAboveNyquistIsRemoved()
    {
        const Converted a = convert(wavWith(1, 1, 48000, 16, tone(48000, 1, 11000, 0.5)));
        QVERIFY(a.ok());
        QVERIFY(rms(samplesOf(a.pcm), 200) < 0.01 * 0.5 * 32767);
    }

    void readingNamesTheFile()
    {
        const auto a = dispatch::readWavFileAs16k("/nonexistent/x.wav");
        QVERIFY(!a);
        QVERIFY(a.error().message.contains("/nonexistent/x.wav"));
    }

    void commandLine()
    {
        auto r = parse({"--server",
                        "https://10.0.0.5:8443",
                        "--wav",
                        "a.wav",
                        "--fast",
                        "--location",
                        "51.5,-0.12,12",
                        "--move",
                        "--vitals-demo",
                        "--text",
                        "hi",
                        "--hangup-after",
                        "2.5",
                        "--expect-answer",
                        "--answer-timeout",
                        "3",
                        "--count",
                        "4",
                        "--stagger-ms",
                        "250",
                        "--insecure",
                        "--json"});
        QVERIFY2(r.options, qPrintable(r.error));
        const CallerOptions &o = *r.options;
        QCOMPARE(o.server, QUrl("wss://10.0.0.5:8443"));
        QCOMPARE(o.wavPath, QString("a.wav"));
        QVERIFY(o.fast && o.move && o.vitalsDemo && o.expectAnswer && o.insecure && o.json);
        QCOMPARE(o.location->lat, 51.5);
        QCOMPARE(*o.location->accuracy, 12.0);
        QCOMPARE(o.hangupAfterMs, 2500);
        QCOMPARE(o.answerTimeoutMs, 3000);
        QCOMPARE(o.count, 4);
        QCOMPARE(o.staggerMs, 250);

        QCOMPARE(parse({"--server", "http://127.0.0.1:9"}).options->server,
                 QUrl("ws://127.0.0.1:9"));
        QCOMPARE(parse({"--server", "ws://h:1/x?y"}).options->server, QUrl("ws://h:1"));
        QVERIFY(parse({"--help"}).helpText.contains("Exit status"));
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no server") << QStringList{"--wav", "a.wav"};
        QTest::newRow("ftp") << QStringList{"--server", "ftp://h"};
        QTest::newRow("no host") << QStringList{"--server", "https://"};
        QTest::newRow("bad id") << QStringList{"--server", "http://h", "--call-id", "a b"};
        QTest::newRow("bad location") << QStringList{"--server", "http://h", "--location", "95,1"};
        QTest::newRow("move alone") << QStringList{"--server", "http://h", "--move"};
        QTest::newRow("track+move")
            << QStringList{"--server", "http://h", "--location", "1,2", "--move", "--track", "t"};
        QTest::newRow("two vitals")
            << QStringList{"--server", "http://h", "--vitals", "v", "--vitals-demo"};
        QTest::newRow("two frames")
            << QStringList{"--server", "http://h", "--frames", "d", "--frame", "f"};
        QTest::newRow("count 0") << QStringList{"--server", "http://h", "--count", "0"};
        QTest::newRow("stagger") << QStringList{"--server", "http://h", "--stagger-ms", "-1"};
        QTest::newRow("tls both") << QStringList{"--server", "http://h", "--insecure", "--ca",
                                                 "c.pem"};
        QTest::newRow("hangup") << QStringList{"--server", "http://h", "--hangup-after", "x"};
        QTest::newRow("unknown") << QStringList{"--server", "http://h", "--bogus"};
        QTest::newRow("positional") << QStringList{"--server", "http://h", "extra"};
    }

    void badCommandLines()
    {
        QFETCH(QStringList, args);
        const auto r = parse(args);
        QVERIFY(!r.options);
        QVERIFY(!r.error.isEmpty());
    }

    void positions()
    {
        QCOMPARE(parsePosition("1.5,2.5")->lng, 2.5);
        QVERIFY(!parsePosition("1.5,2.5")->accuracy);
        QVERIFY(!parsePosition("1.5"));
        QVERIFY(!parsePosition("a,b"));
        QVERIFY(!parsePosition("1,200"));
        QVERIFY(!parsePosition("1,2,-3"));
        const Position start{40.0, -3.0, 5.0};
        const Position later = walk(start, 10'000); // 14 m north-east
        const double north = (later.lat - start.lat) * 111'320;
        const double east = (later.lng - start.lng) * 111'320 * std::cos(40.0 * M_PI / 180);
        QVERIFY(std::abs(std::hypot(north, east) - 14.0) < 0.01);
        QVERIFY(std::abs(north - east) < 1e-6);
    }

    void trackAndVitalsScripts()
    {
        auto track = parseTrack(R"([{"lat":1,"lng":2},{"lat":1.1,"lng":2.1,"accuracy":5,"t":7}])");
        QVERIFY2(track.ok(), qPrintable(track.error));
        QCOMPARE(track.value.size(), 2);
        QCOMPARE(track.value[0].atMs, 0);
        QCOMPARE(track.value[1].atMs, 7000);
        QCOMPARE(*track.value[1].position.accuracy, 5.0);
        QVERIFY(parseTrack(R"({"points":[{"lat":1,"lng":2}]})").ok());
        QVERIFY(!parseTrack("[]").ok());
        QVERIFY(!parseTrack(R"([{"lat":1}])").ok());
        QVERIFY(!parseTrack("{").ok());

        auto vitals = parseVitals(R"([{"hr":80},{"breathing":14,"breathingConfidence":0.5}])");
        QVERIFY2(vitals.ok(), qPrintable(vitals.error));
        QCOMPARE(vitals.value[1].atMs, 1000);
        QCOMPARE(*vitals.value[1].breathing, 14.0);
        QVERIFY(!parseVitals(R"([{"hrConfidence":1}])").ok());
        const VitalsPoint demo = demoVitals(5000);
        QVERIFY(*demo.hr > 90 && *demo.hr < 140);
        QVERIFY(*demo.breathing > 15 && *demo.breathing < 35);
    }

    void framesFromFiles()
    {
        QTemporaryDir dir;
        const QByteArray jpeg = QByteArray::fromHex("FFD8FFE000104A46494600010100000100010000FFD9");
        for (const char *name : {"b.jpg", "a.jpg"}) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(jpeg + name);
        }
        auto frames = loadFrames(dir.path());
        QVERIFY2(frames.ok(), qPrintable(frames.error));
        QCOMPARE(frames.value.size(), 2);
        QVERIFY(frames.value[0].endsWith("a.jpg")); // name order
        QVERIFY(isJpeg(frames.value[1]));
        QFile junk(dir.filePath("junk.png"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an image");
        junk.close();
        QVERIFY(!loadFrames(dir.filePath("junk.png")).ok());
        QVERIFY(!loadFrames(dir.filePath("missing.jpg")).ok());
        QTemporaryDir empty;
        QVERIFY(!loadFrames(empty.path()).ok());
    }
};

QTEST_GUILESS_MAIN(TestCallerInputs)
#include "tst_callerinputs.moc"
