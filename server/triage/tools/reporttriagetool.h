#pragma once

#include "domain/triagereport.h"
#include "gemini/toolregistry.h"

#include <functional>

namespace dispatch::gemini {

using TriageReportSink = std::function<void(const TriageReport &report)>;

// report_triage: the model's structured assessment of the call. The arguments are validated by
// the registry (severity 1-5 is clamped, enums must match) and then passed through
// triageReportFromJson, so the report obeys the same bounds as any other producer's.
Tool makeReportTriageTool(TriageReportSink sink);

} // namespace dispatch::gemini
