#!/usr/bin/env bash
# Times upkeep against hledger and ledger on one data set (bench/peers/README.md).
#   bash bench/peers/run.sh [--sizes 100000,1000000] [--customers 10000] [--work DIR]
# Installs hledger and ledger with apt-get when they are missing (as root, or with sudo), and
# builds the CLI (release preset) unless UPKEEP=/path/to/upkeep names one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

missing=()
command -v hledger >/dev/null || missing+=(hledger)
command -v ledger >/dev/null || missing+=(ledger)
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "peers: installing ${missing[*]} with apt-get"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

upkeep="${UPKEEP:-}"
if [[ -z "$upkeep" ]]; then
  if [[ ! -d "$root/build/release" ]]; then cmake --preset release -G Ninja -S "$root"; fi
  cmake --build "$root/build/release" -j2 --target upkeep_cli
  upkeep="$root/build/release/cli/upkeep"
fi
echo "peers: $("$upkeep" --version 2>/dev/null || echo "$upkeep"); $(hledger --version); $(ledger --version | head -1)"
exec python3 "$root/bench/peers/peers.py" --upkeep "$upkeep" --require-peers "$@"
