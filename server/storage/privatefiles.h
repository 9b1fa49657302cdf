#pragma once

#include <QString>

namespace dispatch {

// Owner-only modes for what the console keeps: recordings, the database, exports, the audit
// key and its anchor hold callers' voices, locations and health details. Set explicitly, never
// left to the umask (a desktop session's 022 would make them world-readable).

// Creates `path` (and its parents) and sets it to 0700. An existing directory that others can
// read or enter is tightened, with a log line naming the old mode. False if it cannot be
// created or made private (`error` says why).
bool ensurePrivateDir(const QString &path, QString *error = nullptr);

// Sets an existing file to 0600 (logged when it was more open). False if it cannot.
bool makePrivateFile(const QString &path);

} // namespace dispatch
