#!/usr/bin/env bash
# The scan benchmark: a Release byos-audit scans a generated estate served
# by byos-fake-azure (the tests' loopback stand-in for Entra ID and ARM)
# with a fixed latency on every response, and prints the requests made,
# the peak in flight, the connections opened and the wall time, next to
# the lower bound the request graph allows at that concurrency:
#
#   max(depth, ceil(requests / concurrency)) x latency
#
# where depth is the longest chain of requests that wait for each other
# (token, subscription, Speech listing pages, storage account, role
# assignments, role definition).
#
#   bench/scan.sh [PAIRS [SUBSCRIPTIONS [LATENCY_MS]]]   default: 1000 10 20
#
# BENCH_CONCURRENCY sets --concurrency (default 16). Everything runs on
# 127.0.0.1; the files go to a temporary folder removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-1000} subs=${2:-10} latency=${3:-20}
concurrency=${BENCH_CONCURRENCY:-16}
say() { echo "byos-bench: $*" >&2; }

say "building (Release) in build-bench"
if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release \
         -DBYOS_AUDIT_TESTS=ON -DBYOS_AUDIT_BENCH=ON &&
       cmake --build build-bench -j"$(nproc)" \
         --target byos-audit byos-fake-azure; } >build-bench.log 2>&1; then
  cat build-bench.log >&2
  exit 1
fi

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A throwaway CA and a certificate for 127.0.0.1 it signs.
cat >"$work/leaf.ext" <<'EXT'
subjectAltName = IP:127.0.0.1, DNS:localhost
basicConstraints = CA:FALSE
EXT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=byos-bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" \
  -days 1 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=127.0.0.1" -keyout "$work/server.key" -out "$work/server.csr" \
  2>/dev/null
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" \
  -CAkey "$work/ca.key" -CAcreateserial -out "$work/server.pem" -days 1 \
  -extfile "$work/leaf.ext" 2>/dev/null

say "generating $pairs pairs in $subs subscriptions, ${latency} ms a response"
meta=$(python3 bench/scan_estate.py "$pairs" "$subs" "$latency" \
         "$work/estate.json")
tenant=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"])' \
         <<<"$meta")
mapfile -t sub_ids < <(python3 -c \
  'import json,sys; print("\n".join(json.load(sys.stdin)["subscriptions"]))' \
  <<<"$meta")

build-bench/tests/byos-fake-azure --estate "$work/estate.json" \
  --cert "$work/server.pem" --key "$work/server.key" \
  --port-file "$work/ports.json" --stats-file "$work/stats.json" \
  --max-seconds 900 &
server=$!
for _ in $(seq 100); do [ -s "$work/ports.json" ] && break; sleep 0.1; done
port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["https"])' \
         "$work/ports.json")

args=()
for s in "${sub_ids[@]}"; do args+=(--subscription "$s"); done
say "scanning with --concurrency $concurrency"
start=$(date +%s.%N)
status=0
env -i PATH=/usr/bin:/bin AZURE_TENANT_ID="$tenant" \
  AZURE_CLIENT_ID=bench-client AZURE_CLIENT_SECRET=bench-secret \
  AZURE_AUTHORITY_HOST="https://127.0.0.1:$port" SSL_CERT_FILE="$work/ca.pem" \
  AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:9 \
  build-bench/byos-audit scan "${args[@]}" \
  --arm-endpoint "https://127.0.0.1:$port" --concurrency "$concurrency" \
  --format json --output "$work/report.json" || status=$?
end=$(date +%s.%N)

python3 - "$work/stats.json" "$work/report.json" "$pairs" "$subs" \
  "$latency" "$concurrency" "$start" "$end" "$status" <<'PY'
import json, math, sys
stats = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
pairs, subs, latency, concurrency = map(int, sys.argv[3:7])
wall = float(sys.argv[8]) - float(sys.argv[7])
requests = stats["requests"]
pages = math.ceil(pairs / subs / 100)
depth = 5 + pages
bound = max(depth, math.ceil(requests / concurrency)) * latency / 1000
print("| pairs | subscriptions | latency | concurrency | requests | peak in "
      "flight | connections | wall time | lower bound | ratio | exit |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
      "| ---: |")
print("| {:,} | {} | {} ms | {} | {:,} | {} | {} | {:.2f} s | {:.2f} s | "
      "{:.2f}x | {} |".format(pairs, subs, latency, concurrency, requests,
                              stats["peakInFlight"], stats["connections"],
                              wall, bound, wall / bound if bound else 0,
                              sys.argv[9]))
summary = report.get("summary", {})
print("findings:", json.dumps(summary))
PY
