#!/usr/bin/env bash
# Installs what is missing, builds upkeep (optimized) and runs the main job on the bundled
# sample portfolio: classify the customers, size the period's budget, allocate it by tier, and
# print the allocation by tier.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release -G Ninja >/dev/null
cmake --build --preset release --target upkeep_allocate_example
./build/release/examples/upkeep_allocate_example \
  --policy examples/policy.json --portfolio examples/data/portfolio.csv
