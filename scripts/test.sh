#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds in Release with warnings as errors, runs every test,
# and ends with one summary line 'N passed, N failed, N skipped'.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build NCCID.Batch.sln -c Release -nologo -v q

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
# A test that hangs is stopped after 10 minutes and named, rather than holding the run until CI's limit.
dotnet test NCCID.Batch.sln -c Release --no-build -nologo --logger "console;verbosity=normal" \
  --blame-hang-timeout 10min --blame-hang-dump-type none 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test ends each assembly's run with 'Total tests: T', '     Passed: P', '     Failed: F', '    Skipped: S' lines.
count() { { grep -E "^ +$1: +[0-9]+$" "$log" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
# A failure's name and message again, just above the summary, so the end of a long log says what failed.
if [ "$failed" -ne 0 ]; then
  echo "failed tests:"
  awk '/^  Failed [A-Za-z]/ {n = 14} /^  (Passed|Skipped) [A-Za-z]/ {n = 0} n > 0 {print; n--}' "$log"
fi
if grep -q "^Test Run Aborted" "$log"; then
  echo "test run aborted (a test hung or the test host crashed); the tests running then:"
  awk '/running when the crash occurred/ {on = 1; next} on && /^$/ && seen {exit} on && NF {print; seen = 1}' "$log"
fi
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
