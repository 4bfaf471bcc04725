#!/usr/bin/env bash
# Set everything up, build with warnings as errors, and run every test suite;
# then build again with AddressSanitizer and UndefinedBehaviorSanitizer and
# run every suite once more (VG_SKIP_SANITIZE=1 skips that second pass);
# then run each fuzzer for 20 s (scripts/fuzz.sh; VG_SKIP_FUZZ=1 skips).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VG_BUILD_DIR:-$root/build}

# The tree checks include the format check, so clang-format is installed
# first (install-deps.sh adds it when VG_CHECK_FORMAT=1).
VG_CHECK_FORMAT=1 bash "$root/scripts/install-deps.sh"
VG_CHECK_FORMAT=1 bash "$root/scripts/check-tree.sh"
bash "$root/scripts/build.sh"
(cd "$build" && ctest --output-on-failure -j"$(nproc)")

if [[ "${VG_SKIP_SANITIZE:-0}" != 1 ]]; then
  echo "test.sh: again under AddressSanitizer and UndefinedBehaviorSanitizer" >&2
  VG_BUILD_DIR="$build-sanitize" bash "$root/scripts/build.sh" \
    -DVG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  (cd "$build-sanitize" && ctest --output-on-failure -j"$(nproc)")
fi

if [[ "${VG_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "test.sh: fuzzers, 20 s each" >&2
  VG_FUZZ_BUILD_DIR="$build-fuzz" bash "$root/scripts/fuzz.sh" 20
fi
