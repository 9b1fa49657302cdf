#include "audioexitmain.h"
#include "joindialog.h"

#include <QComboBox>
#include <QLabel>
#include <QTest>

using namespace dispatch;

class TestJoinDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsUrlQrAndFingerprint()
    {
        JoinInfo info;
        info.urls = {QUrl("https://192.168.1.20:8443/call"), QUrl("https://10.0.0.5:8443/call")};
        info.tlsFingerprint = "AB:CD:EF";
        JoinDialog dialog(info);
        QCOMPARE(dialog.shownUrl(), QString("https://192.168.1.20:8443/call"));
        auto *qr = dialog.findChild<QrCodeView *>();
        QVERIFY(qr && qr->hasCode());
        bool fingerprintShown = false;
        for (auto *l : dialog.findChildren<QLabel *>())
            fingerprintShown = fingerprintShown || l->text().contains("AB:CD:EF");
        QVERIFY(fingerprintShown);
        auto *urls = dialog.findChild<QComboBox *>();
        QVERIFY(urls);
        urls->setCurrentIndex(1);
        QCOMPARE(dialog.shownUrl(), QString("https://10.0.0.5:8443/call"));
    }

    void noAddressIsSaid()
    {
        JoinDialog dialog(JoinInfo{});
        QVERIFY(!dialog.findChild<QrCodeView *>()->hasCode());
        QCOMPARE(dialog.shownUrl(), QString("No network address"));
    }
};

DISPATCH_UI_TEST_MAIN(TestJoinDialog)
#include "tst_joindialog.moc"
