#pragma once

#include <QString>

#include <optional>

namespace dispatch {

// Which triage a console runs (--triage), parsed once from the command line.
enum class TriageMode
{
    Local,  // the offline engine only
    Gemini, // Gemini Live for every call (local when it cannot)
    Auto    // Gemini when a key is set, else local
};

QString toString(TriageMode mode);
std::optional<TriageMode> triageModeFromString(const QString &text);

} // namespace dispatch
