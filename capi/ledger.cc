// capi/ledger.cc: creating a ledger, its definitions, control policies and budgets.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"
#include "upkeep/status.h"

namespace upkeep::capi {
namespace {

// Up to four text arguments checked at once, named in order.
template <size_t N>
upk_status Texts(const upk_str (&in)[N], const char* const (&names)[N],
                 std::string_view (&out)[N]) {
  for (size_t k = 0; k < N; ++k) {
    if (upk_status s = Text(in[k], names[k], &out[k]); s != UPK_OK) return s;
  }
  return UPK_OK;
}

upk_status BudgetTexts(const upk_budget_request* r, std::string_view (&out)[5]) {
  if (upk_status s = CheckStruct(r, "request"); s != UPK_OK) return s;
  return Texts({r->op_id, r->actor, r->period, r->category, r->reason},
               {"op_id", "actor", "period", "category", "reason"}, out);
}

upk_status ApplyEnvelopes(upk_ledger* l, const std::string_view (&t)[5],
                          std::vector<ledger::EnvelopeBudget> envelopes) {
  ledger::AllocationRequest request{.op_id = t[0],
                                    .actor = t[1],
                                    .period = t[2],
                                    .category = t[3],
                                    .envelopes = std::move(envelopes),
                                    .reason = t[4]};
  return FromStatus(l->ledger->ApplyAllocation(request));
}

// Defines what the plan needs and the ledger lacks; "already exists" means it has it.
upk_status Define(const absl::Status& status) {
  if (ErrorCodeOf(status) == ErrorCode::kAlreadyExists) return UPK_OK;
  return FromStatus(status);
}

upk_status ChangeOf(const upk_budget_change* c, std::string_view (&t)[3], ledger::ScopeRef* scope,
                    Money* amount) {
  if (upk_status s = CheckStruct(c, "change"); s != UPK_OK) return s;
  if (upk_status s = Texts({c->op_id, c->actor, c->reason}, {"op_id", "actor", "reason"}, t);
      s != UPK_OK) {
    return s;
  }
  if (upk_status s = ScopeOf(&c->scope, "scope", scope); s != UPK_OK) return s;
  return MoneyOf(c->amount, "amount", amount);
}

}  // namespace

upk_status LedgerOptionsOf(const upk_ledger_options* options, const char* what,
                           ledger::LedgerOptions* out) {
  if (upk_status s = CheckStruct(options, what); s != UPK_OK) return s;
  if (upk_status s = CurrencyOf(options->currency, "currency", &out->currency); s != UPK_OK) {
    return s;
  }
  std::string_view admin;
  if (upk_status s = Text(options->bootstrap_admin, "bootstrap_admin", &admin); s != UPK_OK) {
    return s;
  }
  if (!admin.empty()) out->bootstrap_admin = std::string(admin);
  if (options->fixed_time_micros != 0) {
    const int64_t now = options->fixed_time_micros;
    out->clock_micros = [now] { return now; };
  }
  out->refund_returns_to_budget = options->refund_returns_to_budget != 0;
  return UPK_OK;
}

}  // namespace upkeep::capi

using upkeep::capi::Fail;
using upkeep::capi::FromStatus;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;
using upkeep::capi::Texts;

extern "C" {

upk_status upk_ledger_new(upk_ledger** out, const upk_ledger_options* options) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::ledger::LedgerOptions o;
    if (upk_status s = upkeep::capi::LedgerOptionsOf(options, "options", &o); s != UPK_OK) {
      return s;
    }
    auto l = std::make_unique<upk_ledger>();
    l->memory = std::make_unique<upkeep::ledger::MemoryJournal>();
    o.journal = l->memory.get();
    absl::StatusOr<std::unique_ptr<upkeep::ledger::Ledger>> ledger =
        upkeep::ledger::Ledger::Create(std::move(o));
    if (!ledger.ok()) return FromStatus(ledger.status());
    l->owned = *std::move(ledger);
    l->ledger = l->owned.get();
    l->journal = l->memory.get();
    *out = l.release();
    return UPK_OK;
  });
}

void upk_ledger_free(upk_ledger* ledger) {
  upkeep::capi::GuardVoid([&] { delete ledger; });
}

upk_status upk_ledger_define_actor(upk_ledger* ledger, upk_str actor, upk_str id, int32_t role) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, id}, {"actor", "id"}, t); s != UPK_OK) return s;
    if (role < UPK_ROLE_ACCOUNT_MANAGER || role > UPK_ROLE_ADMIN) {
      return Fail(UPK_INVALID_ARGUMENT, absl::StrCat("role ", role, " is not an UPK_ROLE_"));
    }
    return FromStatus(ledger->ledger->DefineActor(
        t[0], upkeep::ledger::Actor{.id = std::string(t[1]),
                                    .role = static_cast<upkeep::ledger::Role>(role)}));
  });
}

upk_status upk_ledger_define_category(upk_ledger* ledger, upk_str actor, upk_str category) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, category}, {"actor", "category"}, t); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->DefineCategory(t[0], t[1]));
  });
}

upk_status upk_ledger_define_tier(upk_ledger* ledger, upk_str actor, upk_str tier) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, tier}, {"actor", "tier"}, t); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->DefineTier(t[0], t[1]));
  });
}

upk_status upk_ledger_define_customer(upk_ledger* ledger, upk_str actor, upk_str id, upk_str tier,
                                      upk_str owner, upk_str region) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[5];
    if (upk_status s =
            Texts({actor, id, tier, owner, region}, {"actor", "id", "tier", "owner", "region"}, t);
        s != UPK_OK) {
      return s;
    }
    return FromStatus(ledger->ledger->DefineCustomer(
        t[0], upkeep::ledger::CustomerInfo{.id = std::string(t[1]),
                                           .tier = std::string(t[2]),
                                           .owner = std::string(t[3]),
                                           .region = std::string(t[4])}));
  });
}

