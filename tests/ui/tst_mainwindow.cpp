#include "alertstate.h"
#include "calldetailpanel.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "criticalbanner.h"
#include "mainwindow.h"
#include "phone/phoneserver.h"
#include "theme.h"
#include "triagecard.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QStatusBar>
#include <QTest>

using namespace dispatch;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The status bar counts the calls on Gemini and on local triage, and on the host the
    // Gemini budget they draw from.
    void statusBarShowsTheGeminiBudget()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        const auto aiLabel = [&]() -> QString {
            for (auto *l : window.statusBar()->findChildren<QLabel *>())
                if (l->text().startsWith("AI: "))
                    return l->text();
            return {};
        };
        QTRY_COMPARE(aiLabel(), QString("AI: 0 on Gemini, 0 local"));
        for (const char *id : {"b1", "b2", "b3"}) {
            store.addCall(id, std::nullopt);
            store.answer(id, Actor::dispatcher("alice"));
        }
        store.setTriageLink("b1", {TriageLinkState::Live, QString()});
        store.setTriageLink("b2", {TriageLinkState::Connecting, QString()});
        store.setTriageLink("b3",
                            {TriageLinkState::Local, "waiting for an AI slot (2 of 2 in use)"});
        window.setGeminiBudget(2);
        QTRY_COMPARE(aiLabel(), QString("AI: 2 of 2 Gemini sessions, 1 local"));
    }

    void dispatcherWorksACallByKeyboard()
    {
        applyTheme(*qApp, Theme::Dark);
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // Ring.
        store.addCall("ui-1", GeoLocation{40.4168, -3.7038, 15.0, store.now()});
        QVERIFY(window.alertState()->anyRinging());

        // Answer by key.
        QTest::keyClick(&window, Qt::Key_F2);
        QCOMPARE(toString(store.call("ui-1")->state), QString("answered"));
        QCOMPARE(window.selectedCallId(), QString("ui-1"));
        QVERIFY(!window.alertState()->anyRinging());

        // Triage arrives and is shown.
        TriageReport report;
        report.severity = 5;
        report.responseType = ResponseType::Medical;
        report.situationSummary = "Adult collapsed, not breathing";
        report.detectedKeywords = {"collapsed", "not breathing"};
        report.source = TriageSource::Local;
        report.provenance = {{"severity", "phrase 'not breathing'", ""}};
        store.setTriage("ui-1", report);
        auto *card = window.findChild<TriageCard *>();
        QVERIFY(card);
        const auto labels = card->findChildren<QLabel *>();
        auto shows = [&](const QString &text) {
            for (auto *l : labels) {
                if (l->text().contains(text))
                    return true;
            }
            return false;
        };
        QVERIFY(shows("Adult collapsed, not breathing"));
        QVERIFY(shows("Medical"));
        // Re-reports that change nothing are one history line with a count; a change is a line.
        report.detectedKeywords = {"collapsed"};
        store.setTriage("ui-1", report);
        store.setTriage("ui-1", report);
        auto *history = card->findChild<QListWidget *>();
        QVERIFY(history);
        QCOMPARE(history->count(), 1);
        QVERIFY(history->item(0)->text().contains("(3 report"));
        report.severity = 3;
        store.setTriage("ui-1", report);
        QCOMPARE(history->count(), 2);
        QVERIFY(history->item(0)->text().contains("severity 3"));
        report.severity = 5;
        store.setTriage("ui-1", report);

        // Vitals are plotted (history follows the store).
        for (int i = 0; i < 5; ++i) {
            VitalsSample v;
            v.heartRate = 130 + i;
            v.heartRateConfidence = 0.9;
            v.breathingRate = 6;
            v.breathingConfidence = 0.3;
            v.receivedAt = store.now().addSecs(i);
            store.addVitals("ui-1", v);
        }

        // Where the triage comes from, and the instructions the AI fetched.
        store.setTriageLink("ui-1", {TriageLinkState::Live, QString()});
        store.addPrearrival("ui-1", {store.now(),
                                     "cpr",
                                     "Adult not breathing: hands-only CPR",
                                     {"Lay them flat on their back.", "Push hard and fast."}});
        auto *panel = window.findChild<CallDetailPanel *>();
        QVERIFY(panel);
        bool linkShown = false, stepsShown = false;
        for (auto *l : panel->findChildren<QLabel *>()) {
            linkShown |= l->text().contains("AI (Gemini) listening");
            stepsShown |= l->isVisible() && l->text().contains("2. Push hard and fast.");
        }
        QVERIFY(linkShown);
        QVERIFY(stepsShown);

        // Critical banner shows and is acknowledged by key.
        store.flagCritical("ui-1", "not breathing", 5);
        auto *banner = window.findChild<CriticalBanner *>();
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());
        window.detailPanel()->setCall("ui-1"); // refresh now so the screenshot shows the vitals
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window.grab().save(SCREENSHOT_DIR "/mainwindow-call.png"));
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QTRY_VERIFY(!banner->isVisible());
        QVERIFY(!window.alertState()->hasUnacknowledgedCritical("ui-1"));

        // Hold, resume, end by key.
        QTest::keyClick(&window, Qt::Key_F3);
        QCOMPARE(toString(store.call("ui-1")->state), QString("on_hold"));
        QTest::keyClick(&window, Qt::Key_F3);
        QCOMPARE(toString(store.call("ui-1")->state), QString("answered"));
        QTest::keyClick(&window, Qt::Key_F4);
        QCOMPARE(toString(store.call("ui-1")->state), QString("ended"));
        QCOMPARE(toString(store.call("ui-1")->endReason), QString("dispatcher_ended"));
    }

    void answerWithNothingRingingSaysSo()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.answerNextRingingCall();
        QVERIFY(window.selectedCallId().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
