// Issue 18, worked by keyboard in the real main window: an abandoned or lost call stays in the
// queue, just after the ringing calls, saying what it needs ("ABANDONED - call back",
// "CALLER LOST"); F7 asks what came of the follow-up (with how to reach the caller and what
// was said while it rang); the answer moves it to the Recent list.
#include "audioexitmain.h"
#include "callguards.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "callurgencyorder.h"
#include "common/metricsregistry.h"
#include "dialogs/followupdialog.h"
#include "history/callhistorymodel.h"
#include "history/recallview.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "recentcalls.h"
#include "shortcutlegend.h"
#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace dispatch;

class TestFollowUpQueue : public QObject
{
    Q_OBJECT

private:
    static void screenshot(QWidget *window, const char *name)
    {
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window->grab().save(QStringLiteral(SCREENSHOT_DIR "/%1.png").arg(name)));
    }
    static QStringList queueIds(const MainWindow &window)
    {
        QStringList ids;
        const CallUrgencyOrder &queue = window.callLists()->queue();
        for (int row = 0; row < queue.rowCount(); ++row)
            ids << queue.callIdAt(row);
        return ids;
    }
    static QString stateText(const MainWindow &window, const QString &id)
    {
        const CallUrgencyOrder &queue = window.callLists()->queue();
        return queue.index(queue.rowOf(id), CallQueueModel::State).data().toString();
    }

