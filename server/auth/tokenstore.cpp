#include "auth/tokenstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace dispatch {

namespace {

constexpr int TokenBytes = 32;

ProtocolError fail(const QString &code, const QString &message)
{
    return ProtocolError{code, message};
}

} // namespace

TokenStore::TokenStore(QString path)
    : m_path(std::move(path))
{}

const QStringList &TokenStore::reservedNames()
{
    // The bootstrap admin, and the names calls are answered in without a token (so an issued
    // token could not act on an auto-answered or demo call as if it owned it).
    static const QStringList names{QStringLiteral("admin"),  QStringLiteral("auto-answer"),
                                   QStringLiteral("demo"),   QStringLiteral("console"),
                                   QStringLiteral("caller"), QStringLiteral("system")};
    return names;
}

bool TokenStore::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return re.match(name).hasMatch() && !reservedNames().contains(name, Qt::CaseInsensitive);
}

QByteArray TokenStore::hashOf(const QByteArray &token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
}

Parsed<QList<TokenRecord>> TokenStore::list() const
{
    QFile file(m_path);
    if (!file.exists())
        return QList<TokenRecord>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("io"),
                    QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(4 * 1024 * 1024), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("bad_json"),
                    QStringLiteral("%1 is not a token file").arg(m_path));
    QList<TokenRecord> records;
    const QJsonArray tokens = doc.object().value(QLatin1String("tokens")).toArray();
    for (const QJsonValue &v : tokens) {
        const QJsonObject o = v.toObject();
        TokenRecord r;
        r.name = o.value(QLatin1String("name")).toString();
        const auto role = roleFromString(o.value(QLatin1String("role")).toString());
        r.sha256Hex = o.value(QLatin1String("sha256")).toString().toLatin1();
        if (!isValidName(r.name) || !role || role == Role::Admin || r.sha256Hex.size() != 64)
            continue; // a damaged entry grants nothing
        r.role = *role;
        r.created =
            QDateTime::fromString(o.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
        r.expires =
            QDateTime::fromString(o.value(QLatin1String("expires")).toString(), Qt::ISODateWithMs);
        r.revoked = o.value(QLatin1String("revoked")).toBool();
        records.append(r);
    }
    return records;
}

Parsed<bool> TokenStore::save(const QList<TokenRecord> &records) const
{
    QJsonArray tokens;
    for (const TokenRecord &r : records) {
        QJsonObject o{{QStringLiteral("name"), r.name},
                      {QStringLiteral("role"), toString(r.role)},
                      {QStringLiteral("sha256"), QString::fromLatin1(r.sha256Hex)},
                      {QStringLiteral("created"), r.created.toString(Qt::ISODateWithMs)},
                      {QStringLiteral("revoked"), r.revoked}};
        if (r.expires.isValid())
            o.insert(QStringLiteral("expires"), r.expires.toString(Qt::ISODateWithMs));
        tokens.append(o);
    }
    const QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("tokens"), tokens}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("io"),
                    QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return fail(QStringLiteral("io"),
                    QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

Parsed<QByteArray> TokenStore::issue(const QString &name, Role role, const QDateTime &expires,
                                     const QDateTime &now)
{
    if (!isValidName(name))
        return fail(QStringLiteral("bad_name"),
                    QStringLiteral("a token name is 1-64 characters of [A-Za-z0-9._-] and not "
                                   "one of: %1")
                        .arg(reservedNames().join(QStringLiteral(", "))));
    if (role == Role::Admin)
        return fail(QStringLiteral("bad_role"),
                    QStringLiteral("issued tokens are dispatcher or supervisor tokens"));
    auto records = list();
    if (!records)
        return records.error();
    for (const TokenRecord &r : records.value()) {
        if (r.name == name && !r.revoked)
            return fail(QStringLiteral("exists"),
                        QStringLiteral("a token named %1 exists: revoke it first").arg(name));
    }
    unsigned char random[TokenBytes];
    if (RAND_bytes(random, TokenBytes) != 1)
        return fail(QStringLiteral("random"), QStringLiteral("no secure random bytes"));
    const QByteArray token =
        "dct_" + QByteArray(reinterpret_cast<const char *>(random), TokenBytes)
                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    OPENSSL_cleanse(random, TokenBytes);
    TokenRecord record;
    record.name = name;
    record.role = role;
    record.sha256Hex = hashOf(token);
    record.created = now.toUTC();
    record.expires = expires.isValid() ? expires.toUTC() : QDateTime();
    // A revoked entry of the same name stays as history; only the active one matters.
    records.value().append(record);
    if (auto saved = save(records.value()); !saved)
        return saved.error();
    return token;
}

Parsed<bool> TokenStore::revoke(const QString &name)
{
    auto records = list();
    if (!records)
        return records.error();
    bool found = false;
    for (TokenRecord &r : records.value()) {
        if (r.name == name && !r.revoked) {
            r.revoked = true;
            found = true;
        }
    }
    if (!found)
        return fail(QStringLiteral("unknown"),
                    QStringLiteral("no active token named %1").arg(name));
    return save(records.value());
}

TokenStore::Lookup TokenStore::find(const QByteArray &token, const QDateTime &now) const
{
    Lookup result;
    if (token.isEmpty() || m_path.isEmpty())
        return result;
    const auto records = list();
    if (!records)
        return result;
    const QByteArray hash = hashOf(token);
    for (const TokenRecord &r : records.value()) {
        // Constant time per entry, so timing does not reveal how much of a guess was right.
        if (CRYPTO_memcmp(hash.constData(), r.sha256Hex.constData(),
                          static_cast<size_t>(hash.size())) != 0)
            continue;
        result.record = r;
        result.verdict = r.revoked                 ? Verdict::Revoked
                         : r.isActive(now.toUTC()) ? Verdict::Accepted
                                                   : Verdict::Expired;
        return result;
    }
    return result;
}

} // namespace dispatch
