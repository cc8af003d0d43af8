// Benchmarks of upkeep::Split: allocation of one amount over many customers by weight.
//
//   BM_AllocateRatios/<n>      weights below 10^9 and an amount of 10^10 minor units: every
//                              amount * weight fits in 64 bits (the fast path).
//   BM_AllocateRatiosWide/<n>  arbitrary 64-bit weights: totals beyond 64 bits, 128-bit path.
//   BM_AllocateRatiosSortBaseline/<n>  the textbook method on the fast-path input, measured in
//                              the same run for a ratio: a division per part, then a full sort.
// Items are parts, so items_per_second is parts allocated per second.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "upkeep/split.h"

namespace {

constexpr int64_t kAmountMinor = 10'000'000'000;  // 100 million CNY in fen
constexpr uint64_t kNarrowWeightMax = 999'999'999;

struct Input {
  std::vector<uint64_t> weights;
  std::vector<uint64_t> keys;
};

Input MakeInput(size_t n, uint64_t weight_max) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<uint64_t> weight(0, weight_max);
  Input in;
  in.weights.resize(n);
  for (uint64_t& w : in.weights) w = weight(rng);
  in.keys.resize(n);
  std::iota(in.keys.begin(), in.keys.end(), uint64_t{0});
  return in;
}

void RunSplit(benchmark::State& state, uint64_t weight_max) {
  const Input in = MakeInput(static_cast<size_t>(state.range(0)), weight_max);
  std::vector<int64_t> parts;
  for (auto _ : state) {
    const absl::Status status = upkeep::Split(kAmountMinor, in.weights, in.keys, parts);
    if (!status.ok()) {
      state.SkipWithError("Split failed");
      break;
    }
    benchmark::DoNotOptimize(parts.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_AllocateRatios(benchmark::State& state) { RunSplit(state, kNarrowWeightMax); }
void BM_AllocateRatiosWide(benchmark::State& state) { RunSplit(state, UINT64_MAX); }

// Largest remainder as usually written; correct only for this input (no overflow checks).
void BM_AllocateRatiosSortBaseline(benchmark::State& state) {
  const Input in = MakeInput(static_cast<size_t>(state.range(0)), kNarrowWeightMax);
  const uint64_t total = std::accumulate(in.weights.begin(), in.weights.end(), uint64_t{0});
  const auto amount = static_cast<uint64_t>(kAmountMinor);
  std::vector<int64_t> parts;
  for (auto _ : state) {
    struct Entry {
      uint64_t remainder;
      uint64_t key;
      size_t index;
    };
    std::vector<Entry> entries(in.weights.size());
    parts.assign(in.weights.size(), 0);
    uint64_t given = 0;
    for (size_t i = 0; i < in.weights.size(); ++i) {
      const uint64_t product = amount * in.weights[i];
      parts[i] = static_cast<int64_t>(product / total);
      given += product / total;
      entries[i] = {product % total, in.keys[i], i};
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.remainder != b.remainder ? a.remainder > b.remainder : a.key < b.key;
    });
    for (size_t k = 0; k < amount - given; ++k) parts[entries[k].index] += 1;
    benchmark::DoNotOptimize(parts.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_AllocateRatios)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateRatiosWide)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateRatiosSortBaseline)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
