#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QString>

namespace dispatch {

// The secret that keys the audit chain (HMAC-SHA256). It lives OUTSIDE the data dir, so that
// whoever can write the database (or holds a copy of the data dir) cannot recompute the chain
// after editing it. File format: the 32-byte key as 64 lower-case hex digits and a newline,
// mode 0600 (`openssl rand -hex 32 > audit.key` makes one). A null key means "unkeyed": the
// chain is then only as strong as plain SHA-256 (tests, and chains written before keys).
class AuditKey
{
public:
    static constexpr int Bytes = 32;

    AuditKey() = default;
    // Reads the key at `path`; creates one (0600, its directory 0700 when new) if there is
    // none. `created` tells which.
    static Parsed<AuditKey> loadOrCreate(const QString &path, bool *created = nullptr);
    // Reads an existing key (what --verify-audit does: it never creates one).
    static Parsed<AuditKey> load(const QString &path);
    static AuditKey fromSecret(const QByteArray &secret);

    bool isNull() const { return m_secret.isEmpty(); }
    // A short public name of the key (16 hex digits), kept in the anchor so that verifying
    // with another key says so instead of reporting every entry as altered.
    QString id() const;
    // Lower-case hex HMAC-SHA256 of `message` (empty for a null key).
    QString mac(const QByteArray &message) const;

private:
    QByteArray m_secret;
};

} // namespace dispatch
