#include "common/metricsregistry.h"

#include <utility>

#include <algorithm>

namespace dispatch {

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds))
{
    std::sort(m_bounds.begin(), m_bounds.end());
    m_bounds.erase(std::unique(m_bounds.begin(), m_bounds.end()), m_bounds.end());
    m_bucketCounts.assign(m_bounds.size() + 1, 0);
}

void Histogram::observe(double value)
{
    // Prometheus buckets are "less than or equal": the first bound >= value.
    const auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), value);
    ++m_bucketCounts[static_cast<std::size_t>(it - m_bounds.begin())];
    ++m_count;
    m_sum += value;
}

quint64 Histogram::cumulativeCount(std::size_t bucket) const
{
    quint64 total = 0;
    for (std::size_t i = 0; i <= bucket && i < m_bucketCounts.size(); ++i)
        total += m_bucketCounts[i];
    return total;
}

Histogram *MetricsRegistry::histogram(const QString &name, const QString &help,
                                      const std::vector<double> &upperBounds)
{
    auto &family = m_histograms[name];
    if (!family.histogram) {
        family.help = help;
        family.histogram = std::make_unique<Histogram>(upperBounds);
    }
    return family.histogram.get();
}

quint64 *MetricsRegistry::counter(const QString &name, const QString &help, const QString &labels)
{
    auto &family = m_counters[name];
    if (family.help.isEmpty())
        family.help = help;
    return &family.values[labels];
}

GaugeHandle MetricsRegistry::addGauge(const QString &name, const QString &help,
                                      std::function<Samples()> sample)
{
    const quint64 id = ++m_lastGaugeId;
    m_gauges[name] = GaugeFamily{help, std::move(sample), id};
    return GaugeHandle(this, name, id);
}

void MetricsRegistry::removeGauge(const QString &name, quint64 id)
{
    const auto it = m_gauges.find(name);
    if (it != m_gauges.end() && it->second.id == id)
        m_gauges.erase(it);
}

GaugeHandle::GaugeHandle(MetricsRegistry *registry, QString name, quint64 id)
    : m_registry(registry)
    , m_name(std::move(name))
    , m_id(id)
{}

GaugeHandle::GaugeHandle(GaugeHandle &&other) noexcept
    : m_registry(std::exchange(other.m_registry, nullptr))
    , m_name(std::move(other.m_name))
    , m_id(other.m_id)
{}

GaugeHandle &GaugeHandle::operator=(GaugeHandle &&other) noexcept
{
    if (this != &other) {
        release();
        m_registry = std::exchange(other.m_registry, nullptr);
        m_name = std::move(other.m_name);
        m_id = other.m_id;
    }
    return *this;
}

GaugeHandle::~GaugeHandle()
{
    release();
}

void GaugeHandle::release()
{
    if (m_registry)
        m_registry->removeGauge(m_name, m_id);
    m_registry = nullptr;
}

quint64 MetricsRegistry::value(const QString &name, const QString &labels) const
{
    const auto family = m_counters.find(name);
    if (family == m_counters.end())
        return 0;
    const auto it = family->second.values.find(labels);
    return it == family->second.values.end() ? 0 : it->second;
}

QByteArray MetricsRegistry::renderPrometheus() const
{
    QByteArray out;
    auto sampleLine = [&out](const QString &name, const QString &labels, const QByteArray &v) {
        out += name.toUtf8();
        if (!labels.isEmpty())
            out += '{' + labels.toUtf8() + '}';
        out += ' ' + v + '\n';
    };
    for (const auto &[name, family] : m_counters) {
        out += "# HELP " + name.toUtf8() + ' ' + family.help.toUtf8() + '\n';
        out += "# TYPE " + name.toUtf8() + " counter\n";
        for (const auto &[labels, v] : family.values)
            sampleLine(name, labels, QByteArray::number(v));
    }
    for (const auto &[name, family] : m_gauges) {
        out += "# HELP " + name.toUtf8() + ' ' + family.help.toUtf8() + '\n';
        out += "# TYPE " + name.toUtf8() + " gauge\n";
        for (const auto &[labels, v] : family.sample())
            sampleLine(name, labels, QByteArray::number(v, 'g', 12));
    }
    for (const auto &[name, family] : m_histograms) {
        const Histogram &h = *family.histogram;
        out += "# HELP " + name.toUtf8() + ' ' + family.help.toUtf8() + '\n';
        out += "# TYPE " + name.toUtf8() + " histogram\n";
        const QString bucket = name + QStringLiteral("_bucket");
        const auto &bounds = h.upperBounds();
        quint64 cumulative = 0;
        for (std::size_t i = 0; i <= bounds.size(); ++i) {
            cumulative = h.cumulativeCount(i);
            const QString le =
                i < bounds.size() ? QString::number(bounds[i], 'g', 12) : QStringLiteral("+Inf");
            sampleLine(bucket, QStringLiteral("le=\"%1\"").arg(le), QByteArray::number(cumulative));
        }
        sampleLine(name + QStringLiteral("_sum"), QString(), QByteArray::number(h.sum(), 'g', 12));
        sampleLine(name + QStringLiteral("_count"), QString(), QByteArray::number(h.count()));
    }
    return out;
}

} // namespace dispatch
