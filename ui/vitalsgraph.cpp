#include "vitalsgraph.h"

#include "vitalshistory.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace dispatch {

namespace {

struct Range
{
    double low;
    double high;
    double axisMax;
};

Range normalRange(VitalsGraph::Sign sign)
{
    // Adult resting ranges; the band is a guide, not a diagnosis.
    return sign == VitalsGraph::Sign::HeartRate ? Range{60, 100, 200} : Range{12, 20, 60};
}

} // namespace

VitalsGraph::VitalsGraph(Sign sign, QWidget *parent)
    : QWidget(parent)
    , m_sign(sign)
{
    setAccessibleName(sign == Sign::HeartRate ? tr("Heart rate graph") : tr("Breathing graph"));
    setMinimumHeight(56); // two graphs and the camera share a row that must fit 768 px screens
}

void VitalsGraph::setSamples(const QList<VitalsSample> &samples)
{
    m_points.clear();
    for (const VitalsSample &s : samples) {
        const auto &value = m_sign == Sign::HeartRate ? s.heartRate : s.breathingRate;
        const auto &confidence =
            m_sign == Sign::HeartRate ? s.heartRateConfidence : s.breathingConfidence;
        if (value)
            m_points.append({s.receivedAt.toMSecsSinceEpoch(), *value, confidence.value_or(0)});
    }
    update();
}

void VitalsGraph::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    const Range range = normalRange(m_sign);
    const QRectF plot = QRectF(rect()).adjusted(36, 8, -96, -18);
    auto yOf = [&](double v) {
        return plot.bottom() - std::clamp(v / range.axisMax, 0.0, 1.0) * plot.height();
    };

    // Normal band and axis labels.
    QColor band = pal.highlight().color();
    band.setAlpha(40);
    p.fillRect(QRectF(plot.left(), yOf(range.high), plot.width(), yOf(range.low) - yOf(range.high)),
               band);
    p.setPen(pal.color(QPalette::PlaceholderText));
    for (double v : {0.0, range.axisMax / 2, range.axisMax})
        p.drawText(QRectF(0, yOf(v) - 8, 32, 16), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(v));

    const QString title =
        m_sign == Sign::HeartRate ? tr("Heart rate (bpm)") : tr("Breathing (/min)");
    p.drawText(plot.adjusted(4, 0, 0, 0), Qt::AlignTop | Qt::AlignLeft, title);

    if (m_points.isEmpty()) {
        p.drawText(plot, Qt::AlignCenter, tr("No readings"));
        return;
    }
    // Last five minutes, newest on the right.
    const qint64 end = m_points.constLast().ms;
    const qint64 span = 5 * 60 * 1000;
    auto xOf = [&](qint64 ms) {
        return plot.right() -
               static_cast<double>(end - ms) / static_cast<double>(span) * plot.width();
    };
    const QColor good =
        m_sign == Sign::HeartRate ? QColor(0xe5, 0x39, 0x35) : QColor(0x1e, 0x88, 0xe5);
    const QColor weak = pal.color(QPalette::PlaceholderText);
    for (qsizetype i = 1; i < m_points.size(); ++i) {
        const Point &a = m_points.at(i - 1);
        const Point &b = m_points.at(i);
        if (end - b.ms > span)
            continue;
        const bool confident = a.confidence >= LowConfidence && b.confidence >= LowConfidence;
        p.setPen(QPen(confident ? good : weak, confident ? 2.0 : 1.0,
                      confident ? Qt::SolidLine : Qt::DotLine));
        p.drawLine(QPointF(xOf(a.ms), yOf(a.value)), QPointF(xOf(b.ms), yOf(b.value)));
    }

    // Current value with its confidence.
    const Point &last = m_points.constLast();
    const bool confident = last.confidence >= LowConfidence;
    const bool outside = last.value < range.low || last.value > range.high;
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    p.setFont(big);
    p.setPen(!confident ? weak : outside ? QColor(0xff, 0x6f, 0x00) : pal.color(QPalette::Text));
    const QRectF valueRect(plot.right() + 8, plot.top(), 88, plot.height() * 0.65);
    p.drawText(valueRect, Qt::AlignCenter, QString::number(last.value, 'f', 0));
    p.setFont(font());
    p.setPen(weak);
    p.drawText(
        QRectF(valueRect.left(), valueRect.bottom(), valueRect.width(), plot.height() * 0.35),
        Qt::AlignCenter,
        confident ? tr("conf. %1%").arg(qRound(last.confidence * 100)) : tr("low confidence"));
}

} // namespace dispatch
