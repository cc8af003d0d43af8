// The threshold classifier: minimums per tier on one metric or on a weighted score.
#include <algorithm>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "customer/builtin_classifiers.h"
#include "customer/classifier_common.h"
#include "customer/config_checks.h"
#include "customer/decimal_math.h"
#include "customer/metric_order.h"
#include "upkeep/classify.h"

namespace upkeep {
namespace {

using customer_internal::ConfigErrors;

absl::Status CheckWeights(std::span<const WeightedMetric> weights, const ConfigErrors& errors) {
  if (weights.size() > kMaxWeightedMetrics) {
    return errors.At("weights", absl::StrCat("must list at most ", kMaxWeightedMetrics,
                                             " metrics, got ", weights.size()));
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < weights.size(); ++i) {
    const std::string field = absl::StrCat("weights/", i);
    UPKEEP_RETURN_IF_ERROR(
        customer_internal::CheckMetricName(field + "/metric", weights[i].metric, errors));
    if (!seen.insert(weights[i].metric).second) {
      return errors.At(field + "/metric",
                       absl::StrCat("\"", weights[i].metric, "\" is weighted twice"));
    }
    UPKEEP_RETURN_IF_ERROR(customer_internal::CheckWeight(field + "/weight", weights[i].weight,
                                                          /*zero_allowed=*/false, errors));
  }
  return absl::OkStatus();
}

absl::Status CheckThresholdConfig(const ThresholdConfig& config,
                                  std::span<const std::string> tier_names,
                                  const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckTierNames(tier_names, errors));
  if (!config.metric.empty() && !config.weights.empty()) {
    return errors.At("", "set either metric or weights, not both");
  }
  if (config.weights.empty()) {
    UPKEEP_RETURN_IF_ERROR(customer_internal::CheckMetricName("metric", config.metric, errors));
  } else {
    UPKEEP_RETURN_IF_ERROR(CheckWeights(config.weights, errors));
  }
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckBoundCount("thresholds", config.thresholds.size(),
                                                            tier_names.size(), errors));
  return customer_internal::CheckStrictlyMonotone("thresholds", config.thresholds,
                                                  customer_internal::Direction::kDecreasing,
                                                  "threshold", errors);
}

std::string WeightedRule(const ThresholdConfig& config) {
  return absl::StrCat(
      "threshold on weighted score 0..100 (",
      config.normalization == Normalization::kRank ? "rank" : "min-max",
      "): ", absl::StrJoin(config.weights, " + ", [](std::string* out, const WeightedMetric& w) {
        absl::StrAppend(out, absl::StrFormat("%g x ", w.weight), w.metric,
                        w.lower_is_better ? " (lower is better)" : "");
      }));
}

// Each customer's value of `metric` normalised to 0..1 (see Normalization).
std::vector<double> Normalize(const Portfolio& portfolio, MetricRef metric,
                              Normalization normalization) {
  const size_t n = portfolio.size();
  std::vector<double> normalized(n, 0.5);
  if (n < 2) return normalized;
  if (normalization == Normalization::kRank) {
    const std::vector<uint64_t> keys = customer_internal::AscendingKeys(portfolio, metric);
    const customer_internal::Ranking ranking = customer_internal::Rank(keys);
    const double last_rank = static_cast<double>(n - 1);
    customer_internal::ForEachTieRun(ranking, [&](size_t first, size_t last) {
      const double mid_rank =
          (static_cast<double>(first) + static_cast<double>(last - first - 1) / 2) / last_rank;
      for (size_t k = first; k < last; ++k) normalized[ranking.order[k]] = mid_rank;
    });
    return normalized;
  }
  double min = portfolio.MetricValue(metric, 0);
  double max = min;
  for (size_t i = 1; i < n; ++i) {
    min = std::min(min, portfolio.MetricValue(metric, i));
    max = std::max(max, portfolio.MetricValue(metric, i));
  }
  if (min == max) return normalized;
  // Halved so that max - min cannot overflow to infinity for extreme values.
  const double range_half = max / 2 - min / 2;
  for (size_t i = 0; i < n; ++i) {
    const double value_half = portfolio.MetricValue(metric, i) / 2 - min / 2;
    normalized[i] = std::clamp(value_half / range_half, 0.0, 1.0);
  }
  return normalized;
}

class ThresholdClassifier final : public Classifier {
 public:
  ThresholdClassifier(ThresholdConfig config, std::vector<std::string> tier_names)
      : config_(std::move(config)),
        tier_names_(std::move(tier_names)),
        rule_(config_.weights.empty() ? absl::StrCat("threshold on ", config_.metric)
                                      : WeightedRule(config_)),
        tier_rules_(customer_internal::MinimumRules(
            config_.weights.empty() ? std::string_view(config_.metric) : "score",
            config_.thresholds)) {
    for (const Decimal& threshold : config_.thresholds) {
      thresholds_.push_back(customer_internal::DecimalToDouble(threshold));
    }
    for (const WeightedMetric& w : config_.weights) weight_sum_ += w.weight;
  }

