#!/usr/bin/env bash
# Installs the validators (package-lock.json, from the npm registry) into WORK_DIR and validates
# the Kubernetes manifests and GitHub workflows (validate_recipes.mjs). Exits 77 (ctest: skipped)
# saying why when Node.js or the npm registry is not at hand.
# Usage: tests/ops/validate_recipes.sh WORK_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$1
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "SKIP: Node.js and npm are not installed" >&2; exit 77; }
mkdir -p "$work"
cp "$here"/package.json "$here"/package-lock.json "$here"/*.mjs "$work/"
if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
  echo "SKIP: npm ci could not install the validators: $(tail -n 1 "$work/npm.log")" >&2
  exit 77
fi
cd "$work" && exec node --import ./register-json-loader.mjs validate_recipes.mjs "$repo"
