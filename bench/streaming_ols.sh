#!/bin/bash
# Issue 21: `casebook estimate ols` (HC1, p = 20) from a CSV file, streamed (--streaming) and in
# memory, beside a plain read of the same file, the streaming reader's parse alone, and pandas +
# statsmodels, all in one run; then --streaming on a file of --big rows (larger than memory at
# 1e8: the parsed columns are not kept and the file is read twice). Prints a markdown table with
# the machine and its load.
#
#   bash bench/streaming_ols.sh [--n 1e7] [--big 1e8] [--dir /tmp] [--build build-dev]
#
# Files are generated (bench/make_regression_csv.cpp), never committed; a file of --big rows
# takes about 39 bytes a value (3.9 GB at 1e7, 39 GB at 1e8) and is deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
n=1e7 big= dir=/tmp build=build-dev
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --big) big=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: bash bench/streaming_ols.sh [--n 1e7] [--big 1e8] [--dir /tmp] [--build DIR]" >&2; exit 2 ;;
  esac
done
cmake --preset ci -B "$build" -DCASEBOOK_BENCH=ON >/dev/null
cmake --build "$build" --target casebook make_regression_csv csv_stream_benchmark >/dev/null

columns="x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15 x16 x17 x18"
timed() {  # prints "seconds peak_kb", the command's stdout to $1
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$out" 2>"$dir/stderr.txt" || { cat "$dir/stderr.txt" >&2; exit 1; }
  cat "$dir/time.txt"
}
field() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB;" \
  "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC'); build $build"
file="$dir/streaming-ols-$n.csv"
[ -f "$file" ] || "$build/bench/make_regression_csv" "$n" "$file"
bytes=$(stat -c %s "$file")
rows=$(/usr/bin/python3 -c "print(int(float('$n')))")
floor_gb=$(/usr/bin/python3 -c "print(f'{$rows * 21 * 8 / 1e9:.2f}')")
cat "$file" >/dev/null  # warm the page cache, so every reader below starts alike

"$build/bench/csv_stream_benchmark" "$file" 2 $columns d z y >"$dir/parse.json"
read_s=$(field "$dir/parse.json" read_seconds); parse_s=$(field "$dir/parse.json" parse_seconds)
read streamed_s streamed_kb < <(timed "$dir/streamed.txt" "$build/casebook" estimate ols --data "$file" --outcome y --treatment d --covariates $columns --streaming --json)
read memory_s memory_kb < <(timed "$dir/memory.txt" "$build/casebook" estimate ols --data "$file" --outcome y --treatment d --covariates $columns --json)
read peer_s peer_kb < <(timed "$dir/peer.json" /usr/bin/python3 bench/statsmodels_csv_ols.py "$file")
se_streamed=$(field "$dir/streamed.txt" se); se_memory=$(field "$dir/memory.txt" se); se_peer=$(field "$dir/peer.json" se)

gb() { /usr/bin/python3 -c "print(f'{$1 / 1e6:.2f}')"; }
ratio() { /usr/bin/python3 -c "print(f'{$1 / $2:.2f}')"; }
echo
echo "n = $n, p = 20, CSV of $(gb $((bytes / 1000))) GB; the numbers as doubles (the one-pass memory floor): $floor_gb GB"
echo
echo "| step | seconds | peak memory (GB) | × floor memory | × parse time | SE of d |"
echo "|---|---|---|---|---|---|"
echo "| plain read of the file (page cache, 8 MB reads) | $read_s | | | | |"
echo "| streaming reader, parse only (2 threads): $(field "$dir/parse.json" parse_mb_s) MB/s | $parse_s | | | 1.00 | |"
echo "| casebook estimate ols --streaming | $streamed_s | $(gb "$streamed_kb") | $(ratio "$(gb "$streamed_kb")" "$floor_gb") | $(ratio "$streamed_s" "$parse_s") | $se_streamed |"
echo "| casebook estimate ols (in memory) | $memory_s | $(gb "$memory_kb") | $(ratio "$(gb "$memory_kb")" "$floor_gb") | $(ratio "$memory_s" "$parse_s") | $se_memory |"
echo "| pandas read_csv + statsmodels OLS HC1 | $peer_s | $(gb "$peer_kb") | $(ratio "$(gb "$peer_kb")" "$floor_gb") | $(ratio "$peer_s" "$parse_s") | $se_peer |"
echo
echo "pandas + statsmodels steps: $(cat "$dir/peer.json")"

if [ -n "$big" ]; then
  big_file="$dir/streaming-ols-$big.csv"
  [ -f "$big_file" ] || "$build/bench/make_regression_csv" "$big" "$big_file"
  big_bytes=$(stat -c %s "$big_file")
  read big_s big_kb < <(timed "$dir/big.txt" "$build/casebook" estimate ols --data "$big_file" --outcome y --treatment d --covariates $columns --streaming --json)
  echo
  echo "n = $big: CSV of $(gb $((big_bytes / 1000))) GB; casebook estimate ols --streaming: $big_s s," \
    "peak $(gb "$big_kb") GB, SE of d $(field "$dir/big.txt" se); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -f "$big_file"
fi
