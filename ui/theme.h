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
// Alarm fills with a fixed meaning wherever they appear (queue cells, wall tiles, badges).
QColor amberAlarmColor(); // ringing past 15 s, a follow-up waiting
QColor redAlarmColor();   // ringing past 20 s, a critical badge
// WCAG 2 contrast ratio of two colours (1 to 21; text needs at least 4.5).
double contrastRatio(const QColor &a, const QColor &b);
// Black or white, whichever reads better on the fill: every severity and alarm colour gets
// at least 4.5:1 this way (tst_uimodels checks each one).
QColor textColorOn(const QColor &background);
// Muted text and the "listen to the caller" caution, readable on the current theme's window.
QColor mutedTextColor();
QColor cautionTextColor();

} // namespace dispatch
