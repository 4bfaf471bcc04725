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
SlurmctldHost=$host(127.0.0.1)
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
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
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

# The job: 96 frames of 720p in 4 tasks of 24 (a moving camera, a blur, a
# crossfade): each task a second or more of work, 133 MB per copy of the
# video on disk.
cat >"$dir/job.yaml" <<'JOB'
width: 1280
height: 720
fps: 24
clips:
  - pattern: testsrc
    frames: 60
    camera: {from: {zoom: 1.0}, to: {zoom: 1.8, rotate: 15}}
    blur: 3
  - pattern: bars
    frames: 48
    camera: {from: {zoom: 1.2, rotate: -5}, to: {zoom: 1.0}}
    blur: 2
    transition: {type: crossfade, frames: 12}
JOB
frame_bytes=$((1280 * 720 * 3 / 2 + 6))
export VG_JOB=$dir/job.yaml VG_OUT=$dir/out VG_NAME=joined VGJOIN
export VG_BACKENDS=cpu
# render.sbatch runs $VGRUN.  Through this hook, task 1's first run stops
# itself before it execs vgrun, so the test holds its pid; every other run
# is vgrun itself.
export VG_TEST_VGRUN=$VGRUN
cat >"$dir/vgrun-hook" <<'HOOK'
#!/bin/sh
if [ "${SLURM_ARRAY_TASK_ID:-}" = 1 ] && [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
  echo $$ >"$VG_OUT/.task1.pid"
  kill -STOP $$
fi
exec "$VG_TEST_VGRUN" "$@"
HOOK
chmod +x "$dir/vgrun-hook"
"$VGRUN" --info "$VG_JOB" | sed 's/^/slurm-test: job: /'

array=$(cd "$dir" && VGRUN=$dir/vgrun-hook sbatch --parsable --array=0-3 \
  --output="$dir/out/task-%A_%a.log" "$root/deploy/slurm/render.sbatch")
say "submitted deploy/slurm/render.sbatch as array job $array (4 tasks)"

# Catch task 1 mid-render, whatever the machine's speed: its first run
# stops itself just before it becomes vgrun (the VGRUN hook above), and the
# test lets it run in short steps until its temporary piece holds at least
# one frame while the final piece does not exist.  Then it requeues the
# task: Slurm kills it and queues it again, as preemption does.
pid_file=$VG_OUT/.task1.pid
stopped() {
  local stat
  [[ -s $pid_file ]] && pid=$(<"$pid_file") &&
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) && [[ $stat == *") T "* ]]
}
wait_for 60 "task 1 to start" stopped
# vgrun writes a piece as an unnamed file in VG_OUT (O_TMPFILE, linked
# under its name when whole) or, where the filesystem refuses those, as
# part-00001.y4m.partial-*: look at what its descriptors point to.
mid_render() {
  local fd target size
  for fd in /proc/"$pid"/fd/*; do
    target=$(readlink "$fd" 2>/dev/null) || continue
    [[ $target == "$VG_OUT/#"* || $target == "$VG_OUT/part-00001.y4m."* ]] ||
      continue
    size=$(stat -L -c %s "$fd" 2>/dev/null) || continue
    size_now=$size
    ((size > frame_bytes)) && return 0
  done
  return 1
}
# Steps of about 2 ms: a timed read on a FIFO nobody writes is a sleep
# without a fork, so the test's own latency stays small against a task
# that takes a second or more.
mkfifo "$dir/tick"
exec 9<>"$dir/tick"
until mid_render; do
  [[ ! -e $VG_OUT/part-00001.y4m ]] || { say "FAIL: task 1 finished"; exit 1; }
  kill -CONT "$pid" 2>/dev/null || { say "FAIL: task 1 is gone"; exit 1; }
  read -r -t 0.002 -u 9 || true
  kill -STOP "$pid"
done
exec 9>&-
partial_frames=$((size_now / frame_bytes))
scontrol requeue "${array}_1"
say "task 1 killed mid-render ($partial_frames of 24 frames in its" \
  "temporary piece, none under its final name) and requeued"
requeued() { squeue -h -j "${array}_1" -o %T | grep -qx PENDING; }
wait_for 30 "task 1 to be pending again" requeued
# Slurm holds a requeued job for a while before it is eligible again
# (BeginTime); the test does not wait for that.
scontrol update "JobId=${array}_1" StartTime=now

joined() { [[ -e $VG_OUT/joined.y4m ]]; }
# squeue answers nothing when slurmctld is too busy to reply in time (a
# loaded machine): that is "jobs may be left", never "the queue is empty".
jobs_left() {
  local queue
  queue=$(squeue -h -o %i 2>/dev/null) || return 0
  [[ -n $queue ]]
}
done_or_stuck() { joined || ! jobs_left; }
wait_for 90 "the tasks and the join" done_or_stuck
if ! joined; then
  say "FAIL: every job ended but no joined video"
  tail -n 5 "$VG_OUT"/vg-join-*.log "$VG_OUT"/task-*.log 2>/dev/null || true
  exit 1
fi

restarts=$(scontrol show job "${array}_1" | grep -o 'Restarts=[0-9]*')
[[ $restarts == Restarts=1 ]] || { say "FAIL: task 1 $restarts"; exit 1; }
say "task 1 ran again ($restarts); join: $(tail -n 1 "$VG_OUT"/vg-join-*.log)"
for log in "$VG_OUT"/task-*.log; do
  say "$(basename "$log" .log): $(tail -n 1 "$log")"
done
leftover=$(compgen -G "$VG_OUT/*.partial-*" || true)
[[ -z $leftover ]] || say "note: the killed task left $leftover"

# The one-machine render streams into cmp: no third copy on disk.
rm -f "$VG_OUT"/part-*.y4m
if ! "$VGRUN" "$VG_JOB" -o - -q | cmp - "$VG_OUT/joined.y4m"; then
  say "FAIL: the joined video differs from a one-machine render"
  exit 1
fi
say "PASS: joined video equals the one-machine render" \
  "($(stat -c %s "$VG_OUT/joined.y4m") bytes), $((SECONDS - start_time)) s"
