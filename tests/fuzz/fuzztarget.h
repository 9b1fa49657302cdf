#pragma once

// One source file per fuzz target, compiled two ways:
// - with DISPATCH_LIBFUZZER (the DISPATCH_FUZZ clang build): DISPATCH_FUZZ_TARGET(name) is the
//   libFuzzer entry point LLVMFuzzerTestOneInput, one executable per target;
// - otherwise (the normal build): it is a named function registered in a table, so every target
//   links into tst_fuzzregressions, which replays the committed seeds and crash reproducers.
//
// FUZZ_CHECK states an oracle (a round trip, a bound the parser promises): a violation aborts,
// which libFuzzer reports as a crash and the regression runner as a failed test.

#include <QByteArray>
#include <QDateTime>

#include <cstddef>
#include <cstdint>

namespace dispatch::fuzz {

using TargetFunction = int (*)(const std::uint8_t *data, std::size_t size);

struct Target
{
    const char *name;
    TargetFunction run;
};

// Only in the regression runner: every target compiled into the executable.
const Target *targets(std::size_t *count);
void registerTarget(const char *name, TargetFunction run);

struct Registrar
{
    Registrar(const char *name, TargetFunction run) { registerTarget(name, run); }
};

// Prints where and why, then aborts.
[[noreturn]] void checkFailed(const char *file, int line, const char *condition, const char *why);

// A fixed "now" for parsers that stamp what they receive, so runs are reproducible.
const QDateTime &fixedNow();

inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace dispatch::fuzz

#define FUZZ_CHECK(condition, why)                                                                 \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::dispatch::fuzz::checkFailed(__FILE__, __LINE__, #condition, why);                    \
    } while (false)

#ifdef DISPATCH_LIBFUZZER
#define DISPATCH_FUZZ_TARGET(name)                                                                 \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
#else
#define DISPATCH_FUZZ_TARGET(name)                                                                 \
    static int dispatchFuzz_##name(const std::uint8_t *data, std::size_t size);                    \
    static const ::dispatch::fuzz::Registrar dispatchFuzzRegistrar_##name(#name,                   \
                                                                          dispatchFuzz_##name);    \
    static int dispatchFuzz_##name(const std::uint8_t *data, std::size_t size)
#endif
