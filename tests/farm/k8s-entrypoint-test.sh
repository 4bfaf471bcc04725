#!/usr/bin/env bash
# deploy/k8s as a Kubernetes Indexed Job would run it, without a cluster:
# deploy/k8s/entrypoint.sh once per JOB_COMPLETION_INDEX with the
# environment render-job.yaml sets, then the join of join-job.yaml; the
# joined video must equal a one-machine render byte for byte.  Also checks
# that render-job.yaml's completions equal its VG_TASKS, and that the entry
# script refuses to run without an index.  (The image build itself,
# deploy/k8s/Dockerfile, needs a container engine and is not run here.)
#
#   VGRUN=build/tools/vgrun/vgrun VGJOIN=build/tools/vgjoin/vgjoin \
#     bash tests/farm/k8s-entrypoint-test.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
k8s=$root/deploy/k8s
: "${VGRUN:?set VGRUN to the vgrun program}"
: "${VGJOIN:?set VGJOIN to the vgjoin program}"
export VGRUN VGJOIN VG_BACKENDS=cpu
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_COUNT

fail() {
  echo "k8s-entrypoint-test: FAIL: $*" >&2
  exit 1
}

completions=$(sed -n 's/^  completions: *\([0-9]*\)$/\1/p' "$k8s/render-job.yaml")
tasks=$(sed -n 's/.*{name: VG_TASKS, value: "\([0-9]*\)"}.*/\1/p' \
  "$k8s/render-job.yaml")
[[ -n $completions && $completions == "$tasks" ]] ||
  fail "render-job.yaml: completions '$completions' but VG_TASKS '$tasks'"

dir=$(mktemp -d "${TMPDIR:-/tmp}/vg-k8s-test.XXXXXX")
trap 'rm -rf -- "$dir"' EXIT
cat >"$dir/film.yaml" <<'JOB'
width: 320
height: 180
fps: 25
clips:
  - pattern: testsrc
    frames: 30
    camera: {from: {zoom: 1.0}, to: {zoom: 1.5, rotate: -10}}
  - pattern: checker
    frames: 20
    transition: {type: wipe, frames: 5}
JOB
export VG_JOB=$dir/film.yaml VG_OUT=$dir/out VG_TASKS=$tasks

if JOB_COMPLETION_INDEX='' "$k8s/entrypoint.sh" render 2>"$dir/err"; then
  fail "rendered without JOB_COMPLETION_INDEX"
fi
grep -q "JOB_COMPLETION_INDEX is not set" "$dir/err" || fail "$(cat "$dir/err")"

for ((i = 0; i < tasks; i++)); do
  JOB_COMPLETION_INDEX=$i "$k8s/entrypoint.sh" render 2>"$dir/err" ||
    fail "index $i: $(cat "$dir/err")"
done
# A pod that runs its index again (a retried pod) replaces its piece with
# the same bytes; the join still sees each frame once.
JOB_COMPLETION_INDEX=3 "$k8s/entrypoint.sh" render 2>/dev/null
"$k8s/entrypoint.sh" join 2>"$dir/err" || fail "join: $(cat "$dir/err")"
"$VGRUN" "$VG_JOB" -o "$dir/whole.y4m" -q
cmp "$dir/whole.y4m" "$VG_OUT/video.y4m" ||
  fail "the joined video differs from a one-machine render"
echo "k8s-entrypoint-test: $(tail -n 1 "$dir/err")"

# A lost pod: the join refuses and names the missing frames.
rm "$VG_OUT/video.y4m" "$VG_OUT/part-00004.y4m"
if "$k8s/entrypoint.sh" join 2>"$dir/err"; then
  fail "joined with a piece missing"
fi
grep -q "are in no piece" "$dir/err" || fail "$(cat "$dir/err")"
[[ ! -e $VG_OUT/video.y4m ]] || fail "a refused join left a video"
echo "k8s-entrypoint-test: PASS ($tasks indexes, joined bytes equal, lost" \
  "pod refused: $(head -n 1 "$dir/err"))"
