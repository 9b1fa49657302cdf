#include "accesspolicy.h"

#include <QHttpServerRequest>
#include <QUrl>

#include <openssl/crypto.h>

namespace dispatch {

AccessPolicy::AccessPolicy(QByteArray dashboardToken, QStringList allowedOrigins,
                           int maxConnectionsPerAddress)
    : m_token(std::move(dashboardToken))
    , m_allowedOrigins(std::move(allowedOrigins))
    , m_maxPerAddress(maxConnectionsPerAddress)
{}

bool AccessPolicy::isAuthorized(const QHttpServerRequest &request) const
{
    if (m_token.isEmpty())
        return false;
    QByteArray presented;
    const QByteArray header = request.value("authorization").trimmed();
    if (header.startsWith("Bearer ") || header.startsWith("bearer "))
        presented = header.mid(7).trimmed();
    else
        presented = request.query().queryItemValue(QStringLiteral("access_token")).toUtf8();
    // Constant time, so response timing does not reveal how much of a guess was right.
    return presented.size() == m_token.size() &&
           CRYPTO_memcmp(presented.constData(), m_token.constData(),
                         static_cast<size_t>(m_token.size())) == 0;
}

bool AccessPolicy::isOriginAllowed(const QHttpServerRequest &request) const
{
    const QByteArray origin = request.value("origin");
    if (origin.isEmpty())
        return true;
    const QString originText = QString::fromUtf8(origin);
    if (m_allowedOrigins.contains(originText, Qt::CaseInsensitive))
        return true;
    const QUrl url(originText);
    const QByteArray host = request.value("host");
    if (!url.isValid() || host.isEmpty())
        return false;
    const QString originAuthority =
        url.port() >= 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    return originAuthority.compare(QString::fromUtf8(host), Qt::CaseInsensitive) == 0;
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
