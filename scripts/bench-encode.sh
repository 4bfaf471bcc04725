#!/usr/bin/env bash
# Time the built-in default job (300 frames of 1920x1080 at 30 fps) encoded
# in-process (vgrun -o out.mp4) against the same job piped as Y4M into the
# ffmpeg CLI with the same encoder settings (libx264, crf 18, preset
# medium, keyframe every 60 frames, yuv420p, the same colour tags and
# faststart), in interleaved runs so both see the same machine load; then
# the size of each result.
#
#   scripts/bench-encode.sh [RUNS]      (default 3 of each)
#
# Environment: VG_BUILD_DIR (default build), VGRUN, FFMPEG.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-3}
vgrun=${VGRUN:-${VG_BUILD_DIR:-$root/build}/tools/vgrun/vgrun}
ffmpeg=${FFMPEG:-ffmpeg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$vgrun" ]; then
    echo "bench-encode: $vgrun not built (scripts/build.sh)" >&2
    exit 1
fi

in_process() {
    "$vgrun" -q -y -o "$work/vgrun.mp4"
}

piped() {
    "$vgrun" -q -o - |
        "$ffmpeg" -hide_banner -loglevel error -nostdin -y -f yuv4mpegpipe \
            -i - -c:v libx264 -crf 18 -preset medium -g 60 -pix_fmt yuv420p \
            -colorspace bt709 -color_primaries bt709 -color_trc bt709 \
            -color_range tv -chroma_sample_location center \
            -movflags +faststart "$work/ffmpeg.mp4"
}

seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

echo "bench-encode: $(nproc) cores, $runs interleaved runs of each"
for ((i = 1; i <= runs; i++)); do
    printf 'run %d: vgrun -o out.mp4 %6.2f s   vgrun -o - | ffmpeg %6.2f s\n' \
        "$i" "$(seconds in_process)" "$(seconds piped)"
done
printf 'size: vgrun.mp4 %d bytes, ffmpeg.mp4 %d bytes\n' \
    "$(stat -c %s "$work/vgrun.mp4")" "$(stat -c %s "$work/ffmpeg.mp4")"
