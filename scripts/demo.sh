#!/usr/bin/env bash
# The main job, with nothing to configure: generates a synthetic NCCID-like sample (when absent) and runs the
# demo release job (jobs/demo-release.json) on it. Usage: scripts/demo.sh [work folder] (default: ./out/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-out/demo}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Engine/Engine.csproj -c Release -nologo -v q
exec Engine/bin/Release/net10.0/nccid-batch demo --out "$work"