private Q_SLOTS:
    void initTestCase() { applyTheme(*qApp, Theme::Dark); }

    void abandonedCallIsFollowedUpFromTheQueue()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));

        store.addCall("active", std::nullopt);
        store.answer("active", Actor::dispatcher("console"));
        store.addCall("ab-1", GeoLocation{40.41680, -3.70380, 15.0, store.now()});
        store.addAudio("ab-1", QByteArray(3200, '\x01'));
        store.addCall("lost-1", std::nullopt);
        store.answer("lost-1", Actor::dispatcher("console"));
        store.addCall("ringing", std::nullopt);
        store.end("ab-1", EndReason::CallerHungUp); // hung up while it rang: abandoned
        store.end("lost-1", EndReason::CallerLost);

        // Just after the ringing call, before the handled ones; not in Recent.
        QTRY_COMPARE(queueIds(window), QStringList({"ringing", "ab-1", "lost-1", "active"}));
        QCOMPARE(stateText(window, "ab-1"), QString("ABANDONED - call back"));
        QCOMPARE(stateText(window, "lost-1"), QString("CALLER LOST"));
        QCOMPARE(window.callLists()->recent().rowOf("ab-1"), -1);
        QCOMPARE(window.callLists()->recent().rowOf("lost-1"), -1);
        // The engine's late assessment of what was said while it rang.
        TriageReport late;
        late.severity = 4;
        late.responseType = ResponseType::Medical;
        late.situationSummary = QStringLiteral("Caller reports chest pain");
        late.source = TriageSource::Local;
        QVERIFY(store.setTriage("ab-1", late) == CallStore::Result::Ok);

        // F7 on a live call says what it is for.
        window.selectCall("active");
        QTest::keyClick(&window, Qt::Key_F7);
        QVERIFY(!window.callGuards()->followUpDialog());
        QVERIFY(window.statusBar()->currentMessage().contains("abandoned or lost"));

        window.selectCall("ab-1");
        QCOMPARE(window.selectedCallId(), QString("ab-1"));
        screenshot(&window, "follow-up-queue");
        QTest::keyClick(&window, Qt::Key_F7);
        QTRY_VERIFY(window.callGuards()->followUpDialog() &&
                    window.callGuards()->followUpDialog()->isVisible());
        FollowUpDialog *dialog = window.callGuards()->followUpDialog();
        QCOMPARE(dialog->callId(), QString("ab-1"));
        QVERIFY2(dialog->details().contains("No callback number"), qPrintable(dialog->details()));
        QVERIFY(dialog->details().contains("last location 40.4168, -3.7038"));
        QVERIFY(dialog->details().contains("Caller reports chest pain"));
        QCOMPARE(dialog->choices()->count(), 3);
        QVERIFY(dialog->resolution() == FollowUp::None);
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Return); // nothing picked: nothing done
        QVERIFY(dialog->isVisible());
        QTest::keyClick(dialog->focusWidget(), Qt::Key_2);
        QVERIFY(dialog->resolution() == FollowUp::NoAnswer);
        QTest::keyClick(dialog->focusWidget(), Qt::Key_1);
        QVERIFY(dialog->resolution() == FollowUp::CalledBack);
        screenshot(dialog, "follow-up-dialog");
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Return);
        QTRY_VERIFY(store.call("ab-1")->followUp == FollowUp::CalledBack);
        QCOMPARE(store.call("ab-1")->followUpBy, QString("console"));
        QTRY_VERIFY(!window.callGuards()->followUpDialog());

        // Out of the queue, into Recent, still the dispatcher's selected call.
        QTRY_COMPARE(queueIds(window), QStringList({"ringing", "lost-1", "active"}));
        const int recentRow = window.callLists()->recent().rowOf("ab-1");
        QVERIFY(recentRow >= 0);
        QCOMPARE(window.selectedCallId(), QString("ab-1"));
        QCOMPARE(window.recentView()->currentIndex().row(), recentRow);
        QVERIFY(window.callLists()
                    ->recent()
                    .index(recentRow, CallQueueModel::State)
                    .data()
                    .toString()
                    .contains("Called back"));

        // Esc leaves a follow-up open.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.selectCall("lost-1");
        QTest::keyClick(&window, Qt::Key_F7);
        QTRY_VERIFY(window.callGuards()->followUpDialog() &&
                    window.callGuards()->followUpDialog()->isVisible());
        QVERIFY(window.callGuards()->followUpDialog()->details().contains("no location"));
        QTest::keyClick(window.callGuards()->followUpDialog()->focusWidget(), Qt::Key_Escape);
        QTRY_VERIFY(!window.callGuards()->followUpDialog());
        QVERIFY(store.call("lost-1")->followUp == FollowUp::Open);
        QCOMPARE(queueIds(window), QStringList({"ringing", "lost-1", "active"}));
    }

    // Resolved on another console while the dialog is open: the question is moot.
    void aFollowUpResolvedElsewhereClosesTheDialog()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        store.addCall("ab", std::nullopt);
        store.end("ab", EndReason::Abandoned);
        window.selectCall("ab");
        QTest::keyClick(&window, Qt::Key_F7);
        QTRY_VERIFY(window.callGuards()->followUpDialog() &&
                    window.callGuards()->followUpDialog()->isVisible());
        QVERIFY(window.callGuards()->followUpDialog()->details().contains(
            "Nothing assessed from the time it rang"));
        QVERIFY(store.resolveFollowUp("ab", FollowUp::Handled, Actor::dispatcher("ben")) ==
                CallStore::Result::Ok);
        QTRY_VERIFY(!window.callGuards()->followUpDialog());
        QVERIFY(window.statusBar()->currentMessage().contains("ben"));
        QVERIFY(store.call("ab")->followUp == FollowUp::Handled);
    }

    // History says what came of the follow-up, who and when, and what the caller said while it
    // rang (the late assessment kept beside the call's sealed triage).
    void historyShowsTheFollowUp()
    {
        StoredCall c;
        c.key = 7;
        c.callId = "ab-7";
        c.state = "ended";
        c.endReason = "abandoned";
        c.ringingAt = QDateTime(QDate(2026, 12, 7), QTime(11, 0), Qt::UTC);
        c.endedAt = c.ringingAt.addSecs(20);
        c.followUp = "no_answer";
        c.followUpBy = "alice";
        c.followUpAt = c.ringingAt.addSecs(300);
        c.lateTriage = QJsonObject{{"severity", 5},
                                   {"recommended_response_type", "medical"},
                                   {"situation_summary", "not breathing"}};
        StoredCall open = c;
        open.key = 8;
        open.callId = "lost-8";
        open.endReason = "caller_lost";
        open.followUp = "open";
        open.followUpBy.clear();
        open.followUpAt = QDateTime();
        CallHistoryModel model;
        model.setCalls({c, open});
        QCOMPARE(model.index(model.rowOfKey(7), CallHistoryModel::Ended).data().toString(),
                 QString("abandoned: Called back, no answer"));
        QCOMPARE(model.index(model.rowOfKey(8), CallHistoryModel::Ended).data().toString(),
                 QString("caller lost: follow-up open"));
        RecallView view;
        view.setCall(c);
        const auto *header = view.findChild<QLabel *>("recallHeader");
        QVERIFY(header);
        QVERIFY2(header->text().contains("Follow-up: Called back, no answer") &&
                     header->text().contains("by alice"),
                 qPrintable(header->text()));
        QVERIFY2(header->text().contains("Said while it rang") &&
                     header->text().contains("not breathing"),
                 qPrintable(header->text()));
    }

    void f1ListsTheFollowUpKey()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F1);
        ShortcutLegend *legend = window.shortcutLegend();
        QVERIFY(legend);
        QTRY_VERIFY(legend->isVisible());
        QHash<QString, QString> listed;
        for (int row = 0; row < legend->table()->rowCount(); ++row)
            listed.insert(legend->table()->item(row, 1)->text(),
                          legend->table()->item(row, 0)->text());
        QCOMPARE(listed.value("F7"), QString("Follow up abandoned call"));
    }
};

DISPATCH_UI_TEST_MAIN(TestFollowUpQueue)
#include "tst_followupqueue.moc"
