// capi/plan_json.cc: a plan as JSON, for hosts that want the whole result in one string.
#include "capi/internal.h"
#include "nlohmann/json.hpp"

namespace upkeep::capi {
namespace {

nlohmann::json MoneyJson(int64_t amount_minor, Currency currency) {
  return {{"minor", amount_minor},
          {"amount", Money::FromMinor(amount_minor, currency).ToDecimalString()}};
}

nlohmann::json PlanJson(const upk_plan& p) {
  const Classification& c = p.plan.classification;
  const Sizing& sizing = p.plan.sizing;
  const Allocation& a = p.plan.allocation;
  nlohmann::json terms = nlohmann::json::array();
  for (const SizingTerm& term : sizing.terms) {
    terms.push_back(
        {{"label", term.label}, {"detail", term.detail}, {"amount_minor", term.amount_minor}});
  }
  nlohmann::json tiers = nlohmann::json::array();
  for (size_t t = 0; t < p.tiers.size(); ++t) {
    const TierSummary& s = p.tiers[t];
    tiers.push_back({{"name", s.tier},
                     {"rule", t < c.tier_rules.size() ? c.tier_rules[t] : ""},
                     {"customers", s.customers},
                     {"amount", MoneyJson(s.amount_minor, a.currency)},
                     {"smallest_minor", s.smallest_minor},
                     {"largest_minor", s.largest_minor},
                     {"flags", t < a.tier_flags.size() ? a.tier_flags[t] : 0},
                     {"bound_minor", t < a.tier_bound_minor.size() ? a.tier_bound_minor[t] : 0}});
  }
  nlohmann::json customers = nlohmann::json::array();
  for (size_t i = 0; i < a.size(); ++i) {
    customers.push_back({{"id", p.portfolio->customer(i).id},
                         {"tier", c.tier_names[c.tier[i]]},
                         {"rule_tier", c.tier_names[c.rule_tier[i]]},
                         {"score", c.score[i]},
                         {"amount", MoneyJson(a.amount_minor[i], a.currency)},
                         {"base_minor", a.base_minor[i]},
                         {"weight", a.weight[i]},
                         {"bound_minor", a.bound_minor[i]},
                         {"step", a.step[i]},
                         {"flags", a.flags[i]},
                         {"tier_explain", c.Explain(i)},
                         {"amount_explain", a.Explain(i)}});
  }
  return {{"currency", std::string(a.currency.code())},
          {"classifier", c.classifier},
          {"classification_rule", c.rule},
          {"sizing",
           {{"formula", sizing.formula},
            {"terms", terms},
            {"pool", MoneyJson(sizing.pool.amount_minor(), a.currency)}}},
          {"pool", MoneyJson(a.pool_minor, a.currency)},
          {"reserve", MoneyJson(a.reserve_minor, a.currency)},
          {"unallocated", MoneyJson(a.unallocated_minor, a.currency)},
          {"steps", a.steps},
          {"tiers", tiers},
          {"customers", customers}};
}

}  // namespace
}  // namespace upkeep::capi

extern "C" {

upk_status upk_plan_to_json(char** out, const upk_plan* plan) {
  return upkeep::capi::Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(plan, "plan"); s != UPK_OK) return s;
    return upkeep::capi::Emit(upkeep::capi::PlanJson(*plan).dump(), out);
  });
}

}  // extern "C"
