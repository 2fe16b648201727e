#!/usr/bin/env bash
# Fails when the committed reports in reports/ are not what this build
# writes for the example estate (scripts/reports.sh regenerates them), and
# when two runs of it differ by a byte.
#
#   stale.sh BYOS_AUDIT
set -euo pipefail
audit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/scripts/reports.sh" "$audit" "$work/first"
"$root/scripts/reports.sh" "$audit" "$work/second"
if ! diff -r "$work/first" "$work/second" >"$work/diff"; then
  echo "two runs of scripts/reports.sh differ:"
  head -40 "$work/diff"
  exit 1
fi

mkdir "$work/committed"
for file in "$root"/reports/*; do
  [ "$(basename "$file")" = README.md ] || cp "$file" "$work/committed/"
done
if ! diff -r "$work/committed" "$work/first" >"$work/diff"; then
  echo "reports/ is stale: run scripts/reports.sh and commit the result"
  head -40 "$work/diff"
  exit 1
fi
echo "reports/ matches this build: $(ls "$work/first" | wc -l) reports"
