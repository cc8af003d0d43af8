// The RFM classifier: recency, frequency and monetary quantile scores mapped to tiers.
#include <algorithm>
#include <array>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"
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

constexpr int kMinQuantiles = 2;
constexpr int kMaxQuantiles = 100;

// One of R, F and M: which metric, its weight, and whether lower values are better.
struct Component {
  std::string_view letter;
  std::string_view metric_field;  // the config fields naming the metric and the weight
  std::string_view weight_field;
  const std::string* metric;
  double weight;
  bool lower_is_better;
};

std::array<Component, 3> ComponentsOf(const RfmConfig& config) {
  return {{{"R", "recency_metric", "recency_weight", &config.recency_metric, config.recency_weight,
            true},
           {"F", "frequency_metric", "frequency_weight", &config.frequency_metric,
            config.frequency_weight, false},
           {"M", "monetary_metric", "monetary_weight", &config.monetary_metric,
            config.monetary_weight, false}}};
}

absl::Status CheckRfmConfig(const RfmConfig& config, std::span<const std::string> tier_names,
                            const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckTierNames(tier_names, errors));
  if (config.quantiles < kMinQuantiles || config.quantiles > kMaxQuantiles) {
    return errors.At("quantiles",
                     absl::StrCat("must be between ", kMinQuantiles, " and ", kMaxQuantiles));
  }
  double weight_sum = 0;
  for (const Component& c : ComponentsOf(config)) {
    UPKEEP_RETURN_IF_ERROR(customer_internal::CheckMetricName(c.metric_field, *c.metric, errors));
    UPKEEP_RETURN_IF_ERROR(
        customer_internal::CheckWeight(c.weight_field, c.weight, /*zero_allowed=*/true, errors));
    weight_sum += c.weight;
  }
  if (weight_sum <= 0) return errors.At("", "at least one weight must be > 0");
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckBoundCount("min_scores", config.min_scores.size(),
                                                            tier_names.size(), errors));
  return customer_internal::CheckStrictlyMonotone(
      "min_scores", config.min_scores, customer_internal::Direction::kDecreasing, "score", errors);
}

std::string RfmRule(const RfmConfig& config) {
  std::string rule = absl::StrCat("rfm, ", config.quantiles, " quantiles: score =");
  std::string_view plus = " ";
  for (const Component& c : ComponentsOf(config)) {
    absl::StrAppend(&rule, AsAbsl(plus), absl::StrFormat("%g x ", c.weight), AsAbsl(c.letter), "(",
                    *c.metric, c.lower_is_better ? ", lower is better)" : ")");
    plus = " + ";
  }
  return rule;
}

class RfmClassifier final : public Classifier {
 public:
  RfmClassifier(RfmConfig config, std::vector<std::string> tier_names)
      : config_(std::move(config)),
        tier_names_(std::move(tier_names)),
        rule_(RfmRule(config_)),
        tier_rules_(customer_internal::MinimumRules("score", config_.min_scores)) {
    for (const Decimal& score : config_.min_scores) {
      min_scores_.push_back(customer_internal::DecimalToDouble(score));
    }
  }

