// A remote console whose host is gone says so as loudly as a storage failure, in the
// dispatcher's language; the link gives only codes.
#include "audioexitmain.h"
#include "calllists.h"
#include "calls/callstore.h"
#include "dashboard/hostlink.h"
#include "dashboard/remotecallactions.h"
#include "dashboard/storemirror.h"
#include "hostlinktext.h"
#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QTcpServer>
#include <QTest>
#include <QToolBar>
#include <QTranslator>

using namespace dispatch;

class TestHostLinkAlarm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deadHostRaisesTheBanner()
    {
        // A port nobody listens on: the connection is refused at once.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();

        remote::HostClock clock;
        CallStore mirror(CallStoreConfig{}, [&clock] { return clock.now(); });
        remote::HostLinkConfig config;
        config.url = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
        config.token = "t";
        config.reconnectMinMs = 100;
        config.reconnectMaxMs = 200;
        remote::HostLink link(config);
        remote::StoreMirror view(mirror, link, clock);
        remote::RemoteCallActions actions(link, view);
        MainWindow window(mirror, actions, nullptr);
        window.setHostLink(&link);
        link.start();
        QVERIFY(window.hostLinkAlarmText().startsWith("Not connected to the host yet"));
        QTRY_COMPARE(link.state(), remote::HostLink::State::Reconnecting);
        QCOMPARE(link.status().reason, remote::HostLinkReason::ConnectionLost);
        QVERIFY(window.callLists()->clocksFrozen()); // nothing known: the clocks stop, greyed
        QVERIFY2(window.hostLinkAlarmText().contains("LOST"),
                 qPrintable(window.hostLinkAlarmText()));
        // Shown, not only set: the banner spans the window (it once had no width at all).
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto *bar = window.findChild<QToolBar *>(QStringLiteral("hostLinkAlarm"));
        QVERIFY(bar && bar->isVisible());
        const auto labels = bar->findChildren<QLabel *>();
        QCOMPARE(labels.size(), 1);
        QTRY_VERIFY2(labels.first()->width() > window.width() / 2,
                     qPrintable(QString::number(labels.first()->width())));
        link.stop();
    }

    void everyReasonIsWorded_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("reason");
        using S = remote::HostLink::State;
        using R = remote::HostLinkReason;
        QTest::newRow("connecting") << int(S::Connecting) << int(R::Connecting);
        QTest::newRow("connected") << int(S::Connected) << int(R::Connected);
        QTest::newRow("stalled") << int(S::Stalled) << int(R::HostSilent);
        QTest::newRow("silent, reconnecting") << int(S::Reconnecting) << int(R::HostSilent);
        QTest::newRow("lost") << int(S::Reconnecting) << int(R::ConnectionLost);
        QTest::newRow("closed") << int(S::Refused) << int(R::ClosedByHost);
        QTest::newRow("untrusted") << int(S::Refused) << int(R::CertificateUntrusted);
        QTest::newRow("pin") << int(S::Refused) << int(R::PinMismatch);
    }

    void everyReasonIsWorded()
    {
        QFETCH(int, state);
        QFETCH(int, reason);
        const auto s = static_cast<remote::HostLink::State>(state);
        remote::HostLinkStatus status(static_cast<remote::HostLinkReason>(reason), "detail");
        status.silentMs = 7400;
        status.retryInMs = 1500;
        status.fingerprint = "ab:cd";
        const QString english = HostLinkText::of(s, status);
        QVERIFY(!english.isEmpty());
        QCOMPARE(HostLinkText::banner(s, status).isEmpty(),
                 s == remote::HostLink::State::Connected);
        if (s == remote::HostLink::State::Reconnecting)
            QVERIFY2(english.contains("1.5 s"), qPrintable(english));
        if (status.reason == remote::HostLinkReason::HostSilent)
            QVERIFY2(english.contains("7 s"), qPrintable(english));

        QTranslator spanish;
        QVERIFY(spanish.load(QLocale(QLocale::Spanish), "dispatch", "_", ":/i18n"));
        QCoreApplication::installTranslator(&spanish);
        const QString translated = HostLinkText::of(s, status);
        const QString banner = HostLinkText::banner(s, status);
        QCoreApplication::removeTranslator(&spanish);
        QVERIFY2(translated != english, qPrintable(translated));
        QVERIFY(!translated.isEmpty());
        if (s != remote::HostLink::State::Connected)
            QVERIFY(!banner.isEmpty());
    }
};

DISPATCH_UI_TEST_MAIN(TestHostLinkAlarm)
#include "tst_hostlinkalarm.moc"
