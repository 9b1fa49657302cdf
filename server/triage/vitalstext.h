#pragma once

#include "domain/call.h"

#include <QString>

#include <optional>

namespace dispatch::gemini {

// Which camera-derived vitals are worth telling the model (as realtimeInput.text), and how.
struct VitalsTextPolicy
{
    double minConfidence = 0.5;    // readings below this are skipped
    double heartRateDelta = 10;    // bpm change that counts as meaningful
    double breathingRateDelta = 4; // breaths/min change that counts as meaningful
};

// The sample without its low-confidence readings; nullopt when nothing is left.
std::optional<VitalsSample> confidentVitals(const VitalsSample &sample,
                                            const VitalsTextPolicy &policy);
// True when `current` (already filtered) differs meaningfully from what was last told.
bool vitalsChangedMeaningfully(const VitalsSample &current,
                               const std::optional<VitalsSample> &lastTold,
                               const VitalsTextPolicy &policy);
// "[vitals] Camera estimate: heart rate 118 bpm (confidence 0.82); breathing 6/min (...)."
QString vitalsText(const VitalsSample &sample);

} // namespace dispatch::gemini
