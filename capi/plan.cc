// capi/plan.cc: planning a period (classify, size, allocate) and reading the plan without JSON.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"

namespace upkeep::capi {
namespace {

upk_status CheckCustomer(const upk_plan* plan, size_t index) {
  if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
  if (index >= plan->plan.allocation.size()) {
    return Fail(UPK_NOT_FOUND, absl::StrCat("customer index ", index, " out of range (",
                                            plan->plan.allocation.size(), " customers)"));
  }
  return UPK_OK;
}

}  // namespace

upk_status PlanOptionsOf(const upk_plan_options* options, PlanOptions* out,
                         std::optional<TierHistory>* history) {
  if (options == nullptr) return UPK_OK;
  if (upk_status s = CheckStruct(options, "options"); s != UPK_OK) return s;
  if (options->has_pool != 0) {
    Money pool;
    if (upk_status s = MoneyOf(options->pool, "pool", &pool); s != UPK_OK) return s;
    out->pool = pool;
  }
  if (options->previous != nullptr) {
    *history = TierHistory::FromClassification(*options->previous->portfolio,
                                               options->previous->plan.classification);
    out->previous = &**history;
  }
  return UPK_OK;
}

std::unique_ptr<upk_plan> NewPlan(std::shared_ptr<const Portfolio> portfolio, PeriodPlan plan) {
  auto result = std::make_unique<upk_plan>();
  result->portfolio = std::move(portfolio);
  result->plan = std::move(plan);
  result->tiers = SummarizeByTier(result->plan);
  return result;
}

}  // namespace upkeep::capi

using upkeep::capi::Borrow;
using upkeep::capi::CheckStruct;
using upkeep::capi::Fail;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_plan_new(upk_plan** out, const upk_policy* policy, const upk_portfolio* portfolio,
                        const upk_plan_options* options) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(policy, "policy"); s != UPK_OK) return s;
    if (upk_status s = NotNull(portfolio, "portfolio"); s != UPK_OK) return s;
    upkeep::PlanOptions plan_options;
    std::optional<upkeep::TierHistory> history;
    if (upk_status s = upkeep::capi::PlanOptionsOf(options, &plan_options, &history); s != UPK_OK) {
      return s;
    }
    absl::StatusOr<upkeep::PeriodPlan> plan =
        upkeep::PlanPeriod(*policy->set, *portfolio->portfolio, plan_options);
    if (!plan.ok()) return upkeep::capi::FromStatus(plan.status());
    *out = upkeep::capi::NewPlan(portfolio->portfolio, *std::move(plan)).release();
    return UPK_OK;
  });
}

void upk_plan_free(upk_plan* plan) {
  upkeep::capi::GuardVoid([&] { delete plan; });
}

upk_status upk_plan_summary_get(upk_plan_summary* out, const upk_plan* plan) {
  return Guard([&]() -> upk_status {
    if (upk_status s = CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
    const upkeep::Allocation& a = plan->plan.allocation;
    int64_t allocated_minor = 0;
    for (int64_t amount : a.amount_minor) allocated_minor += amount;  // <= pool: cannot overflow
    *out = upk_plan_summary{sizeof(upk_plan_summary),
                            a.size(),
                            a.tier_names.size(),
                            upkeep::capi::ToC(upkeep::Money::FromMinor(a.pool_minor, a.currency)),
                            allocated_minor,
                            a.reserve_minor,
                            a.unallocated_minor};
    return UPK_OK;
  });
}

upk_status upk_plan_tier_get(upk_plan_tier* out, const upk_plan* plan, size_t tier) {
  return Guard([&]() -> upk_status {
    if (upk_status s = CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
    if (tier >= plan->tiers.size()) {
      return Fail(UPK_NOT_FOUND, absl::StrCat("tier index ", tier, " out of range (",
                                              plan->tiers.size(), " tiers)"));
    }
    const upkeep::TierSummary& t = plan->tiers[tier];
    const upkeep::Allocation& a = plan->plan.allocation;
    const std::vector<std::string>& rules = plan->plan.classification.tier_rules;
    *out = upk_plan_tier{sizeof(upk_plan_tier),
                         Borrow(t.tier),
                         tier < rules.size() ? Borrow(rules[tier]) : upk_str{nullptr, 0},
                         t.customers,
                         t.amount_minor,
                         t.smallest_minor,
                         t.largest_minor,
                         tier < a.tier_flags.size() ? a.tier_flags[tier] : 0u,
                         tier < a.tier_bound_minor.size() ? a.tier_bound_minor[tier] : 0};
    return UPK_OK;
  });
}

upk_status upk_plan_customer_get(upk_plan_customer* out, const upk_plan* plan, size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckCustomer(plan, index); s != UPK_OK) return s;
    const upkeep::Allocation& a = plan->plan.allocation;
    const upkeep::Classification& c = plan->plan.classification;
    *out = upk_plan_customer{sizeof(upk_plan_customer),
                             Borrow(plan->portfolio->customer(index).id),
                             c.tier[index],
                             c.rule_tier[index],
                             static_cast<int32_t>(c.reason[index]),
                             c.score[index],
                             a.amount_minor[index],
                             a.base_minor[index],
                             a.weight[index],
                             a.bound_minor[index],
                             a.step[index],
                             a.flags[index]};
    return UPK_OK;
  });
}

upk_status upk_plan_find_customer(size_t* out, const upk_plan* plan, upk_str id) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
    std::string_view text;
    if (upk_status s = upkeep::capi::Text(id, "id", &text); s != UPK_OK) return s;
    std::optional<size_t> index = plan->portfolio->Find(text);
    if (!index) {
      return Fail(UPK_NOT_FOUND, absl::StrCat("no customer \"", upkeep::AsAbsl(text), "\""));
    }
    *out = *index;
    return UPK_OK;
  });
}

upk_status upk_plan_explain_tier(char** out, const upk_plan* plan, size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckCustomer(plan, index); s != UPK_OK) return s;
    return upkeep::capi::Emit(plan->plan.classification.Explain(index), out);
  });
}

upk_status upk_plan_explain_amount(char** out, const upk_plan* plan, size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckCustomer(plan, index); s != UPK_OK) return s;
    return upkeep::capi::Emit(plan->plan.allocation.Explain(index), out);
  });
}

upk_status upk_plan_explain_sizing(char** out, const upk_plan* plan) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
    return upkeep::capi::Emit(plan->plan.sizing.Explain(), out);
  });
}

}  // extern "C"
