#!/usr/bin/env bash
# The scale benchmark: builds a Release byos-audit in build-bench, generates
# estates of 1,000, 10,000 and 100,000 Speech and storage account pairs, and
# prints one table comparing `byos-audit check` with Boost.JSON parsing the
# same file and nothing more. The aim is an audit within 2x the parse's time
# and 1.5x its peak memory, both growing linearly with the estate.
#
#   bench/run.sh [PAIRS...]        default: 1000 10000 100000
#
# Each command runs BENCH_RUNS times (default 3), the two taking turns; the
# table shows the median wall time and the median peak resident memory, as
# /usr/bin/time measures them. A run longer than BENCH_TIMEOUT seconds (default 3600) is stopped,
# shown as ">LIMIT", and not repeated. The generated files go to a temporary
# folder that is removed on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-3600}

say() { echo "byos-bench: $*" >&2; }

# GNU time reports peak memory; the shell's builtin does not.
if [ ! -x /usr/bin/time ]; then
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  say "installing the time package"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
    --no-install-recommends time >/dev/null
fi

# The compiler's output is shown only when the build fails.
say "building (Release) in build-bench"
mkdir -p build-bench
if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release \
         -DBYOS_AUDIT_BENCH=ON -DBYOS_AUDIT_TESTS=OFF &&
       cmake --build build-bench -j"$(nproc)" \
         --target byos-audit byos-bench-gen byos-bench-parse
     } >build-bench/bench-build.log 2>&1; then
  cat build-bench/bench-build.log >&2
  exit 1
fi

audit=build-bench/byos-audit
gen=build-bench/bench/byos-bench-gen
parse=build-bench/bench/byos-bench-parse

work=$(mktemp -d "${TMPDIR:-/tmp}/byos-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs a command once under /usr/bin/time and prints "SECONDS KB", or
# "timeout" when it was stopped. Exit statuses in $ok count as success:
# check says 3 when the estate has gaps, which the generated one has.
measure() {
  local ok=$1
  shift
  local status=0
  # timeout runs under time, so that a stopped run leaves no process
  # behind; time then measures the command, which is timeout's only child.
  /usr/bin/time -f '%e %M' -o "$work/time" timeout "$limit" "$@" \
    >/dev/null 2>"$work/stderr" || status=$?
  if [ "$status" -eq 124 ]; then
    echo timeout
    return
  fi
  if [[ " $ok " != *" $status "* ]]; then
    say "failed with status $status: $*"
    cat "$work/stderr" >&2
    exit 1
  fi
  # time puts "Command exited with non-zero status N" before the numbers.
  tail -n 1 "$work/time"
}


# The median of a list of numbers.
median() {
  printf '%s\n' "$@" | sort -g | sed -n "$(( $# / 2 + 1 ))p"
}

# Runs the bare parse and the audit of one file $runs times each, taking
# turns, so that a machine that slows down or speeds up during the run
# affects both alike. Prints "PARSE_S PARSE_MB CHECK_S CHECK_MB" (medians),
# with "timeout" for a check that was stopped.
measure_pair() {
  local file=$1 report=$2
  local ps=() pk=() cs=() ck=()
  for ((r = 0; r < runs; r++)); do
    local p c
    p=$(measure "0" "$parse" "$file")
    # The report goes to a file in the temporary folder: --output
    # replaces its target by renaming a temporary file over it, which
    # must not be tried on /dev/null.
    c=$(measure "0 1 3" "$audit" check "$file" --format json \
      --output "$report" --fail-on never)
    if [ "$c" = timeout ]; then
      echo "${p% *} ${p#* } timeout timeout"
      return
    fi
    ps+=("${p% *}") pk+=("${p#* }") cs+=("${c% *}") ck+=("${c#* }")
  done
  echo "$(median "${ps[@]}") $(awk -v kb="$(median "${pk[@]}")" \
    'BEGIN { printf "%.1f", kb / 1024 }') $(median "${cs[@]}") $(awk \
    -v kb="$(median "${ck[@]}")" 'BEGIN { printf "%.1f", kb / 1024 }')"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (b > 0) printf "%.2f", a / b; else print "-" }'
}

row() {
  printf '%8s %8s %8s %9s %8s %9s %10s %9s\n' "$@"
}

# Rows are printed as they are measured, so a stopped run still shows the
# sizes it finished.
row pairs "file MB" "parse s" "parse MB" "check s" "check MB" \
  "time ratio" "mem ratio"
for pairs in "${sizes[@]}"; do
  file="$work/estate-$pairs.json"
  say "generating $pairs pairs"
  "$gen" "$pairs" "$file"
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1048576 }')

  say "$pairs pairs: parse and check, $runs runs each, taking turns"
  read -r parse_s parse_mb check_s check_mb \
    <<<"$(measure_pair "$file" "$work/report.json")"
  rm -f "$work/report.json" "$file"

  if [ "$check_s" = timeout ]; then
    row "$pairs" "$mb" "$parse_s" "$parse_mb" ">$limit" - \
      ">$(ratio "$limit" "$parse_s")" -
  else
    row "$pairs" "$mb" "$parse_s" "$parse_mb" "$check_s" "$check_mb" \
      "$(ratio "$check_s" "$parse_s")" "$(ratio "$check_mb" "$parse_mb")"
  fi
done
