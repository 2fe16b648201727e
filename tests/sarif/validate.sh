#!/usr/bin/env bash
# Validates byos-audit's SARIF with Microsoft's SARIF multitool, with the
# SARIF and GitHub (GHAS) rule sets on and GitHub's acceptance rules raised
# to errors (github-policy.xml). The multitool exits 0 even when it finds
# errors, so this reads its output log: any error or warning fails.
#
#   validate.sh BYOS_AUDIT TEST_BINARY TOOLS_DIR
set -euo pipefail
audit=$1 tests=$2 tools=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=5.7.0

# The multitool is pinned and installed once per build folder.
multitool="$tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  mkdir -p "$tools/sarif-multitool"
  npm install --silent --no-audit --no-fund --prefix "$tools/sarif-multitool" \
    "@microsoft/sarif-multitool-linux@$version" >/dev/null
  chmod u+x "$multitool"
fi
# The tool is a .NET program; without this it needs libicu.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sarif"

# The example estate, as the demo writes it and with every option.
cd "$root"
estate=(examples/estate/*.json examples/estate/fabrikam-eu/*.json)
"$audit" check "${estate[@]}" --format sarif -o "$work/sarif/example.sarif" \
  || [ $? -eq 1 ]
"$audit" check "${estate[@]}" --speech-studio --sarif-include-passes \
  --sarif-category byos/weekly --format sarif \
  -o "$work/sarif/example-all.sarif" || [ $? -eq 1 ]

# With suppressions (holding, expired, unused) and against a baseline
# that differs (the tts audit of the same estate): accepted results,
# configuration notifications, and every baseline state, absent included;
# and the same for GitHub, without what GitHub would misread.
"$audit" check "${estate[@]}" --scenario tts --format sarif \
  -o "$work/baseline.sarif" || [ $? -eq 1 ]
for profile in "" --github; do
  "$audit" check "${estate[@]}" --config "$here/triage-config.json" \
    --baseline "$work/baseline.sarif" $profile --format sarif \
    -o "$work/sarif/triaged${profile}.sarif" 2>/dev/null || [ $? -eq 1 ]
done
node - "$work/sarif/triaged.sarif" <<'JS'
const run = JSON.parse(require("fs").readFileSync(process.argv[2])).runs[0];
const states = new Set(run.results.map(r => r.baselineState));
const accepted = run.results.filter(r => r.suppressions).length;
const notes = run.invocations[0].toolConfigurationNotifications || [];
for (const s of ["new", "unchanged", "absent"])
  if (!states.has(s)) { console.log(`no ${s} result`); process.exit(1); }
if (!accepted || notes.length < 2) {
  console.log("no suppression or configuration notification");
  process.exit(1);
}
JS

# The committed report of the example estate, as users first see it.
cp reports/byos-audit.sarif "$work/sarif/committed-example.sarif"

# Every estate of the rule fixture cases.
BYOS_SARIF_DUMP_DIR="$work/sarif" "$tests" --run_test=rule_cases \
  >/dev/null

count=$(ls "$work/sarif" | wc -l)
"$multitool" validate --rule-kind "Sarif;Ghas" \
  --config "$here/github-policy.xml" --quiet true \
  -o "$work/validation.sarif" "$work/sarif/*.sarif"

node - "$work/validation.sarif" "$count" <<'JS'
const [log, count] = process.argv.slice(2);
const sarif = JSON.parse(require("fs").readFileSync(log, "utf8"));
let problems = 0;
for (const run of sarif.runs)
  for (const r of run.results || []) {
    const level = r.level || "warning";
    if (level !== "error" && level !== "warning") continue;
    problems++;
    const where = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
    console.log(`${level} ${r.ruleId} ${where}: ` +
                JSON.stringify(r.message));
  }
console.log(`${count} SARIF files validated: ${problems} errors and ` +
            "warnings");
process.exit(problems ? 1 : 0);
JS
