// The real phone page in headless Chromium, with a fake microphone playing a corpus WAV, against
// an in-process PhoneServer that serves the page and records what arrives: the audio must match
// the file (normalised cross-correlation), the location and the typed text must arrive, camera
// frames must be JPEGs, and the page's hang-up must end the call. A second run goes over TLS
// through a relay that cuts every connection mid-call: the page must come back to the SAME call.
#include "audiomatch.h"
#include "audiotools/wavfile.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/phoneserver.h"
#include "skiporfail.h"
#include "tcprelay.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <csignal>
#include <memory>
#include <unistd.h>

using namespace dispatch;
using namespace dispatch::test;

namespace {

const QString Chromium = QStringLiteral("/usr/bin/chromium");
constexpr int ClipSamples = 4 * 16000;      // 4 s of the corpus call
constexpr int LeadSilence = 16000 / 2;      // 0.5 s before it
constexpr int TrailSilence = 16000;         // 1 s after it
constexpr int CallTimeoutMs = 90'000;       // generous: two busy cores, a cold browser
constexpr int PieceSamples = 16000 / 4;     // audio compared a quarter second at a time
constexpr int MaxGlitchSamples = 16000 / 5; // the most a starved capture may shift it

// Whether `received` carries `clip` (found at `lag`), a quarter second at a time. Chromium's
// fake microphone inserts a few ms of silence when a starved machine wakes it late (seen in CI:
// 70 ms extra in 5.5 s, whole-clip correlation 0.84), so each piece is matched on its own: a
// glitch costs one piece and shifts the rest; a wrong rate, byte order or reordering leaves
// too few pieces intact or out of order.
struct PieceVerdict
{
    bool sameSignal = false;
    QString shape; // start ms:correlation@lag ms, per piece
};

PieceVerdict judgePieces(const QList<qint16> &clip, const QList<qint16> &received, qsizetype lag)
{
    const QList<PieceAlignment> pieces =
        alignPieces(clip, received, lag, PieceSamples, MaxGlitchSamples);
    int voiced = 0;
    int matched = 0;
    bool inOrder = true;
    qsizetype previousLag = lag - MaxGlitchSamples;
    QStringList shape;
    for (const PieceAlignment &p : pieces) {
        shape << QStringLiteral("%1:%2@%3ms")
                     .arg(p.start / 16)
                     .arg(p.alignment.correlation, 0, 'f', 3)
                     .arg(p.alignment.lag / 16.0, 0, 'f', 1);
        if (!p.voiced)
            continue;
        ++voiced;
        if (p.alignment.correlation > 0.9) {
            ++matched;
            inOrder = inOrder && p.alignment.lag >= previousLag - 320; // give or take a frame
            previousLag = p.alignment.lag;
        }
    }
    // At least 8 voiced pieces (2 s of speech), 80 % of them intact, in order.
    return {voiced >= 8 && matched * 5 >= voiced * 4 && inOrder, shape.join(' ')};
}

// Everything the server saw of the calls.
struct Recorder
{
    QStringList calls;
    QHash<QString, QByteArray> audio;
    QHash<QString, QList<QByteArray>> frames;
    QHash<QString, QStringList> texts;
    QHash<QString, EndReason> ended;

