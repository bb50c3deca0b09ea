#!/usr/bin/env bash
# Submits a Monte Carlo run of a case as a Slurm job array of K shards and a merge job that runs
# when all of them succeeded. Usage:
#   ops/slurm/submit-mc.sh CASE REPS SHARDS OUT_DIR [casebook mc options, e.g. --refutations --n 5000]
# OUT_DIR must be on a file system every node sees. CASEBOOK (default: casebook on PATH) is
# passed to the jobs; extra sbatch options go in SBATCH_OPTIONS (e.g. "--partition=short").
# Prints the merge job's id.
set -euo pipefail
if (($# < 4)); then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
case_id=$1 reps=$2 shards=$3 out_dir=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
export CASEBOOK=${CASEBOOK:-casebook}
# shellcheck disable=SC2086  # SBATCH_OPTIONS is a list of options
array=$(sbatch --parsable --export=ALL --chdir="$out_dir" --array="0-$((shards - 1))" ${SBATCH_OPTIONS:-} \
  "$here/mc-shard.sbatch" "$case_id" "$reps" "$out_dir" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
sbatch --parsable --export=ALL --chdir="$out_dir" --dependency="afterok:$array" --kill-on-invalid-dep=yes ${SBATCH_OPTIONS:-} \
  "$here/mc-merge.sbatch" "$out_dir"
