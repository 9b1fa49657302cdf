#include "storagealarmtext.h"

#include "storage/storage.h"

namespace dispatch {

StorageAlarmText StorageAlarmText::of(Storage *storage)
{
    StorageAlarmText t;
    if (!storage) {
        t.banner = tr("No call storage: calls are answered but NOT recorded.");
        t.status = tr("Not recording");
    } else {
        const QString detail = storage->health().detail();
        switch (storage->health().state()) {
        case StorageHealth::State::Ok:
            break;
        case StorageHealth::State::LowSpace:
            t.banner = tr("Disk space is low (%1). Calls are still recorded; free space on the "
                          "recording disk now.")
                           .arg(detail);
            t.status = tr("Disk space low");
            break;
        case StorageHealth::State::WriteFailing:
            t.banner = tr("Recording is FAILING (%1). Calls are answered but not fully recorded.")
                           .arg(detail);
            t.status = tr("Recording failing");
            break;
        case StorageHealth::State::Unavailable:
            t.banner =
                tr("Storage is unavailable (%1). Calls are answered but NOT recorded.").arg(detail);
            t.status = tr("Not recording");
            break;
        case StorageHealth::State::AuditAlarm:
            t.banner = tr("The audit trail cannot be trusted (%1). Calls are still recorded; tell "
                          "the administrator.")
                           .arg(detail);
            t.status = tr("Audit alarm");
            break;
        }
    }
    return t;
}

} // namespace dispatch