    void attach(CallStore &store, QObject *context)
    {
        QObject::connect(&store, &CallStore::callAdded, context, [this, &store](const QString &id) {
            calls << id;
            store.answer(id, Actor::dispatcher(QStringLiteral("browser-test")));
        });
        QObject::connect(&store, &CallStore::audioReceived, context,
                         [this, &store](const QString &id, const QByteArray &pcm) {
                             // Once the phone's audio socket is surely there, talk back 0.2 s.
                             if (audio.value(id).isEmpty())
                                 store.sendTalkBack(id, QByteArray(6400, '\x02'));
                             audio[id] += pcm;
                         });
        QObject::connect(&store, &CallStore::frameReceived, context,
                         [this](const QString &id, const QByteArray &jpeg) { frames[id] << jpeg; });
        QObject::connect(&store, &CallStore::transcriptUpdated, context,
                         [this](const QString &id, const TranscriptSegment &s) {
                             if (s.speaker == Speaker::CallerText)
                                 texts[id] << s.text;
                         });
        QObject::connect(&store, &CallStore::callEnded, context,
                         [this](const QString &id, EndReason reason) { ended[id] = reason; });
    }
};

// Headless Chromium as a phone. Its own process group, ended by its id in the destructor.
class Browser
{
public:
    Browser(const QString &wav, const QUrl &page)
    {
        QStringList args{
            QStringLiteral("--headless=new"),
            QStringLiteral("--disable-gpu"),
            QStringLiteral("--user-data-dir=") + m_profile.path(),
            QStringLiteral("--no-first-run"),
            QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"),
            QStringLiteral("--disable-sync"),
            QStringLiteral("--disable-quic"),
            QStringLiteral("--use-fake-ui-for-media-stream"),
            QStringLiteral("--use-fake-device-for-media-stream"),
            QStringLiteral("--use-file-for-fake-audio-capture=") + wav + QStringLiteral("%noloop"),
            QStringLiteral("--autoplay-policy=no-user-gesture-required"),
            QStringLiteral("--enable-logging=stderr"),
            QStringLiteral("--v=0"),
        };
        if (::geteuid() == 0)
            args << QStringLiteral("--no-sandbox");
        if (page.scheme() == QLatin1String("https"))
            args << QStringLiteral("--ignore-certificate-errors"); // the self-signed console
        args << page.toString(QUrl::FullyEncoded);
        // Without a PulseAudio server Chromium reads the fake microphone from its first sample;
        // with one (the test command starts null devices) its audio output starts late and the
        // first half second of the file is gone before the page's worklet runs. Hide the server
        // wherever libpulse would look: the runtime dir, and PULSE_SERVER (a server started
        // without XDG_RUNTIME_DIR is found through ~/.config/pulse otherwise).
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        env.insert(QStringLiteral("PULSE_SERVER"), QStringLiteral("unix:/nonexistent/pulse"));
        m_process.setProcessEnvironment(env);
        m_process.setChildProcessModifier([] { ::setsid(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_log += m_process.readAllStandardError(); });
        m_process.start(Chromium, args);
    }

    ~Browser()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        const auto group = -static_cast<pid_t>(m_process.processId());
        ::kill(group, SIGTERM);
        if (!m_process.waitForFinished(10'000)) {
            ::kill(group, SIGKILL);
            m_process.waitForFinished(5000);
        }
    }

    bool started() { return m_process.waitForStarted(10'000); }

    // The page's own log lines ("[phone] ..."), in order.
    QStringList pageLog()
    {
        m_log += m_process.readAllStandardError();
        QStringList lines;
        for (const QByteArray &line : m_log.split('\n')) {
            const int at = line.indexOf("\"[phone] ");
            if (at >= 0)
                lines << QString::fromUtf8(line.mid(at + 9, line.indexOf("\", source") - at - 9));
        }
        return lines;
    }
    bool logged(const QString &text) { return pageLog().filter(text).size() > 0; }
    QString rawLog() const { return QString::fromUtf8(m_log.right(6000)); }

private:
    QTemporaryDir m_profile;
    QProcess m_process;
    QByteArray m_log;
};

QUrl pageUrl(QUrl base, double hangupAfter)
{
    base.setPath(QStringLiteral("/call"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("autostart"), QStringLiteral("1"));
    q.addQueryItem(QStringLiteral("lat"), QStringLiteral("52.520008"));
    q.addQueryItem(QStringLiteral("lng"), QStringLiteral("13.404954"));
    q.addQueryItem(QStringLiteral("acc"), QStringLiteral("12"));
    q.addQueryItem(QStringLiteral("hangup_after"), QString::number(hangupAfter));
    q.addQueryItem(QStringLiteral("camera"), QStringLiteral("1"));
    q.addQueryItem(QStringLiteral("raw"), QStringLiteral("1"));
    q.addQueryItem(QStringLiteral("text"), QStringLiteral("I cannot talk, he is not breathing"));
    base.setQuery(q);
    return base;
}

} // namespace

class TestPhoneBrowser : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_wav;        // what the fake microphone plays
    QList<qint16> m_clip; // the corpus speech in it

    double fileSeconds() const
    {
        return double(LeadSilence + m_clip.size() + TrailSilence) / 16000.0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(Chromium))
            DISPATCH_SKIP_OR_FAIL(
                "/usr/bin/chromium is not installed (CI installs the chromium package)");
        const QString corpus =
            qEnvironmentVariable("DISPATCH_SHARED_DIR", QStringLiteral("../shared")) +
            QStringLiteral("/corpus");
        QStringList wavs =
            QDir(corpus).entryList({QStringLiteral("*.wav")}, QDir::Files, QDir::Name);
        if (wavs.isEmpty())
            DISPATCH_SKIP_OR_FAIL("no corpus WAVs in $DISPATCH_SHARED_DIR/corpus");
        const QString chosen = wavs.contains(QStringLiteral("cardiac_arrest.wav"))
                                   ? QStringLiteral("cardiac_arrest.wav")
                                   : wavs.first();
        const auto source = readWavFileAs16k(corpus + QLatin1Char('/') + chosen);
        QVERIFY2(source, qPrintable(source.error().message));
        m_clip = samplesOf(source->pcm16).mid(0, ClipSamples);
        QVERIFY(m_clip.size() == ClipSamples);
        QList<qint16> played(LeadSilence, 0);
        played += m_clip;
        played += QList<qint16>(TrailSilence, 0);
        m_wav = m_dir.filePath(QStringLiteral("mic.wav"));
        QFile f(m_wav);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wavFile(pcmOf(played)));
        qInfo("fake microphone: first 4 s of %s, %.1f s with silence", qPrintable(chosen),
              fileSeconds());
    }

