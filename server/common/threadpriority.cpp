#include "common/threadpriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace dispatch {

bool lowerCurrentThreadPriority(int nice)
{
#ifdef Q_OS_LINUX
    if (nice <= 0)
        return true;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    return ::setpriority(PRIO_PROCESS, tid, nice) == 0;
#else
    Q_UNUSED(nice)
    return true;
#endif
}

} // namespace dispatch
