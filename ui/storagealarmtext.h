#pragma once

#include <QCoreApplication>
#include <QString>

namespace dispatch {

class Storage;

// The dispatcher's words for the state of call storage: the banner (what it means for the
// calls, empty while storage is healthy) and a short status-bar word.
class StorageAlarmText
{
    Q_DECLARE_TR_FUNCTIONS(StorageAlarmText)

public:
    QString banner;
    QString status;

    // storage may be null: the console runs without call storage.
    static StorageAlarmText of(Storage *storage);
};

} // namespace dispatch
