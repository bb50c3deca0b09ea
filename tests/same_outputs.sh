#!/usr/bin/env bash
# Shows that a change kept every output: runs every case (`casebook run --json`) and renders the
# site with the binary built from BASE_REV and with this tree's, then compares them. A results
# document may only gain fields (every value the base wrote must be there, equal); the rendered
# site must be byte-identical.
#
# Usage: tests/same_outputs.sh [BASE_REV] [BUILD_DIR]
#   BASE_REV   the commit to compare against (default: the merge base with main)
#   BUILD_DIR  where this tree's `casebook` is built (default: build)
# The base is built once per commit in /tmp/casebook-base-<rev> (only the `casebook` target).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
base_rev=$(git rev-parse --short "${1:-$(git merge-base HEAD main)}")
build_dir=${2:-build}
base_tree=/tmp/casebook-base-$base_rev
work=$(mktemp -d /tmp/casebook-same-outputs.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [[ ! -x $base_tree/build/casebook ]]; then
  echo "building the base ($base_rev) in $base_tree …" >&2
  [[ -d $base_tree ]] || git worktree add --detach "$base_tree" "$base_rev" >/dev/null
  cmake -S "$base_tree" -B "$base_tree/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$base_tree/build" --target casebook >/dev/null
fi
echo "building this tree's casebook …" >&2
cmake --build "$build_dir" --target casebook >/dev/null

outputs() {  # binary, project root, output folder
  local binary=$1 project=$2 out=$3
  mkdir -p "$out/results"
  for dir in "$project"/cases/*/; do
    local id
    id=$(basename "$dir")
    local code=0
    "$binary" --root "$project" run "$id" --json "$out/results/$id.json" >/dev/null 2>&1 || code=$?
    if ((code > 1)); then
      echo "$binary: run $id exited $code" >&2
      return 1
    fi
  done
  "$binary" --root "$project" site --out "$out/site" >/dev/null 2>&1
}

echo "running every case and rendering the site with both …" >&2
outputs "$base_tree/build/casebook" "$base_tree" "$work/base"
outputs "$root/$build_dir/casebook" "$root" "$work/new"

status=0
/usr/bin/python3 - "$work/base/results" "$work/new/results" <<'EOF' || status=1
import json, pathlib, sys

def missing(old, new, path):
    """Every value of `old` must be in `new` at the same path; `new` may have more keys."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            yield f"{path}: was an object"
            return
        for key, value in old.items():
            if key not in new:
                yield f"{path}.{key}: gone"
            else:
                yield from missing(value, new[key], f"{path}.{key}")
    elif isinstance(old, list):
        if not isinstance(new, list) or len(old) != len(new):
            yield f"{path}: list changed length"
            return
        for i, (a, b) in enumerate(zip(old, new)):
            yield from missing(a, b, f"{path}[{i}]")
    elif old != new:
        yield f"{path}: {old!r} -> {new!r}"

base, new = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
bad = 0
for old_file in sorted(base.glob("*.json")):
    new_file = new / old_file.name
    if not new_file.exists():
        print(f"{old_file.name}: no results in the new run")
        bad += 1
        continue
    problems = list(missing(json.loads(old_file.read_text()), json.loads(new_file.read_text()), "$"))
    for p in problems[:20]:
        print(f"{old_file.name}: {p}")
    bad += bool(problems)
    if not problems:
        print(f"{old_file.name}: every value kept")
sys.exit(1 if bad else 0)
EOF
if diff -rq "$work/base/site" "$work/new/site"; then
  echo "site: byte-identical ($(find "$work/new/site" -type f | wc -l) files)"
else
  status=1
fi
exit $status
