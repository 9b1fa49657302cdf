// FakeGeminiConnection: injected faults, resumption updates and the connection lifetime (goAway).
#include "fakegeminiconnection.h"

#include <QJsonObject>
#include <QWebSocket>

namespace dispatch::fakes {

namespace {

// proto Duration JSON: "50s", "0.200s".
QString durationText(qint64 ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1.%2s").arg(ms / 1000).arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace

void FakeGeminiConnection::applyFault(FakeFault fault)
{
    switch (fault) {
    case FakeFault::InternalError:
        closeWith(1011, QStringLiteral("Internal error encountered."));
        return;
    case FakeFault::QuotaExceeded:
        closeWith(1011,
                  QStringLiteral("You exceeded your current quota, please check your plan "
                                 "and billing details. For more information on this error, "
                                 "head to: https://ai.google.dev/gemini-api/docs/rate-limits."));
        return;
    case FakeFault::ResourceExhausted:
        closeWith(1011, QStringLiteral("Resource has been exhausted (e.g. check quota)."));
        return;
    case FakeFault::NotImplemented:
        closeWith(1008, QStringLiteral("Operation is not implemented, or supported, or enabled."));
        return;
    case FakeFault::BadApiKey:
        closeWith(1007, QStringLiteral("API key not valid. Please pass a valid API key."));
        return;
    case FakeFault::AbruptDrop:
        if (m_closed || !m_socket)
            return;
        m_closed = true;
        m_socket->abort();
        Q_EMIT m_server->connectionClosed(m_id, 1006, QString());
        return;
    }
}

void FakeGeminiConnection::sendResumptionUpdate()
{
    if (m_closed)
        return;
    QJsonObject update{{QStringLiteral("newHandle"), QString()},
                       {QStringLiteral("resumable"), false}};
    if (!m_generating) {
        update[QStringLiteral("newHandle")] =
            m_server->issueHandle({m_userTurns, m_model, m_sessionAudio});
        update[QStringLiteral("resumable")] = true;
        // int64 in proto3 JSON: a decimal string (as the JS SDK's type says).
        if (m_transparent) {
            update[QStringLiteral("lastConsumedClientMessageIndex")] =
                QString::number(m_messageIndex);
            m_server->m_consumedAudio[m_id] = m_sessionAudio.size();
        }
    }
    send(QJsonObject{{QStringLiteral("sessionResumptionUpdate"), update}});
}

void FakeGeminiConnection::sendGoAway()
{
    if (m_closed)
        return;
    const qint64 left = m_server->m_config.goAwayTimeLeftMs;
    send(QJsonObject{
        {QStringLiteral("goAway"), QJsonObject{{QStringLiteral("timeLeft"), durationText(left)}}}});
    Q_EMIT m_server->goAwaySent(m_id);
    m_goAwayTimer.start(static_cast<int>(left));
}

} // namespace dispatch::fakes
