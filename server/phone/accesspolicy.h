#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QStringList>

class QHttpServerRequest;

namespace dispatch {

// Who may use which endpoint. Callers never need credentials (an emergency line accepts every
// caller); dashboards and admin endpoints need the bearer token. Browsers must come from an
// allowed origin, and no address may hold more than its share of connections.
class AccessPolicy
{
public:
    AccessPolicy(QByteArray dashboardToken, QStringList allowedOrigins,
                 int maxConnectionsPerAddress);

    bool dashboardEnabled() const { return !m_token.isEmpty(); }
    // Bearer token from "Authorization: Bearer T" or, for browsers, "?access_token=T".
    bool isAuthorized(const QHttpServerRequest &request) const;
    // Requests without Origin (native apps) pass; browser requests must be same-origin or listed.
    bool isOriginAllowed(const QHttpServerRequest &request) const;

    bool admitConnection(const QHostAddress &peer);
    void releaseConnection(const QHostAddress &peer);
    int connectionsFrom(const QHostAddress &peer) const;

private:
    QByteArray m_token;
    QStringList m_allowedOrigins;
    int m_maxPerAddress;
    QHash<QString, int> m_connections;
};

} // namespace dispatch
