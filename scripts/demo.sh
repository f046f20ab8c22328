#!/usr/bin/env bash
# The main job, with nothing to configure: generates a synthetic NCCID-like sample and scans it into the
# instances table. Usage: scripts/demo.sh [work folder] (default: ./out/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-out/demo}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Engine/Engine.csproj -c Release -nologo -v q
cli="Engine/bin/Release/net10.0/nccid-batch"

rm -rf "$work/sample"
"$cli" synth --out "$work/sample" --patients 200 --seed 7
"$cli" scan "$work/sample" --out "$work/release" --include '*.dcm'
echo
echo "The instances table is in $work/release/instances/ (one row per DICOM file, errors included)."
echo "Open it with DuckDB: SELECT Modality, count(*) FROM read_parquet('$work/release/instances/*.parquet') GROUP BY 1;"
echo "What the generator injected on purpose is listed in $work/sample/ground-truth.jsonl."
