#pragma once

// A Google Cloud service account key file (Vertex AI credentials) and the signed JWT that is
// exchanged for an access token (RFC 7523, Google's "OAuth 2.0 for server to server
// applications"). Pure: no network. The private key never leaves this struct in a log line.

#include "common/parseresult.h"

#include <QByteArray>
#include <QString>

namespace dispatch::gemini {

struct ServiceAccount
{
    QString clientEmail;
    QByteArray privateKeyPem; // PKCS#8 PEM; never logged
    QString privateKeyId;     // the JWT header's `kid`
    QString tokenUri;         // where the assertion is exchanged for an access token
    QString projectId;        // the default Vertex project
};

// Reads a service-account JSON key file. Errors (ProtocolError::code):
// "credentials_permissions": the file is readable by its group or by others (like ssh, the key
// must be private to its owner: chmod 600); "credentials_unreadable"; "credentials_invalid"
// (not JSON, `type` is not service_account, a field is missing, token_uri is not https or
// loopback http).
Parsed<ServiceAccount> loadServiceAccount(const QString &path);
Parsed<ServiceAccount> parseServiceAccount(const QByteArray &json);

// The scope Vertex AI needs.
QString cloudPlatformScope();

// header.claims.signature, base64url without padding: RS256, header {alg, typ, kid}, claims
// {iss = sub = clientEmail, aud = tokenUri, scope, iat, exp = iat + lifetimeSecs}. Error code
// "credentials_key" when the private key cannot be read or used.
Parsed<QByteArray> signedJwtAssertion(const ServiceAccount &account, qint64 issuedAtSecs,
                                      int lifetimeSecs = 3600);

} // namespace dispatch::gemini
