#include "audioexitmain.h"
#include "consolesettings.h"
#include "settingsdialog.h"
#include "tokensdialog.h"

#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

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
        s.addressPoints = "/srv/gis/address-points.geojson";
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
        // The old dialog's "gemini/model" held its first item whatever the site chose, and was
        // never applied: it is not read as a choice now that the model setting is applied.
        QSettings old(dir.filePath("old.ini"), QSettings::IniFormat);
        old.setValue("gemini/model", "gemini-2.5-flash-native-audio-preview-12-2025");
        QCOMPARE(ConsoleSettings::load(old).geminiModel, QString());
    }

    // The console opens where the dispatcher left it; the Settings dialog (which knows
    // nothing of the window) never erases that.
    void windowGeometryIsRemembered()
    {
        QTemporaryDir dir;
        QSettings ini(dir.filePath("g.ini"), QSettings::IniFormat);
        QVERIFY(ConsoleSettings::load(ini).windowGeometry.isEmpty()); // first start
        {
            QWidget window;
            window.setGeometry(10, 20, 1000, 700);
            ConsoleSettings s = ConsoleSettings::load(ini);
            s.windowGeometry = window.saveGeometry();
            s.save(ini);
        }
        ConsoleSettings fromDialog; // no geometry
        fromDialog.theme = "light";
        fromDialog.save(ini);
        const ConsoleSettings loaded = ConsoleSettings::load(ini);
        QCOMPARE(loaded.theme, QString("light"));
        QWidget restored;
        QVERIFY(restored.restoreGeometry(loaded.windowGeometry));
        QCOMPARE(restored.size(), QSize(1000, 700));
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
        current.addressPoints = "/srv/gis/points.geojson";
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
        QCOMPARE(shown.addressPoints, current.addressPoints);
        QTest::keyClicks(keyEdit, "new-key");
        QCOMPARE(dialog.newApiKey().value_or(QByteArray()), QByteArray("new-key"));
    }

    // The model list comes from the engine's capability table: the current stable model first,
    // nothing the service shut down, and an untouched dialog keeps the engine's default rather
    // than pinning whatever was first in the list.
    void modelListFollowsTheEngine()
    {
        QTemporaryDir dir;
        SettingsDialog untouched(ConsoleSettings{}, ApiKeyFile(dir.path()));
        QCOMPARE(untouched.settings().geminiModel, QString());
        QStringList items;
        for (const QComboBox *combo : untouched.findChildren<QComboBox *>()) {
            if (combo->findText("gemini-3.8-live") < 0)
                continue;
            for (int i = 0; i < combo->count(); ++i)
                items << combo->itemText(i);
        }
        QCOMPARE(items.value(1), QString("gemini-3.8-live"));
        QVERIFY(items.contains("gemini-3.1-flash-live-preview"));
        QVERIFY(!items.contains("gemini-2.0-flash-live-001")); // shut down 2025-12-09
        QVERIFY(!items.contains("gemini-live-2.5-flash-preview"));
        ConsoleSettings chosen;
        chosen.geminiModel = "gemini-3.1-flash-live-preview";
        SettingsDialog kept(chosen, ApiKeyFile(dir.path()));
        QCOMPARE(kept.settings().geminiModel, chosen.geminiModel);
    }

    void settingsOpenTheTokenManagerOnAHost()
    {
        QTemporaryDir dir;
        SettingsDialog dialog(ConsoleSettings{}, ApiKeyFile(dir.path()));
        auto manageButton = [&dialog]() -> QPushButton * {
            for (auto *b : dialog.findChildren<QPushButton *>()) {
                if (b->text() == "Manage &tokens...")
                    return b;
            }
            return nullptr;
        };
        QVERIFY(!manageButton()); // a remote console has no tokens to manage
        int opened = 0;
        dialog.setTokenManager([&](QWidget *) { ++opened; });
        QVERIFY(manageButton());
        manageButton()->click();
        QCOMPARE(opened, 1);
    }

    void tokensAreIssuedShownOnceAndRevoked()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("tokens.json");
        TokensDialog dialog(path, "wss://10.0.0.5:8443", "AB:CD");
        QSignalSpy revoked(&dialog, &TokensDialog::revoked);
        QVERIFY(!dialog.issue("../evil", Role::Dispatcher, 0));
        QCOMPARE(dialog.rowCount(), 0);
        QVERIFY(dialog.issue("ana", Role::Dispatcher, 30));
        const QByteArray token = dialog.shownToken().toLatin1();
        QVERIFY(token.size() >= 32);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto found = TokenStore(path).find(token, now);
        QVERIFY(found.verdict == TokenStore::Verdict::Accepted);
        QVERIFY(found.record.role == Role::Dispatcher);
        QVERIFY(qAbs(now.daysTo(found.record.expires) - 30) <= 1);
        QLineEdit *command = nullptr;
        for (auto *e : dialog.findChildren<QLineEdit *>()) {
            if (e->accessibleName() == "Command for the remote console")
                command = e;
        }
        QVERIFY(command);
        QVERIFY(command->text().contains("--connect wss://10.0.0.5:8443"));
        QVERIFY(command->text().contains("--fingerprint AB:CD"));
        QVERIFY(command->text().contains(QString::fromLatin1(token)));
        QVERIFY(dialog.issue("sam", Role::Supervisor, 0));
        QCOMPARE(dialog.rowCount(), 2);
        QVERIFY(TokenStore(path).find(dialog.shownToken().toLatin1(), now).record.role ==
                Role::Supervisor);

        QVERIFY(dialog.revoke("ana"));
        QCOMPARE(revoked.size(), 1);
        QVERIFY(TokenStore(path).find(token, now).verdict == TokenStore::Verdict::Revoked);
        QVERIFY(!dialog.revoke("nobody"));
        // The token leaves the screen with the dialog.
        dialog.show();
        dialog.reject();
        QVERIFY(dialog.shownToken().isEmpty());
    }
};

DISPATCH_UI_TEST_MAIN(TestSettings)
#include "tst_settings.moc"
