#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: dcmtk (dcmdump, the data dictionary), python3-pydicom
# (reference reader and public DICOM test files) and postgresql (the server the cluster tests start on their own).
# Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v dcmdump >/dev/null 2>&1 || need+=(dcmtk)
/usr/bin/python3 -c "import pydicom" >/dev/null 2>&1 || need+=(python3-pydicom)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || need+=(python3-pydicom)
# PostgreSQL's server binaries (initdb, postgres): the cluster tests start their own server (Engine.Tests/Fixtures/PostgresFixture.cs).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The S3-compatible server the storage tests start (Engine.Tests/Fixtures/S3ServerFixture.cs), from the npm registry.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$root/.test-tools/s3rver/node_modules/s3rver/bin/s3rver.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "setup: installing s3rver@3.7.1 into .test-tools/s3rver" >&2
  npm install --silent --no-audit --no-fund --prefix "$root/.test-tools/s3rver" s3rver@3.7.1 >/dev/null
fi
# s3rver 3.7.1 decodes x-amz-copy-source with decodeURI, which leaves the %2F that the AWS SDKs send for '/' between
# bucket and key, so every CopyObject fails with NoSuchBucket; S3 decodes the whole value.
copy_controller="$root/.test-tools/s3rver/node_modules/s3rver/lib/controllers/object.js"
if grep -q "decodeURI(ctx.headers\['x-amz-copy-source'\])" "$copy_controller"; then
  sed -i "s/decodeURI(ctx.headers\['x-amz-copy-source'\])/decodeURIComponent(ctx.headers['x-amz-copy-source'])/" "$copy_controller"
fi
