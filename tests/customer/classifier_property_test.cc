// Properties of the built-in classifiers over thousands of random portfolios.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/classify.h"
#include "upkeep/testing/portfolio_generator.h"

namespace upkeep {
namespace {

using testing::GeneratePortfolio;
using testing::PortfolioOptions;

std::vector<std::string> TierNames(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back("t" + std::to_string(i));
  return names;
}

PortfolioOptions Options(size_t customers, uint64_t seed) {
  PortfolioOptions options;
  options.customers = customers;
  options.seed = seed;
  options.with_custom_metric = true;
  return options;
}

// A random portfolio; small revenue ranges make many ties.
PortfolioOptions RandomOptions() {
  PortfolioOptions options =
      Options(*rc::gen::inRange<size_t>(0, 250), *rc::gen::arbitrary<uint64_t>());
  options.revenue_minor_max = *rc::gen::element<int64_t>(10, 1000, 100'000'000'00);
  return options;
}

// 1..4 strictly increasing whole percentages in 1..99.
std::vector<int> RandomBounds() {
  const size_t count = *rc::gen::inRange<size_t>(1, 5);
  std::vector<int> bounds = *rc::gen::unique<std::vector<int>>(count, rc::gen::inRange(1, 100));
  std::sort(bounds.begin(), bounds.end());
  return bounds;
}

std::vector<Decimal> AsDecimals(const std::vector<int>& values, bool descending) {
  std::vector<Decimal> decimals;
  for (int v : values) decimals.push_back(Decimal{v});
  if (descending) std::reverse(decimals.begin(), decimals.end());
  return decimals;
}

// One of the built-ins with a random configuration.
std::unique_ptr<const Classifier> RandomClassifier() {
  const std::vector<int> bounds = RandomBounds();
  const std::vector<std::string> tiers = TierNames(bounds.size() + 1);
  absl::StatusOr<std::unique_ptr<const Classifier>> made;
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      made = MakeAbcClassifier(
          {.metric = *rc::gen::element<std::string>("revenue", "gross_margin", "visits"),
           .cumulative_pct = AsDecimals(bounds, false)},
          tiers);
      break;
    case 1:
      made = MakeThresholdClassifier(
          {.weights = {{.metric = "revenue", .weight = *rc::gen::inRange(1, 10) * 1.0},
                       {.metric = "recency_days", .lower_is_better = true},
                       {.metric = "visits"}},
           .normalization = *rc::gen::element(Normalization::kMinMax, Normalization::kRank),
           .thresholds = AsDecimals(bounds, true)},
          tiers);
      break;
    case 2:
      made = MakeRfmClassifier(
          {.quantiles = *rc::gen::inRange(2, 11), .min_scores = AsDecimals(bounds, true)}, tiers);
      break;
    default:
      made = MakeThresholdClassifier({.metric = "revenue", .thresholds = AsDecimals(bounds, true)},
                                     tiers);
      break;
  }
  RC_ASSERT(made.ok());
  return *std::move(made);
}

RC_GTEST_PROP(ClassifierProperties, EveryCustomerGetsOneValidTierDeterministically, ()) {
  const std::unique_ptr<const Classifier> classifier = RandomClassifier();
  const Portfolio portfolio = GeneratePortfolio(RandomOptions());
  Classification first, second;
  RC_ASSERT(classifier->Classify(portfolio, first).ok());
  RC_ASSERT(CheckClassification(portfolio, first).ok());
  RC_ASSERT(classifier->Classify(portfolio, second).ok());
  RC_ASSERT(first.tier == second.tier);
  RC_ASSERT(first.score == second.score);
}

RC_GTEST_PROP(ClassifierProperties, InputOrderDoesNotMatter, ()) {
  const std::unique_ptr<const Classifier> classifier = RandomClassifier();
  const PortfolioOptions options = RandomOptions();
  const Portfolio ordered = GeneratePortfolio(options);
  const Portfolio shuffled = testing::RebuildShuffled(options, *rc::gen::arbitrary<uint64_t>());
  Classification a, b;
  RC_ASSERT(classifier->Classify(ordered, a).ok());
  RC_ASSERT(classifier->Classify(shuffled, b).ok());
  RC_ASSERT(a.tier == b.tier);
}

RC_GTEST_PROP(ClassifierProperties, AbcClassSharesRespectTheBounds, ()) {
  const std::vector<int> bounds = RandomBounds();
  absl::StatusOr<std::unique_ptr<const Classifier>> abc = MakeAbcClassifier(
      {.cumulative_pct = AsDecimals(bounds, false)}, TierNames(bounds.size() + 1));
  RC_ASSERT(abc.ok());
  const Portfolio portfolio = GeneratePortfolio(RandomOptions());
  Classification result;
  RC_ASSERT((*abc)->Classify(portfolio, result).ok());
  const size_t n = portfolio.size();
  absl::int128 total = 0;
  for (size_t i = 0; i < n; ++i) total += portfolio.metrics(i).revenue_minor;
  for (size_t j = 0; j < bounds.size(); ++j) {
    absl::int128 upper_sum = 0;  // revenue of classes 0..j
    bool any_lower = false;
    std::optional<int64_t> smallest_upper;
    for (size_t i = 0; i < n; ++i) {
      const int64_t revenue = portfolio.metrics(i).revenue_minor;
      if (result.tier[i] <= j) {
        upper_sum += revenue;
        smallest_upper = std::min(smallest_upper.value_or(revenue), revenue);
      } else {
        any_lower = true;
      }
    }
    const absl::int128 bound_of_total = absl::int128(bounds[j]) * total;
    // Someone below class j: classes 0..j reach the bound.
    if (any_lower) RC_ASSERT(upper_sum * 100 >= bound_of_total);
    // The last customer of classes 0..j started below the bound (it crossed, or reached, it).
    if (smallest_upper.has_value()) {
      RC_ASSERT((upper_sum - *smallest_upper) * 100 < bound_of_total);
    }
  }
  // A larger revenue never sits in a lower class; equal revenues by id.
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      const int64_t ra = portfolio.metrics(a).revenue_minor;
      const int64_t rb = portfolio.metrics(b).revenue_minor;
      if (ra >= rb) RC_ASSERT(result.tier[a] <= result.tier[b]);
      if (ra < rb) RC_ASSERT(result.tier[a] >= result.tier[b]);
    }
  }
}

