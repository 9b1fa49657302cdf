#pragma once

#include "domain/call.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace dispatch {

class CallStore;

// Per-call series of vitals samples for the graphs (the store keeps only the latest). Bounded:
// the newest MaxSamples per call; forgotten when the call leaves the store.
class VitalsHistory : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype MaxSamples = 3600; // an hour at the phones' 1 Hz

    explicit VitalsHistory(CallStore &store, QObject *parent = nullptr);

    const QList<VitalsSample> &samples(const QString &callId) const;

Q_SIGNALS:
    void samplesAppended(const QString &callId);

private:
    QHash<QString, QList<VitalsSample>> m_series;
};

// Readings below this confidence are shown greyed and never drive alerts.
inline constexpr double LowConfidence = 0.5;

} // namespace dispatch
