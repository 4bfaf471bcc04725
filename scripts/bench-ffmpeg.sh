#!/usr/bin/env bash
# Time vgrun's built-in default job against the ffmpeg CLI rendering the
# same video: 300 frames of 1920x1080 at 30 fps, testsrc2 crossfading into
# smptebars at 4 s for 2 s, a zoom from 1.0 to 1.5 towards the centre,
# Gaussian blur sigma 1, yuv420p, Y4M to /dev/null.  Both use every core.
#
#   scripts/bench-ffmpeg.sh [RUNS]      (default 3; the median is reported)
#
# ffmpeg runs the filtergraph twice: in planar RGB (gbrp, the closest to vg
# working in RGBA) and in yuv444p (ffmpeg's faster choice).  Environment:
# VG_BUILD_DIR (default build), VGRUN, FFMPEG.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-3}
vgrun=${VGRUN:-${VG_BUILD_DIR:-$root/build}/tools/vgrun/vgrun}
ffmpeg=${FFMPEG:-ffmpeg}
frames=300

if [ ! -x "$vgrun" ]; then
    echo "bench-ffmpeg: $vgrun not built (scripts/build.sh)" >&2
    exit 1
fi
if ! command -v "$ffmpeg" >/dev/null; then
    echo "bench-ffmpeg: ffmpeg not installed (apt-get install ffmpeg)" >&2
    exit 1
fi

# The seconds one run of "$@" takes, its output discarded.
time_once() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

# The median of `runs` timings of "$@".
median_time() {
    local i times=()
    for ((i = 0; i < runs; i++)); do
        times+=("$(time_once "$@")")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1}
        END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# zoompan's zoom is linear in the output frame number `on` like vg's camera
# (1.0 at frame 0, 1.5 at frame 299), centred on the middle of the frame.
graph() {
    local work=$1
    echo "[0]format=$work[a];[1]format=$work[b];" \
         "[a][b]xfade=transition=fade:duration=2:offset=4," \
         "zoompan=z='1+0.5*on/$((frames - 1))':x='iw/2-iw/zoom/2':" \
         "y='ih/2-ih/zoom/2':d=1:s=1920x1080:fps=30," \
         "gblur=sigma=1,format=yuv420p" | tr -d ' '
}

ffmpeg_job() {
    "$ffmpeg" -hide_banner -loglevel error -nostdin \
        -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=6" \
        -f lavfi -i "smptebars=size=1920x1080:rate=30:duration=10" \
        -filter_complex "$(graph "$1")" -frames:v $frames \
        -f yuv4mpegpipe -y /dev/null
}

fps() {
    echo "scale=1; $frames / $1" | bc -l
}

echo "bench-ffmpeg: $(nproc) cores, median of $runs runs, $frames frames 1920x1080"
t_vg=$(median_time "$vgrun" -q -o -)
echo "vgrun default job (cpu, all threads):  $(printf '%6.2f' "$t_vg") s  $(fps "$t_vg") fps"
for work in gbrp yuv444p; do
    t_ff=$(median_time ffmpeg_job "$work")
    ratio=$(echo "scale=2; $t_ff / $t_vg" | bc -l)
    echo "ffmpeg CLI, filtergraph in $work:     $(printf '%6.2f' "$t_ff") s  $(fps "$t_ff") fps  (vgrun ${ratio}x)"
done
