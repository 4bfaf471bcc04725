#!/usr/bin/env bash
# Set everything up and render vgrun's built-in default job to out.y4m
# (arguments are passed to vgrun, e.g. -o video.mp4 or --list-backends).
# -y: running it again replaces the video it made before.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
exec "${VG_BUILD_DIR:-$root/build}/tools/vgrun/vgrun" -y "$@"
