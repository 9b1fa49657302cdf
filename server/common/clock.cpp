#include "common/clock.h"

namespace dispatch {

Clock systemClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

} // namespace dispatch
