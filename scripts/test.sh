#!/usr/bin/env bash
# The quick start's second command, and what CI runs: installs what is
# missing, builds everything and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBYOS_AUDIT_TESTS=ON \
  >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure
