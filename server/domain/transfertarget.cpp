#include "domain/transfertarget.h"

#include <QHash>

#include <algorithm>

namespace dispatch {

QList<TransferTarget> sortedTransferTargets(QList<TransferTarget> targets)
{
    QHash<QString, bool> online;
    for (const TransferTarget &t : targets) {
        if (t.name.isEmpty())
            continue;
        online[t.name] = online.value(t.name) || t.online;
    }
    QList<TransferTarget> out;
    out.reserve(online.size());
    for (auto it = online.cbegin(); it != online.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const TransferTarget &a, const TransferTarget &b) {
        if (a.online != b.online)
            return a.online;
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.name < b.name;
    });
    return out;
}

} // namespace dispatch
