#pragma once

#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

namespace dispatch::fakes {

// An RSA key pair made at run time for a test service account (never a committed key).
struct FakeServiceAccountKey
{
    QByteArray privateKeyPem; // PKCS#8
    QByteArray publicKeyPem;  // SubjectPublicKeyInfo
};
FakeServiceAccountKey generateFakeServiceAccountKey();

// The service account JSON key file for `key`, its token_uri pointing at `tokenUri`.
QByteArray fakeServiceAccountJson(const FakeServiceAccountKey &key, const QUrl &tokenUri,
                                  const QString &projectId = QStringLiteral("test-project"));

struct FakeTokenEndpointConfig
{
    QString clientEmail = QStringLiteral("console@test-project.iam.gserviceaccount.com");
    QString keyId = QStringLiteral("test-key-id");
    QByteArray publicKeyPem; // the assertion's signature must verify with it
    int expiresInSecs = 3600;
};

// Google's OAuth2 token endpoint for service accounts, on 127.0.0.1 (plain HTTP): POST /token
// with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT. Checks the JWT as
// Google documents it (RS256 with `kid`, iss = sub = the account, aud = this URL, the
// cloud-platform scope, exp = iat + at most 3600) and the signature against the public key;
// answers {access_token, expires_in, token_type} or 400 {"error":"invalid_grant",...}.
class FakeTokenEndpoint : public QObject
{
    Q_OBJECT

public:
    explicit FakeTokenEndpoint(FakeTokenEndpointConfig config, QObject *parent = nullptr);
    ~FakeTokenEndpoint() override;

    bool listen();
    QUrl tokenUri() const; // http://127.0.0.1:<port>/token
    FakeTokenEndpointConfig &config() { return m_config; }
    // The next `count` requests get this HTTP status (e.g. 503, or 400 invalid_grant).
    void failNext(int httpStatus, int count = 1);

    int requests() const { return m_requests; }
    int issued() const { return m_issued; }
    QString lastToken() const { return m_lastToken; }
    QString lastRefusal() const { return m_lastRefusal; } // why the last request was refused

Q_SIGNALS:
    void tokenIssued(const QString &token, int expiresInSecs);
    void refused(int httpStatus, const QString &why);

private:
    void onData(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const QByteArray &body);
    void reply(QTcpSocket *socket, int status, const QByteArray &json);
    QString checkAssertion(const QByteArray &jwt) const; // empty when valid

    FakeTokenEndpointConfig m_config;
    QTcpServer *m_server;
    int m_failStatus = 0;
    int m_failCount = 0;
    int m_requests = 0;
    int m_issued = 0;
    QString m_lastToken;
    QString m_lastRefusal;
};

} // namespace dispatch::fakes
