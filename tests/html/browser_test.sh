#!/usr/bin/env bash
# Writes the HTML and SARIF reports of the example estate (with and without
# --speech-studio) and of the hostile fixture, then opens each page in
# Debian's chromium, headless, through puppeteer-core (browser_test.js).
# The page is opened from a file:// URL; npm install is the only network
# traffic. The screenshot goes to ARTIFACTS_DIR, in the build folder.
#
#   browser_test.sh BYOS_AUDIT TOOLS_DIR ARTIFACTS_DIR
set -euo pipefail
# Made absolute first: the audits run from the source folder, so that the
# reports name the inputs by the paths users know.
mkdir -p "$2" "$3"
audit=$(realpath "$1") tools=$(realpath "$2") artifacts=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=24.43.1
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
  echo "browser_test: $chromium not found (scripts/deps.sh installs it)" >&2
  exit 1
fi

# puppeteer-core is pinned and installed once per build folder. The folder
# names the version, so a new pin installs afresh. puppeteer-core fetches
# no browser of its own; PUPPETEER_SKIP_DOWNLOAD makes sure of it.
prefix="$tools/puppeteer-core-$version"
if [ ! -f "$prefix/node_modules/puppeteer-core/package.json" ]; then
  mkdir -p "$prefix"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund \
    --prefix "$prefix" "puppeteer-core@$version" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The exit code and stderr of each run are kept for browser_test.js to
# judge: exit 1 and 3 still write the reports.
audit_into() {
  local name=$1
  shift
  local rc=0
  "$audit" check "$@" --format sarif,html -o "$work/$name" \
    2>"$work/$name.log" || rc=$?
  echo "$rc" >"$work/$name.rc"
}

export SOURCE_DATE_EPOCH=1764806400
cd "$root"
estate=(examples/estate/*.json examples/estate/fabrikam-eu/*.json)
audit_into example "${estate[@]}"
audit_into example-studio "${estate[@]}" --speech-studio
fixture=tests/fixtures/hostile/hostile.snapshot.json
audit_into hostile "$fixture"

# Chromium's profile goes in the temporary folder too, so a killed run
# leaves nothing behind. The timeout is a last resort: the script has a
# watchdog of its own and a time limit on every browser step.
TMPDIR="$work" NODE_PATH="$prefix/node_modules" \
  timeout --kill-after=10 120 \
  node "$here/browser_test.js" "$work" "$artifacts" "$root/$fixture" \
  "$chromium"
