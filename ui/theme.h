#pragma once

#include <QColor>
#include <QString>

class QApplication;

namespace dispatch {

enum class Theme
{
    Dark,
    Light
};

// Fusion with a dark palette for night shifts, or a light one.
void applyTheme(QApplication &app, Theme theme);
Theme themeFromString(const QString &name, Theme fallback = Theme::Dark);

// Severity 1 (green) to 5 (red), for a confident assessment only.
QColor severityColor(int severity);
// A call nobody has assessed yet: grey, never the low-severity green.
QColor untriagedColor();
// A low-confidence (keywords only) assessment: muted, neither green nor alarming.
QColor lowConfidenceColor();
QColor lowConfidenceTextColor(); // on lowConfidenceColor()
// Muted text and the "listen to the caller" caution, readable on the current theme's window.
QColor mutedTextColor();
QColor cautionTextColor();

} // namespace dispatch
