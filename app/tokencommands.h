#pragma once

#include "appoptions.h"

#include <QTextStream>

namespace dispatch {

// --issue-token, --revoke-token, --list-tokens: manage the host's dashboard tokens (the
// TokenStore in the data dir) and return the process exit code.
int runTokenCommand(const AppOptions &options, QTextStream &out, QTextStream &err);

} // namespace dispatch
