#include "gemini/accesstokenprovider.h"

#include "common/logsafe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcToken, "dispatch.gemini.token")

constexpr qint64 MaxTokenLifeMs = 24LL * 3600 * 1000;

} // namespace

AccessTokenProvider::AccessTokenProvider(AccessTokenConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AccessTokenProvider::exchange);
}

AccessTokenProvider::~AccessTokenProvider()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void AccessTokenProvider::start()
{
    if (m_started)
        return;
    m_started = true;
    exchange();
}

QString AccessTokenProvider::token() const
{
    return m_config.monotonic() < m_expiresAtMs ? m_token : QString();
}

void AccessTokenProvider::refreshNow(const QString &refusedToken)
{
    if (refusedToken.isEmpty() || refusedToken != m_token)
        return;
    m_token.clear();
    m_expiresAtMs = 0;
    m_timer.stop();
    qCWarning(lcToken) << "the service refused an unexpired Vertex access token: exchanging now";
    exchange();
}

qint64 AccessTokenProvider::nextExchangeDelayMs() const
{
    return m_timer.isActive() ? m_timer.interval() : -1;
}

void AccessTokenProvider::exchange()
{
    if (m_reply)
        return;
    const qint64 now = m_config.clock().toSecsSinceEpoch();
    const auto assertion = signedJwtAssertion(m_config.account, now);
    if (!assertion) {
        fail(CloseKind::Final, assertion.error().message);
        return;
    }
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"),
                      QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"));
    form.addQueryItem(QStringLiteral("assertion"), QString::fromLatin1(assertion.value()));
    QNetworkRequest request{QUrl(m_config.account.tokenUri)};
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setTransferTimeout(std::max(1, m_config.requestTimeoutMs));
    // Form encoding: the JWT is base64url and dots, safe as is; ':' in grant_type is encoded.
    const QByteArray body = form.query(QUrl::FullyEncoded).toLatin1();
    m_reply = m_network.post(request, body);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
}

void AccessTokenProvider::onReply(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (status == 200 && reply->error() == QNetworkReply::NoError) {
        const QString token = answer.value(QLatin1String("access_token")).toString();
        const qint64 lifeMs = qint64(answer.value(QLatin1String("expires_in")).toDouble(0)) * 1000;
        if (token.isEmpty() || lifeMs <= 0 || lifeMs > MaxTokenLifeMs) {
            fail(CloseKind::Retryable,
                 QStringLiteral("token endpoint answered without a usable access_token"));
            return;
        }
        m_token = token;
        m_expiresAtMs = m_config.monotonic() + lifeMs;
        m_refused = false;
        m_failures = 0;
        ++m_exchanges;
        const qint64 refreshIn =
            std::max(lifeMs / 2, std::min(lifeMs * 8 / 10, lifeMs - m_config.refreshAheadMs));
        m_timer.start(int(std::min<qint64>(refreshIn, std::numeric_limits<int>::max())));
        qCInfo(lcToken).noquote() << "Vertex access token obtained, valid for" << lifeMs / 1000
                                  << "s, refreshed in" << refreshIn / 1000 << "s";
        Q_EMIT tokenChanged();
        return;
    }
    // OAuth errors: {"error":"invalid_grant","error_description":"..."}. Neither echoes the
    // assertion; both are cut and cleaned for the log anyway.
    const QString error = logSafe(answer.value(QLatin1String("error")).toString(), 40);
    const QString description =
        logSafe(answer.value(QLatin1String("error_description")).toString(), 120);
    const QString detail =
        status > 0 ? QStringLiteral("token endpoint answered HTTP %1 %2 %3")
                         .arg(status)
                         .arg(error, description)
                         .trimmed()
                   : QStringLiteral("token endpoint unreachable: %1").arg(reply->errorString());
    // 400 (invalid_grant: bad signature, unknown key, clock skew), 401, 403: the credentials.
    const bool refused = status == 400 || status == 401 || status == 403;
    fail(refused ? CloseKind::Final : CloseKind::Retryable, detail);
}

void AccessTokenProvider::fail(CloseKind kind, const QString &detail)
{
    ++m_failures;
    m_refused = kind == CloseKind::Final;
    m_lastFailure = {kind, CloseCategory::Credentials,
                     m_refused ? QStringLiteral("The Vertex AI credentials were refused.")
                               : QStringLiteral("No Vertex AI access token could be obtained.")};
    const double r =
        m_config.random ? m_config.random() : QRandomGenerator::global()->generateDouble();
    const int delay = backoffDelayMs(m_config.retry, m_failures, r);
    qCWarning(lcToken).noquote() << "Vertex token exchange failed (" << toString(kind)
                                 << "):" << detail << "- next try in" << delay << "ms";
    m_timer.start(delay);
    Q_EMIT exchangeFailed(m_lastFailure, detail);
}

} // namespace dispatch::gemini