RC_GTEST_PROP(ClassifierProperties, ScoresStayInTheirRanges, ()) {
  const Portfolio portfolio = GeneratePortfolio(RandomOptions());
  const int quantiles = *rc::gen::inRange(2, 11);
  absl::StatusOr<std::unique_ptr<const Classifier>> rfm =
      MakeRfmClassifier({.quantiles = quantiles, .min_scores = {Decimal{9}}}, TierNames(2));
  absl::StatusOr<std::unique_ptr<const Classifier>> weighted = MakeThresholdClassifier(
      {.weights = {{.metric = "growth"}, {.metric = "churn_risk", .lower_is_better = true}},
       .normalization = *rc::gen::element(Normalization::kMinMax, Normalization::kRank),
       .thresholds = {Decimal{50}}},
      TierNames(2));
  RC_ASSERT(rfm.ok() && weighted.ok());
  Classification r, w;
  RC_ASSERT((*rfm)->Classify(portfolio, r).ok());
  RC_ASSERT((*weighted)->Classify(portfolio, w).ok());
  for (size_t i = 0; i < portfolio.size(); ++i) {
    RC_ASSERT(r.score[i] >= 3 && r.score[i] <= 3 * quantiles);
    RC_ASSERT((r.score[i] >= 9) == (r.tier[i] == 0));
    RC_ASSERT(w.score[i] >= 0 && w.score[i] <= 100);
    RC_ASSERT((w.score[i] >= 50) == (w.tier[i] == 0));
  }
}

RC_GTEST_PROP(ClassifierProperties, HysteresisNeverMovesDownEarlyNorHoldsTooLong, ()) {
  const int periods = *rc::gen::inRange(1, 5);
  absl::StatusOr<std::unique_ptr<const Classifier>> held =
      WithHysteresis(RandomClassifier(), {.periods = periods});
  RC_ASSERT(held.ok());
  const size_t customers = *rc::gen::inRange<size_t>(1, 40);
  const int period_count = *rc::gen::inRange(2, 10);
  TierHistory history;
  std::vector<int> tier_before;   // per customer, last period's tier (-1: none)
  std::vector<int> below_streak;  // consecutive periods the rule placed it below its held tier
  for (int t = 0; t < period_count; ++t) {
    // Same ids every period, new metrics.
    const Portfolio portfolio =
        GeneratePortfolio(Options(customers, *rc::gen::arbitrary<uint64_t>()));
    Classification result;
    RC_ASSERT((*held)->ClassifyWithHistory(portfolio, history, result).ok());
    RC_ASSERT(CheckClassification(portfolio, result).ok());
    tier_before.resize(customers, -1);
    below_streak.resize(customers, 0);
    for (size_t i = 0; i < customers; ++i) {
      const int tier = result.tier[i];
      const int rule = result.rule_tier[i];
      RC_ASSERT(tier <= rule);  // never below what the rule says
      if (tier_before[i] < 0 || rule <= tier_before[i]) {
        RC_ASSERT(tier == rule);  // first period, or up (or same): immediate
        below_streak[i] = 0;
      } else {
        ++below_streak[i];
        if (below_streak[i] < periods) {
          RC_ASSERT(tier == tier_before[i]);  // not yet N periods below: held
          RC_ASSERT(result.periods_below[i] == below_streak[i]);
        } else {
          RC_ASSERT(tier == rule);  // N periods below: moved down
          below_streak[i] = 0;
        }
      }
      tier_before[i] = tier;
    }
    history = TierHistory::FromClassification(portfolio, result);
  }
}

}  // namespace
}  // namespace upkeep
