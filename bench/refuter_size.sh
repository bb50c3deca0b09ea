#!/usr/bin/env bash
# Size and power of every refuter (issue 22): `casebook mc <case> --refutations` over R
# replications of each case (default 200), its summary committed as cases/<id>/refuter-mc.json
# (the site shows it beside each refutation and on the method pages), then the table for
# bench/README.md (bench/refuter_size_table.py). Not in CI: hours on 2 cores.
#
#   bash bench/refuter_size.sh [--reps R] [--threads T] [case ...]   (no case: every case)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=200
threads=2
cases=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) cases+=("$1"); shift ;;
  esac
done
if [[ ${#cases[@]} -eq 0 ]]; then
  for dir in cases/*/; do cases+=("$(basename "$dir")"); done
fi
mkdir -p build/refuter-size
# A copy of the binary taken now (one per run, so runs can overlap): rebuilding during the hours
# this runs cannot mix versions.
bin=$(mktemp build/refuter-size/casebook.XXXXXX)
trap 'rm -f "$bin"' EXIT
cp build/casebook "$bin"
chmod +x "$bin"
for id in "${cases[@]}"; do
  start=$(date +%s)
  "$bin" mc "$id" --refutations --reps "$reps" --threads "$threads" \
    --json "cases/$id/refuter-mc.json" --force >"build/refuter-size/$id.txt" 2>"build/refuter-size/$id.log"
  echo "$id: $reps replications in $(( $(date +%s) - start )) s"
done
/usr/bin/python3 bench/refuter_size_table.py
