#include "audioexitmain.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"

#include <QApplication>
#include <QTest>
#include <QTranslator>

using namespace dispatch;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spanishIsEmbeddedAndUsed()
    {
        QTranslator spanish;
        QVERIFY(spanish.load(QLocale(QLocale::Spanish), "dispatch", "_", ":/i18n"));
        QCoreApplication::installTranslator(&spanish);
        QCOMPARE(stateLabel(CallState::Ringing), QString("Sonando"));
        CallStore store;
        CallQueueModel model(store);
        QCOMPARE(model.headerData(CallQueueModel::Severity, Qt::Horizontal).toString(),
                 QString("Gravedad"));
        QCoreApplication::removeTranslator(&spanish);
        QCOMPARE(stateLabel(CallState::Ringing), QString("Ringing"));
    }

    void englishPluralForms()
    {
        QTranslator english;
        QVERIFY(english.load(QLocale(QLocale::English), "dispatch", "_", ":/i18n"));
        QCoreApplication::installTranslator(&english);
        QCOMPARE(
            QCoreApplication::translate("dispatch::MainWindow", "%n call(s) ringing", nullptr, 1),
            QString("1 call ringing"));
        QCOMPARE(
            QCoreApplication::translate("dispatch::MainWindow", "%n call(s) ringing", nullptr, 3),
            QString("3 calls ringing"));
        QCoreApplication::removeTranslator(&english);
    }
};

DISPATCH_UI_TEST_MAIN(TestTranslations)
#include "tst_translations.moc"
