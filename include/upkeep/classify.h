// upkeep/classify.h: classifiers that place the customers of a portfolio into tiers.
//
// A Classifier reads a Portfolio and fills a Classification (see classification.h): one tier per
// customer, highest value first, with the score it compared and the rule in words. Built-ins:
//
//   - threshold: minimums on one metric ("revenue >= 1000000.00 -> strategic"), or on a weighted
//     score 0..100 over several metrics, each normalised to 0..1 by min-max or by mid-rank.
//   - abc: ABC/Pareto by cumulative share of a metric (default revenue): A up to 80 %, B up to
//     95 %, the rest C; any number of tiers.
//   - rfm: recency, frequency and monetary each scored 1..N by quantile, combined by weights and
//     mapped to tiers by minimum scores.
//
// Any classifier can be wrapped with hysteresis: a customer moves down only after N consecutive
// periods in which the rule placed it below its tier; moving up is immediate. The state between
// periods is a TierHistory, a small value the host stores and passes back next period.
//
// Custom classifiers derive from Classifier; a ClassifierRegistry maps names in policy
// documents to factories, built-ins included. The test kit (upkeep/testing/
// classifier_conformance.h) checks a custom classifier against the same contract as the built-ins.
//
//   std::vector<std::string> tiers = {"strategic", "key", "growth", "basic"};
//   auto abc = upkeep::MakeAbcClassifier({.cumulative_pct = {{80}, {95}, {99}}}, tiers);
//   upkeep::Classification result;
//   UPKEEP_RETURN_IF_ERROR((*abc)->Classify(portfolio, result));
//   result.Explain(0);  // "strategic: score 0 by abc on revenue: ... (cumulative share ...)"
//
//   // Next period, with hysteresis (2 periods), the host keeps `history` between calls:
//   auto held = upkeep::WithHysteresis(*std::move(abc), {.periods = 2});
//   UPKEEP_RETURN_IF_ERROR((*held)->ClassifyWithHistory(portfolio, history, result));
//   history = upkeep::TierHistory::FromClassification(portfolio, result);
//
// Errors: a bad C++ config is kInvalidArgument naming the field ("abc: cumulative_pct[1]: must be
// greater than the previous bound"); a bad policy section is kPolicyInvalid naming the JSON path
// ("/classification/cumulative_pct/1: must be greater than the previous bound"). A metric that
// the portfolio does not have is kNotFound naming it, when classifying.
//
// Thread safety: a built classifier is immutable; Classify and ClassifyWithHistory may run
// concurrently on one classifier (custom classifiers must keep this promise). A registry is safe
// to read concurrently once built; Register is not thread-safe. TierHistory is a plain value.
#ifndef UPKEEP_CLASSIFY_H_
#define UPKEEP_CLASSIFY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/classification.h"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/portfolio.h"

namespace upkeep {

// The most customers one classification handles (indices are 32-bit).
inline constexpr size_t kMaxClassifiedCustomers = size_t{0xFFFFFFFF};
// The most periods a hysteresis may hold a customer above its rule tier.
inline constexpr int kMaxHysteresisPeriods = 1000;

// Last period's tiers, per customer id: the state hysteresis needs. The host stores it (it is a
// plain value: tier names plus one entry per customer) and passes it to the next period's
// ClassifyWithHistory. Tiers are matched by name, so a renamed or removed tier simply has no
// history. Memory: the id string plus 8 bytes per customer.
class TierHistory {
 public:
  struct Entry {
    std::string customer_id{};
    TierIndex tier = 0;          // index into tier_names()
    uint16_t periods_below = 0;  // consecutive periods the rule placed it below `tier`
  };

  TierHistory() = default;  // no history: the first period

  // Validates and sorts by id: ids unique and non-empty, tier < tier_names.size(), tier names
  // unique, at most kMaxTiers. kInvalidArgument or kAlreadyExists naming the entry.
  static absl::StatusOr<TierHistory> Create(std::vector<std::string> tier_names,
                                            std::vector<Entry> entries);
  // The history a classification leaves for the next period.
  // REQUIRES: `classification` was made from `portfolio`.
  static TierHistory FromClassification(const Portfolio& portfolio,
                                        const Classification& classification);

