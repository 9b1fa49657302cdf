#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dispatch {

enum class EndReason; // domain/call.h

// A call that ended with nobody having helped the caller (abandoned while it rang, or the phone
// lost for good) still needs a person: the dispatcher calls back or confirms it was handled. Its
// follow-up is Open from the end until someone resolves it (CallStore::resolveFollowUp). Stable
// codes on the wire and in the database; ui/ words them.
enum class FollowUp
{
    None,       // the call needs no follow-up (or is still live)
    Open,       // abandoned or lost: waiting for a dispatcher
    CalledBack, // the dispatcher reached the caller again
    NoAnswer,   // the dispatcher tried; nobody answered
    Handled,    // dealt with otherwise (a unit sent, a duplicate of another call, ...)
};

// "open", "called_back", "no_answer", "handled"; empty for None.
QString toString(FollowUp f);
// nullopt for anything that is not one of the codes (the empty string included).
std::optional<FollowUp> followUpFromString(const QString &code);
// The resolutions a dispatcher may choose, in the order a console offers them.
const QList<FollowUp> &followUpResolutions();
bool isFollowUpResolution(FollowUp f);
// Whether a call that ends for this reason needs a follow-up: abandoned and caller lost.
bool needsFollowUp(EndReason reason);

} // namespace dispatch
