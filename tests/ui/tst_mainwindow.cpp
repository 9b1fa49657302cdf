#include "alertstate.h"
#include "audio/audiopanel.h"
#include "audio/callaudio.h"
#include "audioexitmain.h"
#include "calldetailpanel.h"
#include "callguards.h"
#include "calllists.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "callurgencyorder.h"
#include "common/metricsregistry.h"
#include "criticalbanner.h"
#include "dialogs/dispositiondialog.h"
#include "focusringstyle.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "recentcalls.h"
#include "shortcutlegend.h"
#include "skiporfail.h"
#include "theme.h"
#include "triagecard.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMediaDevices>
#include <QPainter>
#include <QProcess>
#include <QPushButton>
#include <QStatusBar>
#include <QStyleFactory>
#include <QStyleOptionButton>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QTranslator>

using namespace dispatch;

namespace {

const QString LongId = "3f2a9c1e-7b4d-4e21-9a0c-5d1e2f3a4b5c"; // a phone page's UUID

// A call whose header says everything at once: long id, caller lost, unverified location, a
// long handler name, a local fallback with a long reason, a long summary and a critical alert.
void addWorstCaseCall(CallStore &store, const QString &id)
{
    store.addCall(id, GeoLocation{40.416812, -3.703812, 1234.0, store.now()});
    store.answer(id, Actor::dispatcher("Maria-Jose Fernandez de la Fuente"));
    store.setCallerConnected(id, false);
    store.setTriageLink(id, {TriageLinkState::Local,
                             TriageLinkReason::Fallback,
                             TriageFailureKind::Quota,
                             {},
                             "the Gemini session closed with RESOURCE_EXHAUSTED "
                             "(quota exceeded for the project) after 3 reconnection attempts"});
    TriageReport r;
    r.severity = 5;
    r.critical = true;
    r.criticalReason = "caller reports an adult collapsed, not breathing and turning blue, "
                       "bystander not trained in CPR";
    r.responseType = ResponseType::Medical;
    r.situationSummary = QString("Adult male collapsed in the kitchen, not breathing, lips blue; "
                                 "wife on the line is panicking and cannot find the front door "
                                 "key; two children in the flat; ")
                             .repeated(2);
    r.detectedKeywords = {"collapsed", "not breathing", "blue lips", "panicking", "children"};
    r.source = TriageSource::Local;
    store.setTriage(id, r);
    store.flagCritical(id, r.criticalReason, 5);
}

// This process's PulseAudio streams (playback and capture) as the server lists them; -1 when
// pactl cannot ask the server.
int pulseStreamsOfThisProcess()
{
    int n = 0;
    for (const char *kind : {"sink-inputs", "source-outputs"}) {
        QProcess pactl;
        pactl.start("pactl", {"--format=json", "list", QString::fromLatin1(kind)});
        if (!pactl.waitForFinished() || pactl.exitStatus() != QProcess::NormalExit ||
            pactl.exitCode() != 0)
            return -1;
        const QJsonDocument streams = QJsonDocument::fromJson(pactl.readAllStandardOutput());
        if (!streams.isArray())
            return -1;
        const QString pid = QString::number(QCoreApplication::applicationPid());
        for (const QJsonValue &stream : streams.array()) {
            const QJsonObject properties = stream["properties"].toObject();
            n += properties["application.process.id"].toString() == pid ? 1 : 0;
        }
    }
    return n;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The status bar counts the calls on Gemini and on local triage, and on the host the
    // Gemini budget they draw from and the calls shadowed by the local engine.
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
        store.setTriageLink("b1", {TriageLinkState::Live});
        store.setTriageLink("b2", {TriageLinkState::Connecting});
        store.setTriageLink("b3", {TriageLinkState::Local,
                                   TriageLinkReason::WaitingForSlot,
                                   TriageFailureKind::None,
                                   {2, 2}});
        window.setGeminiBudget(2);
        QTRY_COMPARE(aiLabel(), QString("AI: 2 of 2 Gemini sessions, 1 local"));
        // The engine's shadows: how many of the calls have the offline engine beside Gemini.
        window.setShadowStatus([] { return ShadowStatus{1, 3, ShadowLimitReason::Cpu}; });
        QTRY_COMPARE(aiLabel(), QString("AI: 2 of 2 Gemini sessions, 1 local · 1 of 3 calls "
                                        "shadowed"));
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
        store.setTriageLink("ui-1", {TriageLinkState::Live});
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
        QTRY_VERIFY(!banner->isAlerting());
        QVERIFY(!window.alertState()->hasUnacknowledgedCritical("ui-1"));
        QVERIFY2(banner->text().startsWith("Acknowledged by console at "),
                 qPrintable(banner->text()));

        // Hold, resume, end by key.
        QTest::keyClick(&window, Qt::Key_F3);
        QCOMPARE(toString(store.call("ui-1")->state), QString("on_hold"));
        QTest::keyClick(&window, Qt::Key_F3);
        QCOMPARE(toString(store.call("ui-1")->state), QString("answered"));
        // A critical call asks how it was closed before it ends (tst_callguards has the rest).
        QTest::keyClick(&window, Qt::Key_F4);
        QTRY_VERIFY(window.callGuards()->dispositionDialog());
        QCOMPARE(toString(store.call("ui-1")->state), QString("answered"));
        QWidget *choices = window.callGuards()->dispositionDialog()->focusWidget();
        QTest::keyClick(choices, Qt::Key_1);
        QTest::keyClick(choices, Qt::Key_Return);
        QCOMPARE(toString(store.call("ui-1")->state), QString("ended"));
        QCOMPARE(toString(store.call("ui-1")->endReason), QString("dispatcher_ended"));
        QCOMPARE(toString(store.call("ui-1")->disposition), QString("units_dispatched"));
    }

