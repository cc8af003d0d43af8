// capi/rollover.cc: period close with rollover, its plan as JSON, and carry lots in and out.
#include "upkeep/monitor/rollover.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "upkeep/checked.h"

namespace upkeep::capi {
namespace {

upk_status BadLots(std::string_view what) {
  return Fail(UPK_PARSE, absl::StrCat("carry_lots_json: ", AsAbsl(what)));
}

// {"customer/category": [[times carried, amount_minor], ...], ...} as CarryLots.
upk_status LotsOf(std::string_view text, monitor::CarryLots* out) {
  if (text.empty()) return UPK_OK;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return BadLots("not valid JSON");
  if (!j.is_object()) return BadLots("must be an object of envelopes");
  for (const auto& [envelope, lots] : j.items()) {
    if (!lots.is_array()) return BadLots(absl::StrCat("\"", envelope, "\": must be an array"));
    std::vector<std::pair<int32_t, int64_t>>& kept = (*out)[envelope];
    int64_t total_minor = 0;
    for (const nlohmann::json& lot : lots) {
      if (!lot.is_array() || lot.size() != 2 || !lot[0].is_number_integer() ||
          !lot[1].is_number_integer() || lot[0].get<int64_t>() < 1 ||
          lot[0].get<int64_t>() > INT32_MAX || lot[1].get<int64_t>() <= 0) {
        return BadLots(
            absl::StrCat("\"", envelope, "\": each lot is [times carried >= 1, amount_minor > 0]"));
      }
      const int64_t amount_minor = lot[1].get<int64_t>();
      absl::StatusOr<int64_t> total = CheckedAdd(total_minor, amount_minor);
      if (!total.ok()) {
        return Fail(UPK_OVERFLOW, absl::StrCat("carry_lots_json: \"", envelope,
                                               "\": the lots add up to more than int64"));
      }
      total_minor = *total;
      kept.emplace_back(static_cast<int32_t>(lot[0].get<int64_t>()), amount_minor);
    }
    std::sort(kept.begin(), kept.end());
  }
  return UPK_OK;
}

nlohmann::json PlanJson(const monitor::RolloverPlan& plan) {
  nlohmann::json settlements = nlohmann::json::array();
  for (const monitor::Settlement& s : plan.settlements) {
    settlements.push_back({{"customer", s.customer},
                           {"category", s.category},
                           {"rule_id", s.rule_id},
                           {"mode", std::string(monitor::RolloverModeName(s.mode))},
                           {"unused_minor", s.unused_minor},
                           {"moved_minor", s.moved_minor},
                           {"carried_minor", s.carried_minor},
                           {"forfeited_minor", s.forfeited_minor},
                           {"swept_minor", s.swept_minor},
                           {"pool", s.pool},
                           {"explanation", s.explanation},
                           {"level", std::string(ledger::ScopeKindName(s.level))}});
  }
  nlohmann::json lots = nlohmann::json::object();
  for (const auto& [envelope, kept] : plan.lots_after) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [age, amount_minor] : kept) list.push_back({age, amount_minor});
    lots[envelope] = std::move(list);
  }
  return {{"closed_period", plan.closed_period},
          {"next_period", plan.next_period},
          {"unused_minor", plan.unused_minor},
          {"carried_minor", plan.carried_minor},
          {"forfeited_minor", plan.forfeited_minor},
          {"swept_minor", plan.swept_minor},
          {"moved_minor", plan.moved_minor},
          {"settlements", std::move(settlements)},
          {"lots_after", std::move(lots)}};
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::AsAbsl;
using upkeep::capi::Fail;
using upkeep::capi::Guard;

extern "C" {

upk_status upk_ledger_close_and_rollover(upk_rollover_summary* out, char** out_plan_json,
                                         upk_ledger* ledger, const upk_policy* policy,
                                         const upk_close_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(ledger, "ledger"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(policy, "policy"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckStruct(request, "request"); s != UPK_OK) return s;
    std::string_view t[4];
    const upk_str in[4] = {request->actor, request->period, request->next_period,
                           request->carry_lots_json};
    const char* const names[4] = {"actor", "period", "next_period", "carry_lots_json"};
    for (size_t k = 0; k < 4; ++k) {
      if (upk_status s = upkeep::capi::Text(in[k], names[k], &t[k]); s != UPK_OK) return s;
    }
    const upkeep::ledger::Ledger& l = *ledger->ledger;
    if (policy->set->currency() != l.currency()) {
      return Fail(UPK_CURRENCY_MISMATCH,
                  absl::StrCat("the policy is in ", AsAbsl(policy->set->currency().code()),
                               ", the ledger in ", AsAbsl(l.currency().code())));
    }
    const upkeep::monitor::RolloverPolicy* rollover = policy->set->rollover();
    if (rollover == nullptr) {
      return Fail(UPK_NOT_FOUND,
                  "the policy has no \"rollover\" section (to close without settling, use "
                  "upk_ledger_close_period)");
    }
    upkeep::monitor::CarryLots lots;
    if (upk_status s = upkeep::capi::LotsOf(t[3], &lots); s != UPK_OK) return s;
    absl::StatusOr<upkeep::monitor::RolloverPlan> plan = upkeep::monitor::CloseAndRollover(
        *ledger->ledger, *rollover,
        {.actor = t[0], .period = t[1], .next_period = t[2], .lots_before = &lots});
    if (!plan.ok()) return upkeep::capi::FromStatus(plan.status());
    if (out_plan_json != nullptr) {
      if (upk_status s = upkeep::capi::Emit(upkeep::capi::PlanJson(*plan).dump(), out_plan_json);
          s != UPK_OK) {
        return s;
      }
    }
    *out = upk_rollover_summary{sizeof(upk_rollover_summary),
                                plan->settlements.size(),
                                plan->unused_minor,
                                plan->carried_minor,
                                plan->forfeited_minor,
                                plan->swept_minor,
                                plan->moved_minor};
    return UPK_OK;
  });
}

}  // extern "C"
