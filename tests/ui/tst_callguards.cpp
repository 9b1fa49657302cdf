// The guards on ending and transferring a call, worked by keyboard in the real main window:
// F4 on a serious call asks for a disposition (Esc keeps the call live, a pick and Enter end it
// with that code), F4 on a routine call ends it at once, Ctrl+Shift+X picks a dispatcher the
// host knows (online ones first) instead of typing a name.
#include "audioexitmain.h"
#include "auth/tokenstore.h"
#include "callguards.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "dashboard/hostlink.h"
#include "dialogs/dispositiondialog.h"
#include "dialogs/transferpicker.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

namespace {

// A live call, answered by `owner`, with an AI assessment of `severity` (critical at 5).
void answeredCall(CallStore &store, const QString &id, int severity,
                  const QString &owner = QStringLiteral("console"))
{
    store.addCall(id, std::nullopt);
    store.answer(id, Actor::dispatcher(owner));
    TriageReport r;
    r.severity = severity;
    r.critical = severity >= 5;
    r.responseType = ResponseType::Medical;
    r.situationSummary = QStringLiteral("Test call");
    r.source = TriageSource::Local;
    store.setTriage(id, r);
    if (r.critical)
        store.flagCritical(id, QStringLiteral("not breathing"), severity);
}

} // namespace

class TestCallGuards : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir; // a token file of each test's own

    std::unique_ptr<PhoneServer> host(CallStore &store, MetricsRegistry &metrics,
                                      bool tokens = false)
    {
        PhoneServerConfig config;
        if (tokens)
            config.tokenStorePath = m_dir->filePath("tokens.json");
        auto server = std::make_unique<PhoneServer>(config, store, metrics);
        return server->start() ? std::move(server) : nullptr;
    }

    QByteArray issue(const QString &name)
    {
        TokenStore tokens(m_dir->filePath("tokens.json"));
        auto token =
            tokens.issue(name, Role::Dispatcher, QDateTime(), QDateTime::currentDateTimeUtc());
        return token ? token.value() : QByteArray();
    }

    // A remote dispatcher's console link to `server`, as `token`.
    static std::unique_ptr<remote::HostLink> dispatcherLink(const PhoneServer &server,
                                                            const QByteArray &token)
    {
        remote::HostLinkConfig config;
        config.url = server.url();
        config.url.setScheme(QStringLiteral("ws"));
        config.token = token;
        auto link = std::make_unique<remote::HostLink>(config);
        link->start();
        return link;
    }

    static void screenshot(QWidget *window, const char *name)
    {
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(window->grab().save(QStringLiteral(SCREENSHOT_DIR "/%1.png").arg(name)));
    }

