#include "calls/localcallactions.h"

namespace dispatch {

LocalCallActions::LocalCallActions(CallStore &store, Actor operatorActor, QObject *parent)
    : CallActions(parent)
    , m_store(store)
    , m_operator(std::move(operatorActor))
{}

void LocalCallActions::check(const QString &callId, CallStore::Result result,
                             CallRefusal::Action action)
{
    CallRefusal refusal;
    refusal.callId = callId;
    refusal.action = action;
    switch (result) {
    case CallStore::Result::Ok:
        return;
    case CallStore::Result::UnknownCall:
        refusal.reason = CallRefusal::Reason::UnknownCall;
        break;
    case CallStore::Result::CallEnded:
        refusal.reason = CallRefusal::Reason::CallEnded;
        break;
    case CallStore::Result::AlreadyExists:
    case CallStore::Result::InvalidTransition: {
        const Call *c = m_store.call(callId);
        const bool taken = action == CallRefusal::Action::Answer && c && !c->answeredBy.isEmpty();
        refusal.reason = taken ? CallRefusal::Reason::AnsweredByOther : CallRefusal::Reason::NotNow;
        refusal.who = taken ? c->answeredBy : QString();
        break;
    }
    }
    Q_EMIT refused(refusal);
}

void LocalCallActions::answer(const QString &callId)
{
    check(callId, m_store.answer(callId, m_operator), CallRefusal::Action::Answer);
}

void LocalCallActions::hold(const QString &callId)
{
    check(callId, m_store.hold(callId, m_operator), CallRefusal::Action::Hold);
}

void LocalCallActions::resume(const QString &callId)
{
    check(callId, m_store.resume(callId, m_operator), CallRefusal::Action::Resume);
}

void LocalCallActions::end(const QString &callId, Disposition disposition)
{
    check(callId, m_store.end(callId, EndReason::DispatcherEnded, m_operator, disposition),
          CallRefusal::Action::End);
}

void LocalCallActions::acceptLocation(const QString &callId)
{
    const Call *c = m_store.call(callId);
    if (c && !c->location) {
        Q_EMIT refused({callId,
                        CallRefusal::Reason::NoLocation,
                        CallRefusal::Action::AcceptLocation,
                        {},
                        {},
                        {}});
        return;
    }
    check(callId, m_store.acceptLocation(callId, m_operator), CallRefusal::Action::AcceptLocation);
}

void LocalCallActions::overrideTriage(const QString &callId, const TriageReport &report)
{
    check(callId, m_store.overrideTriage(callId, report, m_operator),
          CallRefusal::Action::OverrideTriage);
}

void LocalCallActions::transfer(const QString &callId, const QString &to)
{
    check(callId, m_store.transfer(callId, to, m_operator), CallRefusal::Action::Transfer);
}

void LocalCallActions::takeOver(const QString &callId)
{
    // On its own host the console acts on every call: taking over is answering or transferring
    // the call to this console.
    const Call *c = m_store.call(callId);
    if (c && c->state == CallState::Ringing)
        answer(callId);
    else
        transfer(callId, m_operator.name);
}

void LocalCallActions::acknowledgeCritical(const QString &callId)
{
    check(callId, m_store.acknowledgeCritical(callId, m_operator),
          CallRefusal::Action::AcknowledgeCritical);
}

void LocalCallActions::resolveFollowUp(const QString &callId, FollowUp resolution)
{
    check(callId, m_store.resolveFollowUp(callId, resolution, m_operator),
          CallRefusal::Action::FollowUp);
}

void LocalCallActions::setTransferTargets(const QList<TransferTarget> &targets)
{
    QList<TransferTarget> sorted = sortedTransferTargets(targets);
    if (sorted == m_targets)
        return;
    m_targets = std::move(sorted);
    Q_EMIT transferTargetsChanged();
}

} // namespace dispatch
