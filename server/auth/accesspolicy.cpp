#include "auth/accesspolicy.h"

#include <QHttpServerRequest>
#include <QUrl>
#include <QUrlQuery>

#include <openssl/crypto.h>

namespace dispatch {

AccessPolicy::AccessPolicy(QByteArray dashboardToken, QStringList allowedOrigins,
                           int maxConnectionsPerAddress, QString tokenStorePath, Clock clock)
    : m_token(std::move(dashboardToken))
    , m_tokens(std::move(tokenStorePath))
    , m_clock(std::move(clock))
    , m_allowedOrigins(std::move(allowedOrigins))
    , m_maxPerAddress(maxConnectionsPerAddress)
{}

QByteArray AccessPolicy::presentedToken(const QByteArray &authorizationHeader, const QUrl &url)
{
    const QByteArray header = authorizationHeader.trimmed();
    if (header.startsWith("Bearer ") || header.startsWith("bearer "))
        return header.mid(7).trimmed();
    return QUrlQuery(url).queryItemValue(QStringLiteral("access_token")).toUtf8();
}

AccessPolicy::Authentication AccessPolicy::authenticate(const QByteArray &presented) const
{
    Authentication auth;
    if (presented.isEmpty()) {
        auth.refusal = QStringLiteral("no token presented");
        return auth;
    }
    // Constant time, so response timing does not reveal how much of a guess was right.
    if (!m_token.isEmpty() && presented.size() == m_token.size() &&
        CRYPTO_memcmp(presented.constData(), m_token.constData(),
                      static_cast<size_t>(m_token.size())) == 0) {
        auth.principal = Principal{QStringLiteral("admin"), Role::Admin, QByteArray()};
        return auth;
    }
    const TokenStore::Lookup found = m_tokens.find(presented, m_clock());
    switch (found.verdict) {
    case TokenStore::Verdict::Accepted:
        auth.principal = Principal{found.record.name, found.record.role, found.record.sha256Hex};
        break;
    case TokenStore::Verdict::Unknown:
        auth.refusal = QStringLiteral("unknown token");
        break;
    case TokenStore::Verdict::Revoked:
        auth.refusal = QStringLiteral("token %1 is revoked").arg(found.record.name);
        break;
    case TokenStore::Verdict::Expired:
        auth.refusal = QStringLiteral("token %1 expired at %2")
                           .arg(found.record.name, found.record.expires.toString(Qt::ISODate));
        break;
    }
    return auth;
}

AccessPolicy::Authentication AccessPolicy::authenticate(const QHttpServerRequest &request) const
{
    return authenticate(presentedToken(request.value("authorization"), request.url()));
}

std::optional<TokenRecord> AccessPolicy::activeRecord(const QString &name) const
{
    if (m_tokens.path().isEmpty())
        return std::nullopt;
    const auto records = m_tokens.list();
    if (!records)
        return std::nullopt;
    const QDateTime now = m_clock();
    for (const TokenRecord &r : records.value()) {
        if (r.name == name && r.isActive(now))
            return r;
    }
    return std::nullopt;
}

bool AccessPolicy::isActiveDispatcher(const QString &name) const
{
    const auto record = activeRecord(name);
    return record && record->role == Role::Dispatcher;
}

QStringList AccessPolicy::activeDispatchers() const
{
    QStringList names;
    if (m_tokens.path().isEmpty())
        return names;
    const auto records = m_tokens.list();
    if (!records)
        return names;
    const QDateTime now = m_clock();
    for (const TokenRecord &r : records.value()) {
        if (r.role == Role::Dispatcher && r.isActive(now) && !names.contains(r.name))
            names << r.name;
    }
    return names;
}

bool AccessPolicy::isStillAuthorized(const Principal &principal) const
{
    if (principal.role == Role::Admin)
        return true;
    // The exact token, not the name: a name revoked and issued again (to someone else,
    // perhaps) must not keep the old token's sessions.
    if (m_tokens.path().isEmpty() || principal.tokenHash.size() != 64)
        return false;
    const auto records = m_tokens.list();
    if (!records)
        return false;
    const QDateTime now = m_clock();
    for (const TokenRecord &r : records.value()) {
        if (r.sha256Hex.size() == principal.tokenHash.size() &&
            CRYPTO_memcmp(r.sha256Hex.constData(), principal.tokenHash.constData(),
                          static_cast<size_t>(r.sha256Hex.size())) == 0)
            return r.isActive(now) && r.role == principal.role && r.name == principal.name;
    }
    return false;
}

bool AccessPolicy::isOriginAllowed(const QHttpServerRequest &request, bool secure) const
{
    const QByteArray origin = request.value("origin");
    if (origin.isEmpty())
        return true;
    const QString originText = QString::fromUtf8(origin);
    if (m_allowedOrigins.contains(originText, Qt::CaseInsensitive))
        return true;
    // Same origin (RFC 6454): scheme, host and port. A page served over https must not be
    // impersonated by an http one on the same host and port (or the other way round).
    const QString scheme = secure ? QStringLiteral("https") : QStringLiteral("http");
    const int defaultPort = secure ? 443 : 80;
    const QUrl url(originText, QUrl::StrictMode);
    const QByteArray host = request.value("host");
    if (!url.isValid() || host.isEmpty() ||
        url.scheme().compare(scheme, Qt::CaseInsensitive) != 0 || url.host().isEmpty() ||
        !url.userInfo().isEmpty() || !url.path().isEmpty())
        return false;
    const QUrl served(scheme + QStringLiteral("://") + QString::fromUtf8(host), QUrl::StrictMode);
    if (!served.isValid() || served.host().isEmpty())
        return false;
    return url.host().compare(served.host(), Qt::CaseInsensitive) == 0 &&
           url.port(defaultPort) == served.port(defaultPort);
}

bool AccessPolicy::admitConnection(const QHostAddress &peer)
{
    int &n = m_connections[peer.toString()];
    if (n >= m_maxPerAddress)
        return false;
    ++n;
    return true;
}

void AccessPolicy::releaseConnection(const QHostAddress &peer)
{
    const QString key = peer.toString();
    auto it = m_connections.find(key);
    if (it != m_connections.end() && --*it <= 0)
        m_connections.erase(it);
}

int AccessPolicy::connectionsFrom(const QHostAddress &peer) const
{
    return m_connections.value(peer.toString());
}

} // namespace dispatch