upk_status upk_ledger_define_period(upk_ledger* ledger, upk_str actor, upk_str id,
                                    int64_t start_micros, int64_t end_micros) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, id}, {"actor", "id"}, t); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->DefinePeriod(
        t[0], upkeep::ledger::Period{std::string(t[1]), start_micros, end_micros}));
  });
}

upk_status upk_ledger_close_period(upk_ledger* ledger, upk_str actor, upk_str period) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, period}, {"actor", "period"}, t); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->ClosePeriod(t[0], t[1]));
  });
}

upk_status upk_ledger_set_policies(upk_ledger* ledger, upk_str actor, upk_str control_json,
                                   const upk_registry* registry) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[2];
    if (upk_status s = Texts({actor, control_json}, {"actor", "control_json"}, t); s != UPK_OK) {
      return s;
    }
    const nlohmann::json document =
        nlohmann::json::parse(t[1], nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
      return Fail(UPK_POLICY_INVALID, "control_json: not valid JSON");
    }
    const upkeep::ledger::ControlPolicyRegistry empty;
    absl::StatusOr<upkeep::ledger::ControlPolicySet> policies =
        upkeep::ledger::ParseControlPolicies(upkeep::PolicyParams(document, ""),
                                             ledger->ledger->currency(),
                                             registry == nullptr ? empty : registry->controls);
    if (!policies.ok()) return FromStatus(policies.status());
    const upk_status set = FromStatus(ledger->ledger->SetPolicies(t[0], *std::move(policies)));
    if (set == UPK_OK && registry != nullptr) {
      absl::MutexLock lock(&ledger->mu);
      ledger->controls = registry->controls;
    }
    return set;
  });
}

upk_status upk_ledger_apply_allocation(upk_ledger* ledger, const upk_budget_request* request,
                                       const upk_envelope* envelopes, size_t count) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[5];
    if (upk_status s = upkeep::capi::BudgetTexts(request, t); s != UPK_OK) return s;
    if (count > 0 && envelopes == nullptr) return NotNull(envelopes, "envelopes");
    std::vector<upkeep::ledger::EnvelopeBudget> budgets;
    budgets.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      std::string_view e[2];
      if (upk_status s = Texts({envelopes[i].customer, envelopes[i].tier},
                               {"envelope customer", "envelope tier"}, e);
          s != UPK_OK) {
        return s;
      }
      budgets.push_back({std::string(e[0]), std::string(e[1]), envelopes[i].amount_minor});
    }
    return upkeep::capi::ApplyEnvelopes(ledger, t, std::move(budgets));
  });
}

upk_status upk_ledger_apply_plan(upk_ledger* ledger, const upk_budget_request* request,
                                 const upk_plan* plan) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    if (upk_status s = NotNull(plan, "plan"); s != UPK_OK) return s;
    std::string_view t[5];
    if (upk_status s = upkeep::capi::BudgetTexts(request, t); s != UPK_OK) return s;
    const upkeep::Classification& c = plan->plan.classification;
    const upkeep::Allocation& a = plan->plan.allocation;
    if (a.currency != ledger->ledger->currency()) {
      return Fail(UPK_CURRENCY_MISMATCH, "the plan and the ledger have different currencies");
    }
    upkeep::ledger::Ledger& l = *ledger->ledger;
    for (const std::string& tier : c.tier_names) {
      if (upk_status s = upkeep::capi::Define(l.DefineTier(t[1], tier)); s != UPK_OK) return s;
    }
    std::vector<upkeep::ledger::EnvelopeBudget> budgets;
    budgets.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      const upkeep::Customer& customer = plan->portfolio->customer(i);
      const std::string& tier = c.tier_names[c.tier[i]];
      if (upk_status s = upkeep::capi::Define(l.DefineCustomer(t[1], {.id = customer.id,
                                                                      .tier = tier,
                                                                      .owner = customer.owner,
                                                                      .region = customer.region}));
          s != UPK_OK) {
        return s;
      }
      budgets.push_back({customer.id, tier, a.amount_minor[i]});
    }
    return upkeep::capi::ApplyEnvelopes(ledger, t, std::move(budgets));
  });
}

upk_status upk_ledger_revise(upk_ledger* ledger, const upk_budget_change* change) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[3];
    upkeep::ledger::ScopeRef scope;
    upkeep::Money amount;
    if (upk_status s = upkeep::capi::ChangeOf(change, t, &scope, &amount); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->Revise({.op_id = t[0],
                                              .actor = t[1],
                                              .scope = std::move(scope),
                                              .budget = amount,
                                              .reason = t[2]}));
  });
}

upk_status upk_ledger_transfer(upk_ledger* ledger, const upk_budget_change* change) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[3];
    upkeep::ledger::ScopeRef from, to;
    upkeep::Money amount;
    if (upk_status s = upkeep::capi::ChangeOf(change, t, &from, &amount); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::ScopeOf(&change->to, "to", &to); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->Transfer({.op_id = t[0],
                                                .actor = t[1],
                                                .from = std::move(from),
                                                .to = std::move(to),
                                                .amount = amount,
                                                .reason = t[2]}));
  });
}

upk_status upk_ledger_set_dimension_budget(upk_ledger* ledger, const upk_budget_change* change) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[3];
    upkeep::ledger::ScopeRef scope;
    upkeep::Money amount;
    if (upk_status s = upkeep::capi::ChangeOf(change, t, &scope, &amount); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->SetDimensionBudget({.op_id = t[0],
                                                          .actor = t[1],
                                                          .scope = std::move(scope),
                                                          .budget = amount,
                                                          .reason = t[2]}));
  });
}

}  // extern "C"
