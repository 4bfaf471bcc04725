#!/bin/sh
# Entry point of the vg image (deploy/k8s/Dockerfile).
#
#   entrypoint.sh render   one range: the pod's JOB_COMPLETION_INDEX of
#                          VG_TASKS (a Kubernetes Indexed Job sets the index)
#   entrypoint.sh join     every piece in VG_OUT into VG_OUT/VG_NAME.y4m
#   entrypoint.sh info     the job's frame count and fingerprint
#   entrypoint.sh ARGS...  anything else runs vgrun ARGS...
#
# Environment: VG_JOB (the job file), VG_OUT (the output directory, a shared
# volume), VG_TASKS (the Job's completions: Kubernetes gives each pod its
# index but not the count), VG_NAME (default: video), VGRUN and VGJOIN (the
# programs; default: vgrun and vgjoin on PATH).
#
# A pod that is evicted or preempted leaves no piece under its final name
# (vgrun's outputs are complete or absent); the Job runs the index again.
set -eu

vgrun=${VGRUN:-vgrun}
vgjoin=${VGJOIN:-vgjoin}

need() {
  eval "value=\${$1:-}"
  if [ -z "$value" ]; then
    echo "entrypoint: $1 is not set: $2" >&2
    exit 2
  fi
}

case ${1:-render} in
render)
  need VG_JOB "the job file"
  need VG_OUT "the shared output directory"
  need VG_TASKS "the Job's completions"
  need JOB_COMPLETION_INDEX "run as a Kubernetes Indexed Job"
  mkdir -p "$VG_OUT"
  part=$(printf '%s/part-%05d.y4m' "$VG_OUT" "$JOB_COMPLETION_INDEX")
  # -y: a retried pod replaces its piece with the same bytes.
  exec "$vgrun" "$VG_JOB" --task "/$VG_TASKS" -o "$part" -y -v
  ;;
join)
  need VG_OUT "the shared output directory"
  exec "$vgjoin" -v -y "$VG_OUT/${VG_NAME:-video}.y4m" "$VG_OUT"/part-*.y4m
  ;;
info)
  need VG_JOB "the job file"
  exec "$vgrun" --info "$VG_JOB"
  ;;
*)
  exec "$vgrun" "$@"
  ;;
esac
