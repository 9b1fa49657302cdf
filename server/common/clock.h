#pragma once

#include <QDateTime>

#include <functional>

namespace dispatch {

// Injectable wall clock: production passes systemClock(), tests pass a fake.
using Clock = std::function<QDateTime()>;

Clock systemClock();

} // namespace dispatch
