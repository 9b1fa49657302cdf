#pragma once

#include "gemini/livesupervisor.h"

#include <QUrl>

namespace dispatch::test {

// A Live session against a local fake server (tests/fakes): a test key, retries within tens of
// milliseconds, a fixed jitter and a short end grace, so failure paths run in test time.
inline gemini::LiveSupervisorConfig fastLiveConfig(const QUrl &endpoint)
{
    gemini::LiveSupervisorConfig c;
    c.connection.endpoint = endpoint;
    c.connection.apiKey = QStringLiteral("test-key");
    c.connection.setupTimeoutMs = 3000;
    c.reconnect.initialDelayMs = 20;
    c.reconnect.maxDelayMs = 80;
    c.reconnect.maxAttempts = 3;
    c.reconnect.maxOutageMs = 10000;
    c.random = [] { return 0.5; };
    c.endGraceMs = 50;
    return c;
}

} // namespace dispatch::test
