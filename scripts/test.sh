#!/usr/bin/env bash
# Set everything up, build with warnings as errors, and run every test suite;
# then build again with AddressSanitizer and UndefinedBehaviorSanitizer and
# run every suite once more (VG_SKIP_SANITIZE=1 skips that second pass).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VG_BUILD_DIR:-$root/build}

bash "$root/scripts/check-tree.sh"
bash "$root/scripts/build.sh"
(cd "$build" && ctest --output-on-failure -j"$(nproc)")

if [[ "${VG_SKIP_SANITIZE:-0}" != 1 ]]; then
  echo "test.sh: again under AddressSanitizer and UndefinedBehaviorSanitizer" >&2
  VG_BUILD_DIR="$build-sanitize" bash "$root/scripts/build.sh" \
    -DVG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  (cd "$build-sanitize" && ctest --output-on-failure -j"$(nproc)")
fi
