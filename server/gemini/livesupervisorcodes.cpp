// LiveSupervisor: its states and causes as codes for logs and wire formats.
#include "gemini/livesupervisor.h"

#include <QMetaEnum>

namespace dispatch::gemini {

namespace {

// "HandedOver" -> "handed_over".
QString snakeCase(const char *key)
{
    QString out;
    for (const QChar c : QString::fromLatin1(key)) {
        if (c.isUpper() && !out.isEmpty())
            out += QLatin1Char('_');
        out += c.toLower();
    }
    return out;
}

} // namespace

QString LiveSupervisor::code(State state)
{
    return snakeCase(QMetaEnum::fromType<LiveSupervisor::State>().valueToKey(int(state)));
}

QString LiveSupervisor::code(Cause cause)
{
    return snakeCase(QMetaEnum::fromType<LiveSupervisor::Cause>().valueToKey(int(cause)));
}

} // namespace dispatch::gemini
