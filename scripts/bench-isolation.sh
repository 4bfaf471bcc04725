#!/usr/bin/env bash
# The cost of backend isolation on the default job: vgrun renders it with
# isolation.mode inprocess and process alternately (A B A B ...), so a
# change in the machine's load hits both alike.  Per pair: each mode's
# frame rate (vgrun times the frame loop, not selection) and CPU seconds
# (user + system of vgrun and its worker).  At the end: the median of the
# per-pair frame-rate ratios, and each mode's median CPU time.
#
#   scripts/bench-isolation.sh [PAIRS] [BACKEND]     (default: 5 pairs, cpu)
#
# Uses the build tree (VG_BUILD_DIR, default build/); output goes to
# /dev/null.
set -euo pipefail
pairs=${1:-5}
backend=${2:-cpu}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VG_BUILD_DIR:-$root/build}
vgrun=$build/tools/vgrun/vgrun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in inprocess process; do
    printf 'isolation:\n  mode: %s\n  inprocess_backends: []\n' "$mode" \
        >"$tmp/$mode.yaml"
done
run() { # mode -> "FPS CPU_SECONDS"
    local TIMEFORMAT='%U %S' fps times
    times=$({ time "$vgrun" --config "$tmp/$1.yaml" --backend "$backend" \
        -o /dev/null -v 2>"$tmp/err"; } 2>&1)
    fps=$(sed -n 's/.*frames in [0-9.]* s (\([0-9.]*\) fps).*/\1/p' "$tmp/err")
    echo "$fps $(echo "$times" | awk '{print $1 + $2}')"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for ((i = 1; i <= pairs; i++)); do
    read -r fa ca < <(run inprocess)
    read -r fb cb < <(run process)
    echo "pair $i: inprocess $fa fps $ca s CPU, process $fb fps $cb s CPU"
    echo "$fb / $fa" | bc -l >>"$tmp/ratio"
    echo "$ca" >>"$tmp/cpu_a"
    echo "$cb" >>"$tmp/cpu_b"
done
ratio=$(median <"$tmp/ratio")
printf 'median frame rate, process / inprocess: %.3f (%+.1f %%)\n' "$ratio" \
    "$(echo "100 * ($ratio - 1)" | bc -l)"
echo "median CPU seconds: inprocess $(median <"$tmp/cpu_a"), process $(median <"$tmp/cpu_b")"
