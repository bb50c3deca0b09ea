#!/usr/bin/env bash
# Runs the libFuzzer harnesses (tests/fuzz/*_fuzzer.cpp) for a while each, from seed corpora taken
# from the real cases and fixtures. Build them first:
#   cmake --preset sanitize && cmake --build --preset sanitize
# Then:
#   bash tests/fuzz/run.sh                                   every target for 60 s, two at a time
#   bash tests/fuzz/run.sh --seconds 3600 case_loader        a long run of one target
#   bash tests/fuzz/run.sh --seconds 30                      as .ci/test runs them
#   bash tests/fuzz/run.sh --seconds 1800 --max-len 4096 csv_reader expression
#                                  shorter inputs (default 16384 bytes) run several times faster
# Corpora grow in build-sanitize/fuzz/<target>/corpus across runs. A crash, leak, timeout or
# allocation past the memory limit is saved under build-sanitize/fuzz/<target>/crashes/, printed,
# and ends the script with exit 1; replay it with build-sanitize/fuzz_<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=60
parallel=2
max_len=16384
targets=()
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --max-len) max_len=$2; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
# Every harness by default: tests/fuzz/<target>_fuzzer.cpp.
((${#targets[@]})) || for f in tests/fuzz/*_fuzzer.cpp; do f=${f##*/}; targets+=("${f%_fuzzer.cpp}"); done
build=$PWD/build-sanitize  # absolute: a harness may change its working folder
for target in "${targets[@]}"; do
  [[ -x $build/fuzz_$target ]] || { echo "run.sh: no $build/fuzz_$target (build the sanitize preset first)" >&2; exit 2; }
done

# Seeds: the real cases' files, the fixtures' CSVs, and the committed argument lists.
seed() {
  local target=$1 dir=$build/fuzz/$1/seeds
  rm -rf "$dir" && mkdir -p "$dir"
  case $target in
    csv_reader) find tests/fixtures -name '*.csv' -size -8k -exec cp -t "$dir" {} + ;;
    numeric_csv_stream)  # the harness's format: a byte choosing the block size and threads, then the CSV
      for f in $(find tests/fixtures -name '*.csv' -size -8k); do
        { printf '\007'; cat "$f"; } >"$dir/b8-t1-$(basename "$f")"
        { printf '\205'; cat "$f"; } >"$dir/b6-t3-$(basename "$f")"
      done ;;
    case_loader) for f in cases/*/case.json; do cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
    markdown_page)
      for d in cases/*/; do
        { cat "$d/case.md"; printf '\0'; [[ -f $d/case.ko.md ]] && cat "$d/case.ko.md"; } >"$dir/$(basename "$d").md"
      done ;;
    expression)  # the harness's format: a byte choosing the periods, then "[#][@]name=expression" lines
      python3 - "$dir" cases/*/case.json <<'PY'
import json, os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    sim = json.load(open(path))["simulation"]
    lines = []
    for v in sim["variables"]:
        mark = ("" if v.get("observed", True) else "#") + ("@" if v.get("level") == "unit" else "")
        lines.append(mark + v["name"] + "=" + v["expr"])
    name = os.path.basename(os.path.dirname(path))
    with open(os.path.join(out, name + ".txt"), "wb") as f:
        f.write(bytes([3 if sim.get("periods") else 0]) + "\n".join(lines).encode())
PY
      ;;
    estimate_arguments) cp tests/fuzz/seeds/estimate_arguments/* "$dir" ;;
  esac
}

run_one() {
  local target=$1 dir=$build/fuzz/$1
  mkdir -p "$dir/corpus" "$dir/crashes"
  rm -f "$dir/status"
  seed "$target"
  # Leaks are checked at exit only: a harness's caches (the theme, the registry) live to the end.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/fuzz_$target" "$dir/corpus" "$dir/seeds" -dict="$PWD/tests/fuzz/$target.dict" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len="$max_len" -len_control=100 -close_fd_mask=3 \
    -print_final_stats=1 -artifact_prefix="$dir/crashes/" >"$dir/log.txt" 2>&1 && echo 0 >"$dir/status" ||
    echo $? >"$dir/status"
}

for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  run_one "$target" &
done
wait

status=0
for target in "${targets[@]}"; do
  dir=$build/fuzz/$target
  if [[ $(cat "$dir/status" 2>/dev/null) == 0 ]]; then result=ok; else result=FAILED; status=1; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log.txt" | tail -1)
  echo "fuzz_$target: ${execs:-?} executions in ${seconds} s, corpus $(ls "$dir/corpus" | wc -l) inputs: $result"
  if [[ $result == FAILED ]]; then
    grep -E "ERROR|SUMMARY|Test unit written|runtime error|uncaught|error in line" "$dir/log.txt" | head -20 >&2 || true
  fi
done
exit $status
