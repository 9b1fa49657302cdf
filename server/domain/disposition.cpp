#include "domain/disposition.h"

#include "domain/call.h"

#include <algorithm>

namespace dispatch {

QString toString(Disposition d)
{
    switch (d) {
    case Disposition::None:
        return QString();
    case Disposition::UnitsDispatched:
        return QStringLiteral("units_dispatched");
    case Disposition::TransferredToAgency:
        return QStringLiteral("transferred_to_agency");
    case Disposition::CallerDisconnected:
        return QStringLiteral("caller_disconnected");
    case Disposition::HandledWithoutDispatch:
        return QStringLiteral("handled_without_dispatch");
    case Disposition::FalseAlarm:
        return QStringLiteral("false_alarm");
    }
    return QString();
}

std::optional<Disposition> dispositionFromString(const QString &code)
{
    for (Disposition d : dispositionChoices()) {
        if (toString(d) == code)
            return d;
    }
    return std::nullopt;
}

const QList<Disposition> &dispositionChoices()
{
    static const QList<Disposition> all{
        Disposition::UnitsDispatched,    Disposition::TransferredToAgency,
        Disposition::CallerDisconnected, Disposition::HandledWithoutDispatch,
        Disposition::FalseAlarm,
    };
    return all;
}

bool needsDisposition(const Call &call)
{
    if (call.triage && (call.triage->critical || call.triage->severity >= 4))
        return true;
    return std::any_of(call.timeline.cbegin(), call.timeline.cend(),
                       [](const CallEvent &e) { return e.kind == CallEventKind::CriticalFlagged; });
}

} // namespace dispatch
