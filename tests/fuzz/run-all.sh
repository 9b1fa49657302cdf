#!/usr/bin/env bash
# Builds the libFuzzer targets under ASan+UBSan (build-fuzz, clang) and runs each of them in
# turn for RUNS executions (default 1000000), one at a time. Usage, from anywhere:
#   tests/fuzz/run-all.sh [runs] [target...]
# Scratch corpora and crash artifacts go to $FUZZ_WORK (default /tmp/dispatch-fuzz); nothing is
# written into the source tree. A crash stops the script with libFuzzer's exit code; minimise
# the artifact (./build-fuzz/tests/fuzz/fuzz_<t> -minimize_crash=1 -runs=10000 <artifact>) and
# commit it under tests/fuzz/regressions/<t>/ together with the fix.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$src/build-fuzz}"
work="${FUZZ_WORK:-/tmp/dispatch-fuzz}"
runs="${1:-1000000}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(phonemessages dashboardmessages livemessages triagereport wav jpeg http httpframer)
fi

if [ ! -f "$build/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DDISPATCH_FUZZ=ON \
        -DDISPATCH_BUILD_UI=OFF -DDISPATCH_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0}"

for t in "${targets[@]}"; do
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    dict=()
    if [ -f "$src/tests/fuzz/dict/$t.dict" ]; then
        dict=(-dict="$src/tests/fuzz/dict/$t.dict")
    fi
    echo "=== fuzz_$t: $runs runs"
    set +e
    "$build/tests/fuzz/fuzz_$t" -runs="$runs" -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$work/$t/artifacts/" "${dict[@]}" \
        "$work/$t/corpus" "$src/tests/fuzz/corpus/$t" 2>&1 | tee "$work/$t/log.txt" |
        grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done |stat::|==[0-9]+==ERROR|SUMMARY|.*runtime error)'
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
        tail -n 20 "$work/$t/log.txt"
        echo "fuzz_$t failed (exit $status); log: $work/$t/log.txt, artifacts: $work/$t/artifacts/"
        exit "$status"
    fi
done
