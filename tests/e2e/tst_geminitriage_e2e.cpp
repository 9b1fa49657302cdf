// A corpus call streamed by a phone through the real headless console, with Gemini triage
// pointed at the fake Gemini Live server running in this test process: the dashboard receives
// a triage_update with source gemini, the key travels only in the upgrade header and never
// appears in the console's output.
#include "corpusfiles.h"
#include "fakegeminiserver.h"
#include "skiporfail.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace dispatch;
using namespace dispatch::fakes;
using namespace dispatch::test;

class TestGeminiTriageE2e : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        // The console started here keeps its default audit key (and its anchors) in a
        // throw-away config dir, never in the real one of whoever runs the tests.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    }

    void corpusCallIsTriagedByGemini()
    {
        const QByteArray pcm = corpusPcm(QStringLiteral("cardiac_arrest.wav"));
        if (pcm.isEmpty())
            DISPATCH_SKIP_OR_FAIL("the shared corpus is not beside the checkout");

        const QString key = "test-key";
        FakeGeminiServer fake;
        fake.config().expectedApiKey = key;
        fake.config().resumptionUpdateIntervalMs = 200;
        QVERIFY(fake.listen());
        fake.queueInputTranscripts({"My husband collapsed, he is not breathing"});
        fake.scriptToolCall(
            1, {{"report_triage",
                 QJsonObject{{"situation_summary", "Adult male collapsed, not breathing"},
                             {"detected_keywords", QJsonArray{"collapsed", "not breathing"}},
                             {"caller_emotional_state", "panicked"},
                             {"recommended_response_type", "medical"},
                             {"severity", 5},
                             {"can_speak", true}}},
                {"flag_critical", QJsonObject{{"reason", "not breathing"}, {"severity", 5}}}});
        QSignalSpy setups(&fake, &FakeGeminiServer::setupReceived);

        QTemporaryDir dir;
        QProcess console;
        console.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("GEMINI_API_KEY", key);
        env.insert("QT_LOGGING_RULES", "dispatch.*=true"); // everything, to look for the key
        env.remove("DISPATCH_GEMINI_ENDPOINT");
        console.setProcessEnvironment(env);
        console.start(DISPATCH_CONSOLE_BIN,
                      {"--headless", "--listen", "127.0.0.1:0", "--data-dir", dir.path(),
                       "--auto-answer", "--dashboard-token", "t", "--triage", "gemini",
                       "--gemini-endpoint", fake.baseUrl().toString()});
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += console.readAll()).contains("listening on"), 15'000);
        const QUrl base(QRegularExpression("listening on (\\S+)").match(out).captured(1));

        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        TestClient signal;
        TestClient audio;
        signal.open(wsUrl(base, "/ws/signal", "call_id=cardiac&role=caller"));
        audio.open(wsUrl(base, "/ws/audio", "call_id=cardiac"));
        QVERIFY(signal.waitConnected() && audio.waitConnected());
        signal.sendJson({{"type", "call_initiated"}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(setups.count(), 1, 10'000);

        // Twice real time in 20 ms chunks, until Gemini's report is on the dashboard.
        const auto geminiUpdate = [&dashboard] {
            for (const auto &m : dashboard.messages()) {
                if (m.value("type").toString() == "triage_update" &&
                    m["report"]["source"].toString() == "gemini")
                    return m;
            }
            return QJsonObject();
        };
        const qsizetype chunk = 640;
        const qint64 sent =
            audio.sendPaced(pcm, chunk, 10.0, [&] { return !geminiUpdate().isEmpty(); });
        QTRY_VERIFY_WITH_TIMEOUT(!geminiUpdate().isEmpty(), 30'000);
        const QJsonObject report = geminiUpdate()["report"].toObject();
        QCOMPARE(report["severity"].toInt(), 5);
        QCOMPARE(report["recommended_response_type"].toString(), "medical");
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.countOfType("critical_flag") > 0, 10'000);
        bool live = false;
        for (const auto &m : dashboard.messages())
            live |= m["type"].toString() == "ai_link" && m["state"].toString() == "live";
        QVERIFY(live);
        // Only Gemini is published while it is live: no local report competes.
        for (const auto &m : dashboard.messages()) {
            if (m["type"].toString() == "triage_update")
                QCOMPARE(m["report"]["source"].toString(), "gemini");
        }
        QTRY_COMPARE_WITH_TIMEOUT(fake.totalAudioBytes(), sent, 10'000);

        const QJsonObject setup = setups.first().at(1).toJsonObject();
        // No --gemini-model: the current stable model.
        QCOMPARE(setup["model"].toString(), "models/gemini-3.8-live");
        QCOMPARE(setup["tools"][0]["functionDeclarations"].toArray().size(), 3);
        QVERIFY(fake.lastUpgrade().keyInHeader);
        QVERIFY(!fake.lastUpgrade().keyInQuery);

        ::kill(static_cast<pid_t>(console.processId()), SIGTERM);
        QVERIFY(console.waitForFinished(15'000));
        QCOMPARE(console.exitCode(), 0);
        out += console.readAll();
        QVERIFY(out.contains("dispatch.gemini")); // it did log
        QVERIFY2(out.contains("model gemini-3.8-live (first choice)"), out.constData());
        QVERIFY2(!out.contains(key.toUtf8()), "the API key must never be logged");
    }

    // --gemini-model a,b: the service does not find a (1008), the call goes live on b, the log
    // says which model and why, and so does /health (codes).
    void refusedModelFallsBackAndHealthSaysSo()
    {
        FakeGeminiServer fake;
        fake.config().models.removeAll("gemini-3.8-live");
        QVERIFY(fake.listen());
        QSignalSpy setups(&fake, &FakeGeminiServer::setupReceived);

        QTemporaryDir dir;
        QProcess console;
        console.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("GEMINI_API_KEY", "test-key");
        env.remove("DISPATCH_GEMINI_ENDPOINT");
        console.setProcessEnvironment(env);
        console.start(DISPATCH_CONSOLE_BIN,
                      {"--headless", "--listen", "127.0.0.1:0", "--data-dir", dir.path(),
                       "--auto-answer", "--dashboard-token", "t", "--triage", "gemini",
                       "--gemini-endpoint", fake.baseUrl().toString(), "--gemini-model",
                       "gemini-3.8-live, gemini-3.1-flash-live-preview"});
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += console.readAll()).contains("listening on"), 15'000);
        const QUrl base(QRegularExpression("listening on (\\S+)").match(out).captured(1));

        TestClient dashboard;
        dashboard.open(wsUrl(base, "/ws/dashboard"), {{"Authorization", "Bearer t"}});
        QVERIFY(!dashboard.waitForType("hello").isEmpty());
        TestClient signal;
        signal.open(wsUrl(base, "/ws/signal", "call_id=fallback&role=caller"));
        QVERIFY(signal.waitConnected());
        signal.sendJson({{"type", "call_initiated"}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());
        const auto live = [&dashboard] {
            for (const auto &m : dashboard.messages()) {
                if (m["type"].toString() == "ai_link" && m["state"].toString() == "live")
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(live(), 15'000);
        QCOMPARE(setups.count(), 2);
        QCOMPARE(setups.at(0).at(1).toJsonObject()["model"].toString(), "models/gemini-3.8-live");
        QCOMPARE(setups.at(1).at(1).toJsonObject()["model"].toString(),
                 "models/gemini-3.1-flash-live-preview");

        QNetworkAccessManager http;
        QUrl url = base;
        url.setPath("/health");
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer t");
        QNetworkReply *reply = http.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5'000);
        const QJsonObject ai =
            QJsonDocument::fromJson(reply->readAll()).object().value("ai").toObject();
        reply->deleteLater();
        QCOMPARE(ai["model"].toString(), "gemini-3.1-flash-live-preview");
        QCOMPARE(ai["model_reason"].toString(), "fallback");
        QCOMPARE(ai["model_status"].toString(), "preview");
        QCOMPARE(ai["model_confirmed"].toBool(), true);
        QCOMPARE(
            ai["models_skipped"].toArray(),
            (QJsonArray{QJsonObject{{"model", "gemini-3.8-live"}, {"reason", "model_not_found"}}}));

        ::kill(static_cast<pid_t>(console.processId()), SIGTERM);
        QVERIFY(console.waitForFinished(15'000));
        out += console.readAll();
        QVERIFY2(out.contains("model gemini-3.1-flash-live-preview (gemini-3.8-live: model not "
                              "found)"),
                 out.constData());
    }
};

QTEST_GUILESS_MAIN(TestGeminiTriageE2e)
#include "tst_geminitriage_e2e.moc"
