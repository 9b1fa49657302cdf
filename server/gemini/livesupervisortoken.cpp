// LiveSupervisor on Vertex AI: a connection opens only with a valid access token.
#include "gemini/livesupervisor.h"

#include <QLoggingCategory>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcSupervisorToken, "dispatch.gemini")

} // namespace

// True when a token is there. Otherwise the session waits for the provider (started on first
// use), or fails when there are no credentials or the provider's last answer was a refusal.
bool LiveSupervisor::haveToken()
{
    if (m_config.tokens && !m_config.tokens->token().isEmpty())
        return true;
    if (!m_config.tokens || m_config.tokens->isRefused()) {
        const CloseClassification refused =
            m_config.tokens ? m_config.tokens->lastFailure()
                            : CloseClassification{CloseKind::Final, CloseCategory::Credentials,
                                                  QStringLiteral("No Vertex AI credentials.")};
        const Cause cause = m_config.tokens ? Cause::FinalClose : Cause::Misconfigured;
        QMetaObject::invokeMethod(
            this, [this, refused, cause] { fail(refused, cause, refused.humanReadable); },
            Qt::QueuedConnection);
        return false;
    }
    if (!m_waitingForToken) {
        m_waitingForToken = true;
        qCInfo(lcSupervisorToken).noquote()
            << "call" << m_config.connection.callId << "waiting for a Vertex access token";
        m_config.tokens->start();
    }
    return false;
}

void LiveSupervisor::onTokenReady()
{
    if (!m_waitingForToken)
        return;
    m_waitingForToken = false;
    connectNext();
}

// A failed exchange while this session waits counts as a failed connection attempt: retries
// and the outage limit apply as to any other; a refusal is final.
void LiveSupervisor::onTokenFailed(const CloseClassification &classification, const QString &detail)
{
    if (!m_waitingForToken)
        return;
    m_waitingForToken = false;
    m_lastClose = classification;
    ++m_attempt;
    ++m_stats.failedAttempts;
    m_config.counters.attemptFailed();
    if (classification.kind == CloseKind::Final) {
        fail(classification, Cause::FinalClose, detail);
        return;
    }
    scheduleRetry();
}

// An upgrade refused (HTTP 401/403) with a token the provider still holds: revoked mid-life.
// The provider exchanges at once and the connection is tried again with the fresh token, once:
// a refusal of that one too (no connection went live in between) is a credentials failure.
bool LiveSupervisor::retryWithFreshToken(const QString &refusedToken)
{
    if (backend() != LiveBackend::Vertex || !m_config.tokens || refusedToken.isEmpty() ||
        m_refreshedForRefusal)
        return false;
    m_refreshedForRefusal = true;
    qCWarning(lcSupervisorToken).noquote()
        << "call" << m_config.connection.callId
        << "the service refused the Vertex access token: refreshing it and trying once more";
    m_config.tokens->refreshNow(refusedToken);
    connectNext(); // with the successor if there is one already, else when it comes
    return true;
}

} // namespace dispatch::gemini
