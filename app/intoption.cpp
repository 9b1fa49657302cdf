#include "intoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace dispatch {

std::optional<qint64> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                                qint64 min, qint64 max, QString *error)
{
    bool ok = false;
    const QString text = parser.value(option);
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (ok && value >= min && value <= max)
        return value;
    *error = QCoreApplication::translate("main", "--%1 takes %2-%3 (not %4)")
                 .arg(option.names().constFirst())
                 .arg(min)
                 .arg(max)
                 .arg(text);
    return std::nullopt;
}

} // namespace dispatch
