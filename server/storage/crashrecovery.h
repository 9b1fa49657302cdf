#pragma once

#include "common/parseresult.h"

#include <QSqlDatabase>
#include <QStringList>

namespace dispatch {

struct RecoveryReport
{
    QStringList interruptedCalls; // phone call ids of calls found not ended
    int repairedRecordings = 0;   // WAV files whose header was fixed from the file size
    qint64 recoveredAudioBytes = 0;
    QStringList problems; // missing or unreadable files, for the log
    // Calls awaiting a callback (open follow-ups) put back into the queue (Storage::open).
    int restoredFollowUps = 0;
};

// Run at startup, before anything records: every call the database still shows as live was cut
// off by a crash (the console ends all live calls when it stops normally). Its recordings get
// their WAV headers repaired from the file size (a partial last sample is dropped), the rows get
// the real byte counts, and the call is ended with reason "interrupted" at its last known
// activity, with a timeline entry saying so. Recordings of ended calls that were not finalized
// are repaired the same way. One transaction: a crash during recovery just recovers again.
// `node`: on a database shared by several nodes, only the calls this node held (and those
// written before nodes existed, which hold none) are taken; another node's live calls and
// their recordings (in ITS data dir) are never touched. Empty: every call (SQLite, one
// console per file).
Parsed<RecoveryReport> recoverAfterCrash(QSqlDatabase &db, const QString &dataDir,
                                         const QString &node = QString());

} // namespace dispatch
