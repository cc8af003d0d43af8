#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/money.h"
#include "upkeep/monitor/rollover.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using ledger::ScopeKind;
using ledger::ScopeRef;

// A customer envelope, or a tier or company scope with headroom.
struct Envelope {
  ScopeRef scope{};
  std::string tier{};
  int64_t headroom_minor = 0;  // tier or company: budget - children's budgets
  std::vector<std::pair<std::string, int64_t>> open{};  // open reservations: id, amount
};

// The closing period's envelopes, with their tiers and open reservations, and its tier and
// company scopes that hold headroom. The reservations are
// read from the history of each category's company scope (every envelope's path ends there):
// one pass over the journal per category, not one per envelope.
absl::StatusOr<std::vector<Envelope>> ReadEnvelopes(const ledger::Ledger& ledger,
                                                    std::string_view period) {
  std::vector<Envelope> envelopes;
  std::map<std::string, size_t> by_scope;  // ScopeRef::ToString() -> index
  std::vector<ScopeRef> companies;
  for (const ledger::ScopeSnapshot& s : ledger.Scopes()) {
    if (s.scope.period != period) continue;
    if (s.scope.kind == ScopeKind::kCompany) companies.push_back(s.scope);
    if (s.scope.kind == ScopeKind::kTier || s.scope.kind == ScopeKind::kCompany) {
      const int64_t headroom = s.balance.budget_minor - s.children_budget_minor;
      if (headroom > 0) {
        envelopes.push_back({.scope = s.scope, .tier = s.scope.key, .headroom_minor = headroom});
      }
      continue;
    }
    if (s.scope.kind != ScopeKind::kCustomer) continue;
    Envelope e;
    e.scope = s.scope;
    e.tier = s.parent ? s.parent->key : "";
    by_scope.emplace(e.scope.ToString(), envelopes.size());
    envelopes.push_back(std::move(e));
  }
  for (const ScopeRef& company : companies) {
    UPKEEP_ASSIGN_OR_RETURN(const std::vector<ledger::Event> history, ledger.History(company));
    for (const ledger::Event& event : history) {
      if (event.kind != ledger::EventKind::kReserved) continue;
      const auto envelope = by_scope.find(event.scope.ToString());
      if (envelope == by_scope.end()) continue;
      UPKEEP_ASSIGN_OR_RETURN(const ledger::ReservationInfo info,
                              ledger.GetReservation(event.op_id));
      if (info.status == ledger::ReservationStatus::kOpen) {
        envelopes[envelope->second].open.emplace_back(event.op_id, info.amount_minor);
      }
    }
  }
  return envelopes;
}

absl::StatusOr<std::vector<EnvelopeAtClose>> AtClose(const ledger::Ledger& ledger,
                                                     const std::vector<Envelope>& envelopes,
                                                     bool move) {
  std::vector<EnvelopeAtClose> out;
  for (const Envelope& e : envelopes) {
    EnvelopeAtClose c{.level = e.scope.kind,
                      .customer = e.scope.key,
                      .tier = e.tier,
                      .category = e.scope.category};
    if (e.scope.kind != ScopeKind::kCustomer) {
      c.balance = {.budget_minor = e.headroom_minor, .available_minor = e.headroom_minor};
      out.push_back(std::move(c));
      continue;
    }
    UPKEEP_ASSIGN_OR_RETURN(c.balance, ledger.GetBalance(e.scope));
    if (move) {
      for (const auto& r : e.open) c.moved_minor += r.second;
    }
    out.push_back(std::move(c));
  }
  return out;
}

ScopeRef Next(std::string_view period, ScopeKind kind, std::string key, std::string category) {
  return ScopeRef{.period = std::string(period),
                  .kind = kind,
                  .key = std::move(key),
                  .category = std::move(category)};
}

struct Delta {
  ScopeRef scope{};
  int64_t amount_minor = 0;
  std::string reason{};
};

