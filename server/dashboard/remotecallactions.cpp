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
            [this](const QString &callId, const QString &code, const QString &message) {
                Q_EMIT refused({callId,
                                CallRefusal::Reason::RefusedByHost,
                                CallRefusal::Action::Other,
                                {},
                                code,
                                message});
            });
    connect(&link, &HostLink::eventReceived, this, [this](const dashboard::HostEvent &event) {
        if (const auto *targets = std::get_if<dashboard::TransferTargets>(&event))
            setTargets(targets->targets);
    });
    // Who is online is the host's to say: without the host nobody is known to be.
    connect(&link, &HostLink::stateChanged, this, [this](HostLink::State state) {
        if (state != HostLink::State::Connected)
            setTargets({});
    });
}

void RemoteCallActions::setTargets(QList<TransferTarget> targets)
{
    targets = sortedTransferTargets(std::move(targets));
    if (targets == m_targets)
        return;
    m_targets = std::move(targets);
    Q_EMIT transferTargetsChanged();
}

QString RemoteCallActions::operatorName() const
{
    return m_view.you().name;
}

void RemoteCallActions::send(const dashboard::Command &command, CallRefusal::Action action)
{
    if (!m_link.sendCommand(command))
        Q_EMIT refused({dashboard::callIdOf(command),
                        CallRefusal::Reason::NotConnected,
                        action,
                        {},
                        {},
                        englishText(m_link.status())});
}

void RemoteCallActions::answer(const QString &callId)
{
    send(dashboard::AnswerCall{callId}, CallRefusal::Action::Answer);
}

void RemoteCallActions::hold(const QString &callId)
{
    send(dashboard::HoldCall{callId}, CallRefusal::Action::Hold);
}

void RemoteCallActions::resume(const QString &callId)
{
    send(dashboard::ResumeCall{callId}, CallRefusal::Action::Resume);
}

void RemoteCallActions::end(const QString &callId, Disposition disposition)
{
    send(dashboard::EndCall{callId, disposition}, CallRefusal::Action::End);
}

void RemoteCallActions::acceptLocation(const QString &callId)
{
    send(dashboard::AcceptLocation{callId}, CallRefusal::Action::AcceptLocation);
}

void RemoteCallActions::overrideTriage(const QString &callId, const TriageReport &report)
{
    send(dashboard::OverrideTriage{callId, report}, CallRefusal::Action::OverrideTriage);
}

void RemoteCallActions::transfer(const QString &callId, const QString &to)
{
    send(dashboard::TransferCall{callId, to}, CallRefusal::Action::Transfer);
}

void RemoteCallActions::takeOver(const QString &callId)
{
    send(dashboard::TakeOver{callId}, CallRefusal::Action::TakeOver);
}

void RemoteCallActions::acknowledgeCritical(const QString &callId)
{
    send(dashboard::AcknowledgeCritical{callId}, CallRefusal::Action::AcknowledgeCritical);
}

void RemoteCallActions::resolveFollowUp(const QString &callId, FollowUp resolution)
{
    send(dashboard::ResolveFollowUp{callId, resolution}, CallRefusal::Action::FollowUp);
}

} // namespace dispatch::remote
