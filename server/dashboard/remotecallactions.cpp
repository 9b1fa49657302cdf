#include "dashboard/remotecallactions.h"

#include "dashboard/hostlink.h"
#include "dashboard/storemirror.h"

namespace dispatch::remote {

RemoteCallActions::RemoteCallActions(HostLink &link, StoreMirror &view, QObject *parent)
    : CallActions(parent)
    , m_link(link)
    , m_view(view)
{
    connect(&view, &StoreMirror::commandRefused, this,
            [this](const QString &callId, const QString &, const QString &message) {
                Q_EMIT refused(callId, message);
            });
}

QString RemoteCallActions::operatorName() const
{
    return m_view.you().name;
}

void RemoteCallActions::send(const QString &type, const QString &callId, const QJsonObject &extra)
{
    if (!m_link.sendCommand(type, callId, extra))
        Q_EMIT refused(callId, tr("Not connected to the host: %1").arg(m_link.detail()));
}

void RemoteCallActions::answer(const QString &callId)
{
    send(QStringLiteral("dispatcher_joined"), callId);
}

void RemoteCallActions::hold(const QString &callId)
{
    send(QStringLiteral("hold_call"), callId);
}

void RemoteCallActions::resume(const QString &callId)
{
    send(QStringLiteral("resume_call"), callId);
}

void RemoteCallActions::end(const QString &callId)
{
    send(QStringLiteral("call_ended"), callId);
}

void RemoteCallActions::acceptLocation(const QString &callId)
{
    send(QStringLiteral("accept_location"), callId);
}

void RemoteCallActions::overrideTriage(const QString &callId, const TriageReport &report)
{
    send(QStringLiteral("override_triage"), callId, {{QStringLiteral("report"), toJson(report)}});
}

void RemoteCallActions::transfer(const QString &callId, const QString &to)
{
    send(QStringLiteral("transfer_call"), callId, {{QStringLiteral("to"), to}});
}

void RemoteCallActions::takeOver(const QString &callId)
{
    send(QStringLiteral("take_over"), callId);
}

} // namespace dispatch::remote
