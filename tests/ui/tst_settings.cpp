#include "consolesettings.h"
#include "settingsdialog.h"

#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        ConsoleSettings s;
        s.listen = "0.0.0.0:9443";
        s.tlsCertPath = "/etc/c.pem";
        s.tlsKeyPath = "/etc/k.pem";
        s.geminiModel = "gemini-3.1-flash-live-preview";
        s.tileUrl = "https://tiles.local/{z}/{x}/{y}.png";
        s.outputDeviceId = "out-1";
        s.inputDeviceId = "in-1";
        s.language = "es";
        s.theme = "light";
        {
            QSettings ini(dir.filePath("c.ini"), QSettings::IniFormat);
            s.save(ini);
        }
        QSettings ini(dir.filePath("c.ini"), QSettings::IniFormat);
        QVERIFY(ConsoleSettings::load(ini) == s);
        QSettings empty(dir.filePath("none.ini"), QSettings::IniFormat);
        QCOMPARE(ConsoleSettings::load(empty).theme, QString("dark"));
    }

    void apiKeyIsPrivate()
    {
        QTemporaryDir dir;
        ApiKeyFile key(dir.path());
        QVERIFY(!key.exists());
        QVERIFY(key.read().isEmpty());
        QVERIFY(key.write("  AIza-secret\n"));
        QCOMPARE(key.read(), QByteArray("AIza-secret"));
        const auto perms = QFile::permissions(key.path());
        QVERIFY(perms & QFile::ReadOwner);
        QCOMPARE(perms &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        QVERIFY(key.write(QByteArray()));
        QVERIFY(!key.exists());
    }

    void dialogNeverShowsTheKey()
    {
        QTemporaryDir dir;
        ApiKeyFile key(dir.path());
        QVERIFY(key.write("AIza-secret"));
        ConsoleSettings current;
        current.theme = "light";
        current.language = "es";
        current.tileUrl = "https://t/{z}/{x}/{y}.png";
        SettingsDialog dialog(current, key);
        QLineEdit *keyEdit = nullptr;
        for (auto *e : dialog.findChildren<QLineEdit *>()) {
            if (e->accessibleName() == "Gemini API key")
                keyEdit = e;
        }
        QVERIFY(keyEdit);
        QVERIFY(keyEdit->text().isEmpty());
        QCOMPARE(keyEdit->echoMode(), QLineEdit::Password);
        QVERIFY(!dialog.newApiKey());
        const ConsoleSettings shown = dialog.settings();
        QCOMPARE(shown.theme, QString("light"));
        QCOMPARE(shown.language, QString("es"));
        QCOMPARE(shown.tileUrl, current.tileUrl);
        QTest::keyClicks(keyEdit, "new-key");
        QCOMPARE(dialog.newApiKey().value_or(QByteArray()), QByteArray("new-key"));
    }
};

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
