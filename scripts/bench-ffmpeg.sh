#!/usr/bin/env bash
# Time vgrun's built-in default job against the ffmpeg CLI rendering the
# same video: 300 frames of 1920x1080 at 30 fps, testsrc2 crossfading into
# smptebars at 4 s for 2 s, a zoom from 1.0 to 1.5 towards the centre,
# Gaussian blur sigma 1, yuv420p, Y4M to /dev/null.
#
#   scripts/bench-ffmpeg.sh [ROUNDS]      (default 5)
#
# Lines: vgrun on every core (the reference), vgrun on one thread, and
# ffmpeg running the filtergraph in planar RGB (gbrp, the closest to vg
# working in RGBA) and in yuv444p (ffmpeg's faster choice), each on every
# core.  The runs are interleaved: every round runs each line once, in an
# order rotated from round to round, so a change in the machine's load
# touches all lines alike.  Each line reports its median wall time, frame
# rate and CPU time per frame (user + system, all threads); each ratio is
# the median of the ratios within a round, with their range.
# Environment: VG_BUILD_DIR (default build), VGRUN, FFMPEG; VGRUN_BASELINE
# (another vgrun build, e.g. of the code before a change) adds its two
# lines, interleaved with the others; NO_FFMPEG=1 leaves ffmpeg out.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
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
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-ffmpeg: ROUNDS must be a positive integer, got '$rounds'" >&2
    exit 2
fi

# Each vgrun loads the plugins of its own build tree: an installed vg
# (<prefix>/lib/vg/plugins, searched before the build tree) must not stand
# in for the code being measured.
plugins_of() {
    local dir
    dir=$(cd "$(dirname "$1")/../.." && pwd)/vg-plugins
    [ -d "$dir" ] && echo "$dir"
}
vgrun_plugins=$(plugins_of "$vgrun") || {
    echo "bench-ffmpeg: no vg-plugins directory beside $vgrun" >&2
    exit 1
}
base_plugins=""
if [ -n "${VGRUN_BASELINE:-}" ]; then
    base_plugins=$(plugins_of "$VGRUN_BASELINE") || {
        echo "bench-ffmpeg: no vg-plugins directory beside $VGRUN_BASELINE" >&2
        exit 1
    }
fi

# Absolute paths: the runs happen in an empty folder (below).
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
vgrun=$(absolute "$vgrun")
[ -n "${VGRUN_BASELINE:-}" ] && VGRUN_BASELINE=$(absolute "$VGRUN_BASELINE")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'backend_options:\n  cpu:\n    threads: 1\n' >"$tmp/one-thread.yaml"

# zoompan's zoom is linear in the output frame number `on` like vg's camera
# (1.0 at frame 0, 1.5 at frame 299), centred on the middle of the frame.
graph() {
    local work=$1
    echo "[0]format=${work}[a];[1]format=${work}[b];" \
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

vgrun_all() {
    env -u VG_CONFIG VG_PLUGIN_PATH="$vgrun_plugins" "$vgrun" -q -o /dev/null
}
vgrun_one() {
    VG_CONFIG="$tmp/one-thread.yaml" VG_PLUGIN_PATH="$vgrun_plugins" \
        "$vgrun" -q -o /dev/null
}
ffmpeg_gbrp() { ffmpeg_job gbrp; }
ffmpeg_yuv444p() { ffmpeg_job yuv444p; }

base_all() {
    env -u VG_CONFIG VG_PLUGIN_PATH="$base_plugins" "$VGRUN_BASELINE" -q \
        -o /dev/null
}
base_one() {
    VG_CONFIG="$tmp/one-thread.yaml" VG_PLUGIN_PATH="$base_plugins" \
        "$VGRUN_BASELINE" -q -o /dev/null
}

names=(vgrun_all vgrun_one)
labels=("vgrun, cpu, every core" "vgrun, cpu, one thread")
if [ -n "${VGRUN_BASELINE:-}" ]; then
    names+=(base_all base_one)
    labels+=("baseline, every core" "baseline, one thread")
fi
if [ "${NO_FFMPEG:-0}" != 1 ]; then
    names+=(ffmpeg_gbrp ffmpeg_yuv444p)
    labels+=("ffmpeg CLI, gbrp" "ffmpeg CLI, yuv444p")
fi

# "wall user sys" of one run of line $1 (a failed run stops the script).
measure() {
    local TIMEFORMAT='%R %U %S' out
    if ! out=$({ time "$1" >/dev/null 2>"$tmp/err"; } 2>&1); then
        echo "bench-ffmpeg: $1 failed: $(cat "$tmp/err")" >&2
        exit 1
    fi
    echo "$out"
}

echo "bench-ffmpeg: $(nproc) cores, $rounds interleaved rounds, $frames frames 1920x1080, load $(cut -d' ' -f1-3 /proc/loadavg)"
# In an empty folder, so that no vgrun reads a config.yaml of the current
# folder (an older baseline would refuse a newer one's keys): each runs its
# built-in defaults, or the one-thread file.
cd "$tmp"
for ((r = 0; r < rounds; r++)); do
    for ((j = 0; j < ${#names[@]}; j++)); do
        i=$(((j + r) % ${#names[@]}))
        times=$(measure "${names[$i]}") || exit 1
        echo "$r ${names[$i]} $times" >>"$tmp/runs"
    done
done

# The median of the numbers on stdin.
median() {
    sort -g | awk '{a[NR] = $1}
        END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

printf '%-26s %8s %8s %12s  %s\n' "line" "wall s" "fps" "CPU ms/frame" \
    "vgrun every core is Nx faster: median [min-max] of paired rounds"
for ((i = 0; i < ${#names[@]}; i++)); do
    n=${names[$i]}
    wall=$(awk -v n="$n" '$2 == n {print $3}' "$tmp/runs" | median)
    cpu=$(awk -v n="$n" -v f=$frames '$2 == n {print ($4 + $5) * 1000 / f}' \
        "$tmp/runs" | median)
    ratios=$(awk -v n="$n" '$2 == "vgrun_all" {ref[$1] = $3}
        $2 == n {t[$1] = $3}
        END {for (r in t) print t[r] / ref[r]}' "$tmp/runs" | sort -g)
    vs=""
    if [ "$n" != vgrun_all ]; then
        vs=$(printf '%.2fx [%.2f-%.2f]' "$(median <<<"$ratios")" \
            "$(head -n1 <<<"$ratios")" "$(tail -n1 <<<"$ratios")")
    fi
    printf '%-26s %8.2f %8.1f %12.1f  %s\n' "${labels[$i]}" "$wall" \
        "$(echo "$frames / $wall" | bc -l)" "$cpu" "$vs"
done
