#!/usr/bin/env bash
# What `make dev` installs before it runs Synthora: only what running needs
# (no browser, no test tools), independent installs side by side, each phase
# timed. Re-running skips what is already installed (stamp files), and pip and
# npm keep their download caches (~/.cache/pip, ~/.npm), so nothing is
# downloaded twice.
#
#   phase 1  system packages (ffmpeg, espeak-ng, fonts, node; no chromium)
#            | Python runtime packages (requirements/prod.lock)       side by side
#   phase 2  firebase-tools (tools/) | web app packages (hosting/)     side by side
#   phase 3  web app build
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
LOGS=.synthora/install
mkdir -p "$LOGS"
declare -A took=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# run NAME CMD...: runs CMD in the background, its output in $LOGS/NAME.log.
declare -A pids=() starts=()
run() {
  local name=$1; shift
  starts[$name]=$(now)
  ( "$@" ) >"$LOGS/$name.log" 2>&1 &
  pids[$name]=$!
}
# wait_all: waits for every background phase, records its time, fails loudly.
wait_all() {
  local failed=0 name
  for name in "${!pids[@]}"; do
    if wait "${pids[$name]}"; then
      took[$name]=$(elapsed "${starts[$name]}" "$(now)")
    else
      failed=1
      took[$name]="failed"
      echo "install step '$name' failed; its log ($LOGS/$name.log) ends with:" >&2
      tail -n 25 "$LOGS/$name.log" >&2
    fi
  done
  pids=()
  [ "$failed" = 0 ]
}

python_runtime() {
  # A venv with the dev tools (made by make test) satisfies the runtime too.
  local stamp
  for stamp in "$VENV/.installed" "$VENV/.installed-runtime"; do
    if [ "$stamp" -nt requirements/prod.lock ] && [ "$stamp" -nt pyproject.toml ]; then
      echo "already installed ($stamp)"; return 0
    fi
  done
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements/prod.lock
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e .
  touch "$VENV/.installed-runtime"
}

npm_install() {
  local dir=$1; shift
  if [ -f "$dir/node_modules/.installed" ] && [ "$dir/node_modules/.installed" -nt "$dir/package-lock.json" ]; then
    echo "already installed"; return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline "$@")
  touch "$dir/node_modules/.installed"
}

web_build() {
  if [ -f hosting/dist/index.html ] \
      && [ -z "$(find hosting/src hosting/index.html hosting/package-lock.json -newer hosting/dist/index.html -print -quit)" ]; then
    echo "already built"; return 0
  fi
  (cd hosting && npm run build)
}

total_start=$(now)
run system env SYNTHORA_BROWSER=0 bash scripts/install-system-deps.sh
run python python_runtime
wait_all
# re2 (optional, Hosting rewrites only) would compile from source: skipped.
run firebase-tools npm_install tools --omit=optional
run web-packages npm_install hosting
wait_all
run web-build web_build
wait_all
total=$(elapsed "$total_start" "$(now)")

printf '\n  install phases (seconds; logs in %s/)\n' "$LOGS"
printf '    %-16s %8s\n' "system packages" "${took[system]}" "python runtime" "${took[python]}" \
  "firebase-tools" "${took[firebase-tools]}" "web packages" "${took[web-packages]}" \
  "web build" "${took[web-build]}" "total" "$total"
printf '\n'
