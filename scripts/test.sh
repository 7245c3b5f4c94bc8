#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, runs every test file with
# node's test runner and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
rm -rf dist
npx tsc -p tsconfig.json
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
exec node --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
