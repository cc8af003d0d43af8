// fixed_per_tier: each customer gets its tier's fixed amount; what the pool has beyond their sum
// stays unallocated (Allocation::unallocated_minor); a pool too small is kInfeasible.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/distribution_rules.h"
#include "allocation/exact_math.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

class FixedPerTier final : public BuiltInPolicy {
 public:
  FixedPerTier(std::vector<std::string> tiers, std::vector<AmountParam> amounts)
      : tiers_(std::move(tiers)), amounts_(std::move(amounts)) {}

  std::string_view name() const override { return "fixed_per_tier"; }

 protected:
  absl::Status DoAllocateInto(const Portfolio& portfolio, const Classification& classification,
                              Money pool, Allocation& out) const override {
    UPKEEP_RETURN_IF_ERROR(CheckTierNames(classification, tiers_));
    const size_t tiers = tiers_.size();
    std::vector<int64_t> per_tier(tiers);
    for (size_t t = 0; t < tiers; ++t) {
      UPKEEP_ASSIGN_OR_RETURN(per_tier[t], amounts_[t].ToMinor(pool.currency()));
    }
    const std::vector<size_t> count = CountByTier(classification.tier, tiers);
    absl::int128 total = 0;
    for (size_t t = 0; t < tiers; ++t) total += absl::int128(per_tier[t]) * count[t];
    if (total > pool.amount_minor()) {
      const absl::int128 short_by = total - pool.amount_minor();
      return MakeError(
          ErrorCode::kInfeasible,
          absl::StrCat("fixed_per_tier: the fixed amounts need ",
                       FormatMinor(total, pool.currency()), " but the pool is ", pool.ToString(),
                       ": short by ", FormatMinor(short_by, pool.currency())));
    }
    std::string line = "fixed_per_tier: per customer ";
    for (size_t t = 0; t < tiers; ++t) {
      absl::StrAppend(&line, t == 0 ? "" : ", ", tiers_[t], " ",
                      Money::FromMinor(per_tier[t], pool.currency()).ToDecimalString());
    }
    StartAllocation(portfolio, classification, pool, line, out);
    for (size_t i = 0; i < out.size(); ++i) {
      out.amount_minor[i] = per_tier[out.tier[i]];
      out.base_minor[i] = out.amount_minor[i];
      out.weight[i] = 1;
    }
    for (size_t t = 0; t < tiers; ++t) {
      out.tier_amount_minor[t] = per_tier[t] * static_cast<int64_t>(count[t]);  // <= the pool
    }
    out.unallocated_minor = pool.amount_minor() - static_cast<int64_t>(total);
    return absl::OkStatus();
  }

 private:
  std::vector<std::string> tiers_;
  std::vector<AmountParam> amounts_;
};

}  // namespace

PolicyOrError MakeFixedPerTier(const PolicyParams& params, const AllocationContext& context) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"policy", "rule", "amount_per_customer"}));
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, params.Child("amount_per_customer"));
  if (!child.IsObject()) {
    return params.Error("amount_per_customer", "must be an object keyed by tier name");
  }
  UPKEEP_ASSIGN_OR_RETURN(auto found,
                          FindAmountPerTier(params, "amount_per_customer", context.tier_names));
  std::vector<AmountParam> amounts;
  for (size_t t = 0; t < found.size(); ++t) {
    if (!found[t]) return child.Error(context.tier_names[t], "is required (one value per tier)");
    amounts.push_back(*std::move(found[t]));
  }
  return std::make_unique<const FixedPerTier>(
      std::vector<std::string>(context.tier_names.begin(), context.tier_names.end()),
      std::move(amounts));
}

}  // namespace upkeep::allocation_internal
