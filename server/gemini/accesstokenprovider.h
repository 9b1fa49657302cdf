#pragma once

#include "common/clock.h"
#include "common/monotonicclock.h"
#include "common/reconnectpolicy.h"
#include "gemini/closeclassification.h"
#include "gemini/serviceaccount.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

namespace dispatch::gemini {

struct AccessTokenConfig
{
    ServiceAccount account;
    Clock clock = systemClock();              // iat / exp of the assertion
    MonotonicClock monotonic = steadyClock(); // when the token expires
    // Backoff after a failed exchange (maxAttempts and maxOutageMs are not used: the provider
    // keeps trying at maxDelayMs; sessions decide how long they wait).
    ReconnectPolicy retry{1000, 2.0, 60000, 0.2, 0, 0};
    std::function<double()> random; // [0, 1) for the jitter; empty = QRandomGenerator
    int requestTimeoutMs = 15000;
    // A new token is fetched at 80 % of the old one's life, or refreshAheadMs before it
    // expires, whichever comes first (but not before half of its life).
    int refreshAheadMs = 5 * 60 * 1000;
};

// The OAuth2 access token of a service account (Vertex AI): signs a JWT assertion, exchanges it
// at the account's token_uri (grant_type jwt-bearer) for an access token, and refreshes it ahead
// of expiry, with backoff on failure. Process-wide, shared by every session (a std::shared_ptr
// in LiveSupervisorConfig); single-threaded (the event loop's). Neither the key, the assertion
// nor the token is ever logged.
class AccessTokenProvider : public QObject
{
    Q_OBJECT

public:
    explicit AccessTokenProvider(AccessTokenConfig config, QObject *parent = nullptr);
    ~AccessTokenProvider() override;

    // The first exchange; later ones are scheduled. No-op once started.
    void start();
    // The token while it is valid; empty before the first exchange, or once it expired.
    QString token() const;
    // The service refused `token` although it has not expired (revoked mid-life): forget it and
    // exchange at once. A token already replaced is left alone (another session asked first, or
    // the refresh came meanwhile): its successor is used. tokenChanged() or exchangeFailed()
    // follows as after any exchange.
    void refreshNow(const QString &refusedToken);
    // The last exchange was refused for good (the account or key was rejected: HTTP 400, 401,
    // 403). The provider still retries slowly; a success clears it.
    bool isRefused() const { return m_refused; }
    const CloseClassification &lastFailure() const { return m_lastFailure; }
    int exchanges() const { return m_exchanges; } // successful ones
    int failures() const { return m_failures; }   // consecutive failed ones
    // The delay the next exchange was scheduled with (refresh or retry); -1 when none is.
    qint64 nextExchangeDelayMs() const;

Q_SIGNALS:
    void tokenChanged();
    // Every failed exchange. `detail`: untranslated English for logs, never a secret.
    void exchangeFailed(const dispatch::gemini::CloseClassification &classification,
                        const QString &detail);

private:
    void exchange();
    void onReply(QNetworkReply *reply);
    void fail(CloseKind kind, const QString &detail);

    AccessTokenConfig m_config;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer; // the next exchange: refresh or retry
    bool m_started = false;
    QString m_token;
    qint64 m_expiresAtMs = 0;
    bool m_refused = false;
    CloseClassification m_lastFailure;
    int m_exchanges = 0;
    int m_failures = 0;
};

} // namespace dispatch::gemini
