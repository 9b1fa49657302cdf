#include "theme.h"

#include "focusringstyle.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <cmath>

namespace dispatch {

Theme themeFromString(const QString &name, Theme fallback)
{
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return Theme::Dark;
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return Theme::Light;
    return fallback;
}

QColor severityColor(int severity)
{
    switch (severity) {
    case 5:
        return QColor(0xc6, 0x28, 0x28);
    case 4:
        return QColor(0xef, 0x6c, 0x00);
    case 3:
        return QColor(0xf9, 0xa8, 0x25);
    case 2:
        return QColor(0x7c, 0xb3, 0x42);
    default:
        return QColor(0x43, 0xa0, 0x47);
    }
}

QColor untriagedColor()
{
    return QColor(0x75, 0x75, 0x75);
}

QColor lowConfidenceColor()
{
    return QColor(0x4a, 0x4f, 0x57);
}

QColor lowConfidenceTextColor()
{
    return QColor(0xd0, 0xd4, 0xda); // 5.5:1 on lowConfidenceColor()
}

QColor amberAlarmColor()
{
    return QColor(0xf9, 0xa8, 0x25);
}

QColor redAlarmColor()
{
    return QColor(0xb7, 0x1c, 0x1c);
}

namespace {
double relativeLuminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor textColorOn(const QColor &background)
{
    const QColor white(Qt::white);
    const QColor dark(0x11, 0x11, 0x11);
    return contrastRatio(white, background) >= contrastRatio(dark, background) ? white : dark;
}

namespace {
bool lightWindow()
{
    return QApplication::palette().color(QPalette::Window).lightness() > 128;
}
} // namespace

QColor mutedTextColor()
{
    return lightWindow() ? QColor(0x5f, 0x63, 0x68) : QColor(0xb0, 0xb6, 0xbe);
}

QColor cautionTextColor()
{
    return lightWindow() ? QColor(0x9a, 0x5b, 0x00) : QColor(0xff, 0xb3, 0x00);
}

void applyTheme(QApplication &app, Theme theme)
{
    app.setStyle(new FocusRingStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
    if (theme == Theme::Light) {
        app.setPalette(app.style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(0x20, 0x22, 0x25);
    const QColor base(0x16, 0x18, 0x1b);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    p.setColor(QPalette::Button, QColor(0x2c, 0x2f, 0x33));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Highlight, QColor(0x26, 0x7a, 0xd4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x64, 0xb5, 0xf6));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    app.setPalette(p);
}

} // namespace dispatch
