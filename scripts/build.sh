#!/usr/bin/env bash
# Install dependencies, then configure and build vg into build/ (or $VG_BUILD_DIR).
# Extra arguments go to cmake's configure step, e.g. -DVG_SANITIZE=ON.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VG_BUILD_DIR:-$root/build}
bash "$root/scripts/install-deps.sh"
if [[ -x /usr/local/cuda/bin/nvcc ]]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVG_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
