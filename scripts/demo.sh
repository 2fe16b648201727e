#!/usr/bin/env bash
# The quick start's first command: installs what is missing, builds
# byos-audit and audits the bundled example estate, leaving its reports in
# reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target byos-audit -j"$(nproc)"

# The reports committed in reports/, one per format.
scripts/reports.sh build/byos-audit reports

estate=(examples/estate/*.json examples/estate/fabrikam-eu/*.json)
build/byos-audit check "${estate[@]}" && status=0 || status=$?
echo
echo "Reports: reports/byos-audit.html (open it in a browser), .sarif, .txt,"
echo "         .json, .md and .junit.xml"
echo "Exit code $status (0 clean, 1 findings at or above --fail-on," \
     "2 bad input, 3 incomplete audit)."
