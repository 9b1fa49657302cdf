#include "gemini/serviceaccount.h"

#include <QFile>
#include <QFileDevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <optional>

namespace dispatch::gemini {

namespace {

constexpr qint64 MaxFileBytes = 64 * 1024;

ProtocolError invalid(const QString &why)
{
    return {QStringLiteral("credentials_invalid"),
            QStringLiteral("service account file: %1").arg(why)};
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

struct BioDeleter
{
    void operator()(BIO *b) const { BIO_free(b); }
};
struct KeyDeleter
{
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

std::optional<QByteArray> signRs256(const QByteArray &pem, const QByteArray &input)
{
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (!bio)
        return std::nullopt;
    // No passphrase callback: a key file with an encrypted key is refused, never prompted for.
    std::unique_ptr<EVP_PKEY, KeyDeleter> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char *>("")));
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        return std::nullopt;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
        return std::nullopt;
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(input.size())) != 1)
        return std::nullopt;
    signature.resize(qsizetype(length));
    return signature;
}

} // namespace

Parsed<ServiceAccount> loadServiceAccount(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return ProtocolError{QStringLiteral("credentials_unreadable"),
                             QStringLiteral("service account file %1 does not exist").arg(path)};
    const QFileDevice::Permissions p = file.permissions();
    if (p & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
             QFileDevice::WriteOther))
        return ProtocolError{QStringLiteral("credentials_permissions"),
                             QStringLiteral("service account file %1 is accessible by its group "
                                            "or by others: it holds a private key (chmod 600 it)")
                                 .arg(path)};
    if (!file.open(QIODevice::ReadOnly))
        return ProtocolError{QStringLiteral("credentials_unreadable"),
                             QStringLiteral("cannot read service account file %1: %2")
                                 .arg(path, file.errorString())};
    const QByteArray json = file.read(MaxFileBytes + 1);
    if (json.size() > MaxFileBytes)
        return invalid(QStringLiteral("larger than %1 bytes").arg(MaxFileBytes));
    return parseServiceAccount(json);
}

Parsed<ServiceAccount> parseServiceAccount(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(QStringLiteral("not a JSON object")); // no offset: it could quote the key
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("type")).toString() != QLatin1String("service_account"))
        return invalid(QStringLiteral("type is not service_account"));
    ServiceAccount a;
    a.clientEmail = o.value(QLatin1String("client_email")).toString();
    a.privateKeyPem = o.value(QLatin1String("private_key")).toString().toUtf8();
    a.privateKeyId = o.value(QLatin1String("private_key_id")).toString();
    a.tokenUri = o.value(QLatin1String("token_uri")).toString();
    a.projectId = o.value(QLatin1String("project_id")).toString();
    if (a.clientEmail.isEmpty())
        return invalid(QStringLiteral("client_email is missing"));
    if (!a.privateKeyPem.startsWith("-----BEGIN"))
        return invalid(QStringLiteral("private_key is missing or not PEM"));
    if (a.privateKeyId.isEmpty())
        return invalid(QStringLiteral("private_key_id is missing"));
    const QUrl uri(a.tokenUri, QUrl::StrictMode);
    const bool loopback = uri.host() == QLatin1String("127.0.0.1") ||
                          uri.host() == QLatin1String("localhost") ||
                          uri.host() == QLatin1String("::1");
    if (!uri.isValid() || uri.host().isEmpty() ||
        !(uri.scheme() == QLatin1String("https") ||
          (uri.scheme() == QLatin1String("http") && loopback)))
        return invalid(QStringLiteral("token_uri is not an https URL"));
    return a;
}

QString cloudPlatformScope()
{
    return QStringLiteral("https://www.googleapis.com/auth/cloud-platform");
}

Parsed<QByteArray> signedJwtAssertion(const ServiceAccount &account, qint64 issuedAtSecs,
                                      int lifetimeSecs)
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("RS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), account.privateKeyId}};
    const QJsonObject claims{{QStringLiteral("iss"), account.clientEmail},
                             {QStringLiteral("sub"), account.clientEmail},
                             {QStringLiteral("aud"), account.tokenUri},
                             {QStringLiteral("scope"), cloudPlatformScope()},
                             {QStringLiteral("iat"), double(issuedAtSecs)},
                             {QStringLiteral("exp"), double(issuedAtSecs + lifetimeSecs)}};
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const auto signature = signRs256(account.privateKeyPem, input);
    if (!signature)
        return ProtocolError{QStringLiteral("credentials_key"),
                             QStringLiteral("the service account's private key cannot be used "
                                            "(not an unencrypted RSA key)")};
    return QByteArray(input + '.' + base64Url(*signature));
}

} // namespace dispatch::gemini
