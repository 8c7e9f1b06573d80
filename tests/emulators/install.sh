#!/usr/bin/env bash
# Install the emulators the Google Cloud adapter tests start (offline-capable mirrors work too):
#   .venv-tasks-emulator    gcloud-tasks-emulator (own venv: it pins protobuf<5)
#   .venv-storage-emulator  gcp-storage-emulator
#   tests/emulators/node_modules  @firestore-emulator/server (npm)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
for name in tasks storage; do
  venv=".venv-${name}-emulator"
  req="tests/emulators/requirements-${name}.txt"
  stamp="${venv}/.installed"
  if [[ ! -f "${stamp}" || "${req}" -nt "${stamp}" ]]; then
    [[ -x "${venv}/bin/python" ]] || "${PYTHON}" -m venv "${venv}"
    "${venv}/bin/pip" install -q --disable-pip-version-check -r "${req}"
    touch "${stamp}"
  fi
done
if [[ ! -f tests/emulators/node_modules/.installed || tests/emulators/package-lock.json -nt tests/emulators/node_modules/.installed ]]; then
  (cd tests/emulators && npm ci --no-audit --no-fund --loglevel=error)
  touch tests/emulators/node_modules/.installed
fi
