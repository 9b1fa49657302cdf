#pragma once

#include <QtGlobal>

#include <functional>

namespace dispatch {

// Injectable monotonic clock for durations (timeouts, breakers, grace periods, rate windows):
// milliseconds since an arbitrary origin, never going back and not moved by NTP or by someone
// setting the time. Production passes steadyClock(); tests pass a fake they advance by hand.
// The wall clock (Clock, clock.h) is only for timestamps people read or that are stored.
using MonotonicClock = std::function<qint64()>;

MonotonicClock steadyClock();

} // namespace dispatch
