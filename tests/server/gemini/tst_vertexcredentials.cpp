// Vertex AI credentials: the service-account key file, the signed JWT and the access token
// exchanged for it (refresh, backoff, refusal), against a local token endpoint that checks the
// signature with the public half of a key pair made here at run time.
#include "faketokenendpoint.h"
#include "gemini/accesstokenprovider.h"
#include "gemini/serviceaccount.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;

namespace {

QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log.append(message);
}

} // namespace

class TestVertexCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void loadsAPrivateKeyFile();
    void refusesAFileOthersCanRead_data();
    void refusesAFileOthersCanRead();
    void refusesBadFiles_data();
    void refusesBadFiles();
    void exchangesAndRefreshesBeforeExpiry();
    void aWrongKeyIsRefusedAsCredentials();
    void aFailingEndpointIsRetriedWithBackoff();
    void neitherKeyNorTokenIsLogged();

private:
    QString writeFile(const QByteArray &content, QFileDevice::Permissions permissions);
    AccessTokenConfig tokenConfig(const ServiceAccount &account) const;

    FakeServiceAccountKey m_key;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTokenEndpoint> m_endpoint;
    int m_files = 0;
};

void TestVertexCredentials::initTestCase()
{
    m_key = generateFakeServiceAccountKey();
    QVERIFY(m_key.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
    QVERIFY(!m_key.publicKeyPem.isEmpty());
}

void TestVertexCredentials::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    FakeTokenEndpointConfig c;
    c.publicKeyPem = m_key.publicKeyPem;
    m_endpoint = std::make_unique<FakeTokenEndpoint>(c);
    QVERIFY(m_endpoint->listen());
}

void TestVertexCredentials::cleanup()
{
    m_endpoint.reset();
    m_dir.reset();
}

