#include "focusringstyle.h"

#include <QPainter>
#include <QStyleOption>

namespace dispatch {

namespace {

constexpr int RingWidth = 2;

void drawRing(QPainter *painter, const QRect &rect, const QPalette &palette, qreal radius)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(focusRingColor(palette), RingWidth));
    const qreal inset = RingWidth / 2.0;
    painter->drawRoundedRect(QRectF(rect).adjusted(inset, inset, -inset, -inset), radius, radius);
    painter->restore();
}

} // namespace

QColor focusRingColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0x4f, 0xc3, 0xf7)
                                                             : QColor(0x0b, 0x57, 0xd0);
}

FocusRingStyle::FocusRingStyle(QStyle *base)
    : QProxyStyle(base)
{}

void FocusRingStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option,
                                   QPainter *painter, const QWidget *widget) const
{
    if (element == PE_FrameFocusRect) {
        drawRing(painter, option->rect, option->palette, 1);
        return;
    }
    QProxyStyle::drawPrimitive(element, option, painter, widget);
}

void FocusRingStyle::drawControl(ControlElement element, const QStyleOption *option,
                                 QPainter *painter, const QWidget *widget) const
{
    QProxyStyle::drawControl(element, option, painter, widget);
    if (element == CE_PushButton && (option->state & State_HasFocus))
        drawRing(painter, option->rect, option->palette, 3);
}

} // namespace dispatch
