#include "common/cpusampler.h"

#include "common/metricsregistry.h"

#include <QFile>
#include <QList>
#include <QThread>

#include <algorithm>

#include <chrono>
#include <ctime>

#ifdef Q_OS_LINUX
#include <sched.h>
#include <unistd.h>
#endif

namespace dispatch {

namespace {

int availableCores()
{
#ifdef Q_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        return std::max(1, CPU_COUNT(&set));
#endif
    return std::max(1, QThread::idealThreadCount());
}

// The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ...
// in clock ticks. Busy is everything but idle and iowait.
bool machineTimes(double *busy, double *total)
{
#ifdef Q_OS_LINUX
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = f.readLine();
    if (!line.startsWith("cpu "))
        return false;
    const QList<QByteArray> fields = line.simplified().split(' ');
    if (fields.size() < 5)
        return false;
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    if (ticksPerSecond <= 0)
        return false;
    double sum = 0;
    double idle = 0;
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    for (qsizetype i = 1; i < fields.size() && i <= 8; ++i) {
        const double v = fields.at(i).toDouble();
        sum += v;
        if (i == 4 || i == 5)
            idle += v;
    }
    *busy = (sum - idle) / static_cast<double>(ticksPerSecond);
    *total = sum / static_cast<double>(ticksPerSecond);
    return true;
#else
    Q_UNUSED(busy);
    Q_UNUSED(total);
    return false;
#endif
}

} // namespace

ProcessCpuSampler::ProcessCpuSampler(const Histogram *relayLatency, double slowSeconds)
    : m_relayLatency(relayLatency)
    , m_slowSeconds(slowSeconds)
{}

CpuReading ProcessCpuSampler::read()
{
    CpuReading r;
    r.monotonicMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count();
    timespec ts{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
        r.processSeconds = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    double busy = 0;
    double total = 0;
    if (machineTimes(&busy, &total)) {
        r.machineBusySeconds = busy;
        r.machineTotalSeconds = total;
    }
    r.cores = availableCores();
    if (m_relayLatency) {
        // Fast: at or under the highest bucket bound that is within the target.
        const std::vector<double> &bounds = m_relayLatency->upperBounds();
        quint64 fast = 0;
        for (std::size_t i = 0; i < bounds.size() && bounds[i] <= m_slowSeconds; ++i)
            fast = m_relayLatency->cumulativeCount(i);
        r.relayedChunks = m_relayLatency->count();
        r.slowChunks = r.relayedChunks - std::min(fast, r.relayedChunks);
    }
    return r;
}

} // namespace dispatch