// Budget changes per next-period scope, parents included, keyed by the scope's text.
std::map<std::string, Delta> Deltas(const RolloverPlan& plan, const RolloverPolicy& policy,
                                    const std::vector<Envelope>& envelopes) {
  std::map<std::string, Delta> deltas;
  const auto add = [&](ScopeRef scope, int64_t amount, const std::string& reason) {
    Delta& d = deltas[scope.ToString()];
    d.scope = std::move(scope);
    d.amount_minor += amount;
    if (d.reason.empty()) d.reason = reason;
  };
  std::map<std::tuple<ScopeKind, std::string, std::string>, const Envelope*> by_key;
  for (const Envelope& e : envelopes) by_key[{e.scope.kind, e.scope.key, e.scope.category}] = &e;
  const std::string sums =
      absl::StrCat("rollover from ", plan.closed_period, ": the sum of what its scopes received");
  for (const Settlement& s : plan.settlements) {
    const Envelope& e = *by_key.at({s.level, s.customer, s.category});
    const int64_t into_scope = s.carried_minor + s.moved_minor;
    if (into_scope != 0) {
      // The same scope next period, and its tree parents.
      add(Next(plan.next_period, s.level, s.customer, s.category), into_scope,
          absl::StrCat("rollover: ", s.explanation));
      if (s.level == ScopeKind::kCustomer) {
        add(Next(plan.next_period, ScopeKind::kTier, e.tier, s.category), into_scope, sums);
      }
      if (s.level != ScopeKind::kCompany) {
        add(Next(plan.next_period, ScopeKind::kCompany, "", s.category), into_scope, sums);
      }
    }
    if (s.swept_minor != 0) {
      const RolloverPool& pool = policy.pools.at(s.pool);
      const std::string category = pool.category.empty() ? s.category : pool.category;
      add(Next(plan.next_period, pool.kind, pool.key, category), s.swept_minor,
          absl::StrCat("rollover sweep to pool ", s.pool, " from ", plan.closed_period));
      if (pool.kind == ScopeKind::kTier) {
        add(Next(plan.next_period, ScopeKind::kCompany, "", category), s.swept_minor, sums);
      }
    }
  }
  return deltas;
}

// Every scope the plan would change exists in the next period (nothing changed otherwise).
absl::Status CheckTargets(const ledger::Ledger& ledger,
                          const std::map<std::string, Delta>& deltas) {
  for (const auto& [name, delta] : deltas) {
    absl::StatusOr<ledger::Balance> balance = ledger.GetBalance(delta.scope);
    if (!balance.ok()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat("rollover target ", name,
                                    " does not exist: allocate the next period first (",
                                    balance.status().message(), ")"));
    }
  }
  return absl::OkStatus();
}

// A deficit carried into an envelope that cannot absorb it is written off instead.
absl::Status FitDeficits(const ledger::Ledger& ledger, RolloverPlan* plan) {
  for (Settlement& s : plan->settlements) {
    if (s.carried_minor >= 0 || s.level != ScopeKind::kCustomer) continue;
    UPKEEP_ASSIGN_OR_RETURN(
        const ledger::Balance next,
        ledger.GetBalance(Next(plan->next_period, ScopeKind::kCustomer, s.customer, s.category)));
    const int64_t room = std::max<int64_t>(
        0, next.budget_minor - next.spent_minor - next.reserved_minor + s.moved_minor);
    const int64_t fit = -std::min(-s.carried_minor, room);
    s.forfeited_minor += s.carried_minor - fit;
    plan->forfeited_minor += s.carried_minor - fit;
    plan->carried_minor += fit - s.carried_minor;
    s.carried_minor = fit;
  }
  return absl::OkStatus();
}

