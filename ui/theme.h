#pragma once

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

} // namespace dispatch
