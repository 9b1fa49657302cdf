#include "faketokenendpoint.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <optional>

namespace dispatch::fakes {

namespace {

constexpr qsizetype MaxRequest = 64 * 1024;

struct BioFree
{
    void operator()(BIO *b) const { BIO_free(b); }
};
struct KeyFree
{
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct CtxFree
{
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, n);
}

bool verifyRs256(const QByteArray &publicPem, const QByteArray &input, const QByteArray &sig)
{
    std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(publicPem.constData(), int(publicPem.size())));
    std::unique_ptr<EVP_PKEY, KeyFree> key(
        bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
    if (!key || !ctx ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.constData()),
                            size_t(sig.size()),
                            reinterpret_cast<const unsigned char *>(input.constData()),
                            size_t(input.size())) == 1;
}

std::optional<QByteArray> fromBase64Url(const QByteArray &text)
{
    auto r = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding |
                                                      QByteArray::OmitTrailingEquals |
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return *r;
}

} // namespace

FakeServiceAccountKey generateFakeServiceAccountKey()
{
    FakeServiceAccountKey out;
    std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_RSA_gen(2048));
    if (!key)
        return out;
    std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem()));
    std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ==
            1 &&
        PEM_write_bio_PUBKEY(pub.get(), key.get()) == 1) {
        out.privateKeyPem = bioBytes(priv.get());
        out.publicKeyPem = bioBytes(pub.get());
    }
    return out;
}

QByteArray fakeServiceAccountJson(const FakeServiceAccountKey &key, const QUrl &tokenUri,
                                  const QString &projectId)
{
    const FakeTokenEndpointConfig defaults;
    return QJsonDocument(
               QJsonObject{{QStringLiteral("type"), QStringLiteral("service_account")},
                           {QStringLiteral("project_id"), projectId},
                           {QStringLiteral("private_key_id"), defaults.keyId},
                           {QStringLiteral("private_key"), QString::fromLatin1(key.privateKeyPem)},
                           {QStringLiteral("client_email"), defaults.clientEmail},
                           {QStringLiteral("client_id"), QStringLiteral("1234567890")},
                           {QStringLiteral("token_uri"), tokenUri.toString()}})
        .toJson();
}

FakeTokenEndpoint::FakeTokenEndpoint(FakeTokenEndpointConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

FakeTokenEndpoint::~FakeTokenEndpoint() = default;

bool FakeTokenEndpoint::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl FakeTokenEndpoint::tokenUri() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(m_server->serverPort()));
}

void FakeTokenEndpoint::failNext(int httpStatus, int count)
{
    m_failStatus = httpStatus;
    m_failCount = count;
}

void FakeTokenEndpoint::onData(QTcpSocket *socket)
{
    const QByteArray data = socket->peek(MaxRequest);
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    qsizetype length = 0;
    for (const QByteArray &line : data.left(end).split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    if (data.size() < end + 4 + length)
        return; // the body is not complete yet
    socket->disconnect(this);
    const QByteArray head = socket->read(end + 4);
    const QByteArray body = socket->read(length);
    ++m_requests;
    if (!head.startsWith("POST /token ")) {
        reply(socket, 404, R"({"error":"not_found"})");
        return;
    }
    answer(socket, body);
}

void FakeTokenEndpoint::answer(QTcpSocket *socket, const QByteArray &body)
{
    if (m_failCount > 0) {
        --m_failCount;
        m_lastRefusal = QStringLiteral("injected %1").arg(m_failStatus);
        Q_EMIT refused(m_failStatus, m_lastRefusal);
        reply(socket, m_failStatus,
              m_failStatus == 400
                  ? R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"
                  : R"({"error":"internal_failure"})");
        return;
    }
    const QUrlQuery form(QString::fromLatin1(body));
    QString why;
    if (form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded) !=
        QLatin1String("urn:ietf:params:oauth:grant-type:jwt-bearer"))
        why = QStringLiteral("grant_type");
    else
        why = checkAssertion(form.queryItemValue(QStringLiteral("assertion")).toLatin1());
    if (!why.isEmpty()) {
        m_lastRefusal = why;
        Q_EMIT refused(400, why);
        reply(socket, 400,
              QJsonDocument(QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_grant")},
                                        {QStringLiteral("error_description"), why}})
                  .toJson(QJsonDocument::Compact));
        return;
    }
    ++m_issued;
    m_lastToken = QStringLiteral("ya29.fake-access-token-%1").arg(m_issued);
    Q_EMIT tokenIssued(m_lastToken, m_config.expiresInSecs);
    reply(socket, 200,
          QJsonDocument(QJsonObject{{QStringLiteral("access_token"), m_lastToken},
                                    {QStringLiteral("expires_in"), m_config.expiresInSecs},
                                    {QStringLiteral("token_type"), QStringLiteral("Bearer")}})
              .toJson(QJsonDocument::Compact));
}

QString FakeTokenEndpoint::checkAssertion(const QByteArray &jwt) const
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return QStringLiteral("not a JWT");
    const auto header = fromBase64Url(parts.at(0));
    const auto claimsBytes = fromBase64Url(parts.at(1));
    const auto signature = fromBase64Url(parts.at(2));
    if (!header || !claimsBytes || !signature)
        return QStringLiteral("bad base64url");
    const QJsonObject h = QJsonDocument::fromJson(*header).object();
    const QJsonObject c = QJsonDocument::fromJson(*claimsBytes).object();
    if (h.value(QLatin1String("alg")).toString() != QLatin1String("RS256") ||
        h.value(QLatin1String("kid")).toString() != m_config.keyId)
        return QStringLiteral("header (alg/kid)");
    if (c.value(QLatin1String("iss")).toString() != m_config.clientEmail ||
        c.value(QLatin1String("sub")).toString() != m_config.clientEmail)
        return QStringLiteral("iss/sub");
    if (c.value(QLatin1String("aud")).toString() != tokenUri().toString())
        return QStringLiteral("aud");
    if (c.value(QLatin1String("scope")).toString() !=
        QLatin1String("https://www.googleapis.com/auth/cloud-platform"))
        return QStringLiteral("scope");
    const qint64 iat = qint64(c.value(QLatin1String("iat")).toDouble());
    const qint64 exp = qint64(c.value(QLatin1String("exp")).toDouble());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (exp <= iat || exp - iat > 3600 || iat > now + 300 || exp < now)
        return QStringLiteral("iat/exp");
    if (!verifyRs256(m_config.publicKeyPem, parts.at(0) + '.' + parts.at(1), *signature))
        return QStringLiteral("Invalid JWT Signature.");
    return {};
}

void FakeTokenEndpoint::reply(QTcpSocket *socket, int status, const QByteArray &json)
{
    const QByteArray phrase = status == 200 ? "OK" : status == 400 ? "Bad Request" : "Error";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + phrase +
                  "\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
    socket->disconnectFromHost();
}

} // namespace dispatch::fakes
