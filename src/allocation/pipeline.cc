#include "allocation/pipeline.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocation/caps_step.h"
#include "allocation/exact_math.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

// Step indices are stored per customer in a byte.
constexpr size_t kMaxSteps = std::numeric_limits<uint8_t>::max();

class Pipeline final : public BuiltInPolicy {
 public:
  Pipeline(std::vector<std::string> tiers, std::optional<Decimal> reserve_pct,
           std::optional<AmountParam> reserve, RoundingMode rounding,
           std::unique_ptr<const AllocationPolicy> distribution, std::vector<CapsStep> caps)
      : tiers_(std::move(tiers)),
        reserve_pct_(reserve_pct),
        reserve_(std::move(reserve)),
        rounding_(rounding),
        distribution_(std::move(distribution)),
        built_in_distribution_(dynamic_cast<const BuiltInPolicy*>(distribution_.get())),
        caps_(std::move(caps)) {}

  std::string_view name() const override { return "pipeline"; }

 protected:
  absl::Status DoAllocateInto(const Portfolio& portfolio, const Classification& classification,
                              Money pool, Allocation& out) const override {
    UPKEEP_RETURN_IF_ERROR(CheckTierNames(classification, tiers_));
    UPKEEP_ASSIGN_OR_RETURN(int64_t reserve, ReserveOf(pool));
    const Money rest = Money::FromMinor(pool.amount_minor() - reserve, pool.currency());
    // A built-in step needs no second check of the inputs or of its result (this Allocate
    // checks the final one); a custom one gets them.
    UPKEEP_RETURN_IF_ERROR(
        built_in_distribution_ != nullptr
            ? built_in_distribution_->AllocateForPolicy(portfolio, classification, rest, out)
            : distribution_->Allocate(portfolio, classification, rest, out));
    for (size_t k = 0; k < caps_.size(); ++k) {
      UPKEEP_RETURN_IF_ERROR(caps_[k].Apply(portfolio, static_cast<uint8_t>(k + 1), out));
    }
    out.pool_minor = pool.amount_minor();
    out.reserve_minor = reserve;
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<int64_t> ReserveOf(Money pool) const {
    int64_t reserve = 0;
    if (reserve_pct_) {
      UPKEEP_ASSIGN_OR_RETURN(
          reserve, ScaleByDecimals(pool.amount_minor(), std::span<const Decimal>(&*reserve_pct_, 1),
                                   100, rounding_));
    } else if (reserve_) {
      UPKEEP_ASSIGN_OR_RETURN(reserve, reserve_->ToMinor(pool.currency()));
    }
    if (reserve > pool.amount_minor()) {
      return MakeError(ErrorCode::kInfeasible,
                       absl::StrCat("pipeline: the reserve ", FormatMinor(reserve, pool.currency()),
                                    " exceeds the pool ", pool.ToString(), " by ",
                                    FormatMinor(reserve - pool.amount_minor(), pool.currency())));
    }
    return reserve;
  }

  std::vector<std::string> tiers_;
  std::optional<Decimal> reserve_pct_;
  std::optional<AmountParam> reserve_;
  RoundingMode rounding_;
  std::unique_ptr<const AllocationPolicy> distribution_;
  const BuiltInPolicy* built_in_distribution_;  // distribution_ when it is a built-in, else null
  std::vector<CapsStep> caps_;
};

}  // namespace

PolicyOrError MakePipeline(const PolicyParams& params, const AllocationContext& context) {
  UPKEEP_RETURN_IF_ERROR(
      params.CheckKeys({"policy", "rule", "reserve_pct", "reserve", "rounding", "steps"}));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<Decimal> reserve_pct,
                          FindDecimal(params, "reserve_pct", Range::kPercent));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<AmountParam> reserve, FindAmount(params, "reserve"));
  if (reserve_pct && reserve)
    return params.Error("reserve", "give reserve_pct or reserve, not both");
  UPKEEP_ASSIGN_OR_RETURN(RoundingMode rounding, ReadRounding(params));
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams steps_node, params.Child("steps"));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> steps, steps_node.Elements());
  if (steps.empty()) return params.Error("steps", "must have at least one step");
  if (steps.size() > kMaxSteps) {
    return params.Error("steps", absl::StrCat("must have at most ", kMaxSteps, " steps"));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::string first_rule, steps[0].GetString("rule"));
  if (first_rule == "caps") {
    return steps[0].Error("rule", "the first step must distribute the pool; \"caps\" follows it");
  }
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<const AllocationPolicy> distribution,
                          context.registry->Create(first_rule, steps[0], context.tier_names));
  std::vector<CapsStep> caps;
  for (size_t k = 1; k < steps.size(); ++k) {
    UPKEEP_ASSIGN_OR_RETURN(std::string rule, steps[k].GetString("rule"));
    if (rule != "caps") {
      return steps[k].Error("rule", "only \"caps\" may follow the first step");
    }
    UPKEEP_ASSIGN_OR_RETURN(CapsStep step, CapsStep::Parse(steps[k], context.tier_names));
    caps.push_back(std::move(step));
  }
  return std::make_unique<const Pipeline>(
      std::vector<std::string>(context.tier_names.begin(), context.tier_names.end()), reserve_pct,
      std::move(reserve), rounding, std::move(distribution), std::move(caps));
}

}  // namespace upkeep::allocation_internal