  std::string_view name() const override { return "threshold"; }

  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    UPKEEP_RETURN_IF_ERROR(customer_internal::StartClassification("threshold", rule_, tier_names_,
                                                                  tier_rules_, portfolio, out));
    if (portfolio.empty()) return absl::OkStatus();
    return config_.weights.empty() ? ClassifyOnMetric(portfolio, out)
                                   : ClassifyOnWeightedScore(portfolio, out);
  }

 private:
  absl::Status ClassifyOnMetric(const Portfolio& portfolio, Classification& out) const {
    UPKEEP_ASSIGN_OR_RETURN(MetricRef metric, portfolio.ResolveMetric(config_.metric));
    if (!portfolio.IsMoneyMetric(metric)) {
      for (size_t i = 0; i < portfolio.size(); ++i) {
        const double value = portfolio.MetricValue(metric, i);
        customer_internal::Place(
            out, i, customer_internal::TierByMinimums<double>(value, thresholds_), value);
      }
      return absl::OkStatus();
    }
    // Money: compare exactly in minor units; score in major units.
    const Currency currency = portfolio.currency();
    std::vector<absl::int128> minimums_minor;
    for (const Decimal& threshold : config_.thresholds) {
      minimums_minor.push_back(customer_internal::CeilScaled(threshold, currency.minor_exponent()));
    }
    const double minor_per_major = static_cast<double>(currency.minor_per_major());
    for (size_t i = 0; i < portfolio.size(); ++i) {
      const int64_t value_minor = customer_internal::MoneyMinor(portfolio, metric, i);
      const TierIndex tier = customer_internal::TierByMinimums<absl::int128>(
          absl::int128(value_minor), minimums_minor);
      customer_internal::Place(out, i, tier, static_cast<double>(value_minor) / minor_per_major);
    }
    return absl::OkStatus();
  }

  absl::Status ClassifyOnWeightedScore(const Portfolio& portfolio, Classification& out) const {
    std::vector<MetricRef> metrics;
    for (const WeightedMetric& w : config_.weights) {
      UPKEEP_ASSIGN_OR_RETURN(MetricRef metric, portfolio.ResolveMetric(w.metric));
      metrics.push_back(metric);
    }
    std::vector<double> weighted_sum(portfolio.size(), 0.0);
    for (size_t m = 0; m < metrics.size(); ++m) {
      const WeightedMetric& w = config_.weights[m];
      const std::vector<double> normalized =
          Normalize(portfolio, metrics[m], config_.normalization);
      for (size_t i = 0; i < portfolio.size(); ++i) {
        weighted_sum[i] += w.weight * (w.lower_is_better ? 1 - normalized[i] : normalized[i]);
      }
    }
    for (size_t i = 0; i < portfolio.size(); ++i) {
      const double score = std::clamp(100 * weighted_sum[i] / weight_sum_, 0.0, 100.0);
      customer_internal::Place(
          out, i, customer_internal::TierByMinimums<double>(score, thresholds_), score);
    }
    return absl::OkStatus();
  }

  ThresholdConfig config_;
  std::vector<std::string> tier_names_;
  std::string rule_;
  std::vector<std::string> tier_rules_;
  std::vector<double> thresholds_;
  double weight_sum_ = 0;
};

absl::StatusOr<std::unique_ptr<const Classifier>> BuildThreshold(
    ThresholdConfig config, std::vector<std::string> tier_names, const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(CheckThresholdConfig(config, tier_names, errors));
  return std::make_unique<const ThresholdClassifier>(std::move(config), std::move(tier_names));
}

absl::StatusOr<std::vector<WeightedMetric>> ReadWeights(const PolicyParams& weights_params) {
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> elements, weights_params.Elements());
  std::vector<WeightedMetric> weights;
  for (const PolicyParams& element : elements) {
    UPKEEP_RETURN_IF_ERROR(element.CheckKeys({"metric", "weight", "lower_is_better"}));
    WeightedMetric w;
    UPKEEP_ASSIGN_OR_RETURN(w.metric, element.GetString("metric"));
    UPKEEP_ASSIGN_OR_RETURN(std::optional<double> weight, element.FindNumber("weight"));
    w.weight = weight.value_or(1.0);
    UPKEEP_ASSIGN_OR_RETURN(std::optional<bool> lower, element.FindBool("lower_is_better"));
    w.lower_is_better = lower.value_or(false);
    weights.push_back(std::move(w));
  }
  return weights;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Classifier>> MakeThresholdClassifier(
    ThresholdConfig config, std::vector<std::string> tier_names) {
  return BuildThreshold(std::move(config), std::move(tier_names),
                        ConfigErrors::ForStruct("threshold"));
}

namespace customer_internal {

absl::StatusOr<std::unique_ptr<const Classifier>> ThresholdClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"metric", "weights", "normalization", "thresholds"}));
  ThresholdConfig config;
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> metric, params.FindString("metric"));
  config.metric = metric.value_or("");
  if (std::optional<PolicyParams> weights = params.OptionalChild("weights")) {
    UPKEEP_ASSIGN_OR_RETURN(config.weights, ReadWeights(*weights));
    if (config.weights.empty()) return weights->Error("", "must list at least one metric");
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> normalization,
                          params.FindString("normalization"));
  if (normalization.has_value()) {
    if (*normalization == "rank") {
      config.normalization = Normalization::kRank;
    } else if (*normalization != "min_max") {
      return params.Error("normalization", "must be \"min_max\" or \"rank\"");
    }
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::vector<Decimal>> thresholds,
                          FindDecimals(params, "thresholds"));
  config.thresholds = thresholds.value_or(std::vector<Decimal>{});
  return BuildThreshold(std::move(config), {tier_names.begin(), tier_names.end()},
                        ConfigErrors::ForSection(params.path()));
}

}  // namespace customer_internal
}  // namespace upkeep
