// Benchmarks of the built-in classifiers over one seeded portfolio of 1,000,000 customers.
//
//   BM_Classify                   ABC on revenue, A to 80 %, B to 95 % (the figure).
//   BM_ClassifyAbcSortBaseline    the textbook ABC core measured in the same run for a ratio:
//                                 std::sort of (revenue, index) pairs, then one cumulative pass.
//   BM_ClassifyThreshold          minimums on revenue (exact, minor units).
//   BM_ClassifyWeightedRank       weighted score over three rank-normalised metrics.
//   BM_ClassifyRfm                RFM with 5 quantiles.
//   BM_ClassifyAbcWithHysteresis  ABC plus hysteresis against last period's history.
// Items are customers, so items_per_second is customers classified per second.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "benchmark/benchmark.h"
#include "upkeep/classify.h"
#include "upkeep/testing/portfolio_generator.h"

namespace {

constexpr size_t kCustomers = 1'000'000;
const std::vector<std::string> kAbc = {"A", "B", "C"};
const std::vector<std::string> kFour = {"strategic", "key", "growth", "basic"};

const upkeep::Portfolio& MillionCustomers() {
  static const upkeep::Portfolio* const portfolio = [] {
    upkeep::testing::PortfolioOptions options;
    options.customers = kCustomers;
    options.seed = 42;
    return new upkeep::Portfolio(upkeep::testing::GeneratePortfolio(options));
  }();
  return *portfolio;
}

void Run(benchmark::State& state, absl::StatusOr<std::unique_ptr<const upkeep::Classifier>> made,
         const upkeep::TierHistory& history = upkeep::TierHistory()) {
  const upkeep::Portfolio& portfolio = MillionCustomers();
  if (!made.ok()) {
    state.SkipWithError(made.status().ToString().c_str());
    return;
  }
  upkeep::Classification result;
  for (auto _ : state) {
    const absl::Status status = (*made)->ClassifyWithHistory(portfolio, history, result);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(result.tier.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(portfolio.size()));
}

void BM_Classify(benchmark::State& state) { Run(state, upkeep::MakeAbcClassifier({}, kAbc)); }

void BM_ClassifyAbcSortBaseline(benchmark::State& state) {
  const upkeep::Portfolio& portfolio = MillionCustomers();
  std::vector<uint8_t> tier(portfolio.size());
  for (auto _ : state) {
    std::vector<std::pair<int64_t, uint32_t>> ranked(portfolio.size());
    absl::int128 total = 0;
    for (size_t i = 0; i < portfolio.size(); ++i) {
      ranked[i] = {portfolio.metrics(i).revenue_minor, static_cast<uint32_t>(i)};
      total += ranked[i].first;
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    absl::int128 cumulative = 0;
    for (const auto& [revenue, index] : ranked) {
      tier[index] = cumulative * 100 < total * 80 ? 0 : (cumulative * 100 < total * 95 ? 1 : 2);
      cumulative += revenue;
    }
    benchmark::DoNotOptimize(tier.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(portfolio.size()));
}

void BM_ClassifyThreshold(benchmark::State& state) {
  Run(state, upkeep::MakeThresholdClassifier(
                 {.metric = "revenue",
                  .thresholds = {upkeep::Decimal{50'000'000}, upkeep::Decimal{10'000'000},
                                 upkeep::Decimal{1'000'000}}},
                 kFour));
}

void BM_ClassifyWeightedRank(benchmark::State& state) {
  Run(state, upkeep::MakeThresholdClassifier(
                 {.weights = {{.metric = "revenue", .weight = 0.6},
                              {.metric = "order_count", .weight = 0.2},
                              {.metric = "recency_days", .weight = 0.2, .lower_is_better = true}},
                  .normalization = upkeep::Normalization::kRank,
                  .thresholds = {upkeep::Decimal{80}, upkeep::Decimal{60}, upkeep::Decimal{40}}},
                 kFour));
}

void BM_ClassifyRfm(benchmark::State& state) {
  Run(state,
      upkeep::MakeRfmClassifier(
          {.min_scores = {upkeep::Decimal{13}, upkeep::Decimal{10}, upkeep::Decimal{7}}}, kFour));
}

void BM_ClassifyAbcWithHysteresis(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<const upkeep::Classifier>> abc =
      upkeep::MakeAbcClassifier({}, kAbc);
  upkeep::Classification last_period;
  if (!abc.ok() || !(*abc)->Classify(MillionCustomers(), last_period).ok()) {
    state.SkipWithError("could not classify the previous period");
    return;
  }
  const upkeep::TierHistory history =
      upkeep::TierHistory::FromClassification(MillionCustomers(), last_period);
  Run(state, upkeep::WithHysteresis(*std::move(abc), {.periods = 2}), history);
}

BENCHMARK(BM_Classify)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyAbcSortBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyThreshold)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyWeightedRank)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyRfm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClassifyAbcWithHysteresis)->Unit(benchmark::kMillisecond);

}  // namespace
