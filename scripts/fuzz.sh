#!/usr/bin/env bash
# Coverage-guided fuzzing of the DICOM reader: SharpFuzz instruments the engine assembly and AFL++ drives the
# harness (Engine.Tests/Fuzz, docs/reliability.md). Installs what it needs (Debian's afl++, the sharpfuzz tool from
# NuGet), builds, instruments, seeds AFL with the public pydicom test files and synthetic files, and fuzzes for the
# given minutes (default 30). Findings land in .work/fuzz/findings/default/{crashes,hangs}; replay one with
#   dotnet .work/fuzz/plain/dicom-fuzz.dll replay FILE
# (the uninstrumented build: the instrumented one runs only under afl-fuzz).
# Run it in the background on a shared machine: nice -n 19 bash scripts/fuzz.sh 30
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
minutes="${1:-30}"
work="$root/.work/fuzz"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/setup.sh
if ! command -v afl-fuzz >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "fuzz: installing afl++" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi

tools="$root/.test-tools/sharpfuzz"
if [ ! -x "$tools/sharpfuzz" ]; then
  echo "fuzz: installing the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0) into .test-tools/sharpfuzz" >&2
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# Publish into a clean folder and instrument only the engine: the reader, the projection and the audit checks are
# what is fuzzed; the runtime and the other libraries would only dilute the coverage map.
rm -rf "$work/bin" "$work/plain"
dotnet publish Engine.Tests/Fuzz/DicomFuzz.csproj -c Release -o "$work/plain" -nologo -v q
cp -r "$work/plain" "$work/bin"
"$tools/sharpfuzz" "$work/bin/nccid-batch.dll"

# Seeds: every public pydicom test file of at most 64 KiB that is DICOM (named .dcm, or "DICM" at byte 128), and
# the synthetic files; identical files once. Larger seeds only slow each execution.
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
pydicom=/usr/lib/python3/dist-packages/pydicom/data/test_files
find "$pydicom" -type f -size -65537c -print0 | sort -z | while IFS= read -r -d '' f; do
  if [[ "$f" == *.dcm ]] || [ "$(dd if="$f" bs=1 skip=128 count=4 2>/dev/null)" = "DICM" ]; then
    cp "$f" "$seeds/pydicom-$(md5sum < "$f" | cut -c1-12)-$(basename "$f")"
  fi
done
dotnet "$work/plain/dicom-fuzz.dll" seeds "$seeds"
# Identical contents once (pydicom ships a few files twice under different names).
find "$seeds" -type f -print0 | xargs -0 md5sum | sort | awk 'seen[$1]++ { print $2 }' | xargs -r rm -f
echo "fuzz: $(ls "$seeds" | wc -l) seeds" >&2

# AFL_SKIP_BIN_CHECK: the target is `dotnet`, whose instrumentation SharpFuzz provides at run time.
# AFL_NO_AFFINITY: the machine's cores are shared; AFL must not pin a core for itself.
# Self-check: with DICOM_FUZZ_CANARY=1 the harness throws on an input starting with "CANARY"; afl-fuzz must call
# that seed a crash, or a fuzzing run that finds nothing would prove nothing.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
rm -rf "$work/canary-in" "$work/canary-out"
mkdir -p "$work/canary-in"
printf 'CANARY' > "$work/canary-in/canary"
DICOM_FUZZ_CANARY=1 afl-fuzz -i "$work/canary-in" -o "$work/canary-out" -t 10000 -m none -V 5 -- dotnet "$work/bin/dicom-fuzz.dll" > "$work/canary.log" 2>&1 || true
if ! grep -q "results in a crash" "$work/canary.log"; then
  echo "fuzz: afl-fuzz did not see the canary input crash the target (see $work/canary.log)" >&2
  exit 1
fi
echo "fuzz: self-check passed: an exception in the target is a crash to afl-fuzz" >&2

rm -rf "$work/findings"
afl-fuzz -i "$seeds" -o "$work/findings" -x Engine.Tests/Fuzz/dicom.dict -t 5000 -m none -V $((minutes * 60)) \
  -- dotnet "$work/bin/dicom-fuzz.dll" || true

stats="$work/findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|saved_crashes|saved_hangs|stability) ' "$stats"
fi
crashes=$(find "$work/findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$work/findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "fuzz: ${minutes} min, ${crashes} crashes, ${hangs} hangs (in $work/findings/default)"
