#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, runs every test file with
# node's test runner and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
rm -rf dist
npx tsc -p tsconfig.json
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
# The kubectl e2e suites record each test's outcome in a run directory; docs/compatibility.md is
# written from it after the run, which keeps its exit status.
export TSKUBE_COMPAT_DIR="$(mktemp -d)"
status=0
node --test --test-concurrency=1 --test-timeout=600000 "${files[@]}" || status=$?
node dist/test/e2e/write-compatibility.js || [ "$status" -ne 0 ] || status=1
exit "$status"
