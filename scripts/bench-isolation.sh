#!/usr/bin/env bash
# The cost of backend isolation on the default job: vgrun renders it with
# isolation.mode inprocess and process alternately (A B A B ...), so a
# change in the machine's load hits both alike, and prints each run's frame
# rate and the median of each mode.
#
#   scripts/bench-isolation.sh [PAIRS] [BACKEND]     (default: 5 pairs, cpu)
#
# Uses the build tree (VG_BUILD_DIR, default build/); output goes to
# /dev/null, so only rendering is timed (vgrun times the frame loop, not
# selection).
set -euo pipefail
pairs=${1:-5}
backend=${2:-cpu}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VG_BUILD_DIR:-$root/build}
vgrun=$build/tools/vgrun/vgrun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in inprocess process; do
    printf 'isolation:\n  mode: %s\n' "$mode" >"$tmp/$mode.yaml"
done
fps() { # mode -> the frame rate vgrun reports
    "$vgrun" --config "$tmp/$1.yaml" --backend "$backend" -o /dev/null -v 2>&1 |
        sed -n 's/.*frames in [0-9.]* s (\([0-9.]*\) fps).*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for ((i = 1; i <= pairs; i++)); do
    a=$(fps inprocess)
    b=$(fps process)
    echo "pair $i: inprocess $a fps, process $b fps"
    echo "$a" >>"$tmp/a"
    echo "$b" >>"$tmp/b"
done
ma=$(median <"$tmp/a")
mb=$(median <"$tmp/b")
echo "median: inprocess $ma fps, process $mb fps, change $(echo "scale=2; 100 * ($mb - $ma) / $ma" | bc) %"
