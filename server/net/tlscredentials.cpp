#include "net/tlscredentials.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

Q_LOGGING_CATEGORY(lcTls, "dispatch.server.tls")

namespace dispatch {

namespace {

template<typename T, void (*Free)(T *)>
using OsslPtr = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;
using PkeyPtr = OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OsslPtr<X509, X509_free>;
using BioPtr = OsslPtr<BIO, BIO_free_all>;

ProtocolError tlsError(const QString &message)
{
    return {QStringLiteral("tls"), message};
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, static_cast<qsizetype>(n));
}

bool writeFile(const QString &path, const QByteArray &bytes, QFile::Permissions permissions)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.setPermissions(permissions);
    return f.write(bytes) == bytes.size() && f.flush();
}

} // namespace

std::optional<ProtocolError> TlsCredentials::generateSelfSigned(const QString &certPath,
                                                                const QString &keyPath,
                                                                const QStringList &hostNames,
                                                                int validDays)
{
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return tlsError(QStringLiteral("could not generate an EC P-256 key"));
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F; // positive
    OsslPtr<BIGNUM, BN_free> bn(BN_bin2bn(serial, sizeof serial, nullptr));
    BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * validDays);
    X509_set_pubkey(cert.get(), key.get());

    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = hostNames.value(0, QStringLiteral("localhost")).toUtf8();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("dispatch-console"), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    QStringList san;
    for (const QString &host : hostNames) {
        san << (QHostAddress(host).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) +
                   host;
    }
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    const QByteArray sanText = san.join(QLatin1Char(',')).toUtf8();
    for (const auto &[nid, value] :
         {std::pair{NID_subject_alt_name, sanText},
          std::pair{NID_basic_constraints, QByteArray("critical,CA:FALSE")},
          std::pair{NID_ext_key_usage, QByteArray("serverAuth")}}) {
        OsslPtr<X509_EXTENSION, X509_EXTENSION_free> ext(
            X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
        if (!ext || !X509_add_ext(cert.get(), ext.get(), -1))
            return tlsError(QStringLiteral("could not add certificate extension %1").arg(nid));
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return tlsError(QStringLiteral("could not sign the certificate"));

    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certBio.get(), cert.get()) ||
        !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
        return tlsError(QStringLiteral("could not encode the certificate"));
    QDir().mkpath(QFileInfo(certPath).absolutePath());
    if (!writeFile(keyPath, bioContents(keyBio.get()), QFile::ReadOwner | QFile::WriteOwner))
        return tlsError(QStringLiteral("could not write %1").arg(keyPath));
    if (!writeFile(certPath, bioContents(certBio.get()),
                   QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther))
        return tlsError(QStringLiteral("could not write %1").arg(certPath));
    return std::nullopt;
}

Parsed<TlsCredentials> TlsCredentials::load(const QString &certPath, const QString &keyPath)
{
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly))
        return tlsError(QStringLiteral("cannot read certificate %1").arg(certPath));
    if (!keyFile.open(QIODevice::ReadOnly))
        return tlsError(QStringLiteral("cannot read key %1").arg(keyPath));
    TlsCredentials c;
    const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (certs.isEmpty())
        return tlsError(QStringLiteral("%1 holds no PEM certificate").arg(certPath));
    c.m_certificate = certs.constFirst();
    const QByteArray keyPem = keyFile.readAll();
    for (auto algorithm : {QSsl::Ec, QSsl::Rsa}) {
        c.m_key = QSslKey(keyPem, algorithm, QSsl::Pem);
        if (!c.m_key.isNull())
            break;
    }
    if (c.m_key.isNull())
        return tlsError(QStringLiteral("%1 holds no usable PEM private key").arg(keyPath));
    if (c.m_certificate.expiryDate() < QDateTime::currentDateTimeUtc())
        qCWarning(lcTls) << "certificate" << certPath << "expired on"
                         << c.m_certificate.expiryDate();
    return c;
}

Parsed<TlsCredentials> TlsCredentials::loadOrGenerate(const QString &dataDir,
                                                      const QStringList &hostNames)
{
    const QString certPath = dataDir + QStringLiteral("/tls/server.crt");
    const QString keyPath = dataDir + QStringLiteral("/tls/server.key");
    bool generated = false;
    if (!QFile::exists(certPath) || !QFile::exists(keyPath)) {
        qCInfo(lcTls) << "no certificate yet: generating a self-signed one in"
                      << QFileInfo(certPath).absolutePath();
        if (auto error = generateSelfSigned(certPath, keyPath, hostNames))
            return *error;
        generated = true;
    }
    auto loaded = load(certPath, keyPath);
    if (loaded)
        loaded.value().m_generated = generated;
    return loaded;
}

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(m_certificate);
    config.setPrivateKey(m_key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setCiphers(forwardSecretAeadCiphers());
    return config;
}

QList<QSslCipher> TlsCredentials::forwardSecretAeadCiphers()
{
    // TLS 1.3 suites are all AEAD with forward secrecy (OpenSSL configures them apart from this
    // list). For TLS 1.2 only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305: no CBC
    // (padding oracles, Lucky13), no static RSA key exchange (no forward secrecy).
    QList<QSslCipher> ciphers;
    for (const QSslCipher &cipher : QSslConfiguration::supportedCiphers()) {
        const QString name = cipher.name();
        const bool tls13 = cipher.protocol() == QSsl::TlsV1_3;
        const bool ecdhe = name.startsWith(QLatin1String("ECDHE-ECDSA-")) ||
                           name.startsWith(QLatin1String("ECDHE-RSA-")); // not PSK
        const bool ecdheAead = ecdhe && (name.contains(QLatin1String("-GCM-")) ||
                                         name.endsWith(QLatin1String("-CHACHA20-POLY1305")));
        if (tls13 || (cipher.protocol() == QSsl::TlsV1_2 && ecdheAead))
            ciphers << cipher;
    }
    return ciphers;
}

QString TlsCredentials::sha256Fingerprint() const
{
    return fingerprintOf(m_certificate);
}

QString TlsCredentials::fingerprintOf(const QSslCertificate &certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (qsizetype i = 0; i < digest.size(); i += 2)
        pairs << QString::fromLatin1(digest.mid(i, 2));
    return pairs.join(QLatin1Char(':'));
}

} // namespace dispatch
