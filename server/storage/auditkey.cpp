#include "storage/auditkey.h"
#include "storage/privatefiles.h"
#include "storage/storagelog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace dispatch {

namespace {

ProtocolError keyError(const QString &message)
{
    return ProtocolError{QStringLiteral("audit_key"), message};
}

} // namespace

AuditKey AuditKey::fromSecret(const QByteArray &secret)
{
    AuditKey key;
    key.m_secret = secret;
    return key;
}

Parsed<AuditKey> AuditKey::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return keyError(QStringLiteral("no audit key at %1").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return keyError(
            QStringLiteral("cannot read the audit key %1: %2").arg(path, file.errorString()));
    const QByteArray text = file.read(256).trimmed();
    const QByteArray secret = QByteArray::fromHex(text);
    if (text.size() != 2 * Bytes || secret.size() != Bytes || secret.toHex() != text.toLower())
        return keyError(QStringLiteral("%1 is not an audit key (expected %2 hex digits)")
                            .arg(path)
                            .arg(2 * Bytes));
    // Like ssh with its keys: a key others can read is no secret, but refusing it would stop
    // the audit. Tighten it and say so.
    makePrivateFile(path);
    return fromSecret(secret);
}

Parsed<AuditKey> AuditKey::loadOrCreate(const QString &path, bool *created)
{
    if (created)
        *created = false;
    if (QFileInfo::exists(path))
        return load(path);
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        QString error;
        if (!ensurePrivateDir(dir, &error))
            return keyError(error);
    }
    unsigned char random[Bytes];
    if (RAND_bytes(random, Bytes) != 1)
        return keyError(QStringLiteral("no secure random bytes for the audit key"));
    const QByteArray secret(reinterpret_cast<const char *>(random), Bytes);
    OPENSSL_cleanse(random, Bytes);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return keyError(
            QStringLiteral("cannot create the audit key %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(secret.toHex() + '\n');
    if (!file.commit())
        return keyError(
            QStringLiteral("cannot create the audit key %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (created)
        *created = true;
    qCInfo(lcStorage).noquote() << "created the audit key" << path;
    return fromSecret(secret);
}

QString AuditKey::id() const
{
    if (isNull())
        return QString();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray(QByteArray("dispatch-audit-key-id\n") + m_secret),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(16));
}

QString AuditKey::mac(const QByteArray &message) const
{
    if (isNull())
        return QString();
    return QString::fromLatin1(
        QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256).toHex());
}

} // namespace dispatch