  std::string_view name() const override { return "rfm"; }

  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    UPKEEP_RETURN_IF_ERROR(customer_internal::StartClassification("rfm", rule_, tier_names_,
                                                                  tier_rules_, portfolio, out));
    if (portfolio.empty()) return absl::OkStatus();
    const std::array<Component, 3> components = ComponentsOf(config_);
    std::array<MetricRef, 3> metrics;
    for (size_t c = 0; c < components.size(); ++c) {
      UPKEEP_ASSIGN_OR_RETURN(metrics[c], portfolio.ResolveMetric(*components[c].metric));
    }
    std::vector<double> combined(portfolio.size(), 0.0);
    for (size_t c = 0; c < components.size(); ++c) {
      if (components[c].weight > 0) {
        AddQuantileScores(portfolio, metrics[c], components[c], combined);
      }
    }
    for (size_t i = 0; i < portfolio.size(); ++i) {
      customer_internal::Place(
          out, i, customer_internal::TierByMinimums<double>(combined[i], min_scores_), combined[i]);
    }
    return absl::OkStatus();
  }

 private:
  // Adds weight * (1 + floor(quantiles * worse / n)) to each customer's combined score, where
  // `worse` counts the customers strictly worse on the component's metric.
  void AddQuantileScores(const Portfolio& portfolio, MetricRef metric, const Component& component,
                         std::vector<double>& combined) const {
    std::vector<uint64_t> keys = customer_internal::AscendingKeys(portfolio, metric);
    if (component.lower_is_better) {
      for (uint64_t& key : keys) key = ~key;  // ascending goodness
    }
    const customer_internal::Ranking ranking = customer_internal::Rank(keys);
    const uint64_t n = portfolio.size();
    const uint64_t quantiles = static_cast<uint64_t>(config_.quantiles);
    customer_internal::ForEachTieRun(ranking, [&](size_t first, size_t last) {
      const uint64_t score = 1 + quantiles * uint64_t{first} / n;
      for (size_t k = first; k < last; ++k) {
        combined[ranking.order[k]] += component.weight * static_cast<double>(score);
      }
    });
  }

  RfmConfig config_;
  std::vector<std::string> tier_names_;
  std::string rule_;
  std::vector<std::string> tier_rules_;
  std::vector<double> min_scores_;
};

absl::StatusOr<std::unique_ptr<const Classifier>> BuildRfm(RfmConfig config,
                                                           std::vector<std::string> tier_names,
                                                           const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(CheckRfmConfig(config, tier_names, errors));
  return std::make_unique<const RfmClassifier>(std::move(config), std::move(tier_names));
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Classifier>> MakeRfmClassifier(
    RfmConfig config, std::vector<std::string> tier_names) {
  return BuildRfm(std::move(config), std::move(tier_names), ConfigErrors::ForStruct("rfm"));
}

namespace customer_internal {

absl::StatusOr<std::unique_ptr<const Classifier>> RfmClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names) {
  UPKEEP_RETURN_IF_ERROR(
      params.CheckKeys({"quantiles", "recency_metric", "frequency_metric", "monetary_metric",
                        "recency_weight", "frequency_weight", "monetary_weight", "min_scores"}));
  RfmConfig config;
  UPKEEP_ASSIGN_OR_RETURN(std::optional<int64_t> quantiles, params.FindInt("quantiles"));
  if (quantiles.has_value()) {  // out-of-range values stay out of range for CheckRfmConfig
    config.quantiles = static_cast<int>(std::clamp<int64_t>(*quantiles, 0, kMaxQuantiles + 1));
  }
  for (auto [key, metric] : {std::pair{"recency_metric", &config.recency_metric},
                             std::pair{"frequency_metric", &config.frequency_metric},
                             std::pair{"monetary_metric", &config.monetary_metric}}) {
    UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> name, params.FindString(key));
    if (name.has_value()) *metric = *std::move(name);
  }
  for (auto [key, weight] : {std::pair{"recency_weight", &config.recency_weight},
                             std::pair{"frequency_weight", &config.frequency_weight},
                             std::pair{"monetary_weight", &config.monetary_weight}}) {
    UPKEEP_ASSIGN_OR_RETURN(std::optional<double> value, params.FindNumber(key));
    if (value.has_value()) *weight = *value;
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::vector<Decimal>> min_scores,
                          FindDecimals(params, "min_scores"));
  config.min_scores = min_scores.value_or(std::vector<Decimal>{});
  return BuildRfm(std::move(config), {tier_names.begin(), tier_names.end()},
                  ConfigErrors::ForSection(params.path()));
}

}  // namespace customer_internal
}  // namespace upkeep