  const std::vector<std::string>& tier_names() const { return tier_names_; }
  // Sorted by customer id (bytewise), like a Portfolio.
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  // The entry for `customer_id`, or nullptr. O(log n).
  const Entry* Find(std::string_view customer_id) const;

 private:
  std::vector<std::string> tier_names_;
  std::vector<Entry> entries_;
};

// The interface of every classifier, built-in or custom.
class Classifier {
 public:
  virtual ~Classifier() = default;

  // A short name for results and logs ("abc", "threshold", or the custom classifier's).
  virtual std::string_view name() const = 0;

  // Classifies every customer of `portfolio` by the rule alone and replaces all of `out`: every
  // per-customer vector sized portfolio.size(), tier_names and tier_rules set, reason kRule (or
  // kCustom), rule_tier == tier, periods_below 0. Must be deterministic and must not depend on
  // anything but the portfolio (the portfolio's order is by id, so results are order-independent).
  // An empty portfolio classifies to an empty result (its metrics are not looked up). On error,
  // `out` is unspecified.
  virtual absl::Status Classify(const Portfolio& portfolio, Classification& out) const = 0;

  // Classifies with last period's history. The default ignores `previous` (no hysteresis);
  // classifiers made by WithHysteresis hold customers in their previous tier.
  virtual absl::Status ClassifyWithHistory(const Portfolio& portfolio, const TierHistory& previous,
                                           Classification& out) const;
};

// OK if `classification` is a well-formed result for `portfolio`: 1..kMaxTiers unique tier
// names, one tier rule per tier, every per-customer vector of portfolio.size(), every tier and
// rule tier a valid index. kInternal naming what is wrong otherwise (a classifier bug).
absl::Status CheckClassification(const Portfolio& portfolio, const Classification& classification);

// ---- Built-in classifiers, usable directly from C++ ----------------------------------------

// How a weighted score normalises each metric to 0..1 over the portfolio before weighting.
enum class Normalization : uint8_t {
  // (value - min) / (max - min): keeps distances; one outlier compresses the rest.
  kMinMax = 0,
  // mid-rank: (customers strictly below + (customers equal - 1) / 2) / (customers - 1): robust to
  // outliers; equal values get equal scores.
  kRank = 1,
};
// A metric that does not vary (or a portfolio of one) normalises to 0.5 for every customer.

struct WeightedMetric {
  std::string metric{};          // "revenue", "recency_days", or a custom metric
  double weight = 1;             // > 0
  bool lower_is_better = false;  // true for recency_days, churn_risk: normalised as 1 - value
};

// Thresholds (minimums) per tier on one metric or on a weighted score. A customer is in the first
// tier whose threshold its score reaches (score >= threshold); below every one, in the last tier.
//   single metric: score = the metric's value; money metrics compare exactly in minor units,
//     with thresholds and scores in major units ("1000000.00" CNY).
//   weighted: score = 100 * sum(weight * normalised value) / sum(weight), in 0..100.
struct ThresholdConfig {
  std::string metric{};                   // set this, or `weights`, not both
  std::vector<WeightedMetric> weights{};  // at most kMaxWeightedMetrics
  Normalization normalization = Normalization::kMinMax;
  std::vector<Decimal> thresholds{};  // one per tier but the last, strictly decreasing
};
inline constexpr size_t kMaxWeightedMetrics = 16;

// ABC/Pareto: customers sorted by the metric, descending (equal values by portfolio index, i.e.
// by id). The score of a customer is the cumulative share, in %, of the customers before it.
// A customer is in the first class whose bound its score is below (score < bound): so the
// customer that crosses a boundary belongs to the upper class. Values below zero count as zero
// share (they sort last). When the total is zero, everyone is in the last class. Money metrics
// are summed exactly (128-bit integers); percentages compare exactly.
struct AbcConfig {
  std::string metric = "revenue";
  // One bound per tier but the last, strictly increasing, each 0..100 with at most 4 decimals.
  std::vector<Decimal> cumulative_pct = {Decimal{80}, Decimal{95}};
};

// RFM: recency (lower is better), frequency and monetary each scored 1..quantiles: a customer's
// score on a metric is 1 + floor(quantiles * worse / n), where `worse` counts the customers
// strictly worse on it; equal values score equally. The combined score is
// recency_weight * r + frequency_weight * f + monetary_weight * m (with weights 1: the sum,
// 3..3*quantiles), mapped to tiers by `min_scores` like ThresholdConfig::thresholds.
struct RfmConfig {
  int quantiles = 5;  // 2..100
  std::string recency_metric = "recency_days";
  std::string frequency_metric = "order_count";
  std::string monetary_metric = "revenue";
  double recency_weight = 1;  // each >= 0, at least one > 0
  double frequency_weight = 1;
  double monetary_weight = 1;
  std::vector<Decimal> min_scores{};  // one per tier but the last, strictly decreasing
};

struct HysteresisConfig {
  // A customer moves down after this many consecutive periods below its tier (1 = at once).
  int periods = 2;  // 1..kMaxHysteresisPeriods
};

// Each validates its config against the tiers (1..kMaxTiers unique, non-empty names; one bound
// per tier but the last) and returns kInvalidArgument naming the field on a bad one.
absl::StatusOr<std::unique_ptr<const Classifier>> MakeThresholdClassifier(
    ThresholdConfig config, std::vector<std::string> tier_names);
absl::StatusOr<std::unique_ptr<const Classifier>> MakeAbcClassifier(
    AbcConfig config, std::vector<std::string> tier_names);
absl::StatusOr<std::unique_ptr<const Classifier>> MakeRfmClassifier(
    RfmConfig config, std::vector<std::string> tier_names);
// Wraps `inner` with hysteresis. kInvalidArgument for a null inner or periods out of range.
absl::StatusOr<std::unique_ptr<const Classifier>> WithHysteresis(
    std::unique_ptr<const Classifier> inner, HysteresisConfig config);

// ---- Classifiers by name, from policy documents ---------------------------------------------

// Makes a classifier from its policy section's parameters (without "classifier" and
// "hysteresis", which MakeClassifier handles). Errors should come from `params` (kPolicyInvalid
// naming the path). The factory must not keep `params` beyond the call.
using ClassifierFactory = std::function<absl::StatusOr<std::unique_ptr<const Classifier>>(
    const PolicyParams& params, std::span<const std::string> tier_names)>;

class ClassifierRegistry {
 public:
  ClassifierRegistry() = default;  // empty
  // A registry with the built-ins: "threshold", "abc", "rfm".
  static ClassifierRegistry WithBuiltins();

