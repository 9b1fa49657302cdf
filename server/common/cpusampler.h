#pragma once

#include <QtGlobal>

namespace dispatch {

// One reading of cumulative CPU counters, for a rate between two readings.
struct CpuReading
{
    qint64 monotonicMs = 0;          // when it was taken (steady clock)
    double processSeconds = 0;       // CPU time of this process so far, all threads
    double machineBusySeconds = -1;  // busy CPU time of the whole machine so far; < 0: unknown
    double machineTotalSeconds = -1; // busy + idle CPU time of the whole machine so far
    int cores = 1;                   // CPUs this process may run on
    // The relay's own latency signal (common/relaylatency.h), cumulative: chunks relayed and
    // those slower than the target. Both 0 when not measured.
    quint64 relayedChunks = 0;
    quint64 slowChunks = 0;
};

// Where the CPU readings come from: the process's counters in production, scripted readings in
// tests (so no test depends on timing).
class CpuSampler
{
public:
    virtual ~CpuSampler() = default;
    virtual CpuReading read() = 0;
};

class Histogram;

// Linux: the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), the machine's busy and total time
// (/proc/stat, first line) and the CPUs of the process's affinity mask; with a relay latency
// histogram, its count and the count above `slowSeconds` (at a bucket bound at most that).
// Reads the histogram on the caller's thread: call it on the thread that observes it.
class ProcessCpuSampler : public CpuSampler
{
public:
    explicit ProcessCpuSampler(const Histogram *relayLatency = nullptr, double slowSeconds = 0.005);
    CpuReading read() override;

private:
    const Histogram *m_relayLatency;
    double m_slowSeconds;
};

} // namespace dispatch
