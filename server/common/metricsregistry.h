#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <map>

namespace dispatch {

// Counters and gauges of every subsystem, rendered as Prometheus text at GET /metrics.
// Counter storage is stable: a subsystem keeps the pointer it gets and increments it.
class MetricsRegistry
{
public:
    using Samples = QList<QPair<QString, double>>; // label set ("k=\"v\"") -> value

    // Returns the counter for name{labels}, creating it at 0. labels: `kind="audio"`.
    quint64 *counter(const QString &name, const QString &help, const QString &labels = QString());
    void addGauge(const QString &name, const QString &help, std::function<Samples()> sample);

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
};

} // namespace dispatch
