#pragma once

#include <QtGlobal>

namespace dispatch::gemini {

// When a triage session reconnects after a retryable close (reference §9.12): exponential
// backoff with jitter, and when it gives up so that the call falls back to local triage.
struct ReconnectPolicy
{
    int initialDelayMs = 500;
    double multiplier = 2.0;
    int maxDelayMs = 15000;
    double jitter = 0.3;     // the delay is scaled by a factor in [1 - jitter, 1 + jitter]
    int maxAttempts = 6;     // consecutive connections that never reached setupComplete
    int maxOutageMs = 60000; // without a live connection for longer than this: give up
};

// Delay before attempt `attempt` (1 = the first retry). `random01` is in [0, 1).
int backoffDelayMs(const ReconnectPolicy &policy, int attempt, double random01);

} // namespace dispatch::gemini
