#include "vitalshistory.h"

#include "calls/callstore.h"

namespace dispatch {

VitalsHistory::VitalsHistory(CallStore &store, QObject *parent)
    : QObject(parent)
{
    connect(&store, &CallStore::vitalsUpdated, this,
            [this](const QString &id, const VitalsSample &sample) {
                auto &series = m_series[id];
                series.append(sample);
                if (series.size() > MaxSamples)
                    series.remove(0, series.size() - MaxSamples);
                Q_EMIT samplesAppended(id);
            });
    connect(&store, &CallStore::callRemoved, this,
            [this](const QString &id) { m_series.remove(id); });
}

const QList<VitalsSample> &VitalsHistory::samples(const QString &callId) const
{
    static const QList<VitalsSample> none;
    const auto it = m_series.constFind(callId);
    return it == m_series.constEnd() ? none : *it;
}

} // namespace dispatch
