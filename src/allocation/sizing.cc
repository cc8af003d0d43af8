// Sizing: the pool from drivers (tier_base, metric_share), exact, with its terms.
#include "upkeep/sizing.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocation/exact_math.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/checked.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using allocation_internal::AmountParam;

struct Adjustment {
  std::string name;
  AmountParam amount;  // may be negative
};

// One sizing method's drivers; exactly one of `base_per_customer` (tier_base) and `metric`
// (metric_share) is set.
struct SizingSpec {
  std::vector<std::string> tiers;
  std::vector<AmountParam> base_per_customer;
  std::optional<std::string> metric;
  std::string metric_path;
  Decimal share_pct;
  Decimal market_factor{1, 0};
  std::vector<Adjustment> adjustments;
  RoundingMode rounding = RoundingMode::kHalfEven;
};

class DriverSizing final : public SizingPolicy {
 public:
  explicit DriverSizing(SizingSpec spec) : spec_(std::move(spec)) {}

  absl::StatusOr<Sizing> Size(const Portfolio& portfolio,
                              const Classification& classification) const override {
    const Currency currency = portfolio.currency();
    Sizing sizing;
    int64_t pool = 0;
    const auto add = [&](std::string label, std::string detail, int64_t amount) -> absl::Status {
      UPKEEP_ASSIGN_OR_RETURN(pool, CheckedAdd(pool, amount));
      sizing.terms.push_back({std::move(label), std::move(detail), amount});
      return absl::OkStatus();
    };
    const auto text = [&](int64_t minor) {
      return Money::FromMinor(minor, currency).ToDecimalString();
    };
    const std::string rounding(RoundingModeName(spec_.rounding));
    const std::string factor = spec_.market_factor.ToString();
    if (spec_.metric) {
      UPKEEP_ASSIGN_OR_RETURN(int64_t total, MetricTotal(portfolio));
      UPKEEP_ASSIGN_OR_RETURN(int64_t share, Scale(total, {spec_.share_pct}, 100));
      UPKEEP_ASSIGN_OR_RETURN(int64_t scaled,
                              Scale(total, {spec_.share_pct, spec_.market_factor}, 100));
      UPKEEP_RETURN_IF_ERROR(
          add("share",
              absl::StrCat(spec_.share_pct.ToString(), " % of ", *spec_.metric, " ", text(total),
                           " over ", portfolio.size(), " customers"),
              share));
      UPKEEP_RETURN_IF_ERROR(add("market factor", absl::StrCat("× ", factor), scaled - share));
      sizing.formula = absl::StrCat("pool = ", spec_.share_pct.ToString(), " % × Σ ", *spec_.metric,
                                    " × market factor ", factor);
    } else {
      UPKEEP_RETURN_IF_ERROR(allocation_internal::CheckTierNames(classification, spec_.tiers));
      const std::vector<size_t> counts = classification.CountByTier();
      int64_t subtotal = 0;
      for (size_t t = 0; t < spec_.tiers.size(); ++t) {
        UPKEEP_ASSIGN_OR_RETURN(int64_t base, spec_.base_per_customer[t].ToMinor(currency));
        const size_t count = t < counts.size() ? counts[t] : 0;
        UPKEEP_ASSIGN_OR_RETURN(int64_t term, CheckedMul(static_cast<int64_t>(count), base));
        UPKEEP_ASSIGN_OR_RETURN(subtotal, CheckedAdd(subtotal, term));
        UPKEEP_RETURN_IF_ERROR(
            add(spec_.tiers[t], absl::StrCat(count, " customers × ", text(base)), term));
      }
      UPKEEP_ASSIGN_OR_RETURN(int64_t scaled, Scale(subtotal, {spec_.market_factor}, 1));
      UPKEEP_RETURN_IF_ERROR(add(
          "market factor", absl::StrCat("× ", factor, " on ", text(subtotal)), scaled - subtotal));
      sizing.formula =
          absl::StrCat("pool = Σ tiers (customers × base per customer) × market factor ", factor);
    }
    for (const Adjustment& adjustment : spec_.adjustments) {
      UPKEEP_ASSIGN_OR_RETURN(int64_t amount, adjustment.amount.ToMinor(currency));
      UPKEEP_RETURN_IF_ERROR(add(adjustment.name, "adjustment", amount));
    }
    absl::StrAppend(&sizing.formula, spec_.adjustments.empty() ? "" : " + adjustments",
                    ", rounded ", rounding, ", in ", AsAbsl(currency.code()));
    sizing.pool = Money::FromMinor(pool, currency);
    if (pool < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("sizing: the pool would be negative: ", sizing.pool.ToString(),
                                    " (", sizing.formula, ")"));
    }
    return sizing;
  }

 private:
  absl::StatusOr<int64_t> Scale(int64_t amount, std::initializer_list<Decimal> factors,
                                int64_t divisor) const {
    return allocation_internal::ScaleByDecimals(
        amount, std::span<const Decimal>(factors.begin(), factors.size()), divisor, spec_.rounding);
  }

  absl::StatusOr<int64_t> MetricTotal(const Portfolio& portfolio) const {
    absl::StatusOr<MetricRef> metric = portfolio.ResolveMetric(*spec_.metric);
    if (!metric.ok()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat(spec_.metric_path, ": ", metric.status().message()));
    }
    if (!portfolio.IsMoneyMetric(*metric)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat(spec_.metric_path, ": ", *spec_.metric,
                                    " is not money; metric_share needs revenue or gross_margin"));
    }
    int64_t total = 0;
    for (size_t i = 0; i < portfolio.size(); ++i) {
      UPKEEP_ASSIGN_OR_RETURN(
          total, CheckedAdd(total, allocation_internal::MoneyMetricMinor(portfolio, *metric, i)));
    }
    return total;
  }

  SizingSpec spec_;
};

