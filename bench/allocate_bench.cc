// Benchmarks of allocation over one seeded portfolio of 1,000,000 customers in 4 ABC tiers
// (strategic / key / growth / basic by cumulative revenue share 50 / 80 / 95 %).
//
//   BM_Allocate                pipeline: 5 % reserve, tier shares 40/30/20/10 by revenue within
//                              tiers, then a floor of 100.00 per customer and caps per tier
//                              (4000 / 2000 / 1000 / 500.00), water-filled within tiers (the
//                              issue's figure), into one result reused every iteration.
//   BM_AllocateNewResult       the same into a new result each time (the by-value Allocate).
//   BM_AllocateRevenueCap      weights per tier, then caps at 10 % of revenue redistributed
//                              across the whole portfolio.
//   BM_AllocateProportional    one rule, no floors or caps: proportional to revenue.
//   BM_AllocateSplitBaseline   the floor of the work, measured in the same run for a ratio: one
//                              largest-remainder Split of the pool by revenue.
// Every policy benchmark but BM_AllocateNewResult reuses its result. Items are customers;
// counters: bytes_per_customer held by the result (with its workspace), floored and capped
// customer counts.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "nlohmann/json.hpp"
#include "upkeep/allocation.h"
#include "upkeep/classify.h"
#include "upkeep/split.h"
#include "upkeep/testing/portfolio_generator.h"

namespace {

constexpr size_t kCustomers = 1'000'000;
constexpr int64_t kPoolMinor = 1'000'000'000'00;  // 1,000,000,000.00 CNY
const std::vector<std::string> kTiers = {"strategic", "key", "growth", "basic"};

struct Book {
  upkeep::Portfolio portfolio;
  upkeep::Classification classification;
};

const Book& MillionCustomers() {
  static const Book* const book = [] {
    upkeep::testing::PortfolioOptions options;
    options.customers = kCustomers;
    options.seed = 42;
    auto* made = new Book{upkeep::testing::GeneratePortfolio(options), {}};
    upkeep::AbcConfig abc;
    abc.cumulative_pct = {upkeep::Decimal{50, 0}, upkeep::Decimal{80, 0}, upkeep::Decimal{95, 0}};
    const absl::Status status = upkeep::MakeAbcClassifier(abc, kTiers)
                                    .value()
                                    ->Classify(made->portfolio, made->classification);
    if (!status.ok()) std::abort();
    return made;
  }();
  return *book;
}

// Allocates with the policy in `json` every iteration, into one result reused throughout (as a
// host allocating every period would; it is filled once before the timing, as the host's is
// after its first period), or with `fresh_result` into a new one each time.
void Run(benchmark::State& state, const char* json, bool fresh_result = false) {
  const Book& book = MillionCustomers();
  const nlohmann::json doc = nlohmann::json::parse(json);
  const upkeep::AllocationRegistry registry;
  auto policy =
      upkeep::MakeAllocationPolicy(upkeep::PolicyParams(doc, "/allocation"), kTiers, registry);
  if (!policy.ok()) {
    state.SkipWithError(policy.status().ToString().c_str());
    return;
  }
  const upkeep::Money pool = upkeep::Money::FromMinor(kPoolMinor, book.portfolio.currency());
  upkeep::Allocation last;
  if (!fresh_result) {  // a host's result is warm after its first period: so is this one
    const absl::Status warm = (*policy)->Allocate(book.portfolio, book.classification, pool, last);
    if (!warm.ok()) {
      state.SkipWithError(warm.ToString().c_str());
      return;
    }
  }
  for (auto _ : state) {
    absl::Status status;
    if (fresh_result) {
      absl::StatusOr<upkeep::Allocation> result =
          (*policy)->Allocate(book.portfolio, book.classification, pool);
      status = result.status();
      if (status.ok()) last = *std::move(result);
    } else {
      status = (*policy)->Allocate(book.portfolio, book.classification, pool, last);
    }
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(last.amount_minor.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kCustomers));
  size_t floored = 0, capped = 0;
  for (uint8_t flags : last.flags) {
    floored += (flags & upkeep::kAllocFloored) ? 1 : 0;
    capped += (flags & upkeep::kAllocCapped) ? 1 : 0;
  }
  state.counters["bytes_per_customer"] = static_cast<double>(last.BytesPerCustomer());
  state.counters["floored"] = static_cast<double>(floored);
  state.counters["capped"] = static_cast<double>(capped);
}

constexpr char kPipeline[] = R"({"policy": "pipeline", "reserve_pct": 5, "steps": [
    {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
     "within_tier": "by_metric", "metric": "revenue"},
    {"rule": "caps", "customer_floor": "100.00",
     "customer_cap": {"strategic": "4000.00", "key": "2000.00", "growth": "1000.00",
                      "basic": "500.00"}}]})";

void BM_Allocate(benchmark::State& state) { Run(state, kPipeline); }

void BM_AllocateNewResult(benchmark::State& state) { Run(state, kPipeline, /*fresh_result=*/true); }

void BM_AllocateRevenueCap(benchmark::State& state) {
  Run(state, R"({"policy": "pipeline", "steps": [
      {"rule": "tier_weights", "weights": {"strategic": 8, "key": 4, "growth": 2, "basic": 1}},
      {"rule": "caps", "customer_cap_pct_of_revenue": 10, "redistribute": "portfolio"}]})");
}

void BM_AllocateProportional(benchmark::State& state) {
  Run(state, R"({"policy": "proportional", "metric": "revenue"})");
}

void BM_AllocateSplitBaseline(benchmark::State& state) {
  const Book& book = MillionCustomers();
  std::vector<uint64_t> weights(kCustomers), keys(kCustomers);
  for (size_t i = 0; i < kCustomers; ++i) {
    weights[i] = static_cast<uint64_t>(book.portfolio.metrics(i).revenue_minor);
    keys[i] = book.portfolio.tie_key(i);
  }
  std::vector<int64_t> parts;
  for (auto _ : state) {
    if (!upkeep::Split(kPoolMinor, weights, keys, parts).ok()) {
      state.SkipWithError("split failed");
      return;
    }
    benchmark::DoNotOptimize(parts.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kCustomers));
}

BENCHMARK(BM_Allocate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateNewResult)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateRevenueCap)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateProportional)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateSplitBaseline)->Unit(benchmark::kMillisecond);

}  // namespace
