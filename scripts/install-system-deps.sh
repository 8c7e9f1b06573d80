#!/usr/bin/env bash
# Installs the Debian packages Synthora needs, if any are missing:
# ffmpeg (assembly), espeak-ng (offline voice), fonts (captions), librsvg2-bin
# (icons), chromium (end-to-end tests). Needs root (or sudo) on Debian/Ubuntu.
set -euo pipefail

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
[ -d /usr/share/fonts/opentype/inter ] || [ -d /usr/share/fonts/truetype/inter ] || need+=(fonts-inter)
[ -d /usr/share/fonts/truetype/league-spartan ] || [ -d /usr/share/fonts/opentype/league-spartan ] || need+=(fonts-league-spartan)
if [ "${SYNTHORA_BROWSER:-1}" = "1" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
command -v node >/dev/null 2>&1 || need+=(nodejs npm)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
# de-duplicate
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
echo "Installing system packages: ${need[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Please install as root: apt-get install -y ${need[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
