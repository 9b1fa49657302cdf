#include "skiporfail.h"

#include <QtGlobal>

namespace dispatch::test {

bool maySkip()
{
    if (qEnvironmentVariable("CI") != QLatin1String("true"))
        return true;
    const QString name = qEnvironmentVariable("DISPATCH_TEST_NAME");
    const QStringList optional =
        qEnvironmentVariable("DISPATCH_OPTIONAL_TESTS").split(QLatin1Char(','), Qt::SkipEmptyParts);
    return !name.isEmpty() && optional.contains(name);
}

QString refusedSkip(const char *reason)
{
    return QStringLiteral(
               "CI=true and %1 is not in DISPATCH_OPTIONAL_TESTS, so it may not skip: %2")
        .arg(qEnvironmentVariable("DISPATCH_TEST_NAME", QStringLiteral("this suite")),
             QString::fromUtf8(reason));
}

} // namespace dispatch::test
