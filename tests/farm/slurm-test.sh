#!/usr/bin/env bash
# A live single-node Slurm cluster renders a job with the shipped
# deploy/slurm/render.sbatch: 4 array tasks, one of them killed mid-render
# and requeued, then the dependent join; the joined video must equal a
# one-machine render byte for byte.
#
#   VGRUN=build/tools/vgrun/vgrun VGJOIN=build/tools/vgjoin/vgjoin \
#     bash tests/farm/slurm-test.sh
#
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and
# munge (scripts/install-deps.sh installs them; CI=true installs them here
# when missing).  Everything runs from a temporary directory: a generated
# munge key and slurm.conf (proctrack/linuxproc, task/none: no cgroups),
# munged, slurmctld and slurmd on free local ports.  Every daemon started is
# stopped on exit, whatever happens.  Exit 77 (skipped) when the tools or
# root are missing outside CI.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
start_time=$SECONDS

say() { echo "slurm-test: $*"; }
skip_or_fail() {
  if [[ ${CI:-} == true ]]; then
    say "FAIL: $*"
    exit 1
  fi
  say "SKIP: $*"
  exit 77
}

tools=(munged slurmctld slurmd sbatch squeue scontrol scancel sinfo)
missing_tools() {
  local t
  for t in "${tools[@]}"; do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin command -v "$t" \
      >/dev/null || return 0
  done
  return 1
}
export PATH=$PATH:/usr/sbin
if missing_tools && [[ ${CI:-} == true ]]; then
  bash "$root/scripts/install-deps.sh"
fi
if missing_tools; then
  skip_or_fail "needs ${tools[*]}: apt-get install slurm-wlm munge" \
    "(scripts/install-deps.sh installs them)"
fi
((EUID == 0)) || skip_or_fail "needs root to run slurmd"
: "${VGRUN:?set VGRUN to the vgrun program}"
: "${VGJOIN:?set VGJOIN to the vgjoin program}"

dir=$(mktemp -d "${TMPDIR:-/tmp}/vg-slurm-test.XXXXXX")
chmod 755 "$dir"
daemons=() # pid files of what we started, stopped in reverse order

stop_all() {
  local rc=$?
  set +e
  if [[ -f $dir/slurm.conf ]]; then
    scancel --quiet --full "--name=vg-render" 2>/dev/null
    scancel --quiet "--name=vg-join" 2>/dev/null
  fi
  local i pid
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    pid=$(cat "${daemons[i]}" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  if ((rc != 0)); then
    say "logs:"
    tail -n 20 "$dir"/*.log "$dir"/out/*.log 2>/dev/null
  fi
  rm -rf -- "$dir"
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Two free ports: nothing answers on them.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=$((20000 + RANDOM % 20000))
while ! port_free "$base" || ! port_free $((base + 1)); do
  base=$((base + 2))
done

mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/out"
chmod 700 "$dir/munge"
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --force --socket="$dir/munge/socket" \
  --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/seed"
daemons+=("$dir/munge/munged.pid")

host=$(hostname -s)
cat >"$dir/slurm.conf" <<CONF
ClusterName=vgtest
SlurmctldHost=$host
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ReturnToService=2
KillWait=2
MinJobAge=600
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=vg Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -i
daemons+=("$dir/slurmctld.pid")
slurmd
daemons+=("$dir/slurmd.pid")

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local end=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= end)); then
      say "FAIL: timed out after ${limit}s waiting for $what"
      exit 1
    fi
    sleep 0.05
  done
}
node_idle() { sinfo -h -o %T 2>/dev/null | grep -qx idle; }
wait_for 30 "the node to come up" node_idle
say "cluster up: munged, slurmctld, slurmd on ports $base-$((base + 1))"

# The job: 96 frames of 1080p with a moving camera and a blur, 4 tasks of
# 24 frames, each a few seconds of work: long enough to catch one
# mid-render, short enough for CI.
cat >"$dir/job.yaml" <<'JOB'
width: 1920
height: 1080
fps: 24
clips:
  - pattern: testsrc
    frames: 60
    camera: {from: {zoom: 1.0}, to: {zoom: 1.8, rotate: 15}}
    blur: 2
  - pattern: bars
    frames: 48
    transition: {type: crossfade, frames: 12}
JOB
export VG_JOB=$dir/job.yaml VG_OUT=$dir/out VG_NAME=joined VGRUN VGJOIN
export VG_BACKENDS=cpu
"$VGRUN" --info "$VG_JOB" | sed 's/^/slurm-test: job: /'

array=$(cd "$dir" && sbatch --parsable --array=0-3 \
  --output="$dir/out/task-%A_%a.log" "$root/deploy/slurm/render.sbatch")
say "submitted deploy/slurm/render.sbatch as array job $array (4 tasks)"

# Catch task 1 mid-render: its piece is still a temporary file.  Freeze
# vgrun there (so it cannot finish first), then requeue the task: Slurm
# kills it and queues it again, as preemption does.
partial() { compgen -G "$VG_OUT/part-00001.y4m.partial-*" >/dev/null; }
wait_for 60 "task 1 to start writing" partial
task_job=$(squeue -h -j "${array}_1" -o %A)
for pid in $(scontrol listpids "$task_job" 2>/dev/null | awk 'NR > 1 {print $1}'); do
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == vgrun ]] && kill -STOP "$pid"
done
[[ ! -e $VG_OUT/part-00001.y4m ]] || { say "FAIL: task 1 already done"; exit 1; }
scontrol requeue "${array}_1"
say "task 1 killed mid-render (piece still partial) and requeued"
requeued() { squeue -h -j "${array}_1" -o %T | grep -qx PENDING; }
wait_for 30 "task 1 to be pending again" requeued
# Slurm holds a requeued job for a while before it is eligible again
# (BeginTime); the test does not wait for that.
scontrol update "JobId=${array}_1" StartTime=now

joined() { [[ -e $VG_OUT/joined.y4m ]]; }
jobs_left() { [[ -n $(squeue -h -o %i) ]]; }
done_or_stuck() { joined || ! jobs_left; }
wait_for 90 "the tasks and the join" done_or_stuck
joined || { say "FAIL: every job ended but no joined video"; exit 1; }

restarts=$(scontrol show job "${array}_1" | grep -o 'Restarts=[0-9]*')
[[ $restarts == Restarts=1 ]] || { say "FAIL: task 1 $restarts"; exit 1; }
say "task 1 ran again ($restarts); join: $(tail -n 1 "$VG_OUT"/vg-join-*.log)"
leftover=$(compgen -G "$VG_OUT/*.partial-*" || true)
[[ -z $leftover ]] || say "note: the killed task left $leftover"

"$VGRUN" "$VG_JOB" -o "$dir/whole.y4m" -q
if ! cmp "$dir/whole.y4m" "$VG_OUT/joined.y4m"; then
  say "FAIL: the joined video differs from a one-machine render"
  exit 1
fi
say "PASS: joined video equals the one-machine render" \
  "($(stat -c %s "$dir/whole.y4m") bytes), $((SECONDS - start_time)) s"
