#pragma once

#include "gemini/toolregistry.h"

#include <functional>

namespace dispatch::gemini {

struct CriticalFlag
{
    QString reason;
    int severity = 5;
};

using CriticalFlagSink = std::function<void(const CriticalFlag &flag)>;

// flag_critical: the model asks for the dispatcher's immediate attention. Severity 1-5 is clamped.
Tool makeFlagCriticalTool(CriticalFlagSink sink);

} // namespace dispatch::gemini
