#pragma once

#include "common/parseresult.h"
#include "domain/principal.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace dispatch {

struct TokenRecord
{
    QString name;
    Role role = Role::Dispatcher;
    QByteArray sha256Hex; // of the token; the token itself is never stored
    QDateTime created;
    QDateTime expires; // invalid: never
    bool revoked = false;

    bool isActive(const QDateTime &now) const
    {
        return !revoked && (!expires.isValid() || now < expires);
    }
};

// Dispatcher and supervisor tokens issued by the host, kept in a 0600 JSON file in the data dir.
// Tokens are 32 random bytes, so a plain SHA-256 is enough to keep a stolen file useless.
// Every lookup re-reads the file, so a token revoked from the command line of another process
// is refused at once by the running server.
class TokenStore
{
public:
    explicit TokenStore(QString path);

    const QString &path() const { return m_path; }
    // Names: 1-64 characters of [A-Za-z0-9._-] ('@' marks the bootstrap admin's sessions,
    // "admin@<address>"), and not one of the names the console itself acts under
    // (reservedNames()). Returns the new token (shown once).
    Parsed<QByteArray> issue(const QString &name, Role role, const QDateTime &expires,
                             const QDateTime &now);
    Parsed<bool> revoke(const QString &name);
    Parsed<QList<TokenRecord>> list() const;

    enum class Verdict
    {
        Accepted,
        Unknown,
        Revoked,
        Expired
    };
    struct Lookup
    {
        Verdict verdict = Verdict::Unknown;
        TokenRecord record; // set unless Unknown
    };
    Lookup find(const QByteArray &token, const QDateTime &now) const;

    // Also applied to every entry read from the file: an entry with another name grants nothing.
    static bool isValidName(const QString &name);
    static const QStringList &reservedNames();
    static QByteArray hashOf(const QByteArray &token);

private:
    Parsed<bool> save(const QList<TokenRecord> &records) const;

    QString m_path;
};

} // namespace dispatch
