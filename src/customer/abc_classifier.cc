// The ABC/Pareto classifier: tiers by cumulative share of a metric.
#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
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

constexpr int kMaxPercentDecimals = 4;

absl::Status CheckAbcConfig(const AbcConfig& config, std::span<const std::string> tier_names,
                            const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckTierNames(tier_names, errors));
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckMetricName("metric", config.metric, errors));
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckBoundCount(
      "cumulative_pct", config.cumulative_pct.size(), tier_names.size(), errors));
  for (size_t i = 0; i < config.cumulative_pct.size(); ++i) {
    const Decimal pct = customer_internal::Normalized(config.cumulative_pct[i]);
    const std::string field = absl::StrCat("cumulative_pct/", i);
    if (pct.mantissa < 0 || customer_internal::CompareDecimal(pct, Decimal{100}) > 0) {
      return errors.At(field, "must be between 0 and 100");
    }
    if (pct.scale > kMaxPercentDecimals) {
      return errors.At(field, absl::StrCat("must have at most ", kMaxPercentDecimals, " decimals"));
    }
  }
  return customer_internal::CheckStrictlyMonotone("cumulative_pct", config.cumulative_pct,
                                                  customer_internal::Direction::kIncreasing,
                                                  "bound", errors);
}

std::vector<std::string> AbcTierRules(std::span<const Decimal> bounds) {
  if (bounds.empty()) return {"all customers"};
  std::vector<std::string> rules;
  for (size_t j = 0; j <= bounds.size(); ++j) {
    std::string rule = "cumulative share before the customer";
    if (j > 0) rule = absl::StrCat(bounds[j - 1].ToString(), " % <= ", rule);
    if (j < bounds.size()) absl::StrAppend(&rule, " < ", bounds[j].ToString(), " %");
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The nearest double, without the slow 128-bit conversion when the value fits in 64 bits.
double ToDouble(absl::int128 value) {
  const bool fits = absl::Int128High64(value) == (absl::Int128Low64(value) >> 63 ? -1 : 0);
  return fits ? static_cast<double>(static_cast<int64_t>(absl::Int128Low64(value)))
              : static_cast<double>(value);
}

// Walks customers by rank (descending value), placing each in the first class whose bound the
// cumulative share before it is below. share_of(rank) is the share of the customer at `rank`;
// `Sum` is the exact accumulator type.
template <typename Sum, typename ShareFn, typename BelowBoundFn>
void PlaceByCumulativeShare(std::span<const uint32_t> order, ShareFn share_of, Sum total,
                            size_t bounds, BelowBoundFn below_bound, Classification& out) {
  Sum cumulative = 0;
  size_t tier = 0;
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const uint32_t customer = order[rank];
    while (tier < bounds && !below_bound(tier, cumulative)) ++tier;
    double share_pct = 0;
    if constexpr (std::is_floating_point_v<Sum>) {
      if (total > 0) share_pct = static_cast<double>(cumulative * 100 / total);
    } else if (total > 0) {  // both below 2^96: exact enough as doubles
      share_pct = ToDouble(cumulative) / ToDouble(total) * 100;
    }
    customer_internal::Place(out, customer, static_cast<TierIndex>(tier), share_pct);
    cumulative += share_of(rank);
  }
}

class AbcClassifier final : public Classifier {
 public:
  AbcClassifier(AbcConfig config, std::vector<std::string> tier_names)
      : config_(std::move(config)),
        tier_names_(std::move(tier_names)),
        rule_(absl::StrCat(
            "abc on ", config_.metric, ": by cumulative share, bounds ",
            absl::StrJoin(config_.cumulative_pct, " %, ",
                          [](std::string* out, const Decimal& d) { out->append(d.ToString()); }),
            config_.cumulative_pct.empty() ? "none" : " %")),
        tier_rules_(AbcTierRules(config_.cumulative_pct)) {
    for (Decimal& bound : config_.cumulative_pct) bound = customer_internal::Normalized(bound);
  }

  std::string_view name() const override { return "abc"; }

  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    UPKEEP_RETURN_IF_ERROR(customer_internal::StartClassification("abc", rule_, tier_names_,
                                                                  tier_rules_, portfolio, out));
    if (portfolio.empty()) return absl::OkStatus();
    UPKEEP_ASSIGN_OR_RETURN(MetricRef metric, portfolio.ResolveMetric(config_.metric));
    std::vector<uint64_t> keys = customer_internal::AscendingKeys(portfolio, metric);
    for (uint64_t& key : keys) key = ~key;  // descending values, equal values by index
    const customer_internal::Ranking ranking = customer_internal::Rank(keys);
    // Values are read back from the sorted keys: sequential, not by customer.
    const std::vector<uint64_t>& descending_keys = ranking.sorted_keys;
    const size_t bounds = config_.cumulative_pct.size();
    if (portfolio.IsMoneyMetric(metric)) {
      // Exact: share before < bound  <=>  cumulative * 100 * 10^scale < mantissa * total.
      auto share_of = [&](size_t rank) {
        return absl::int128(
            std::max<int64_t>(customer_internal::IntOfKey(~descending_keys[rank]), 0));
      };
      absl::int128 total = 0;
      for (size_t rank = 0; rank < descending_keys.size(); ++rank) total += share_of(rank);
      std::vector<absl::int128> factor(bounds), target(bounds);
      for (size_t j = 0; j < bounds; ++j) {
        factor[j] = 100 * customer_internal::Pow10(config_.cumulative_pct[j].scale);
        target[j] = absl::int128(config_.cumulative_pct[j].mantissa) * total;
      }
      PlaceByCumulativeShare<absl::int128>(
          ranking.order, share_of, total, bounds,
          [&](size_t j, absl::int128 cumulative) { return cumulative * factor[j] < target[j]; },
          out);
    } else {
      // Long double so that sums of extreme values stay finite; summed in rank order, so the
      // result is deterministic.
      auto share_of = [&](size_t rank) {
        return static_cast<long double>(
            std::max(customer_internal::DoubleOfKey(~descending_keys[rank]), 0.0));
      };
      long double total = 0;
      for (size_t rank = 0; rank < descending_keys.size(); ++rank) total += share_of(rank);
      std::vector<long double> bound_pct(bounds);
      for (size_t j = 0; j < bounds; ++j) {
        bound_pct[j] =
            static_cast<long double>(customer_internal::DecimalToDouble(config_.cumulative_pct[j]));
      }
      PlaceByCumulativeShare<long double>(
          ranking.order, share_of, total, bounds,
          [&](size_t j, long double cumulative) { return cumulative * 100 < bound_pct[j] * total; },
          out);
    }
    return absl::OkStatus();
  }

 private:
  AbcConfig config_;
  std::vector<std::string> tier_names_;
  std::string rule_;
  std::vector<std::string> tier_rules_;
};

absl::StatusOr<std::unique_ptr<const Classifier>> BuildAbc(AbcConfig config,
                                                           std::vector<std::string> tier_names,
                                                           const ConfigErrors& errors) {
  UPKEEP_RETURN_IF_ERROR(CheckAbcConfig(config, tier_names, errors));
  return std::make_unique<const AbcClassifier>(std::move(config), std::move(tier_names));
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Classifier>> MakeAbcClassifier(
    AbcConfig config, std::vector<std::string> tier_names) {
  return BuildAbc(std::move(config), std::move(tier_names), ConfigErrors::ForStruct("abc"));
}

namespace customer_internal {

absl::StatusOr<std::unique_ptr<const Classifier>> AbcClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"metric", "cumulative_pct"}));
  AbcConfig config;
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> metric, params.FindString("metric"));
  if (metric.has_value()) config.metric = *std::move(metric);
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::vector<Decimal>> bounds,
                          FindDecimals(params, "cumulative_pct"));
  if (bounds.has_value()) config.cumulative_pct = *std::move(bounds);
  return BuildAbc(std::move(config), {tier_names.begin(), tier_names.end()},
                  ConfigErrors::ForSection(params.path()));
}

}  // namespace customer_internal
}  // namespace upkeep
