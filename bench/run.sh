#!/bin/bash
# Builds the benchmarks, writes the shared data once, runs casebook and statsmodels on it and
# `casebook mc` of the TripAdvisor case, and prints the table recorded in bench/README.md.
#   bash bench/run.sh                   # n = 1e5, 1e6, 1e7
#   SIZES="1e5 1e6" bash bench/run.sh   # smaller
#   LONG_MC=1 bash bench/run.sh         # also the 1,000-replication coverage run (minutes)
#   BUILD=build-x CXX_FLAGS= bash bench/run.sh   # reuse an existing Release build folder
#   CAUSAL_FOREST="1e4 1e5" bash bench/run.sh    # also the causal forest at these n (2,000 trees; 1e6 takes ~11 min)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
data=${DATA:-$build/bench-data}
sizes=${SIZES:-"1e5 1e6 1e7"}
threads=${THREADS:-2}
mkdir -p "$data"

cxx_flags=${CXX_FLAGS--march=native}  # as the `bench` preset; CXX_FLAGS= to reuse a plain Release build
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASEBOOK_BENCH=ON "-DCMAKE_CXX_FLAGS=$cxx_flags" >/dev/null
if ! cmake --build "$build" --target regression_benchmark casebook -j"$threads" >"$build/bench-build.log" 2>&1; then
  tail -20 "$build/bench-build.log" >&2
  exit 1
fi

files=()
for n in $sizes; do
  file="$data/data-$n.bin"
  [ -f "$file" ] || /usr/bin/python3 "$root/bench/make_data.py" "$file" "$n"
  files+=("$file")
done

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$build/bench/regression_benchmark" --benchmark_format=console --benchmark_out="$build/bench-cpp.json" \
  --benchmark_out_format=json "${files[@]}" >&2

: >"$build/bench-statsmodels.jsonl"
for file in "${files[@]}"; do
  repeats=3
  case "$file" in *1e7*) repeats=1 ;; esac
  /usr/bin/python3 "$root/bench/statsmodels_bench.py" "$file" "$repeats" | tee -a "$build/bench-statsmodels.jsonl" >&2
done

start=$(date +%s.%N)
"$build/casebook" --root "$root" mc tripadvisor-membership-iv --reps 200 --threads "$threads" \
  --json "$build/mc-200.json" --force >"$build/mc-200.txt"
mc_seconds=$(echo "$(date +%s.%N) - $start" | bc)

/usr/bin/python3 "$root/bench/report.py" "$build/bench-cpp.json" "$build/bench-statsmodels.jsonl" "$mc_seconds"
cat "$build/mc-200.txt"

if [ -n "${LONG_MC:-}" ]; then
  "$build/casebook" --root "$root" mc tripadvisor-membership-iv --reps 1000 --threads "$threads" \
    --json "$build/mc-1000.json" --force
fi

if [ -n "${CAUSAL_FOREST:-}" ]; then
  cmake --build "$build" --target causal_forest_benchmark -j"$threads" >>"$build/bench-build.log" 2>&1
  for n in $CAUSAL_FOREST; do
    "$build/bench/causal_forest_benchmark" "$(printf '%.0f' "$n")" 2000 "$threads" 1
  done
fi
