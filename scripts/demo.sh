#!/usr/bin/env bash
# The quick start's first command: installs what is missing, builds
# byos-audit and audits the bundled example estate, leaving its reports in
# reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target byos-audit -j"$(nproc)"

mkdir -p reports
estate=(examples/estate/*.json examples/estate/fabrikam-eu/*.json)
for format in text json sarif; do
  ext=$format; [ "$format" = text ] && ext=txt
  build/byos-audit check "${estate[@]}" --format "$format" \
    --output "reports/example.$ext" || true
done

build/byos-audit check "${estate[@]}" && status=0 || status=$?
echo
echo "Reports: reports/example.txt, reports/example.json, reports/example.sarif"
echo "Exit code $status (0 clean, 1 findings at or above --fail-on," \
     "2 bad input, 3 incomplete audit)."
