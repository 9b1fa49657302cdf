#include "triage/triagemode.h"

namespace dispatch {

QString toString(TriageMode mode)
{
    switch (mode) {
    case TriageMode::Local:
        return QStringLiteral("local");
    case TriageMode::Gemini:
        return QStringLiteral("gemini");
    case TriageMode::Auto:
        break;
    }
    return QStringLiteral("auto");
}

std::optional<TriageMode> triageModeFromString(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("local"))
        return TriageMode::Local;
    if (t == QLatin1String("gemini"))
        return TriageMode::Gemini;
    if (t == QLatin1String("auto"))
        return TriageMode::Auto;
    return std::nullopt;
}

} // namespace dispatch
