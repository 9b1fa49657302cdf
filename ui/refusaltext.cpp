#include "refusaltext.h"

namespace dispatch {

namespace {

QString actionText(CallRefusal::Action action)
{
    switch (action) {
    case CallRefusal::Action::Answer:
        return RefusalText::tr("answer");
    case CallRefusal::Action::Hold:
        return RefusalText::tr("hold");
    case CallRefusal::Action::Resume:
        return RefusalText::tr("resume");
    case CallRefusal::Action::End:
        return RefusalText::tr("end");
    case CallRefusal::Action::AcceptLocation:
        return RefusalText::tr("accept the location of");
    case CallRefusal::Action::OverrideTriage:
        return RefusalText::tr("override");
    case CallRefusal::Action::Transfer:
        return RefusalText::tr("transfer");
    case CallRefusal::Action::TakeOver:
        return RefusalText::tr("take over");
    case CallRefusal::Action::AcknowledgeCritical:
        return RefusalText::tr("acknowledge the critical alert of");
    case CallRefusal::Action::FollowUp:
        return RefusalText::tr("resolve the follow-up of");
    case CallRefusal::Action::Other:
        break;
    }
    return RefusalText::tr("act on");
}

} // namespace

QString RefusalText::of(const CallRefusal &r)
{
    switch (r.reason) {
    case CallRefusal::Reason::UnknownCall:
        return tr("There is no call %1.").arg(r.callId);
    case CallRefusal::Reason::CallEnded:
        return tr("Call %1 has ended.").arg(r.callId);
    case CallRefusal::Reason::AnsweredByOther:
        return tr("Call %1 is already answered by %2.").arg(r.callId, r.who);
    case CallRefusal::Reason::NotNow:
        break;
    case CallRefusal::Reason::NoLocation:
        return tr("This call has no location to accept.");
    case CallRefusal::Reason::NotConnected:
        return tr("Not connected to the host (%1).").arg(r.detail);
    case CallRefusal::Reason::RefusedByHost:
        // The host's own words (English) after a translated lead: its codes are not all known
        // to an older console.
        return tr("The host refused: %1").arg(r.detail);
    }
    return tr("Cannot %1 call %2 now.").arg(actionText(r.action), r.callId);
}

} // namespace dispatch
