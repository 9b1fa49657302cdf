#pragma once

#include "common/parseresult.h"
#include "domain/call.h"
#include "storage/callhistory.h"

namespace dispatch {

// An ended call with an open follow-up, as the database keeps it, back as the Call it was when
// the console stopped: a restart must not make the room forget a caller who hung up before
// anyone answered. Every field the call row is written from (CallRecorder) comes back as it
// was stored, so resolving the follow-up later rewrites the row with what it already holds.
// Fails for a call that is not ended with its follow-up open, or whose stored names this build
// does not know.
Parsed<Call> callFromStored(const StoredCall &stored);

} // namespace dispatch
