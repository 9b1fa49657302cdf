#pragma once

#include "common/cpusampler.h"

#include <QString>

#include <vector>

namespace dispatch {

// Why the number of local shadows is what it is (a code for /health, /metrics and ui/).
enum class ShadowLimitReason
{
    Off,     // no shadows: --local-shadows 0, or no primary (the local engine is the triage)
    Cap,     // the explicit cap (--local-shadows N), or auto's ceiling of 4 per core (memory)
    Cpu,     // the measured CPU headroom
    Latency, // the relay's own latency went over its target: no new shadow, one shed
};

QString toString(ShadowLimitReason reason); // "off", "cap", "cpu", "latency"

// What the status shows: calls shadowed now, how many may be, and why not more.
struct ShadowStatus
{
    int active = 0;
    int limit = 0;
    ShadowLimitReason reason = ShadowLimitReason::Off;
};

struct ShadowBudgetConfig
{
    // A new shadow is admitted only while the headroom left after it (the cores this process
    // may use, minus what the machine is busy with, smoothed) stays at or above this many cores.
    double admitMarginCores = 0.3;
    // Below this headroom the most recent shadows are shed (the gap to the admission margin,
    // plus a shadow's cost, is the hysteresis: a shed shadow does not come straight back).
    double shedBelowCores = 0.1;
    // What one shadow costs (a pocketsphinx decoder keeping up with one call; measured 0.07-0.1
    // of a core on the reference machine), charged for a shadow admitted until the readings can
    // show it, and used to size a shed.
    double shadowCostCores = 0.1;
    double smoothing = 0.5;    // weight of the newest reading's rate in the smoothed figure
    int settleReadings = 3;    // readings until an admitted or shed shadow shows in the figure
    int cooldownReadings = 10; // no admission for this many readings after a shed
    // New shadows between two readings: calls that arrive in a burst (100 in 2 s) would all be
    // admitted against a headroom measured before any of them, and each starting decoder costs
    // more than its steady 0.1 core. 0: no limit.
    int maxAdmitsPerReading = 1;
    // With less headroom than this the machine is saturated: the readings cannot show how far
    // demand exceeds the cores, so half the shadows are shed at once, not one per settle time.
    double saturatedBelowCores = 0.02;
    // The relay's latency signal: over this fraction of the chunks relayed between two
    // readings slower than the target (at least minRelayedChunks of them) is pressure.
    double maxSlowFraction = 0.01;
    quint64 minRelayedChunks = 100;
};

// The number of calls that may have a local shadow, from measured CPU headroom: admits while the
// headroom stays above a margin, sheds under a lower threshold, with hysteresis (a settle time
// after each change, no admission for a while after a shed). Fed readings (CpuSampler) by its
// owner, about once a second; no timers, no threads: tests feed it scripted readings.
class ShadowBudget
{
public:
    // cap: the most shadows whatever the headroom (-1 none, 0 shadowing off).
    explicit ShadowBudget(ShadowBudgetConfig config = {}, int cap = -1);

    void addReading(const CpuReading &reading);
    bool measured() const { return m_measured; }
    double busyCores() const { return m_busyCores; } // smoothed
    int cores() const { return m_cores; }
    // Smoothed headroom, minus what the shadows admitted since the readings can show cost.
    double headroomCores() const;
    bool latencyPressure() const { return m_latencyPressure; }

    bool mayAdmit(int active) const;
    void admitted(); // a shadow was started
    // Shadows to shed now (0 most of the time); the owner sheds them and calls shed().
    int toShed(int active) const;
    void shed(int count);

    int cap() const { return m_cap; }
    int limit(int active) const; // shadows allowed now
    ShadowStatus status(int active) const;

private:
    int cpuLimit(int active) const; // -1: no CPU limit (not measured yet)

    ShadowBudgetConfig m_config;
    int m_cap = -1;
    bool m_haveReading = false;
    bool m_measured = false;
    CpuReading m_last;
    double m_busyCores = 0;
    int m_cores = 1;
    bool m_latencyPressure = false;
    std::vector<int> m_pending; // per shadow admitted: readings left until it shows
    int m_admittedSinceReading = 0;
    int m_readingsSinceShed = -1; // -1: never shed
};

} // namespace dispatch
