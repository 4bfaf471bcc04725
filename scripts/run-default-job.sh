#!/usr/bin/env bash
# Set everything up and render vgrun's built-in default job to out.y4m
# (arguments are passed to vgrun, e.g. -o video.y4m or --list-backends).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
exec "${VG_BUILD_DIR:-$root/build}/tools/vgrun/vgrun" "$@"
