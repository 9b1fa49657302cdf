#pragma once

#include "common/parseresult.h"

#include <QSslCertificate>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStringList>

namespace dispatch {

// The server's certificate and key: loaded from files, or generated (self-signed, EC P-256,
// OpenSSL API) into the data dir on first run and reused afterwards.
class TlsCredentials
{
public:
    static Parsed<TlsCredentials> load(const QString &certPath, const QString &keyPath);
    // Loads <dir>/tls/server.crt and server.key, generating them first when absent.
    static Parsed<TlsCredentials> loadOrGenerate(const QString &dataDir,
                                                 const QStringList &hostNames);
    // Writes a new self-signed certificate and a 0600 key file.
    static std::optional<ProtocolError> generateSelfSigned(const QString &certPath,
                                                           const QString &keyPath,
                                                           const QStringList &hostNames,
                                                           int validDays = 825);

    const QSslCertificate &certificate() const { return m_certificate; }
    // TLS 1.2 or later, offering only forwardSecretAeadCiphers().
    QSslConfiguration serverConfiguration() const;
    // TLS 1.3 suites, and TLS 1.2 suites with ECDHE and AES-GCM or ChaCha20-Poly1305.
    static QList<QSslCipher> forwardSecretAeadCiphers();
    // "AB:CD:..." SHA-256 of the DER certificate, for people to compare on a phone.
    QString sha256Fingerprint() const;
    // AB:CD:... (upper-case hex pairs), the form consoles show and remote consoles pin.
    static QString fingerprintOf(const QSslCertificate &certificate);
    bool wasGenerated() const { return m_generated; }

private:
    QSslCertificate m_certificate;
    QSslKey m_key;
    bool m_generated = false;
};

} // namespace dispatch
