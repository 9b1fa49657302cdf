#include "triage/vitalstext.h"

#include <QStringList>

#include <cmath>

namespace dispatch::gemini {

namespace {

bool confident(const std::optional<double> &value, const std::optional<double> &confidence,
               double minimum)
{
    return value && std::isfinite(*value) && confidence.value_or(0) >= minimum;
}

bool changed(const std::optional<double> &now, const std::optional<double> &before, double delta)
{
    if (now.has_value() != before.has_value())
        return true;
    return now && std::fabs(*now - *before) >= delta;
}

} // namespace

std::optional<VitalsSample> confidentVitals(const VitalsSample &sample,
                                            const VitalsTextPolicy &policy)
{
    VitalsSample out = sample;
    if (!confident(sample.heartRate, sample.heartRateConfidence, policy.minConfidence)) {
        out.heartRate.reset();
        out.heartRateConfidence.reset();
    }
    if (!confident(sample.breathingRate, sample.breathingConfidence, policy.minConfidence)) {
        out.breathingRate.reset();
        out.breathingConfidence.reset();
    }
    if (!out.heartRate && !out.breathingRate)
        return std::nullopt;
    return out;
}

bool vitalsChangedMeaningfully(const VitalsSample &current,
                               const std::optional<VitalsSample> &lastTold,
                               const VitalsTextPolicy &policy)
{
    if (!lastTold)
        return true;
    return changed(current.heartRate, lastTold->heartRate, policy.heartRateDelta) ||
           changed(current.breathingRate, lastTold->breathingRate, policy.breathingRateDelta);
}

QString vitalsText(const VitalsSample &sample)
{
    QStringList parts;
    if (sample.heartRate)
        parts << QStringLiteral("heart rate %1 bpm (confidence %2)")
                     .arg(std::lround(*sample.heartRate))
                     .arg(sample.heartRateConfidence.value_or(0), 0, 'f', 2);
    if (sample.breathingRate)
        parts << QStringLiteral("breathing %1/min (confidence %2)")
                     .arg(std::lround(*sample.breathingRate))
                     .arg(sample.breathingConfidence.value_or(0), 0, 'f', 2);
    return QStringLiteral("[vitals] Camera estimate from the caller's phone: %1.")
        .arg(parts.join(QStringLiteral("; ")));
}

} // namespace dispatch::gemini
