#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dispatch {

struct Call;

// How a dispatcher closed a call: what was done for the caller. Recorded with the call's end
// (the call record, the audit trail, the dashboard protocol) as a stable code; ui/ words it.
enum class Disposition
{
    None, // not given (a routine call, or a call no person ended)
    UnitsDispatched,
    TransferredToAgency,
    CallerDisconnected,
    HandledWithoutDispatch,
    FalseAlarm,
};

// The codes: "units_dispatched", "transferred_to_agency", "caller_disconnected",
// "handled_without_dispatch", "false_alarm"; empty for None.
QString toString(Disposition d);
// nullopt for anything that is not one of the codes (the empty string included).
std::optional<Disposition> dispositionFromString(const QString &code);
// Every disposition a dispatcher may choose, in the order a console offers them.
const QList<Disposition> &dispositionChoices();

// Whether ending this call asks the dispatcher how it was closed: a current assessment of
// severity 4-5 or critical, or a critical flag raised at any time during the call.
bool needsDisposition(const Call &call);

} // namespace dispatch
