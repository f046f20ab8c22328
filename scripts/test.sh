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
dotnet test NCCID.Batch.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one 'Passed!/Failed! - Failed: F, Passed: P, Skipped: S, Total: T' line per test assembly.
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed: " "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
