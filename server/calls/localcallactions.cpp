#include "calls/localcallactions.h"

namespace dispatch {

LocalCallActions::LocalCallActions(CallStore &store, Actor operatorActor, QObject *parent)
    : CallActions(parent)
    , m_store(store)
    , m_operator(std::move(operatorActor))
{}

void LocalCallActions::check(const QString &callId, CallStore::Result result, const QString &action)
{
    switch (result) {
    case CallStore::Result::Ok:
        return;
    case CallStore::Result::UnknownCall:
        Q_EMIT refused(callId, tr("There is no call %1.").arg(callId));
        return;
    case CallStore::Result::CallEnded:
        Q_EMIT refused(callId, tr("Call %1 has ended.").arg(callId));
        return;
    case CallStore::Result::AlreadyExists:
    case CallStore::Result::InvalidTransition:
        break;
    }
    const Call *c = m_store.call(callId);
    if (action == QLatin1String("answer") && c && !c->answeredBy.isEmpty())
        Q_EMIT refused(callId, tr("Call %1 is already answered by %2.").arg(callId, c->answeredBy));
    else
        Q_EMIT refused(callId, tr("Cannot %1 call %2 now.").arg(action, callId));
}

void LocalCallActions::answer(const QString &callId)
{
    check(callId, m_store.answer(callId, m_operator), tr("answer"));
}

void LocalCallActions::hold(const QString &callId)
{
    check(callId, m_store.hold(callId, m_operator), tr("hold"));
}

void LocalCallActions::resume(const QString &callId)
{
    check(callId, m_store.resume(callId, m_operator), tr("resume"));
}

void LocalCallActions::end(const QString &callId)
{
    check(callId, m_store.end(callId, EndReason::DispatcherEnded, m_operator), tr("end"));
}

void LocalCallActions::acceptLocation(const QString &callId)
{
    const Call *c = m_store.call(callId);
    if (c && !c->location) {
        Q_EMIT refused(callId, tr("This call has no location to accept."));
        return;
    }
    check(callId, m_store.acceptLocation(callId, m_operator), tr("accept the location of"));
}

void LocalCallActions::overrideTriage(const QString &callId, const TriageReport &report)
{
    check(callId, m_store.overrideTriage(callId, report, m_operator), tr("override"));
}

void LocalCallActions::transfer(const QString &callId, const QString &to)
{
    check(callId, m_store.transfer(callId, to, m_operator), tr("transfer"));
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

} // namespace dispatch
