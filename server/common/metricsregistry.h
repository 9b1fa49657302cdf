#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace dispatch {

// A Prometheus histogram: cumulative buckets by upper bound, plus _sum and _count. observe() is
// a binary search and two additions, cheap enough for every audio chunk.
class Histogram
{
public:
    explicit Histogram(std::vector<double> upperBounds);

    void observe(double value);

    const std::vector<double> &upperBounds() const { return m_bounds; }
    // Observations <= upperBounds()[i] (cumulative); index upperBounds().size() is +Inf.
    quint64 cumulativeCount(std::size_t bucket) const;
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    std::vector<double> m_bounds;        // ascending
    std::vector<quint64> m_bucketCounts; // per bucket (not cumulative), last = +Inf
    quint64 m_count = 0;
    double m_sum = 0;
};

class MetricsRegistry;

// Owns one registered gauge and removes it when destroyed, so that GET /metrics never calls a
// sampler whose captured object is gone: a subsystem keeps the handles of its gauges as members.
// The registry must outlive every handle (the composition root creates it first).
class GaugeHandle
{
public:
    GaugeHandle() = default;
    GaugeHandle(MetricsRegistry *registry, QString name, quint64 id);
    GaugeHandle(GaugeHandle &&other) noexcept;
    GaugeHandle &operator=(GaugeHandle &&other) noexcept;
    GaugeHandle(const GaugeHandle &) = delete;
    GaugeHandle &operator=(const GaugeHandle &) = delete;
    ~GaugeHandle();

private:
    void release();

    MetricsRegistry *m_registry = nullptr;
    QString m_name;
    quint64 m_id = 0;
};

// Counters, gauges and histograms of every subsystem, rendered as Prometheus text at GET /metrics.
// Counter storage is stable: a subsystem keeps the pointer it gets and increments it.
class MetricsRegistry
{
public:
    using Samples = QList<QPair<QString, double>>; // label set ("k=\"v\"") -> value

    // Returns the counter for name{labels}, creating it at 0. labels: `kind="audio"`.
    quint64 *counter(const QString &name, const QString &help, const QString &labels = QString());
    // The gauge is sampled at every render until the returned handle is destroyed.
    [[nodiscard]] GaugeHandle addGauge(const QString &name, const QString &help,
                                       std::function<Samples()> sample);
    // Removes the gauge `name` if registration `id` (a handle's) is still the current one.
    void removeGauge(const QString &name, quint64 id);
    bool hasGauge(const QString &name) const { return m_gauges.count(name) > 0; }
    // Returns the histogram `name`, creating it with these bounds (ascending, in the unit the
    // name says). Later calls return the same histogram and ignore `upperBounds`.
    Histogram *histogram(const QString &name, const QString &help,
                         const std::vector<double> &upperBounds);

    quint64 value(const QString &name, const QString &labels = QString()) const;
    QByteArray renderPrometheus() const;

private:
    struct CounterFamily
    {
        QString help;
        std::map<QString, quint64> values;
    };
    struct GaugeFamily
    {
        QString help;
        std::function<Samples()> sample;
        quint64 id = 0; // which registration: a newer one under the same name replaces it
    };
    std::map<QString, CounterFamily> m_counters;
    std::map<QString, GaugeFamily> m_gauges;
    quint64 m_lastGaugeId = 0;
    struct HistogramFamily
    {
        QString help;
        std::unique_ptr<Histogram> histogram; // stable address
    };
    std::map<QString, HistogramFamily> m_histograms;
};

} // namespace dispatch
