#pragma once

#include <QProxyStyle>

namespace dispatch {

// Fusion with a focus ring a dispatcher driving the console by keyboard can see across the
// desk: 2 px in focusRingColor() around the focused button, and around the current cell of a
// focused list (Fusion's own is a faint 1 px line in the highlight's shade).
class FocusRingStyle : public QProxyStyle
{
    Q_OBJECT

public:
    explicit FocusRingStyle(QStyle *base);

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
    void drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                     const QWidget *widget = nullptr) const override;
};

// At least 3:1 against the theme's window and base colours (WCAG 2.2 non-text contrast).
QColor focusRingColor(const QPalette &palette);

} // namespace dispatch
