#!/usr/bin/env bash
# The integration suite: checks ModelZoo against software nobody here wrote (tritonclient, MLflow's
# request formats, onnx + onnxruntime, PySpark, chromium + selenium, schemathesis, wrk). Run by
# .ci/run after `swift test`. It installs what it needs (a pinned virtual environment under
# .build-integration/, Debian packages through Tests/Integration/apt-packages.txt) and fails loudly:
# a check that skips is a failure (conftest.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VENV="$ROOT/.build-integration/venv"

packages=$(grep -v '^#' Tests/Integration/apt-packages.txt | tr '\n' ' ' | xargs || true)
missing=""
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "integration: installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r Tests/Integration/requirements.txt

swift build -c release --product zoo
export ZOO_BIN="$ROOT/.build/release/zoo"
export ZOO_ROOT="$ROOT"
exec "$VENV/bin/python" -m pytest Tests/Integration -q -p no:cacheprovider "$@"