private Q_SLOTS:
    void initTestCase() { applyTheme(*qApp, Theme::Dark); }
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void f4OnACriticalCallAsksForADisposition()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics);
        QVERIFY(server);
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "crit", 5);
        window.selectCall("crit");
        QCOMPARE(window.selectedCallId(), QString("crit"));

        // F4 asks; Esc keeps the call live.
        QTest::keyClick(&window, Qt::Key_F4);
        QTRY_VERIFY(window.callGuards()->dispositionDialog() &&
                    window.callGuards()->dispositionDialog()->isVisible());
        DispositionDialog *dialog = window.callGuards()->dispositionDialog();
        QVERIFY(store.call("crit")->isLive());
        QCOMPARE(dialog->choices()->count(), 5);
        QVERIFY(dialog->disposition() == Disposition::None);    // nothing picked for the dispatcher
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Return); // Enter without a pick: nothing
        QVERIFY(dialog->isVisible());
        QVERIFY(store.call("crit")->isLive());
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Escape);
        QTRY_VERIFY(!window.callGuards()->dispositionDialog());
        QVERIFY(store.call("crit")->isLive());
        QVERIFY(window.statusBar()->currentMessage().contains("stays live"));

        // F4 again: the arrows pick, Enter ends the call with that disposition. (The offscreen
        // platform activates no window when a dialog closes; a window manager does.)
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F4);
        QTRY_VERIFY(window.callGuards()->dispositionDialog() &&
                    window.callGuards()->dispositionDialog()->isVisible());
        dialog = window.callGuards()->dispositionDialog();
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Down);
        QVERIFY(dialog->disposition() == Disposition::UnitsDispatched);
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Down);
        QVERIFY(dialog->disposition() == Disposition::TransferredToAgency);
        screenshot(dialog, "disposition-dialog");
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Return);
        QTRY_VERIFY(!store.call("crit")->isLive());
        QVERIFY(store.call("crit")->disposition == Disposition::TransferredToAgency);
        QVERIFY(store.call("crit")->endReason == EndReason::DispatcherEnded);
        const auto &timeline = store.call("crit")->timeline;
        QCOMPARE(timeline.constLast().actor.name, QString("console"));
        QTRY_VERIFY(!window.callGuards()->dispositionDialog());
    }

    // The digits pick too; a severity-4 report without a critical flag is serious enough.
    void digitsPickADisposition()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics);
        QVERIFY(server);
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "sev4", 4);
        window.selectCall("sev4");
        QTest::keyClick(&window, Qt::Key_F4);
        QTRY_VERIFY(window.callGuards()->dispositionDialog() &&
                    window.callGuards()->dispositionDialog()->isVisible());
        DispositionDialog *dialog = window.callGuards()->dispositionDialog();
        QTest::keyClick(dialog->focusWidget(), Qt::Key_5);
        QVERIFY(dialog->disposition() == Disposition::FalseAlarm);
        QTest::keyClick(dialog->focusWidget(), Qt::Key_Enter); // the keypad's Enter
        QTRY_VERIFY(!store.call("sev4")->isLive());
        QVERIFY(store.call("sev4")->disposition == Disposition::FalseAlarm);
    }

    // A caller who hangs up while the dispatcher chooses: the dialog goes, nothing is sent.
    void callEndingUnderTheDialogClosesIt()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics);
        QVERIFY(server);
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "gone", 5);
        window.selectCall("gone");
        QTest::keyClick(&window, Qt::Key_F4);
        QTRY_VERIFY(window.callGuards()->dispositionDialog() &&
                    window.callGuards()->dispositionDialog()->isVisible());
        store.end("gone", EndReason::CallerHungUp);
        QTRY_VERIFY(!window.callGuards()->dispositionDialog());
        QVERIFY(store.call("gone")->endReason == EndReason::CallerHungUp);
        QVERIFY(store.call("gone")->disposition == Disposition::None);
        QVERIFY(window.statusBar()->currentMessage().contains("before a disposition"));
    }

    void f4OnARoutineCallEndsAtOnce()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics);
        QVERIFY(server);
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "routine", 2);
        window.selectCall("routine");
        QTest::keyClick(&window, Qt::Key_F4);
        QVERIFY(!store.call("routine")->isLive()); // at once: no dialog, no extra key
        QVERIFY(!window.callGuards()->dispositionDialog());
        QVERIFY(store.call("routine")->disposition == Disposition::None);
        QVERIFY(store.call("routine")->endReason == EndReason::DispatcherEnded);
    }

    // The picker lists the dispatchers the host knows, online ones first and marked, without
    // the call's owner; typing filters, Enter hands the call to the picked one.
    void transferPickerListsOnlineDispatchers()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics, true);
        QVERIFY(server);
        issue("ana");
        issue("cleo");
        auto ben = dispatcherLink(*server, issue("ben"));
        QTRY_VERIFY(server->transferTargets().contains(TransferTarget{"ben", true}));
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "xfer", 3, "ana");
        window.selectCall("xfer");

        QTest::keyClick(&window, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(window.callGuards()->transferPicker() &&
                    window.callGuards()->transferPicker()->isVisible());
        TransferPicker *picker = window.callGuards()->transferPicker();
        QCOMPARE(picker->listedNames(), QStringList({"ben", "cleo"})); // not ana, the owner
        QVERIFY(picker->list()->item(0)->text().contains("online"));
        QVERIFY(!picker->list()->item(1)->text().contains("online"));
        QCOMPARE(picker->chosenName(), QString("ben")); // the first, online, is picked
        QCOMPARE(picker->focusWidget(), picker->filter());
        screenshot(picker, "transfer-picker");

        QTest::keyClicks(picker->focusWidget(), "CL");
        QCOMPARE(picker->listedNames(), QStringList({"cleo"}));
        QCOMPARE(picker->chosenName(), QString("cleo"));
        QTest::keyClicks(picker->focusWidget(), "x");
        QVERIFY(picker->listedNames().isEmpty());
        QVERIFY(picker->chosenName().isEmpty());
        QTest::keyClick(picker->focusWidget(), Qt::Key_Return); // nothing to transfer to
        QVERIFY(picker->isVisible());
        picker->filter()->clear();
        QCOMPARE(picker->listedNames(), QStringList({"ben", "cleo"}));
        QTest::keyClick(picker->focusWidget(), Qt::Key_Down);
        QCOMPARE(picker->chosenName(), QString("cleo"));
        QTest::keyClick(picker->focusWidget(), Qt::Key_Up);
        QCOMPARE(picker->chosenName(), QString("ben"));
        QTest::keyClick(picker->focusWidget(), Qt::Key_Return);
        QTRY_COMPARE(store.call("xfer")->answeredBy, QString("ben"));
        QTRY_VERIFY(!window.callGuards()->transferPicker());
    }

    // Who is online changes while the picker is open: the list follows, the pick stays.
    void transferPickerFollowsTheHost()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics, true);
        QVERIFY(server);
        issue("dora");
        server->revalidateDashboards(); // what issuing from Settings -> Manage tokens does
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "follow", 3);
        window.selectCall("follow");
        QTest::keyClick(&window, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(window.callGuards()->transferPicker() &&
                    window.callGuards()->transferPicker()->isVisible());
        TransferPicker *picker = window.callGuards()->transferPicker();
        QCOMPARE(picker->listedNames(), QStringList({"dora"}));
        auto eli = dispatcherLink(*server, issue("eli"));
        QTRY_COMPARE(picker->listedNames(), QStringList({"eli", "dora"}));
        QCOMPARE(picker->chosenName(), QString("dora"));
        QTest::keyClick(picker->focusWidget(), Qt::Key_Escape);
        QTRY_VERIFY(!window.callGuards()->transferPicker());
        QCOMPARE(store.call("follow")->answeredBy, QString("console"));
    }

    // Nobody to hand the call to: a message, not an empty dialog.
    void transferWithNobodyToPickSaysSo()
    {
        CallStore store;
        MetricsRegistry metrics;
        auto server = host(store, metrics);
        QVERIFY(server);
        MainWindow window(store, *server);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        answeredCall(store, "alone", 3);
        window.selectCall("alone");
        QTest::keyClick(&window, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(!window.callGuards()->transferPicker());
        QVERIFY2(window.statusBar()->currentMessage().contains("No other dispatcher"),
                 qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(store.call("alone")->answeredBy, QString("console"));
    }
};

DISPATCH_UI_TEST_MAIN(TestCallGuards)
#include "tst_callguards.moc"
