// Issue 18 through the real headless console: a caller describes a cardiac arrest while the
// call rings and hangs up before anyone answers. The call ends abandoned with its follow-up
// open, and the offline engine assesses the ring-time audio after the end: the dashboard gets
// the report for the ended call (no key, no network, no AI session for an unanswered call).
#include "consoleprocess.h"
#include "corpusfiles.h"
#include "skiporfail.h"
#include "testclient.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestAbandonedE2e : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void abandonedCallsRingAudioIsTriaged()
    {
        const QByteArray pcm = corpusPcm(QStringLiteral("cardiac_arrest.wav"));
        if (pcm.isEmpty())
            DISPATCH_SKIP_OR_FAIL("the shared corpus is not beside the checkout");

        ConsoleProcess console(DISPATCH_CONSOLE_BIN);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("GEMINI_API_KEY");
        env.insert("QT_LOGGING_RULES", "dispatch.triage*.info=true");
        console.process().setProcessEnvironment(env);
        const QUrl base = console.start({"--dashboard-token", "t"}); // nobody answers
        QVERIFY2(base.isValid(), console.standardError().constData());
        const auto dumpLog = qScopeGuard([&] {
            if (QTest::currentTestFailed())
                fprintf(stderr, "--- console log ---\n%s\n", console.standardError().constData());
        });

        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        TestClient signal;
        TestClient audio;
        signal.open(wsUrl(base, "/ws/signal", "call_id=abandoned&role=caller"));
        audio.open(wsUrl(base, "/ws/audio", "call_id=abandoned"));
        QVERIFY(signal.waitConnected() && audio.waitConnected());
        signal.sendJson(
            {{"type", "call_initiated"}, {"location", QJsonObject{{"lat", 42.0}, {"lng", -71.0}}}});
        QVERIFY(!dashboard.waitForType("incoming_call").isEmpty());

        // Talking while it rings, at 1.5x real time (the server allows 2x), then a short
        // silence and the caller hangs up.
        const qsizetype chunk = 640;
        audio.sendPaced(pcm + QByteArray(16000, 0), chunk, 20.0 * 2 / 3);
        signal.sendJson({{"type", "call_ended"}});

        const QJsonObject ended = dashboard.waitForType("call_ended", 10'000);
        QCOMPARE(ended.value("reason").toString(), QString("abandoned"));
        QVERIFY(dashboard.countOfType("triage_update") == 0); // nothing before the end
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &m : dashboard.messages()) {
                    if (m.value("type").toString() != "triage_update")
                        continue;
                    const QJsonObject r = m.value("report").toObject();
                    if (m.value("call_id").toString() == "abandoned" &&
                        r.value("source").toString() == "local" &&
                        r.value("recommended_response_type").toString() == "medical")
                        return true;
                }
                return false;
            }(),
            90'000);
        QVERIFY(dashboard.countOfType("critical_flag") == 0); // no alarm for an ended call

        // A console connecting now sees the call waiting for its follow-up, with the report.
        TestClient late;
        late.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        const QJsonObject hello = late.waitForType("hello");
        const QJsonArray calls = hello.value("calls").toArray();
        QCOMPARE(calls.size(), 1);
        const QJsonObject call = calls.at(0).toObject();
        QCOMPARE(call.value("call_id").toString(), QString("abandoned"));
        QCOMPARE(call.value("state").toString(), QString("ended"));
        QCOMPARE(call.value("follow_up").toString(), QString("open"));
        QCOMPARE(call.value("triage").toObject().value("recommended_response_type").toString(),
                 QString("medical"));

        QCOMPARE(console.stop(15'000), 0);
    }
};

QTEST_GUILESS_MAIN(TestAbandonedE2e)
#include "tst_abandoned_e2e.moc"
