#pragma once

#include "gemini/toolregistry.h"
#include "triage/prearrivalknowledge.h"

namespace dispatch::gemini {

// get_prearrival_instructions: looks up instructions for the caller in the local knowledge file.
// The topic enum offered to the model is exactly the set of topics the file contains.
Tool makePrearrivalTool(PrearrivalKnowledge knowledge);

} // namespace dispatch::gemini
