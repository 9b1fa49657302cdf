#pragma once

#include "appoptions.h"

class QTextStream;

namespace dispatch {

// --connect: the full console (or, with --wall, the call wall) on another console's calls,
// through its dashboard endpoint. Returns the exit code.
int runRemoteConsole(const AppOptions &options, QTextStream &err);

} // namespace dispatch