QString TestVertexCredentials::writeFile(const QByteArray &content,
                                         QFileDevice::Permissions permissions)
{
    const QString path = m_dir->filePath(QStringLiteral("sa-%1.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    f.close();
    f.setPermissions(permissions);
    return path;
}

AccessTokenConfig TestVertexCredentials::tokenConfig(const ServiceAccount &account) const
{
    AccessTokenConfig c;
    c.account = account;
    c.retry.initialDelayMs = 20;
    c.retry.maxDelayMs = 80;
    c.random = [] { return 0.5; };
    return c;
}

void TestVertexCredentials::loadsAPrivateKeyFile()
{
    const QString path = writeFile(fakeServiceAccountJson(m_key, m_endpoint->tokenUri()),
                                   QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const auto account = loadServiceAccount(path);
    QVERIFY2(account.ok(), qPrintable(account.error().message));
    QCOMPARE(account->clientEmail, FakeTokenEndpointConfig().clientEmail);
    QCOMPARE(account->privateKeyId, FakeTokenEndpointConfig().keyId);
    QCOMPARE(account->projectId, QStringLiteral("test-project"));
    QCOMPARE(account->tokenUri, m_endpoint->tokenUri().toString());
    QCOMPARE(account->privateKeyPem, m_key.privateKeyPem);
}

void TestVertexCredentials::refusesAFileOthersCanRead_data()
{
    QTest::addColumn<int>("extra");
    QTest::newRow("group-readable") << int(QFileDevice::ReadGroup);
    QTest::newRow("world-readable") << int(QFileDevice::ReadOther);
    QTest::newRow("group-writable") << int(QFileDevice::WriteGroup);
}

void TestVertexCredentials::refusesAFileOthersCanRead()
{
    QFETCH(int, extra);
    const QString path = writeFile(fakeServiceAccountJson(m_key, m_endpoint->tokenUri()),
                                   QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::Permission(extra));
    const auto account = loadServiceAccount(path);
    QVERIFY(!account.ok());
    QCOMPARE(account.error().code, QStringLiteral("credentials_permissions"));
    QVERIFY(account.error().message.contains(QLatin1String("chmod 600")));
    QVERIFY(!account.error().message.contains(QLatin1String("PRIVATE KEY")));
}

void TestVertexCredentials::refusesBadFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("code");
    QTest::newRow("not json") << QByteArray("{ nope") << "credentials_invalid";
    QTest::newRow("user credentials")
        << QByteArray(R"({"type":"authorized_user","client_id":"x"})") << "credentials_invalid";
    QTest::newRow("no key") << QByteArray(R"({"type":"service_account","client_email":"a@b",)"
                                          R"("private_key_id":"k","token_uri":"https://x/t"})")
                            << "credentials_invalid";
    QTest::newRow("plain http token uri")
        << QByteArray(
               R"({"type":"service_account","client_email":"a@b","private_key_id":"k",)"
               R"("private_key":"-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----",)"
               R"("token_uri":"http://oauth2.example.com/token"})")
        << "credentials_invalid";
    QTest::newRow("missing file") << QByteArray() << "credentials_unreadable";
}

void TestVertexCredentials::refusesBadFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, code);
    const QString path = content.isEmpty()
                             ? m_dir->filePath(QStringLiteral("absent.json"))
                             : writeFile(content, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const auto account = loadServiceAccount(path);
    QVERIFY(!account.ok());
    QCOMPARE(account.error().code, code);
}

void TestVertexCredentials::exchangesAndRefreshesBeforeExpiry()
{
    m_endpoint->config().expiresInSecs = 2; // refreshed after half of it (1 s)
    const auto account = parseServiceAccount(fakeServiceAccountJson(m_key, m_endpoint->tokenUri()));
    QVERIFY(account.ok());
    AccessTokenProvider tokens(tokenConfig(account.value()));
    QSignalSpy changed(&tokens, &AccessTokenProvider::tokenChanged);
    QVERIFY(tokens.token().isEmpty());
    tokens.start();
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(m_endpoint->lastRefusal(), QString());
    QCOMPARE(tokens.token(), m_endpoint->lastToken());
    QCOMPARE(tokens.nextExchangeDelayMs(), 1000); // half of its life
    const QString first = tokens.token();
    // The new token comes before the old one expires: no moment without a valid token.
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    QVERIFY(tokens.token() != first);
    QCOMPARE(tokens.token(), m_endpoint->lastToken());
    QCOMPARE(tokens.exchanges(), 2);
    QCOMPARE(m_endpoint->issued(), 2);
}

void TestVertexCredentials::aWrongKeyIsRefusedAsCredentials()
{
    // Another key pair signs: the endpoint cannot verify the signature (invalid_grant, 400).
    const FakeServiceAccountKey other = generateFakeServiceAccountKey();
    const auto account = parseServiceAccount(fakeServiceAccountJson(other, m_endpoint->tokenUri()));
    QVERIFY(account.ok());
    AccessTokenProvider tokens(tokenConfig(account.value()));
    QSignalSpy failed(&tokens, &AccessTokenProvider::exchangeFailed);
    tokens.start();
    QTRY_VERIFY(failed.count() >= 1); // it goes on retrying with backoff: how often is timing
    QCOMPARE(m_endpoint->lastRefusal(), QStringLiteral("Invalid JWT Signature."));
    const auto c = failed.first().at(0).value<CloseClassification>();
    QCOMPARE(toString(c.kind), toString(CloseKind::Final));
    QCOMPARE(toString(c.category), QStringLiteral("credentials"));
    QVERIFY(tokens.isRefused());
    QVERIFY(tokens.token().isEmpty());
    QVERIFY(failed.first().at(1).toString().contains(QLatin1String("400")));
}

void TestVertexCredentials::aFailingEndpointIsRetriedWithBackoff()
{
    m_endpoint->failNext(503, 2);
    const auto account = parseServiceAccount(fakeServiceAccountJson(m_key, m_endpoint->tokenUri()));
    QVERIFY(account.ok());
    AccessTokenProvider tokens(tokenConfig(account.value()));
    QSignalSpy failed(&tokens, &AccessTokenProvider::exchangeFailed);
    QSignalSpy changed(&tokens, &AccessTokenProvider::tokenChanged);
    tokens.start();
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(failed.count(), 2);
    for (const auto &args : failed)
        QCOMPARE(toString(args.at(0).value<CloseClassification>().kind),
                 toString(CloseKind::Retryable));
    QVERIFY(!tokens.isRefused());
    QCOMPARE(tokens.failures(), 0);
    QCOMPARE(m_endpoint->requests(), 3);
}

void TestVertexCredentials::neitherKeyNorTokenIsLogged()
{
    QLoggingCategory::setFilterRules(QStringLiteral("dispatch.*=true"));
    g_log.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    {
        m_endpoint->failNext(400, 1);
        const auto account =
            parseServiceAccount(fakeServiceAccountJson(m_key, m_endpoint->tokenUri()));
        QVERIFY(account.ok());
        AccessTokenProvider tokens(tokenConfig(account.value()));
        QSignalSpy changed(&tokens, &AccessTokenProvider::tokenChanged);
        tokens.start();
        QTRY_COMPARE(changed.count(), 1); // a refusal, then a success
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    const QString all = g_log.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("token")), qPrintable(all)); // the capture works
    QVERIFY(!all.contains(m_endpoint->lastToken()));
    QVERIFY(!all.contains(QLatin1String("ya29.")));
    QVERIFY(!all.contains(QLatin1String("PRIVATE KEY")));
    const QList<QByteArray> keyLines = m_key.privateKeyPem.split('\n');
    QVERIFY(keyLines.size() > 3);
    QVERIFY(!all.contains(QString::fromLatin1(keyLines.at(1))));
    QVERIFY(!all.contains(QLatin1String("eyJ"))); // how a JWT (the assertion) starts
}

QTEST_GUILESS_MAIN(TestVertexCredentials)
#include "tst_vertexcredentials.moc"
