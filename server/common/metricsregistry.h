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

// Counters, gauges and histograms of every subsystem, rendered as Prometheus text at GET /metrics.
// Counter storage is stable: a subsystem keeps the pointer it gets and increments it.
class MetricsRegistry
{
public:
    using Samples = QList<QPair<QString, double>>; // label set ("k=\"v\"") -> value

    // Returns the counter for name{labels}, creating it at 0. labels: `kind="audio"`.
    quint64 *counter(const QString &name, const QString &help, const QString &labels = QString());
    void addGauge(const QString &name, const QString &help, std::function<Samples()> sample);
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
    };
    std::map<QString, CounterFamily> m_counters;
    std::map<QString, GaugeFamily> m_gauges;
    struct HistogramFamily
    {
        QString help;
        std::unique_ptr<Histogram> histogram; // stable address
    };
    std::map<QString, HistogramFamily> m_histograms;
};

} // namespace dispatch
