#include "common/reconnectpolicy.h"

#include <algorithm>
#include <cmath>

namespace dispatch::gemini {

int backoffDelayMs(const ReconnectPolicy &policy, int attempt, double random01)
{
    const int n = std::clamp(attempt, 1, 30) - 1;
    const double base =
        std::min(static_cast<double>(policy.maxDelayMs),
                 policy.initialDelayMs * std::pow(std::max(1.0, policy.multiplier), n));
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
    const double factor = 1.0 - jitter + 2.0 * jitter * std::clamp(random01, 0.0, 1.0);
    return static_cast<int>(std::lround(std::max(0.0, base * factor)));
}

} // namespace dispatch::gemini
