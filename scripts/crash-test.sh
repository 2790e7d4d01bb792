#!/usr/bin/env bash
# The long crash run of the hardening work: kill -9 at random moments during concurrent
# connect-and-message exchanges, restart on the same data, on SQLite and on PostgreSQL; asserts
# what test/e2e/crashRecovery.e2e.test.ts asserts (`npm test` runs it with 3 kills) and writes one
# JSON line of figures per store. Usage: scripts/crash-test.sh [kills per store, default 50]
# (PostgreSQL as for the tests: scripts/ensure-postgres.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-50}"
report="${CREDENCE_CRASH_REPORT:-bench/results/crash-$(date -u +%Y-%m-%dT%H-%M-%S).jsonl}"
mkdir -p "$(dirname "$report")"
npm run -s build
CREDENCE_TEST_KILLS="$kills" CREDENCE_CRASH_REPORT="$report" npx vitest run test/e2e/crashRecovery.e2e.test.ts -t "kill -9"
echo "figures: $report"
cat "$report"
