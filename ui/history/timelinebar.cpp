#include "timelinebar.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygon>
#include <QToolTip>

#include <algorithm>

namespace dispatch {

namespace {
constexpr int Margin = 6;
constexpr int SnapPx = 5;

QString clock(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

QColor colorFor(TimelineBar::MarkKind kind)
{
    switch (kind) {
    case TimelineBar::MarkKind::AiTriage:
        return QColor(0x42, 0xa5, 0xf5);
    case TimelineBar::MarkKind::Override:
        return QColor(0xff, 0xb3, 0x00);
    case TimelineBar::MarkKind::Critical:
        return QColor(0xe5, 0x39, 0x35);
    case TimelineBar::MarkKind::Event:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

TimelineBar::TimelineBar(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setAccessibleName(tr("Call timeline"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TimelineBar::setDuration(qint64 ms)
{
    m_durationMs = std::max<qint64>(0, ms);
    update();
}

void TimelineBar::setBookmarks(const QList<Bookmark> &marks)
{
    m_marks = marks;
    std::stable_sort(m_marks.begin(), m_marks.end(),
                     [](const Bookmark &a, const Bookmark &b) { return a.ms < b.ms; });
    update();
}

void TimelineBar::setPosition(qint64 ms)
{
    if (ms == m_positionMs)
        return;
    m_positionMs = ms;
    update();
}

QRect TimelineBar::track() const
{
    return rect().adjusted(Margin, Margin, -Margin, -Margin);
}

int TimelineBar::xForMs(qint64 ms) const
{
    const QRect t = track();
    if (m_durationMs <= 0)
        return t.left();
    return t.left() +
           static_cast<int>(std::clamp<qint64>(ms, 0, m_durationMs) * t.width() / m_durationMs);
}

qint64 TimelineBar::msForX(int x) const
{
    const QRect t = track();
    if (t.width() <= 0)
        return 0;
    return std::clamp<qint64>(qint64(x - t.left()) * m_durationMs / t.width(), 0, m_durationMs);
}

int TimelineBar::markNear(int x) const
{
    // The nearest mark; at the same distance the weightier one (critical > override > AI).
    int best = -1;
    int bestDistance = SnapPx + 1;
    for (int i = 0; i < m_marks.size(); ++i) {
        const int d = std::abs(xForMs(m_marks.at(i).ms) - x);
        if (d < bestDistance || (d == bestDistance && best >= 0 &&
                                 int(m_marks.at(i).kind) > int(m_marks.at(best).kind))) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

QSize TimelineBar::sizeHint() const
{
    return {400, 52};
}

QSize TimelineBar::minimumSizeHint() const
{
    return {120, 52};
}

void TimelineBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRect t = track();
    const int mid = t.center().y();
    const QPalette pal = palette();
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::Mid));
    p.drawRoundedRect(QRect(t.left(), mid - 3, t.width(), 6), 3, 3);
    p.setBrush(pal.color(QPalette::Highlight));
    p.drawRoundedRect(QRect(t.left(), mid - 3, xForMs(m_positionMs) - t.left(), 6), 3, 3);
    // Layered so marks at the same moment stay visible: events below the track, assessments
    // above it, critical flags as a diamond on it (drawn last, on top).
    for (const MarkKind kind :
         {MarkKind::Event, MarkKind::AiTriage, MarkKind::Override, MarkKind::Critical}) {
        for (const Bookmark &m : std::as_const(m_marks)) {
            if (m.kind != kind)
                continue;
            const int x = xForMs(m.ms);
            p.setPen(QPen(colorFor(kind), 3));
            if (kind == MarkKind::Event) {
                p.drawLine(x, mid + 4, x, t.bottom());
            } else if (kind == MarkKind::Critical) {
                p.setBrush(colorFor(kind));
                p.setPen(Qt::NoPen);
                p.drawPolygon(QPolygon({QPoint(x, mid - 7), QPoint(x + 6, mid), QPoint(x, mid + 7),
                                        QPoint(x - 6, mid)}));
            } else {
                p.drawLine(x, t.top(), x, mid - 4);
            }
        }
    }
    const int px = xForMs(m_positionMs);
    p.setPen(QPen(pal.color(QPalette::Text), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawEllipse(QPoint(px, mid), 6, 6);
}

void TimelineBar::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_durationMs <= 0)
        return QWidget::mousePressEvent(event);
    const int x = qRound(event->position().x());
    const int mark = markNear(x);
    Q_EMIT seekRequested(mark >= 0 ? m_marks.at(mark).ms : msForX(x));
    event->accept();
}

bool TimelineBar::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        // Every mark under the pointer (several can share a moment), else the time there.
        QStringList lines;
        for (const Bookmark &m : std::as_const(m_marks)) {
            if (std::abs(xForMs(m.ms) - help->pos().x()) <= SnapPx)
                lines << QStringLiteral("%1  %2").arg(clock(m.ms), m.label);
        }
        QToolTip::showText(
            help->globalPos(),
            lines.isEmpty() ? clock(msForX(help->pos().x())) : lines.join(QLatin1Char('\n')), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace dispatch
