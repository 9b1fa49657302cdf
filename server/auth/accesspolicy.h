#pragma once

#include "auth/tokenstore.h"
#include "common/clock.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QStringList>

class QHttpServerRequest;
class QUrl;

namespace dispatch {

// Who may use which endpoint. Callers never need credentials (an emergency line accepts every
// caller); dashboards and admin endpoints need the bearer token. Browsers must come from an
// allowed origin, and no address may hold more than its share of connections.
class AccessPolicy
{
public:
    // `tokenStorePath`: the issued dispatcher and supervisor tokens (empty: only the bootstrap
    // token, which is an admin).
    AccessPolicy(QByteArray dashboardToken, QStringList allowedOrigins,
                 int maxConnectionsPerAddress, QString tokenStorePath = QString(),
                 Clock clock = systemClock());

    bool dashboardEnabled() const { return !m_token.isEmpty() || !m_tokens.path().isEmpty(); }

    struct Authentication
    {
        std::optional<Principal> principal;
        QString refusal; // why not, for the log (never contains the token)
    };
    // Bearer token from "Authorization: Bearer T" or, for browsers, "?access_token=T".
    static QByteArray presentedToken(const QByteArray &authorizationHeader, const QUrl &url);
    Authentication authenticate(const QByteArray &token) const;
    Authentication authenticate(const QHttpServerRequest &request) const;
    // An issued, active dispatcher token of this name: someone a call may be transferred to.
    bool isActiveDispatcher(const QString &name) const;
    // The names of every issued, active dispatcher token (re-read from the token file).
    QStringList activeDispatchers() const;
    // Whether a principal authenticated earlier still is: its exact token (by hash, not by
    // name) was not revoked, has not expired and keeps its role since (the bootstrap admin
    // always is).
    bool isStillAuthorized(const Principal &principal) const;
    // Requests without Origin (native apps) pass; browser requests must be listed or come from
    // the same origin as the server's pages: the same scheme (https when `secure`), host and port
    // as the request's Host.
    bool isOriginAllowed(const QHttpServerRequest &request, bool secure) const;

    bool admitConnection(const QHostAddress &peer);
    void releaseConnection(const QHostAddress &peer);
    int connectionsFrom(const QHostAddress &peer) const;

private:
    std::optional<TokenRecord> activeRecord(const QString &name) const;

    QByteArray m_token;
    TokenStore m_tokens;
    Clock m_clock;
    QStringList m_allowedOrigins;
    int m_maxPerAddress;
    QHash<QString, int> m_connections;
};

} // namespace dispatch