  // kAlreadyExists for a name already registered; kInvalidArgument for an empty name or factory.
  absl::Status Register(std::string name, ClassifierFactory factory);
  bool Contains(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted

  // Runs the factory registered as `name`; kNotFound naming it when there is none.
  absl::StatusOr<std::unique_ptr<const Classifier>> Create(
      std::string_view name, const PolicyParams& params,
      std::span<const std::string> tier_names) const;

 private:
  std::map<std::string, ClassifierFactory, std::less<>> factories_;
};

// Compiles the classification section of a policy document, e.g.
//   {"classifier": "abc", "metric": "revenue", "cumulative_pct": [80, 95],
//    "hysteresis": {"periods": 2}}
// with the document's tiers given separately. Section formats of the built-ins:
//   threshold: {"metric": "revenue", "thresholds": ["1000000.00", "200000", "50000"]}
//          or: {"weights": [{"metric": "revenue", "weight": 0.7},
//                           {"metric": "recency_days", "weight": 0.3, "lower_is_better": true}],
//               "normalization": "min_max" | "rank", "thresholds": [80, 60, 40]}
//   abc:       {"metric": "revenue", "cumulative_pct": [80, 95]}   (both optional)
//   rfm:       {"quantiles": 5, "recency_metric": "recency_days", "frequency_metric":
//               "order_count", "monetary_metric": "revenue", "recency_weight": 1,
//               "frequency_weight": 1, "monetary_weight": 1, "min_scores": [13, 10, 7]}
//              (all but min_scores optional; keys as in RfmConfig)
// Errors: kPolicyInvalid naming the JSON path; kNotFound naming an unknown classifier.
absl::StatusOr<std::unique_ptr<const Classifier>> MakeClassifier(
    const PolicyParams& section, std::span<const std::string> tier_names,
    const ClassifierRegistry& registry);

}  // namespace upkeep

#endif  // UPKEEP_CLASSIFY_H_
