#include "fuzztarget.h"

#include <QString>
#include <QTimeZone>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace dispatch::fuzz {

void checkFailed(const char *file, int line, const char *condition, const char *why)
{
    std::fprintf(stderr, "%s:%d: fuzz oracle violated: %s (%s)\n", file, line, why, condition);
    std::fflush(stderr);
    std::abort();
}

const QDateTime &fixedNow()
{
    static const QDateTime t = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, QTimeZone::utc());
    return t;
}

#ifndef DISPATCH_LIBFUZZER
namespace {
std::vector<Target> &table()
{
    static std::vector<Target> t;
    return t;
}
} // namespace

void registerTarget(const char *name, TargetFunction run)
{
    table().push_back({name, run});
}

const Target *targets(std::size_t *count)
{
    *count = table().size();
    return table().data();
}
#endif

} // namespace dispatch::fuzz

#ifdef DISPATCH_LIBFUZZER
// Millions of refused inputs would each log a line: keep only fatal messages while fuzzing.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &msg) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "%s\n", qPrintable(msg));
            std::abort();
        }
    });
    return 0;
}
#endif
