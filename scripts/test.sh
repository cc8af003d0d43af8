#!/usr/bin/env bash
# Installs what is missing, builds upkeep (debug, with tests) and runs every test suite under
# CTest: C++ unit, property and concurrency tests, and the install/consumer test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset dev -G Ninja >/dev/null
cmake --build --preset dev
ctest --preset dev -j2 --timeout 600
