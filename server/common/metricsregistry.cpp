#include "metricsregistry.h"

namespace dispatch {

quint64 *MetricsRegistry::counter(const QString &name, const QString &help, const QString &labels)
{
    auto &family = m_counters[name];
    if (family.help.isEmpty())
        family.help = help;
    return &family.values[labels];
}

void MetricsRegistry::addGauge(const QString &name, const QString &help,
                               std::function<Samples()> sample)
{
    m_gauges[name] = GaugeFamily{help, std::move(sample)};
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
    return out;
}

} // namespace dispatch
