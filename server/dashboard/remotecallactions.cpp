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

void RemoteCallActions::send(const dashboard::Command &command)
{
    if (!m_link.sendCommand(command))
        Q_EMIT refused(dashboard::callIdOf(command),
                       tr("Not connected to the host: %1").arg(m_link.detail()));
}

void RemoteCallActions::answer(const QString &callId)
{
    send(dashboard::AnswerCall{callId});
}

void RemoteCallActions::hold(const QString &callId)
{
    send(dashboard::HoldCall{callId});
}

void RemoteCallActions::resume(const QString &callId)
{
    send(dashboard::ResumeCall{callId});
}

void RemoteCallActions::end(const QString &callId)
{
    send(dashboard::EndCall{callId});
}

void RemoteCallActions::acceptLocation(const QString &callId)
{
    send(dashboard::AcceptLocation{callId});
}

void RemoteCallActions::overrideTriage(const QString &callId, const TriageReport &report)
{
    send(dashboard::OverrideTriage{callId, report});
}

void RemoteCallActions::transfer(const QString &callId, const QString &to)
{
    send(dashboard::TransferCall{callId, to});
}

void RemoteCallActions::takeOver(const QString &callId)
{
    send(dashboard::TakeOver{callId});
}

} // namespace dispatch::remote
