// dispatch-caller (the real binary) placing calls against the real dispatch-console binary
// (--headless --auto-answer), and against an in-process server for talk-back.
#include "audiomatch.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "consoleprocess.h"
#include "host/phoneserver.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace dispatch;
using namespace dispatch::test;

namespace {

const QByteArray Token = "caller-e2e-token";

// A WAV the tests send: `seconds` of a chirp (distinct at every offset).
QByteArray chirpPcm(double seconds)
{
    QList<qint16> s(qsizetype(seconds * 16000));
    for (qsizetype i = 0; i < s.size(); ++i) {
        const double t = double(i) / 16000;
        s[i] = qint16(std::lround(9000 * std::sin(2 * M_PI * (200 * t + 300 * t * t))));
    }
    return pcmOf(s);
}

struct CallerResult
{
    int exitCode = -1;
    QList<QJsonObject> lines; // --json output
    QByteArray stderrText;

    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> found;
        for (const auto &l : lines) {
            if (l.value("event").toString() == name)
                found.append(l);
        }
        return found;
    }
    QJsonObject summary() const { return events("summary").value(0); }
};

} // namespace

class TestCaller : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_wav; // 2 s chirp
    QByteArray m_pcm;

    // Runs dispatch-caller to the end; the test's event loop keeps running meanwhile.
    CallerResult runCaller(const QStringList &args, int timeoutMs = 30'000)
    {
        QProcess p;
        p.start(QStringLiteral(DISPATCH_CALLER_BIN), args + QStringList{"--json"});
        CallerResult r;
        if (!p.waitForStarted(5000))
            return r;
        QByteArray out;
        const bool done = QTest::qWaitFor(
            [&] {
                out += p.readAllStandardOutput();
                return p.state() == QProcess::NotRunning;
            },
            timeoutMs);
        if (!done) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        out += p.readAllStandardOutput();
        r.stderrText = p.readAllStandardError();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.trimmed().isEmpty())
                r.lines.append(QJsonDocument::fromJson(line).object());
        }
        return r;
    }

    quint64 metric(const QUrl &base, const QByteArray &series)
    {
        QNetworkAccessManager http;
        QUrl url = base;
        url.setPath("/metrics");
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + Token);
        QNetworkReply *reply = http.get(request);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10'000))
            return 0;
        const QByteArray text = reply->readAll();
        reply->deleteLater();
        for (const QByteArray &line : text.split('\n')) {
            if (line.startsWith(QByteArray(series + ' ')))
                return line.mid(series.size() + 1).toULongLong();
        }
        return 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pcm = chirpPcm(2.0);
        m_wav = m_dir.filePath("chirp.wav");
        QFile f(m_wav);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wavFile(m_pcm));
    }

    void fullCallDeliversEveryByte()
    {
        ConsoleProcess console(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = console.start({"--auto-answer", "--dashboard-token", QString(Token)});
        QVERIFY(base.isValid());
        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer " + Token}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());

        const QString track = m_dir.filePath("track.json");
        QFile t(track);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(R"([{"lat":48.85,"lng":2.35,"accuracy":9},{"lat":48.851,"lng":2.351,"t":0.5}])");
        t.close();
        const QString vitals = m_dir.filePath("vitals.json");
        QFile v(vitals);
        QVERIFY(v.open(QIODevice::WriteOnly));
        v.write(R"([{"hr":120,"hrConfidence":0.9},{"hr":125,"breathing":28,"t":0.4}])");
        v.close();
        const QString frame = m_dir.filePath("f.jpg");
        QFile j(frame);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write(QByteArray::fromHex("FFD8FFE000104A46494600010100000100010000FFD9"));
        // (--frames takes every .jpg in the folder: this is the only one.)
        j.close();

        const CallerResult r =
            runCaller({"--server", base.toString(), "--call-id", "e2e-full", "--wav", m_wav,
                       "--fast", "--track", track, "--vitals", vitals, "--frames", m_dir.path(),
                       "--text", "I cannot speak", "--expect-answer"});
        QVERIFY2(r.exitCode == 0, r.stderrText.constData());
        const QJsonObject s = r.summary();
        QCOMPARE(s.value("result").toString(), QString("ok"));
        QCOMPARE(s.value("end_reason").toString(), QString("caller_hung_up"));
        QVERIFY(s.value("answer_ms").toInt(-1) >= 0);
        QCOMPARE(s.value("audio_bytes_sent").toInteger(), m_pcm.size());
        QCOMPARE(s.value("locations_sent").toInt(), 2);
        QCOMPARE(s.value("vitals_sent").toInt(), 2);
        QCOMPARE(s.value("frames_sent").toInt(), 1);
        QCOMPARE(r.events("dispatcher_ready").size(), 1);
        QCOMPARE(r.events("total").value(0).value("ok").toInt(), 1);

        // The console received every byte: the audio plus the one frame message.
        const QByteArray jpeg = QByteArray::fromHex("FFD8FFE000104A46494600010100000100010000FFD9");
        const qsizetype frameMessage =
            QJsonDocument(QJsonObject{{"type", "frame"}, {"data", QString(jpeg.toBase64())}})
                .toJson(QJsonDocument::Compact)
                .size();
        QCOMPARE(metric(base, "dispatch_bytes_received_total{channel=\"audio\"}"),
                 quint64(m_pcm.size() + frameMessage));
        QCOMPARE(metric(base, "dispatch_messages_received_total{channel=\"audio\"}"),
                 quint64(m_pcm.size() / 32000 + 1)); // 1 s chunks in --fast mode
        QCOMPARE(metric(base, "dispatch_protocol_errors_total{channel=\"audio\"}"), 0u);
        const QJsonObject incoming = dashboard.waitForType("incoming_call");
        QCOMPARE(incoming.value("location").toObject().value("lat").toDouble(), 48.85);
        QVERIFY(!dashboard.waitForType("location_update").isEmpty());
        QCOMPARE(dashboard.waitForType("vitals").value("hr").toDouble(), 120.0);
        const QJsonObject text = dashboard.waitForType("transcript");
        QCOMPARE(text.value("speaker").toString(), QString("caller_text"));
        QCOMPARE(text.value("text").toString(), QString("I cannot speak"));
        QCOMPARE(dashboard.waitForType("call_ended").value("reason").toString(),
                 QString("caller_hung_up"));
        QCOMPARE(console.stop(), 0);
    }

    void manyCallersFromOneProcess()
    {
        ConsoleProcess console(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = console.start({"--auto-answer", "--dashboard-token", QString(Token)});
        QVERIFY(base.isValid());
        const CallerResult r =
            runCaller({"--server", base.toString(), "--call-id", "fleet", "--wav", m_wav, "--fast",
                       "--count", "4", "--stagger-ms", "30", "--expect-answer"});
        QVERIFY2(r.exitCode == 0, r.stderrText.constData());
        const auto summaries = r.events("summary");
        QCOMPARE(summaries.size(), 4);
        QStringList ids;
        for (const auto &s : summaries) {
            QCOMPARE(s.value("result").toString(), QString("ok"));
            QCOMPARE(s.value("audio_bytes_sent").toInteger(), m_pcm.size());
            ids << s.value("call_id").toString();
        }
        ids.sort();
        QCOMPARE(ids, (QStringList{"fleet-1", "fleet-2", "fleet-3", "fleet-4"}));
        const QJsonObject total = r.events("total").value(0);
        QCOMPARE(total.value("calls").toInt(), 4);
        QCOMPARE(total.value("ok").toInt(), 4);
        QCOMPARE(total.value("answered").toInt(), 4);
        QCOMPARE(metric(base, "dispatch_bytes_received_total{channel=\"audio\"}"),
                 quint64(4 * m_pcm.size()));
        QCOMPARE(metric(base, "dispatch_calls{state=\"ended\"}"), 4u);
        QCOMPARE(console.stop(), 0);
    }

    void audioIsPacedInRealTime()
    {
        ConsoleProcess console(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = console.start({"--auto-answer", "--dashboard-token", QString(Token)});
        QVERIFY(base.isValid());
        const QString shortWav = m_dir.filePath("short.wav");
        QFile f(shortWav);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wavFile(m_pcm.left(16000))); // 0.5 s
        f.close();
        const CallerResult r = runCaller({"--server", base.toString(), "--wav", shortWav});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject s = r.summary();
        QCOMPARE(s.value("audio_bytes_sent").toInt(), 16000);
        QVERIFY2(s.value("duration_ms").toInt() >= 460,
                 qPrintable(QString::number(s.value("duration_ms").toInt())));
        QCOMPARE(metric(base, "dispatch_messages_received_total{channel=\"audio\"}"),
                 quint64(16000 / 640)); // 20 ms chunks
        QCOMPARE(console.stop(), 0);
    }

    void exitCodesSayWhatWentWrong()
    {
        // 2: usage, 1: an input file that cannot be used.
        QCOMPARE(runCaller({"--server", "http://127.0.0.1:1", "--count", "0"}).exitCode, 2);
        QCOMPARE(
            runCaller({"--server", "http://127.0.0.1:1", "--wav", "/nonexistent.wav"}).exitCode, 1);

        // 3: nobody listens.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = closed.serverPort();
        closed.close();
        CallerResult refused =
            runCaller({"--server", QString("http://127.0.0.1:%1").arg(freePort), "--wav", m_wav});
        QCOMPARE(refused.exitCode, 3);
        QCOMPARE(refused.summary().value("result").toString(), QString("connect_failed"));

        ConsoleProcess console(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = console.start({"--dashboard-token", QString(Token)}); // no auto-answer
        QVERIFY(base.isValid());

        // 4: nobody answers.
        CallerResult unanswered = runCaller({"--server", base.toString(), "--expect-answer",
                                             "--answer-timeout", "0.3", "--hangup-after", "10"});
        QCOMPARE(unanswered.exitCode, 4);
        QCOMPARE(unanswered.summary().value("result").toString(), QString("not_answered"));

        // 6: the dispatcher ends the call before the caller's script is done.
        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer " + Token}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        connect(
            &dashboard.socket(), &QWebSocket::textMessageReceived, this,
            [&dashboard](const QString &text) {
                const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                if (m.value("type").toString() == "incoming_call" &&
                    m.value("call_id").toString() == "ended-early") {
                    dashboard.sendJson({{"type", "dispatcher_joined"}, {"call_id", "ended-early"}});
                    dashboard.sendJson({{"type", "call_ended"}, {"call_id", "ended-early"}});
                }
            });
        CallerResult ended = runCaller(
            {"--server", base.toString(), "--call-id", "ended-early", "--hangup-after", "20"});
        QCOMPARE(ended.exitCode, 6);
        QCOMPARE(ended.summary().value("end_reason").toString(), QString("dispatcher_ended"));

        // 5: the server refuses: this call id belongs to a call that has ended.
        CallerResult reused = runCaller(
            {"--server", base.toString(), "--call-id", "ended-early", "--hangup-after", "5"});
        QCOMPARE(reused.exitCode, 5);
        QCOMPARE(reused.summary().value("result").toString(), QString("server_error"));
        QVERIFY(!reused.events("error").isEmpty());
        QCOMPARE(console.stop(), 0);
    }

    void tlsNeedsTrust()
    {
        ConsoleProcess console(QStringLiteral(DISPATCH_CONSOLE_BIN));
        const QUrl base = console.start({"--tls", "--auto-answer"});
        QVERIFY(base.isValid());
        QCOMPARE(base.scheme(), QString("https"));
        const QStringList call{"--server", base.toString(), "--hangup-after", "0.2",
                               "--expect-answer"};
        CallerResult untrusted = runCaller(call);
        QCOMPARE(untrusted.exitCode, 3);
        QVERIFY(untrusted.summary().value("detail").toString().contains("--ca"));
        QCOMPARE(runCaller(call + QStringList{"--insecure"}).exitCode, 0);
        const QString certificate = console.dataDir() + "/tls/server.crt";
        QVERIFY(QFile::exists(certificate));
        QCOMPARE(runCaller(call + QStringList{"--ca", certificate}).exitCode, 0);
        QCOMPARE(console.stop(), 0);
    }

    // In-process server: the dispatcher talks back, and the caller moves and sends vitals.
    void talkBackMovementAndVitals()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig(), store, metrics);
        const auto url = server.start();
        QVERIFY(url);
        const QByteArray talk(8000, '\x01'); // 0.25 s
        QList<GeoLocation> track;
        QList<VitalsSample> vitals;
        connect(&store, &CallStore::callAdded, this,
                [&](const QString &id) { store.answer(id, Actor::dispatcher("test")); });
        connect(&store, &CallStore::locationUpdated, this,
                [&](const QString &, const GeoLocation &l) { track.append(l); });
        // The caller's audio socket opens with the call's secret after call_initiated; its
        // first vitals prove it is there (dispatch-caller sends them once all three are up).
        connect(&store, &CallStore::vitalsUpdated, this,
                [&](const QString &id, const VitalsSample &v) {
                    vitals.append(v);
                    if (vitals.size() == 1) {
                        store.sendTalkBack(id, talk);
                        store.sendTalkBack(id, talk);
                    }
                });

        const CallerResult r = runCaller(
            {"--server", url->toString(), "--call-id", "mover", "--location", "40.4168,-3.7038,6",
             "--move", "--vitals-demo", "--hangup-after", "2.5", "--expect-answer"});
        QVERIFY2(r.exitCode == 0, r.stderrText.constData());
        const QJsonObject s = r.summary();
        QCOMPARE(s.value("talk_back_bytes").toInt(), 2 * talk.size());
        QCOMPARE(s.value("talk_back_chunks").toInt(), 2);
        QCOMPARE(r.events("talk_back_started").size(), 1);
        QVERIFY(s.value("vitals_sent").toInt() >= 2);
        QCOMPARE(int(vitals.size()), s.value("vitals_sent").toInt());
        QVERIFY(*vitals.first().heartRate > 90);
        const Call *call = store.call("mover");
        QVERIFY(call);
        QVERIFY(call->endReason == EndReason::CallerHungUp);
        // The walk: one update after 2 s, north-east of the start.
        QVERIFY(!track.isEmpty());
        QVERIFY(track.last().latitude > 40.4168 && track.last().longitude > -3.7038);
    }
};

QTEST_GUILESS_MAIN(TestCaller)
#include "tst_caller.moc"