    void alignmentFindsAKnownShift()
    {
        QList<qint16> shifted(1234, 0);
        shifted += m_clip;
        const Alignment a = align(m_clip, shifted, 16000);
        QCOMPARE(a.lag, qsizetype(1234));
        QVERIFY(a.correlation > 0.999);
        QVERIFY(judgePieces(m_clip, shifted, a.lag).sameSignal);
    }

    void piecesForgiveAGlitchButNotAWrongRate()
    {
        // 70 ms of silence inserted mid-clip, as a starved capture device does.
        QList<qint16> glitched(8000, 0);
        glitched += m_clip.mid(0, 2 * 16000);
        glitched += QList<qint16>(1120, 0);
        glitched += m_clip.mid(2 * 16000);
        const Alignment whole = align(m_clip, glitched, 16000);
        const PieceVerdict forgiven = judgePieces(m_clip, glitched, whole.lag);
        QVERIFY2(forgiven.sameSignal, qPrintable(forgiven.shape));
        // 10 % fast (every tenth sample lost, as a 48/44.1 kHz mix-up would do): not the signal.
        QList<qint16> fast(8000, 0);
        for (qsizetype i = 0; i < m_clip.size(); ++i)
            if (i % 10 != 9)
                fast.append(m_clip.at(i));
        const PieceVerdict refused = judgePieces(m_clip, fast, align(m_clip, fast, 16000).lag);
        QVERIFY2(!refused.sameSignal, qPrintable(refused.shape));
        // Byte-swapped samples: not the signal.
        QList<qint16> swapped(8000, 0);
        for (const qint16 v : m_clip)
            swapped.append(qint16(quint16(v) >> 8 | quint16(v) << 8));
        QVERIFY(!judgePieces(m_clip, swapped, align(m_clip, swapped, 16000).lag).sameSignal);
    }

    void callFromThePageOverHttp()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServerConfig config;
        config.phonePageTestOptions = true; // the page places the call from its URL
        PhoneServer server(config, store, metrics);
        const auto base = server.start();
        QVERIFY(base);
        Recorder rec;
        rec.attach(store, this);

        Browser browser(m_wav, pageUrl(base.value(), fileSeconds()));
        QVERIFY(browser.started());
        QVERIFY2(QTest::qWaitFor([&] { return !rec.ended.isEmpty(); }, CallTimeoutMs),
                 qPrintable(browser.rawLog()));

        QCOMPARE(rec.calls.size(), 1);
        const QString id = rec.calls.first();
        QVERIFY(rec.ended.value(id) == EndReason::CallerHungUp);
        const Call *call = store.call(id);
        QVERIFY(call && call->location);
        QCOMPARE(call->location->latitude, 52.520008);
        QCOMPARE(call->location->longitude, 13.404954);
        QCOMPARE(call->location->accuracyMeters.value_or(-1), 12.0);
        QCOMPARE(rec.texts.value(id), QStringList{"I cannot talk, he is not breathing"});

