#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: dcmtk (dcmdump, the data dictionary) and python3-pydicom
# (reference reader and public DICOM test files). Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v dcmdump >/dev/null 2>&1 || need+=(dcmtk)
/usr/bin/python3 -c "import pydicom" >/dev/null 2>&1 || need+=(python3-pydicom)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || need+=(python3-pydicom)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