    void fitsA1366x768Screen_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << "en";
        QTest::newRow("es") << "es";
    }

    // The whole console, with the longest header it can have, fits a 1366x768 screen with room
    // for a taskbar: nothing the dispatcher needs (Acknowledge, Override, the camera, the
    // ringing counter) may end up off-screen.
    void fitsA1366x768Screen()
    {
        QFETCH(QString, language);
        QTranslator translator;
        if (language != "en") {
            QVERIFY(translator.load(QLocale(language), "dispatch", "_", ":/i18n"));
            QCoreApplication::installTranslator(&translator);
        }
        applyTheme(*qApp, Theme::Dark);
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.setStorage(nullptr); // the "not recorded" banner is up as well
        for (int i = 0; i < 6; ++i)
            store.addCall(QString("ringing-%1-%2").arg(i).arg(LongId), std::nullopt);
        addWorstCaseCall(store, LongId);
        window.selectCall(LongId);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
        QCoreApplication::removeTranslator(&translator);
        QVERIFY2(min.width() <= 1366, qPrintable(QString::number(min.width())));
        QVERIFY2(min.height() <= 720, qPrintable(QString::number(min.height())));
    }

    // The right pane never moves under the dispatcher's hand: what the header says (caller
    // lost, who handles it, where the AI triage comes from) does not change its width.
    void headerTextDoesNotMoveThePanes()
    {
        applyTheme(*qApp, Theme::Dark);
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.resize(1366, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        store.addCall("a", std::nullopt);
        store.answer("a", Actor::dispatcher("me"));
        window.selectCall("a");
        QCoreApplication::processEvents();
        const QRect before = window.detailPanel()->geometry();
        const QSize windowBefore = window.size();
        store.setCallerConnected("a", false);
        store.updateLocation("a", GeoLocation{40.416812, -3.703812, 1234.0, store.now()});
        store.transfer("a", "Maria-Jose Fernandez de la Fuente", Actor::dispatcher("me"));
        store.setTriageLink("a", {TriageLinkState::Failed,
                                  TriageLinkReason::None,
                                  TriageFailureKind::Quota,
                                  {},
                                  "the Gemini session closed with RESOURCE_EXHAUSTED (quota "
                                  "exceeded for the project) after 3 reconnection attempts"});
        QCoreApplication::processEvents();
        QCOMPARE(window.size(), windowBefore);
        QCOMPARE(window.detailPanel()->geometry(), before);
        addWorstCaseCall(store, LongId);
        window.selectCall(LongId);
        QCoreApplication::processEvents();
        QCOMPARE(window.size(), windowBefore);
        QCOMPARE(window.detailPanel()->geometry(), before);
    }

    // Issue 18: keyword hits alone after a late answer must not look like a confident
    // assessment. The card shows a lead to listen for; the queue says "keywords only"; neither
    // uses the critical styling; the alert banner says the critical is possible, not confirmed.
    void keywordOnlyReportIsShownAsALead()
    {
        applyTheme(*qApp, Theme::Dark);
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.resize(1366, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        store.addCall(LongId, GeoLocation{40.4168, -3.7038, 15.0, store.now()});
        store.answer(LongId, Actor::dispatcher("alice"));
        window.selectCall(LongId);

        TriageReport r;
        r.severity = 5;
        r.critical = true;
        r.criticalReason = "weapon: shooting";
        r.responseType = ResponseType::Police;
        r.situationSummary = "Police - assault with a weapon, shooting";
        r.detectedKeywords = {"shot"};
        r.source = TriageSource::Local;
        r.confidence = TriageConfidence::KeywordsOnly;
        r.confidenceReason = "backlog of 14 s at answer";
        store.setTriage(LongId, r);
        store.flagCritical(LongId, r.criticalReason, 5);
        QCoreApplication::processEvents();

        auto *card = window.findChild<TriageCard *>();
        auto *headline = card->findChild<QLabel *>("headline");
        auto *badge = card->findChild<QLabel *>("severityBadge");
        QVERIFY(headline && badge);
        QCOMPARE(headline->text(), QString("Keywords only — listen to the caller"));
        QVERIFY(!headline->text().contains("Police"));
        QVERIFY(!headline->text().contains("critical"));
        QCOMPARE(badge->text(), QString("5?"));
        QVERIFY(!badge->styleSheet().contains(severityColor(5).name()));
        QVERIFY(headline->toolTip().contains("backlog of 14 s at answer"));
        auto *banner = window.findChild<CriticalBanner *>();
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->isUnconfirmed());
        QVERIFY(!banner->styleSheet().contains("#b71c1c"));

        const QAbstractItemModel *queue = window.queueView()->model();
        const QModelIndex severity = queue->index(0, CallQueueModel::Severity);
        QCOMPARE(severity.data().toString(), QString("5?"));
        QVERIFY(!severity.data().toString().contains(QChar(0x26a0))); // no critical badge
        QVERIFY(severity.data(Qt::BackgroundRole).value<QBrush>().color() != severityColor(5));
        QCOMPARE(queue->index(0, CallQueueModel::ResponseType).data().toString(),
                 QString("keywords only"));
        QVERIFY(severity.data(Qt::ToolTipRole).toString().contains("listen to the caller"));
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window.grab().save(SCREENSHOT_DIR "/mainwindow-keywords-only.png"));

        // The same report with full recognition is a confident assessment, styled as before.
        r.confidence = TriageConfidence::Normal;
        r.confidenceReason.clear();
        store.setTriage(LongId, r);
        QCoreApplication::processEvents();
        QCOMPARE(headline->text(), QString("Police  ⚠ critical"));
        QCOMPARE(badge->text(), QString("5"));
        QVERIFY(badge->styleSheet().contains(severityColor(5).name()));
        QVERIFY(!banner->isUnconfirmed());
        QVERIFY(banner->styleSheet().contains("#b71c1c"));
        QCOMPARE(severity.data().toString(), QString("5 ⚠"));
        QCOMPARE(severity.data(Qt::BackgroundRole).value<QBrush>().color(), severityColor(5));
        QCOMPARE(queue->index(0, CallQueueModel::ResponseType).data().toString(),
                 QString("police"));
    }

    // At 1366 px the queue shows who, how bad and how long without scrolling sideways; a
    // phone page's UUID is a short label; an untriaged call is grey, not low-severity green.
    void queueShowsWhatMattersAt1366()
    {
        applyTheme(*qApp, Theme::Dark);
        QDateTime now = QDateTime::currentDateTimeUtc();
        CallStore store({}, [&now] { return now; });
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.resize(1366, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        store.addCall(LongId, std::nullopt);
        store.addCall("b", std::nullopt);
        now = now.addSecs(12);
        store.answer(LongId, Actor::dispatcher("Maria-Jose Fernandez de la Fuente"));
        store.setCallerConnected(LongId, false);
        now = now.addSecs(95);
        QCoreApplication::processEvents();

        QTableView *view = window.queueView();
        const QAbstractItemModel *queue = view->model();
        const QHeaderView *header = view->horizontalHeader();
        QCOMPARE(header->offset(), 0);
        for (int column : {int(CallQueueModel::CallId), int(CallQueueModel::Severity),
                           int(CallQueueModel::RingTime), int(CallQueueModel::TalkTime)}) {
            QVERIFY(!header->isSectionHidden(column));
            const int right = header->sectionViewportPosition(column) + header->sectionSize(column);
            QVERIFY2(right <= view->viewport()->width(),
                     qPrintable(QString("column %1 ends at %2 of %3")
                                    .arg(column)
                                    .arg(right)
                                    .arg(view->viewport()->width())));
            // Wide enough for its header and its content.
            QVERIFY(header->sectionSize(column) >=
                    header->fontMetrics().horizontalAdvance(
                        queue->headerData(column, Qt::Horizontal).toString()));
        }
        // The queue is in urgency order: the ringing call above the answered one.
        const int answered = window.callLists()->queue().rowOf(LongId);
        const int ringing = window.callLists()->queue().rowOf("b");
        QCOMPARE(ringing, 0);
        QCOMPARE(answered, 1);
        const QModelIndex caller = queue->index(answered, CallQueueModel::CallId);
        QCOMPARE(caller.data().toString(), QString("3f2a9c1e"));
        QCOMPARE(caller.data(Qt::ToolTipRole).toString(), LongId);
        QCOMPARE(queue->index(ringing, CallQueueModel::CallId).data().toString(), QString("b"));
        // Ring time stays after answer; talk time runs from the answer.
        QCOMPARE(queue->index(answered, CallQueueModel::RingTime).data().toString(),
                 QString("0:12"));
        QCOMPARE(queue->index(answered, CallQueueModel::TalkTime).data().toString(),
                 QString("1:35"));
        QCOMPARE(queue->index(ringing, CallQueueModel::RingTime).data().toString(),
                 QString("1:47"));
        QCOMPARE(queue->index(ringing, CallQueueModel::TalkTime).data().toString(), QString());
        // Untriaged: grey, never the low-severity green.
        const QColor untriaged = queue->index(answered, CallQueueModel::Severity)
                                     .data(Qt::BackgroundRole)
                                     .value<QBrush>()
                                     .color();
        QCOMPARE(untriaged, untriagedColor());
        QVERIFY(untriaged != severityColor(1));
        TriageReport low;
        low.severity = 1;
        store.setTriage("b", low);
        QCOMPARE(queue->index(ringing, CallQueueModel::Severity)
                     .data(Qt::BackgroundRole)
                     .value<QBrush>()
                     .color(),
                 severityColor(1));
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window.grab().save(SCREENSHOT_DIR "/mainwindow-queue-1366.png"));
    }

    // Issue 18: the queue re-sorts under the dispatcher's hand, the selection does not: it
    // stays on the same call (and the detail with it) and the arrows move in the order shown.
    void selectionStaysOnTheCallWhenTheOrderChanges()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        TriageReport r;
        for (const auto &[id, severity] : {std::pair{"low", 2}, std::pair{"mid", 3}}) {
            store.addCall(id, std::nullopt);
            store.answer(id, Actor::dispatcher("console"));
            r.severity = severity;
            store.setTriage(id, r);
        }
        QTableView *view = window.queueView();
        auto current = [&] { return view->currentIndex().data(CallQueueModel::CallIdRole); };
        auto rowOf = [&](const QString &id) { return window.callLists()->queue().rowOf(id); };
        window.selectCall("low");
        QCOMPARE(rowOf("low"), 1);
        QCOMPARE(window.selectedCallId(), QString("low"));

        r.severity = 5; // "low" moves to the top
        store.setTriage("low", r);
        QCOMPARE(rowOf("low"), 0);
        store.addCall("new", std::nullopt); // a ringing call goes above it
        QCOMPARE(rowOf("new"), 0);
        store.flagCritical("mid", "not breathing", 5); // a critical one is pinned above all
        QCOMPARE(rowOf("mid"), 0);
        QCOMPARE(rowOf("low"), 2);
        QCOMPARE(window.selectedCallId(), QString("low"));
        QCOMPARE(window.detailPanel()->callId(), QString("low"));
        QCOMPARE(current().toString(), QString("low"));
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(view->selectionModel()->selectedRows().at(0).row(), 2);

        // The arrows move through the rows as shown.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(window.selectedCallId(), QString("new"));
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(window.selectedCallId(), QString("mid"));
        // Acknowledged: unpinned, below the ringing call.
        QCOMPARE(store.acknowledgeCritical("mid", Actor::dispatcher("me")), CallStore::Result::Ok);
        QCOMPARE(rowOf("mid"), 2);
        QCOMPARE(window.selectedCallId(), QString("mid"));
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(window.selectedCallId(), QString("low"));
    }

    // An ended call leaves the queue for the Recent list, most recent first; the selected one
    // stays selected there and any recent call can be opened again (Ctrl+R moves between them).
    void endedCallMovesToRecent()
    {
        QDateTime now = QDateTime::currentDateTimeUtc();
        CallStore store({}, [&now] { return now; });
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (const char *id : {"a", "b", "c"}) {
            store.addCall(id, std::nullopt);
            store.answer(id, Actor::dispatcher("console"));
        }
        const CallLists *lists = window.callLists();
        window.selectCall("a");
        QTest::keyClick(&window, Qt::Key_F4); // routine: ends at once
        QVERIFY(!store.call("a")->isLive());
        QCOMPARE(lists->queue().rowOf("a"), -1);
        QCOMPARE(lists->recent().rowOf("a"), 0);
        QCOMPARE(window.selectedCallId(), QString("a"));
        QCOMPARE(window.recentView()->currentIndex().row(), 0);
        QVERIFY(!window.queueView()->selectionModel()->hasSelection());

        now = now.addSecs(1);
        store.end("b", EndReason::CallerHungUp); // the caller hangs up elsewhere
        QCOMPARE(lists->recent().rowOf("b"), 0);
        QCOMPARE(lists->recent().rowOf("a"), 1);
        QCOMPARE(window.selectedCallId(), QString("a"));
        QCOMPARE(window.recentView()->currentIndex().row(), 1);
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window.grab().save(SCREENSHOT_DIR "/mainwindow-recent.png"));

        // Open the other ended call by keyboard; Ctrl+R goes to the queue and back.
        window.recentView()->setFocus();
        QTest::keyClick(window.recentView(), Qt::Key_Up);
        QCOMPARE(window.selectedCallId(), QString("b"));
        QCOMPARE(window.detailPanel()->callId(), QString("b"));
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QVERIFY(window.queueView()->hasFocus());
        QCOMPARE(window.selectedCallId(), QString("c"));
        QVERIFY(!window.recentView()->selectionModel()->hasSelection());
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QVERIFY(window.recentView()->hasFocus());
        QCOMPARE(window.selectedCallId(), QString("b")); // the most recent
    }

    // F2 answers the call ringing longest, the topmost ringing row, also when it reached this
    // console last (a remote console mirrors its host's calls as they come).
    void f2AnswersTheOldestRingingCall()
    {
        QDateTime now = QDateTime::currentDateTimeUtc();
        CallStore store({}, [&now] { return now; });
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        store.addCall("first", std::nullopt);
        now = now.addSecs(5);
        store.addCall("second", std::nullopt);
        Call older;
        older.id = "older";
        older.ringingSince = now.addSecs(-60);
        QCOMPARE(store.restore(older), CallStore::Result::Ok);
        QCOMPARE(window.callLists()->queue().callIdAt(0), QString("older"));

        QTest::keyClick(&window, Qt::Key_F2);
        QCOMPARE(toString(store.call("older")->state), QString("answered"));
        QCOMPARE(window.selectedCallId(), QString("older"));
        QTest::keyClick(&window, Qt::Key_F2);
        QCOMPARE(toString(store.call("first")->state), QString("answered"));
        QCOMPARE(toString(store.call("second")->state), QString("ringing"));
        QCOMPARE(window.selectedCallId(), QString("first"));
        QCOMPARE(window.callLists()->queue().callIdAt(0), QString("second"));
    }

    // No microphone: a banner as loud as the storage one, and the audio panel never claims to
    // be talking to the caller.
    void missingMicrophoneIsAnAlarm()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        store.addCall("ui-1", std::nullopt);
        QTest::keyClick(&window, Qt::Key_F2);
        QTRY_COMPARE(window.selectedCallId(), QString("ui-1"));

        window.callAudio()->setMicrophonePresent(false);
        QVERIFY2(window.audioDeviceAlarmText().contains("no microphone"),
                 qPrintable(window.audioDeviceAlarmText()));
        auto *bar = window.findChild<QToolBar *>("audioDeviceAlarm");
        QVERIFY(bar && bar->isVisible());
        QTRY_VERIFY(bar->findChild<QLabel *>()->width() > 100); // not a 0 px label
        auto *panel = window.findChild<AudioPanel *>();
        QVERIFY(panel);
        window.callAudio()->setOpenMic(true);
        QVERIFY2(panel->statusText().startsWith("NOT TRANSMITTING"),
                 qPrintable(panel->statusText()));
        QVERIFY(!panel->statusText().contains("TALKING to the caller"));
        window.callAudio()->setOpenMic(false);

        window.callAudio()->setMicrophonePresent(true);
        if (window.callAudio()->deviceHealth().speakerWorks) // this machine may have no speaker
            QCOMPARE(window.audioDeviceAlarmText(), QString());
        else
            QVERIFY(!window.audioDeviceAlarmText().contains("microphone"));
    }

    // Tab goes from the queue through the window's controls and comes back; the focused
    // control has a ring of at least 3:1 contrast.
    void tabWalksEveryControlWithAVisibleRing()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        store.addCall("ui-1", std::nullopt);
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.queueView()->setFocus();
        QTRY_VERIFY(window.queueView()->hasFocus());
        QSet<QWidget *> visited;
        QStringList buttons;
        bool backToQueue = false;
        for (int i = 0; i < 80 && !backToQueue; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QWidget *focused = QApplication::focusWidget();
            QVERIFY(focused);
            backToQueue = focused == window.queueView();
            visited.insert(focused);
            if (auto *button = qobject_cast<QAbstractButton *>(focused))
                buttons << button->text();
        }
        QVERIFY2(backToQueue, "Tab never came back to the queue");
        QVERIFY(visited.contains(window.recentView()));
        QVERIFY2(buttons.contains("Open mic"), qPrintable(buttons.join(", ")));
        QVERIFY2(visited.size() >= 6, qPrintable(QString::number(visited.size())));

        for (const QPalette &palette : {QPalette(QColor(0x20, 0x22, 0x25)), QPalette(Qt::white)}) {
            const QColor ring = focusRingColor(palette);
            QVERIFY(contrastRatio(ring, palette.color(QPalette::Window)) >= 3.0);
            QVERIFY(contrastRatio(ring, palette.color(QPalette::Base)) >= 3.0);
        }
        // The style draws it: a focused button shows the ring's colour, an unfocused one not.
        FocusRingStyle style(QStyleFactory::create("Fusion"));
        QPushButton button("Open mic");
        button.setStyle(&style);
        button.resize(120, 32);
        const auto ringPixels = [&](bool focused) {
            QStyleOptionButton option;
            option.initFrom(&button);
            option.text = button.text();
            if (focused)
                option.state |= QStyle::State_HasFocus;
            else
                option.state &= ~QStyle::State_HasFocus;
            QImage image(button.size(), QImage::Format_ARGB32);
            image.fill(Qt::transparent);
            QPainter painter(&image);
            style.drawControl(QStyle::CE_PushButton, &option, &painter, &button);
            painter.end();
            int n = 0;
            const QColor ring = focusRingColor(option.palette);
            for (int x = 0; x < image.width(); ++x)
                n += QColor(image.pixel(x, image.height() / 2)) == ring ? 1 : 0;
            for (int y = 0; y < image.height(); ++y)
                n += QColor(image.pixel(image.width() / 2, y)) == ring ? 1 : 0;
            return n;
        };
        QVERIFY(ringPixels(true) >= 4);
        QCOMPARE(ringPixels(false), 0);
    }

    // --demo in a window: the dispatcher answers, and the status bar says how.
    void demoHintNamesTheAnswerKey()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.setDemoHint(true);
        window.show();
        auto *hint = window.findChild<QLabel *>("demoHint");
        QVERIFY(hint && hint->isVisible());
        QVERIFY(hint->text().contains("F2"));
        window.setDemoHint(false);
        QVERIFY(!hint->isVisible());
    }

    // Ctrl+, opens Settings on this platform too (QKeySequence::Preferences is empty on X11).
    void ctrlCommaOpensSettings()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QString opened;
        QTimer closer; // the dialog is modal: look for it from inside its own event loop
        closer.setInterval(10);
        connect(&closer, &QTimer::timeout, this, [&] {
            if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget())) {
                opened = dialog->windowTitle();
                dialog->reject();
            }
        });
        closer.start();
        QTest::keyClick(&window, Qt::Key_Comma, Qt::ControlModifier);
        QTRY_COMPARE(opened, QString("Settings"));
    }

    // F1 lists every shortcut from the window's own actions; Esc or F1 closes the list.
    void f1ListsTheShortcuts()
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
        QCOMPARE(listed.value("F2"), QString("Answer next call"));
        QCOMPARE(listed.value("F3"), QString("Hold / resume"));
        QCOMPARE(listed.value("F4"), QString("End call"));
        QCOMPARE(listed.value("Ctrl+K"), QString("Acknowledge critical alert"));
        QCOMPARE(listed.value("Ctrl+Shift+X"), QString("Transfer call"));
        QCOMPARE(listed.value("F9"), QString("Recent calls of this shift"));
        QCOMPARE(listed.value("Ctrl+R"), QString("Switch between queue and recent calls"));
        QCOMPARE(listed.value("F1"), QString("Keyboard shortcuts"));
        QCOMPARE(listed.value("Ctrl+T"), QString("Open mic")); // a button's shortcut
        QCOMPARE(listed.value("Ctrl+,"), QString("Settings"));
        QCOMPARE(listed.value("F6"), QString("Hold to talk (F6)")); // a key held down
        QVERIFY(!listed.contains("Alt+A")); // a button's mnemonic is not listed
        QVERIFY(!legend->isModal());
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(legend->grab().save(SCREENSHOT_DIR "/shortcut-legend.png"));

        QVERIFY(QTest::qWaitForWindowActive(legend));
        QTest::keyClick(legend, Qt::Key_Escape);
        QTRY_VERIFY(!legend->isVisible());
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F1);
        QTRY_VERIFY(legend->isVisible());
        QVERIFY(QTest::qWaitForWindowActive(legend));
        QTest::keyClick(legend, Qt::Key_F1);
        QTRY_VERIFY(!legend->isVisible());
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

    // Quitting a console that hosts live calls asks first (the default keeps working); a
    // console with nothing live closes at once.
    void quitWithLiveCallsAsksFirst()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        QVERIFY(server.start());
        MainWindow window(store, server);
        QList<MainWindow::LiveCalls> asked;
        bool answer = false;
        window.setQuitConfirmation([&](const MainWindow::LiveCalls &calls) {
            asked << calls;
            return answer;
        });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        addWorstCaseCall(store, "q-critical");
        store.addCall("q-ring-1", std::nullopt);
        store.addCall("q-ring-2", std::nullopt);
        store.addCall("q-ended", std::nullopt);
        store.end("q-ended", EndReason::CallerHungUp);

        QVERIFY(!window.close()); // Ctrl+Q closes the window the same way
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.at(0).live, 3);
        QCOMPARE(asked.at(0).ringing, 2);
        QCOMPARE(asked.at(0).critical, 1);
        QVERIFY(window.isVisible());
        QCOMPARE(store.countInState(CallState::Ringing), 2); // nothing was ended

        answer = true;
        QVERIFY(window.close());
        QCOMPARE(asked.size(), 2);

        MainWindow idle(store, server);
        for (const Call *c : store.calls())
            store.end(c->id, EndReason::ServerShutdown);
        idle.show();
        QVERIFY(idle.close());
        QCOMPARE(asked.size(), 2); // the other window's confirmation was not involved
    }

    // Audio goes with the window that opened it, not with the process: every stream a window
    // opens (the call audio's speaker, the alert tones) is closed by the time the window is
    // gone. The alert's sink used to run until exit, where Qt 6.4 drops its PulseAudio
    // connection without the mainloop lock (docs/RELIABILITY.md).
    void closedWindowLeavesNoAudioStream()
    {
        if (QMediaDevices::defaultAudioOutput().isNull() || pulseStreamsOfThisProcess() < 0)
            DISPATCH_SKIP_OR_FAIL("no PulseAudio server or no pactl (the test command starts "
                                  "PulseAudio null devices)");
        {
            CallStore store;
            MetricsRegistry metrics;
            PhoneServer server(PhoneServerConfig{}, store, metrics);
            MainWindow window(store, server);
            store.addCall("ringing", std::nullopt); // the alert rings through its own sink
            QVERIFY(window.alertState()->anyRinging());
            QTRY_VERIFY(pulseStreamsOfThisProcess() >= 2); // speaker and alert are open
        }
        QTRY_COMPARE(pulseStreamsOfThisProcess(), 0);
    }
};

DISPATCH_UI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
