#pragma once

namespace dispatch {

// Lowers the calling thread's CPU priority by `nice` steps (Linux: per thread; elsewhere it
// does nothing and returns true). Background work (decoders, history searches) gives way to the
// thread that carries the calls' audio. Lowering needs no privilege; raising again would, so a
// thread lowered stays lowered. Returns false when the kernel refused.
bool lowerCurrentThreadPriority(int nice);

} // namespace dispatch
