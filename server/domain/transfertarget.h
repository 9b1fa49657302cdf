#pragma once

#include <QList>
#include <QString>

namespace dispatch {

// Someone a call may be handed to (transfer): an active dispatcher the host knows, and whether
// that dispatcher's console is connected now.
struct TransferTarget
{
    QString name;
    bool online = false;

    bool operator==(const TransferTarget &o) const { return name == o.name && online == o.online; }
};

// One entry per name (online wins), online ones first, then by name (case-insensitive).
QList<TransferTarget> sortedTransferTargets(QList<TransferTarget> targets);

} // namespace dispatch