absl::StatusOr<std::vector<Adjustment>> ReadAdjustments(const PolicyParams& section) {
  std::vector<Adjustment> adjustments;
  std::optional<PolicyParams> list = section.OptionalChild("adjustments");
  if (!list) return adjustments;
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> items, list->Elements());
  for (const PolicyParams& item : items) {
    UPKEEP_RETURN_IF_ERROR(item.CheckKeys({"name", "amount"}));
    UPKEEP_ASSIGN_OR_RETURN(std::string name, item.GetString("name"));
    if (name.empty()) return item.Error("name", "must not be empty");
    UPKEEP_ASSIGN_OR_RETURN(Decimal amount, item.GetDecimal("amount"));
    adjustments.push_back({std::move(name), {amount, absl::StrCat(item.path(), "/amount")}});
  }
  return adjustments;
}

}  // namespace

std::string Sizing::Explain() const {
  std::string text = formula;
  for (const SizingTerm& term : terms) {
    absl::StrAppend(&text, "\n  ", term.label, ": ", term.detail, " = ",
                    Money::FromMinor(term.amount_minor, pool.currency()).ToDecimalString());
  }
  absl::StrAppend(&text, "\n  pool = ", pool.ToString());
  return text;
}

absl::StatusOr<std::unique_ptr<const SizingPolicy>> MakeSizingPolicy(
    const PolicyParams& section, std::span<const std::string> tier_names) {
  using allocation_internal::Range;
  if (!section.IsObject()) return section.Error("", "must be an object");
  UPKEEP_ASSIGN_OR_RETURN(size_t method, allocation_internal::ReadChoice(
                                             section, "method", {"tier_base", "metric_share"}, 2));
  if (method == 2) return section.Error("method", "is required (tier_base or metric_share)");
  SizingSpec spec;
  spec.tiers.assign(tier_names.begin(), tier_names.end());
  if (method == 0) {
    UPKEEP_RETURN_IF_ERROR(section.CheckKeys(
        {"method", "base_per_customer", "market_factor", "adjustments", "rounding"}));
    UPKEEP_ASSIGN_OR_RETURN(PolicyParams bases, section.Child("base_per_customer"));
    if (!bases.IsObject()) {
      return section.Error("base_per_customer", "must be an object keyed by tier name");
    }
    UPKEEP_ASSIGN_OR_RETURN(auto found, allocation_internal::FindAmountPerTier(
                                            section, "base_per_customer", tier_names));
    for (size_t t = 0; t < found.size(); ++t) {
      if (!found[t]) return bases.Error(tier_names[t], "is required (one value per tier)");
      spec.base_per_customer.push_back(*std::move(found[t]));
    }
  } else {
    UPKEEP_RETURN_IF_ERROR(section.CheckKeys(
        {"method", "metric", "share_pct", "market_factor", "adjustments", "rounding"}));
    UPKEEP_ASSIGN_OR_RETURN(spec.metric, section.GetString("metric"));
    spec.metric_path = absl::StrCat(section.path(), "/metric");
    UPKEEP_ASSIGN_OR_RETURN(
        spec.share_pct, allocation_internal::ReadDecimal(section, "share_pct", Range::kPercent));
  }
  UPKEEP_ASSIGN_OR_RETURN(
      std::optional<Decimal> factor,
      allocation_internal::FindDecimal(section, "market_factor", Range::kNonNegative));
  if (factor) spec.market_factor = *factor;
  UPKEEP_ASSIGN_OR_RETURN(spec.adjustments, ReadAdjustments(section));
  UPKEEP_ASSIGN_OR_RETURN(spec.rounding, allocation_internal::ReadRounding(section));
  return std::make_unique<const DriverSizing>(std::move(spec));
}

}  // namespace upkeep
