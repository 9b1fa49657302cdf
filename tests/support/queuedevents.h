#pragma once

namespace dispatch::test {

// Posts a marker to this thread's event loop and waits until it is delivered: every event
// posted before it (queued signals, deferred deletes, socket notifications already posted)
// has been handled by then. The positive event to wait for before asserting that something
// did NOT happen, instead of a fixed wait.
bool waitForQueuedEvents(int timeoutMs = 5000);

} // namespace dispatch::test
