#!/usr/bin/env bash
# Installs what is missing, builds upkeep (optimized) and runs the main job on the bundled
# sample: `upkeep demo` classifies the customers, sizes the period's budget, allocates it by
# tier into a book (build/release/upkeep-demo.db), runs a year of spend requests through the
# control policies, prints the summary and writes the year's dashboard
# (build/release/upkeep-demo.html).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release -G Ninja >/dev/null
cmake --build --preset release --target upkeep_cli upkeep_allocate_example
./build/release/cli/upkeep demo --book build/release/upkeep-demo.db --replace
