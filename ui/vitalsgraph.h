#pragma once

#include "domain/call.h"

#include <QWidget>

namespace dispatch {

// One vital sign over the call: a line through the readings, low-confidence readings drawn
// greyed, the normal range as a band, the current value in large type. Painting only; the
// owner feeds it samples and decides when to repaint.
class VitalsGraph : public QWidget
{
    Q_OBJECT

public:
    enum class Sign
    {
        HeartRate,
        Breathing
    };

    explicit VitalsGraph(Sign sign, QWidget *parent = nullptr);

    void setSamples(const QList<VitalsSample> &samples);
    QSize sizeHint() const override { return {320, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Point
    {
        qint64 ms;
        double value;
        double confidence;
    };
    Sign m_sign;
    QList<Point> m_points;
};

} // namespace dispatch