absl::Status Revise(ledger::Ledger& ledger, const CloseRequest& request, const Delta& d) {
  UPKEEP_ASSIGN_OR_RETURN(const ledger::Balance now, ledger.GetBalance(d.scope));
  const std::string op_id =
      absl::StrCat("rollover:", AsAbsl(request.period), ":", d.scope.ToString());
  return ledger.Revise(
      {.op_id = op_id,
       .actor = request.actor,
       .scope = d.scope,
       .budget = Money::FromMinor(now.budget_minor + d.amount_minor, ledger.currency()),
       .reason = d.reason});
}

}  // namespace

absl::StatusOr<RolloverPlan> CloseAndRollover(ledger::Ledger& ledger, const RolloverPolicy& policy,
                                              const CloseRequest& request) {
  const CarryLots none;
  const CarryLots& lots = request.lots_before != nullptr ? *request.lots_before : none;
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<Envelope> envelopes,
                          ReadEnvelopes(ledger, request.period));
  {  // A dry run on today's balances: every target must exist before anything changes.
    UPKEEP_ASSIGN_OR_RETURN(const std::vector<EnvelopeAtClose> now,
                            AtClose(ledger, envelopes, policy.move_reservations));
    UPKEEP_ASSIGN_OR_RETURN(
        RolloverPlan trial,
        PlanRollover(policy, request.period, request.next_period, now, lots, ledger.currency()));
    for (Settlement& s : trial.settlements) {  // every envelope that may receive is a target
      if (s.mode != RolloverMode::kForfeit || s.moved_minor > 0) s.carried_minor = 1;
    }
    UPKEEP_RETURN_IF_ERROR(CheckTargets(ledger, Deltas(trial, policy, envelopes)));
  }
  UPKEEP_RETURN_IF_ERROR(ledger.ClosePeriod(request.actor, request.period));
  for (const Envelope& e : envelopes) {
    for (const auto& [id, amount] : e.open) {
      UPKEEP_RETURN_IF_ERROR(
          ledger.Void({.op_id = absl::StrCat("rollover:", AsAbsl(request.period), ":release:", id),
                       .actor = request.actor,
                       .reservation_id = id,
                       .reason = policy.move_reservations ? "moved to the next period at close"
                                                          : "released at period close"}));
    }
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<EnvelopeAtClose> closed,
                          AtClose(ledger, envelopes, policy.move_reservations));
  UPKEEP_ASSIGN_OR_RETURN(
      RolloverPlan plan,
      PlanRollover(policy, request.period, request.next_period, closed, lots, ledger.currency()));
  UPKEEP_RETURN_IF_ERROR(FitDeficits(ledger, &plan));
  const std::map<std::string, Delta> deltas = Deltas(plan, policy, envelopes);
  std::vector<const Delta*> order;
  for (const auto& [name, d] : deltas) {
    if (d.amount_minor != 0) order.push_back(&d);
  }
  // Lowering: children first; raising: parents first.
  std::stable_sort(order.begin(), order.end(), [](const Delta* a, const Delta* b) {
    const bool a_down = a->amount_minor < 0, b_down = b->amount_minor < 0;
    if (a_down != b_down) return a_down;
    const int a_depth = static_cast<int>(a->scope.kind), b_depth = static_cast<int>(b->scope.kind);
    return a_down ? a_depth > b_depth : a_depth < b_depth;
  });
  for (const Delta* d : order) UPKEEP_RETURN_IF_ERROR(Revise(ledger, request, *d));
  if (policy.move_reservations) {
    for (const Envelope& e : envelopes) {
      for (const auto& [id, amount] : e.open) {
        UPKEEP_RETURN_IF_ERROR(
            ledger
                .Reserve({.op_id = absl::StrCat("rollover:", AsAbsl(request.period), ":", id),
                          .actor = request.actor,
                          .period = request.next_period,
                          .customer = e.scope.key,
                          .category = e.scope.category,
                          .amount = Money::FromMinor(amount, ledger.currency()),
                          .reason = absl::StrCat("reservation ", id, " moved from ",
                                                 AsAbsl(request.period))})
                .status());
      }
    }
  }
  return plan;
}

}  // namespace upkeep::monitor
