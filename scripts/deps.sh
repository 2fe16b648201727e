#!/usr/bin/env bash
# Installs the Debian 12 packages byos-audit needs to build (and, with
# --test, to run its tests), only those that are missing, through sudo when
# not run as root.
set -euo pipefail

packages=(
  g++ make cmake
  libboost1.81-dev libboost-json1.81-dev
  libboost-program-options1.81-dev libboost-test1.81-dev
  libssl-dev zlib1g-dev
)
# The tests also validate SARIF with Microsoft's multitool (from npm) and
# load the HTML report in Debian's headless Chromium.
if [ "${1-}" = --test ]; then
  packages+=(nodejs npm chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
# A node and npm from elsewhere serve as well as Debian's.
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=()
  for p in "${missing[@]}"; do
    [ "$p" = nodejs ] || [ "$p" = npm ] || kept+=("$p")
  done
  missing=("${kept[@]}")
fi

[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
echo "byos-audit: installing ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null
