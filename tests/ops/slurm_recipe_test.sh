#!/usr/bin/env bash
# The Slurm recipe (ops/slurm/) run on a real one-node Slurm started here: munged and slurmctld
# and slurmd in a private folder with their own ports and socket, then submit-mc.sh's job array
# and merge job. The merged summary must equal, byte for byte, the unsharded `casebook mc`.
# Exits 77 (ctest: skipped) saying why when Slurm is not installed or will not start here.
# Usage: tests/ops/slurm_recipe_test.sh CASEBOOK_BINARY
set -uo pipefail
casebook=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
skip() {
  echo "SKIP: $*" >&2
  exit 77
}
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (Debian: apt-get install slurm-wlm munge)"
done

work=$(mktemp -d /tmp/casebook-slurm.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{munge,state,spool} "$work/project/cases"
chmod 700 "$work/munge"
host=$(hostname -s)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# munge: a private key and socket.
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" ||
  skip "munged would not start: $(tail -1 "$work/munge/munged.log" 2>/dev/null)"
pids+=("$(cat "$work/munge/munged.pid")")

cat >"$work/slurm.conf" <<CONF
ClusterName=casebook-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -1)
  [[ $state == idle* ]] && break
  sleep 1
done
[[ ${state:-} == idle* ]] ||
  skip "Slurm did not start here (node state '${state:-none}'): $(tail -2 "$work/slurmctld.log" "$work/slurmd.log" 2>/dev/null | tr '\n' ' ')"
echo "Slurm $(sinfo -V) started on $host" >&2

# A copy of the project, found by the jobs from their folder (out/ inside it), so the saved
# summaries never touch the repository.
case_id=bing-cuped-ab-test
cp -r "$repo/templates" "$work/project/"
cp -r "$repo/cases/$case_id" "$work/project/cases/"
options=(--n 2000 --seed 11)
export CASEBOOK=$casebook
merge_job=$(SBATCH_OPTIONS="--cpus-per-task=1" "$repo/ops/slurm/submit-mc.sh" "$case_id" 7 3 "$work/project/out" "${options[@]}") ||
  { echo "FAIL: submit-mc.sh" >&2; exit 1; }
echo "merge job $merge_job submitted after the array" >&2
for _ in $(seq 600); do
  [[ -z $(squeue -h 2>/dev/null) ]] && break
  sleep 1
done
state=$(scontrol show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z]*')
[[ -f $work/project/out/mc.json ]] || {
  echo "FAIL: no merged summary ($state); logs:" >&2
  tail -n 5 "$work"/project/out/*.log >&2
  exit 1
}
"$casebook" --root "$work/project" mc "$case_id" --reps 7 "${options[@]}" --json "$work/whole.json" >/dev/null 2>&1 || {
  echo "FAIL: the unsharded run" >&2
  exit 1
}
if cmp -s "$work/project/out/mc.json" "$work/whole.json"; then
  echo "ok: 3 array tasks and a dependent merge on Slurm gave the unsharded summary byte for byte" >&2
  ls "$work/project/out" >&2
else
  echo "FAIL: the merged summary differs from the unsharded one" >&2
  diff "$work/project/out/mc.json" "$work/whole.json" | head >&2
  exit 1
fi
