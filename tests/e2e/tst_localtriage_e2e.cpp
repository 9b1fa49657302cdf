// A corpus call streamed by a phone through the real headless console reaches the dashboard as
// local (offline) triage: no key, no network.
#include "consoleprocess.h"
#include "corpusfiles.h"
#include "skiporfail.h"
#include "testclient.h"

#include <QScopeGuard>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestLocalTriageE2e : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpusCallIsTriagedOffline()
    {
        const QByteArray pcm = corpusPcm(QStringLiteral("cardiac_arrest.wav"));
        if (pcm.isEmpty())
            DISPATCH_SKIP_OR_FAIL("the shared corpus is not beside the checkout");

        ConsoleProcess console(DISPATCH_CONSOLE_BIN);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("GEMINI_API_KEY"); // the embedded default: local triage
        // The engine's log says why, should the call come out degraded.
        env.insert("QT_LOGGING_RULES", "dispatch.triage.local.info=true");
        console.process().setProcessEnvironment(env);
        const QUrl base = console.start({"--auto-answer", "--dashboard-token", "t"});
        QVERIFY2(base.isValid(), console.standardError().constData());

        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        TestClient signal;
        TestClient audio;
        signal.open(wsUrl(base, "/ws/signal", "call_id=cardiac&role=caller"));
        audio.open(wsUrl(base, "/ws/audio", "call_id=cardiac"));
        QVERIFY(signal.waitConnected() && audio.waitConnected());
        signal.sendJson(
            {{"type", "call_initiated"}, {"location", QJsonObject{{"lat", 42.0}, {"lng", -71.0}}}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());

        // Stream in real time in 20 ms chunks, as a phone would. (At twice real time a loaded
        // machine made the recognizer fall behind and degrade to keyword spotting, which since
        // issue 17 never raises a critical flag on its own.)
        const qsizetype chunk = 640;
        audio.sendPaced(pcm, chunk, 20.0);
        // Trailing silence lets the recognizer close the last utterance.
        for (int i = 0; i < 100; ++i)
            audio.socket().sendBinaryMessage(QByteArray(chunk, 0));

        const QJsonObject update = dashboard.waitForType("triage_update", 60'000);
        QVERIFY2(!update.isEmpty(), "no triage_update from the local engine");
        // QTest cuts a failure message at 1 KiB: on failure the console's log goes whole to stderr.
        const auto dumpLog = qScopeGuard([&] {
            if (QTest::currentTestFailed())
                fprintf(stderr, "--- console log ---\n%s\n", console.standardError().constData());
        });
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.countOfType("critical_flag") > 0, 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &m : dashboard.messages()) {
                    if (m.value("type").toString() != "triage_update")
                        continue;
                    const QJsonObject r = m.value("report").toObject();
                    if (r.value("recommended_response_type").toString() == "medical" &&
                        r.value("severity").toInt() >= 4 && r.value("source").toString() == "local")
                        return true;
                }
                return false;
            }(),
            60'000);
        QVERIFY(dashboard.countOfType("transcript") > 0);

        QCOMPARE(console.stop(15'000), 0);
    }
};

QTEST_GUILESS_MAIN(TestLocalTriageE2e)
#include "tst_localtriage_e2e.moc"