        // Camera: Chromium's fake camera, one JPEG a second.
        const QList<QByteArray> frames = rec.frames.value(id);
        QVERIFY2(!frames.isEmpty(), qPrintable(browser.pageLog().join('\n')));
        for (const QByteArray &jpeg : frames)
            QVERIFY(jpeg.startsWith("\xFF\xD8\xFF"));

        // The audio: everything the microphone played, resampled twice (file -> Chromium's
        // device rate -> 16 kHz in the page's worklet) and still the same signal.
        const QList<qint16> received = samplesOf(rec.audio.value(id));
        qInfo("received %.2f s of audio for a %.2f s file", received.size() / 16000.0,
              fileSeconds());
        QVERIFY(received.size() >= m_clip.size());
        const Alignment a = align(m_clip, received, received.size());
        qInfo("normalised cross-correlation %.4f at lag %lld samples (%.1f ms)", a.correlation,
              static_cast<long long>(a.lag), a.lag / 16.0);
        QVERIFY(a.lag >= 0);
        const PieceVerdict v = judgePieces(m_clip, received, a.lag);
        qInfo("pieces (start ms:correlation@lag): %s", qPrintable(v.shape));
        QVERIFY2(v.sameSignal, qPrintable(v.shape));

        const QStringList log = browser.pageLog();
        QVERIFY2(browser.logged("talk-back"), qPrintable(log.join('\n')));
        QVERIFY(browser.logged("state connected"));
        QVERIFY(browser.logged("state ended caller_hung_up"));
    }

    void reconnectsToTheSameCallOverTls()
    {
        QTemporaryDir data;
        PhoneServerConfig config;
        config.forceTls = true;
        config.dataDir = data.path();
        config.phonePageTestOptions = true;
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(config, store, metrics);
        const auto direct = server.start();
        QVERIFY(direct);
        QCOMPARE(direct->scheme(), QString("https"));
        TcpRelay relay(QHostAddress::LocalHost, quint16(direct->port()));
        QUrl base = direct.value();
        base.setPort(relay.port());
        Recorder rec;
        rec.attach(store, this);

        Browser browser(m_wav, pageUrl(base, fileSeconds()));
        QVERIFY(browser.started());
        // A network blip once a second of speech has arrived.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return !rec.calls.isEmpty() &&
                                rec.audio.value(rec.calls.first()).size() >= 2 * 16000;
                     },
                     CallTimeoutMs),
                 qPrintable(browser.rawLog()));
        const QString id = rec.calls.first();
        const qsizetype beforeBlip = rec.audio.value(id).size();
        QVERIFY(relay.dropAll() >= 3);
        QVERIFY2(QTest::qWaitFor([&] { return rec.audio.value(id).size() > beforeBlip + 16000; },
                                 CallTimeoutMs),
                 qPrintable(browser.pageLog().join('\n')));
        QVERIFY2(QTest::qWaitFor([&] { return !rec.ended.isEmpty(); }, CallTimeoutMs),
                 qPrintable(browser.pageLog().join('\n')));

        QCOMPARE(rec.calls.size(), 1); // the same call, never a second one
        QVERIFY(rec.ended.value(id) == EndReason::CallerHungUp);
        QVERIFY(metrics.value(QStringLiteral("dispatch_caller_reconnects_total")) >= 1);
        const QStringList log = browser.pageLog();
        const qsizetype reconnecting = log.indexOf(QRegularExpression("state reconnecting.*"));
        QVERIFY2(reconnecting >= 0, qPrintable(log.join('\n')));
        // Answered again after the blip: the console repeated dispatcher_ready.
        QVERIFY2(log.indexOf(QRegularExpression("state connected.*"), reconnecting) > reconnecting,
                 qPrintable(log.join('\n')));
        QVERIFY(store.call(id)->location.has_value());
        qInfo("%d connections through the relay; %.2f s of audio arrived",
              relay.acceptedConnections(), rec.audio.value(id).size() / 32000.0);
    }
};

QTEST_GUILESS_MAIN(TestPhoneBrowser)
#include "tst_phonebrowser.moc"
