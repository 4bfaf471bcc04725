#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and run each one for a fixed time on its seed
# corpus (tests/fuzz/corpus/NAME).  CI runs them for 20 s each:
#
#   bash scripts/fuzz.sh                 # every fuzzer, 20 s each
#   bash scripts/fuzz.sh 3600 png jpeg   # longer, chosen fuzzers
#
# New inputs found are kept in the build directory's corpus copy, never in
# the source tree; a crash leaves its input as build-fuzz/crash-* and makes
# this script fail.  VG_FUZZ_BUILD_DIR chooses the build directory.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VG_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-20}
shift || true
names=("$@")
((${#names[@]})) || names=(config job y4m png jpeg)

cc=${VG_FUZZ_CC:-clang-14}
if ! command -v "$cc" >/dev/null; then
  echo "fuzz.sh: $cc not found (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DVG_BUILD_FUZZERS=ON -DVG_BUILD_TESTS=OFF -DVG_BUILD_CUDA=OFF \
  -DVG_BUILD_OPENCL=OFF >/dev/null
targets=()
for n in "${names[@]}"; do targets+=(--target "fuzz_$n"); done
cmake --build "$build" -j"$(nproc)" "${targets[@]}"

status=0
for n in "${names[@]}"; do
  corpus=$build/corpus/$n
  mkdir -p "$corpus"
  cp -n "$root/tests/fuzz/corpus/$n/"* "$corpus/" 2>/dev/null || true
  log=$build/fuzz_$n.log
  # -rss_limit_mb: an input that needs more memory than this is a bug (the
  # limits exist to prevent it).
  if (cd "$build" && "./tests/fuzz/fuzz_$n" -max_total_time="$seconds" \
        -rss_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=1 \
        "$corpus" >"$log" 2>&1); then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz.sh: fuzz_$n: ${runs:-?} executions in ${seconds} s, no failure"
  else
    echo "fuzz.sh: fuzz_$n FAILED; the end of its log ($log):" >&2
    tail -40 "$log" >&2
    status=1
  fi
done
exit $status
