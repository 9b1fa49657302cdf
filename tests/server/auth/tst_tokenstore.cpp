#include "auth/tokenstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;

class TestTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokensAreHashedAndPrivate()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("tokens.json");
        TokenStore store(path);
        const QDateTime now = QDateTime::fromString("2025-01-01T08:00:00Z", Qt::ISODate);
        const auto token = store.issue("ana", Role::Dispatcher, now.addDays(7), now);
        QVERIFY(token.ok());
        QVERIFY(token.value().size() >= 40);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(!text.contains(token.value()));
        QVERIFY(text.contains(TokenStore::hashOf(token.value())));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());

        QCOMPARE(store.find(token.value(), now).verdict, TokenStore::Verdict::Accepted);
        QCOMPARE(store.find(token.value(), now).record.name, QString("ana"));
        QCOMPARE(store.find(token.value(), now.addDays(8)).verdict, TokenStore::Verdict::Expired);
        QCOMPARE(store.find("dct_guess", now).verdict, TokenStore::Verdict::Unknown);
        QCOMPARE(store.find(QByteArray(), now).verdict, TokenStore::Verdict::Unknown);

        // One active token per name; revoke, then a new one may be issued.
        QVERIFY(!store.issue("ana", Role::Supervisor, QDateTime(), now).ok());
        QVERIFY(store.revoke("ana").ok());
        QVERIFY(!store.revoke("ana").ok());
        QCOMPARE(store.find(token.value(), now).verdict, TokenStore::Verdict::Revoked);
        const auto second = store.issue("ana", Role::Supervisor, QDateTime(), now);
        QVERIFY(second.ok());
        QVERIFY(second.value() != token.value());
        QVERIFY(store.find(second.value(), now.addYears(5)).record.role == Role::Supervisor);
        QCOMPARE(store.list().value().size(), 2);
    }

    void badNamesAndRolesAreRefused()
    {
        QTemporaryDir dir;
        TokenStore store(dir.filePath("tokens.json"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(!store.issue("", Role::Dispatcher, QDateTime(), now).ok());
        QVERIFY(!store.issue("a b", Role::Dispatcher, QDateTime(), now).ok());
        QVERIFY(!store.issue(QString(65, 'x'), Role::Dispatcher, QDateTime(), now).ok());
        QVERIFY(!store.issue("root", Role::Admin, QDateTime(), now).ok());
        QVERIFY(roleFromString("supervisor") == Role::Supervisor);
        QVERIFY(!roleFromString("boss"));
    }

    // '@' is kept for the sessions of the bootstrap admin token ("admin@<address>"): an issued
    // token named like one would be mistaken for it in the calls it answers and in the audit.
    void namesCannotLookLikeAdminSessions()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("tokens.json");
        TokenStore store(path);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(!store.issue("admin@127.0.0.1", Role::Supervisor, QDateTime(), now).ok());
        QVERIFY(!store.issue("bob@host", Role::Dispatcher, QDateTime(), now).ok());
        QVERIFY(!TokenStore::isValidName("admin@10.0.0.1"));
        for (const char *good : {"bob", "ana.lopez", "desk-7", "night_shift", "A1"})
            QVERIFY2(store.issue(good, Role::Dispatcher, QDateTime(), now).ok(), good);
        // A file edited by hand to hold such a name grants nothing for that entry.
        const QByteArray hash = TokenStore::hashOf("dct_handmade");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"version":1,"tokens":[{"name":"admin@127.0.0.1","role":"supervisor",)"
                   R"("sha256":")" +
                   hash + R"(","created":"2025-01-01T00:00:00Z","revoked":false}]})");
        file.close();
        QCOMPARE(store.list().value().size(), 0);
        QCOMPARE(store.find("dct_handmade", now).verdict, TokenStore::Verdict::Unknown);
    }

    void damagedFileGrantsNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("tokens.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"tokens":[{"name":"x","role":"admin","sha256":"00"}]})");
        file.close();
        TokenStore store(path);
        QCOMPARE(store.list().value().size(), 0);
        QCOMPARE(store.find("anything", QDateTime::currentDateTimeUtc()).verdict,
                 TokenStore::Verdict::Unknown);
    }
};

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
