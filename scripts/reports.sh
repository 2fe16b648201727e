#!/usr/bin/env bash
# Regenerates the reports of the bundled example estate that are committed
# in reports/, one file per format. The audit time is fixed (through
# SOURCE_DATE_EPOCH) to the time the example snapshot was collected, so the
# same byos-audit and the same estate give the same bytes; a test fails
# when the committed reports are stale.
#
#   scripts/reports.sh [BYOS_AUDIT [DIR]]    (defaults: build/byos-audit, reports)
#
# Each report is written to stdout and renamed into place, so the command
# line recorded in the SARIF names no output path.
set -euo pipefail
cd "$(dirname "$0")/.."
audit=${1:-build/byos-audit}
dir=${2:-reports}

export SOURCE_DATE_EPOCH=1796031000 # 2026-11-30T09:30:00Z
estate=(examples/estate/*.json examples/estate/fabrikam-eu/*.json)
mkdir -p "$dir"
for format in text json sarif html markdown junit; do
  case $format in
    text) name=byos-audit.txt ;;
    markdown) name=byos-audit.md ;;
    junit) name=byos-audit.junit.xml ;;
    *) name=byos-audit.$format ;;
  esac
  # Exit 1 (findings) is what the example estate is for; anything else is
  # a failure.
  status=0
  "$audit" check "${estate[@]}" --format "$format" >"$dir/$name.tmp" \
    || status=$?
  if [ "$status" -gt 1 ]; then
    rm -f "$dir/$name.tmp"
    echo "byos-audit: $format report failed with exit code $status" >&2
    exit "$status"
  fi
  mv "$dir/$name.tmp" "$dir/$name"
done
