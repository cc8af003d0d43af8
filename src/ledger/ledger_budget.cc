// Ledger: budgets from an allocation, crossing budgets, revisions and transfers.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/text.h"
#include "ledger/validate.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

absl::Status CheckBudget(const LedgerState& s, const Money& budget, std::string_view what) {
  if (budget.currency() != s.options.currency) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     StrCat(what, " is in ", budget.currency().code(), " but the ledger keeps ",
                            s.options.currency.code()));
  }
  if (budget.amount_minor() < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(what, " must not be negative, got ", budget.amount_minor()));
  }
  return absl::OkStatus();
}

absl::Status Overflow(std::string_view what) {
  return MakeError(ErrorCode::kOverflow, StrCat(what, " would overflow"));
}

Event BudgetEvent(std::string_view op_id, std::string_view actor, std::string_view reason,
                  ScopeRef scope, int64_t budget_minor, int32_t version, std::string_view how,
                  uint64_t fingerprint) {
  Event event;
  event.kind = EventKind::kBudgetSet;
  event.op_id = std::string(op_id);
  event.actor = std::string(actor);
  event.reason = std::string(reason);
  event.scope = std::move(scope);
  event.amount_minor = budget_minor;
  event.amount2_minor = version;
  event.args = {std::string(how), StrCat(fingerprint)};
  return event;
}

// The common start of every budget operation: actor, permission, ids and text.
absl::StatusOr<uint32_t> BudgetActor(const LedgerState& s, std::string_view actor,
                                     std::string_view op_id, std::string_view reason,
                                     bool reason_required, std::string_view what) {
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kBudgets, kNone, what));
  UPKEEP_RETURN_IF_ERROR(CheckId(op_id, "op id"));
  UPKEEP_RETURN_IF_ERROR(CheckText(reason, "reason"));
  if (reason_required && reason.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, StrCat(what, " needs a reason"));
  }
  return who;
}

}  // namespace

absl::Status Ledger::ApplyAllocation(const AllocationRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, BudgetActor(s, request.actor, request.op_id,
                                                          request.reason, false, "set budgets"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t period, s.FindPeriod(request.period));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t category, s.FindCategory(request.category));
  if (request.envelopes.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an allocation needs at least one envelope");
  }
  uint64_t fingerprint = Fingerprint(request.reason);
  fingerprint = Fingerprint(request.period, fingerprint);
  fingerprint = Fingerprint(request.category, fingerprint);
  std::map<uint32_t, int64_t> tier_sums;  // ordered: events in tier order
  int64_t total_minor = 0;
  absl::flat_hash_set<uint32_t> seen;
  const EnvelopeBudget* budgeted = nullptr;  // one that has a budget already (unless a retry)
  std::vector<uint32_t> customers;
  customers.reserve(request.envelopes.size());
  for (const EnvelopeBudget& entry : request.envelopes) {
    UPKEEP_ASSIGN_OR_RETURN(const uint32_t customer, s.FindCustomer(entry.customer));
    const uint32_t tier = s.customer_states[customer].tier;
    if (!entry.tier.empty() && s.tiers.Find(entry.tier) != tier) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat("customer ", entry.customer, " is in tier ", s.tiers.Name(tier),
                              ", not ", entry.tier));
    }
    if (entry.amount_minor < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat("envelope of customer ", entry.customer,
                              " must not be negative, got ", entry.amount_minor));
    }
    if (!seen.insert(customer).second) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat("customer ", entry.customer, " appears twice"));
    }
    if (budgeted == nullptr &&
        s.LookupScope(ScopeKind::kCustomer, period, category, customer) != kNone) {
      budgeted = &entry;
    }
    if (__builtin_add_overflow(tier_sums[tier], entry.amount_minor, &tier_sums[tier]) ||
        __builtin_add_overflow(total_minor, entry.amount_minor, &total_minor)) {
      return Overflow("the allocation's total");
    }
    fingerprint = Fingerprint(entry.customer, fingerprint);
    fingerprint = Fingerprint(StrCat("=", entry.amount_minor, ";"), fingerprint);
    customers.push_back(customer);
  }
  Op payload;
  payload.kind = OpKind::kBudget;
  payload.actor = who;
  payload.text_fingerprint = fingerprint;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  if (budgeted != nullptr) {
    return MakeError(ErrorCode::kAlreadyExists,
                     StrCat("customer ", budgeted->customer, " already has a budget for ",
                            request.category, " in ", request.period, "; revise it instead"));
  }
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(period));

  // Parents grow by the sums of their new children.
  const uint32_t company = s.LookupScope(ScopeKind::kCompany, period, category, kNone);
  const Scope no_scope;
  const Scope& company_now = company == kNone ? no_scope : s.scopes[company];
  int64_t company_budget = 0;
  if (__builtin_add_overflow(company_now.budget_minor, total_minor, &company_budget)) {
    return Overflow("the company budget");
  }
  std::vector<std::pair<uint32_t, int64_t>> tier_budgets;
  for (const auto& [tier, sum] : tier_sums) {
    const uint32_t scope = s.LookupScope(ScopeKind::kTier, period, category, tier);
    int64_t budget = sum;
    if (scope != kNone && __builtin_add_overflow(s.scopes[scope].budget_minor, sum, &budget)) {
      return Overflow(StrCat("the budget of tier ", s.tiers.Name(tier)));
    }
    tier_budgets.emplace_back(tier, budget);
  }

  // One batch: the company, the tiers, then the envelopes (each parent before its children).
  std::vector<Event> events;
  events.reserve(1 + tier_budgets.size() + customers.size());
  const auto add = [&](ScopeKind kind, std::string_view key, int64_t budget, int32_t version) {
    events.push_back(BudgetEvent(request.op_id, request.actor, request.reason,
                                 ScopeRef{.period = std::string(request.period),
                                          .kind = kind,
                                          .key = std::string(key),
                                          .category = std::string(request.category)},
                                 budget, version, "allocation", fingerprint));
  };
  add(ScopeKind::kCompany, "", company_budget, company_now.version + 1);
  for (const auto& [tier, budget] : tier_budgets) {
    const uint32_t scope = s.LookupScope(ScopeKind::kTier, period, category, tier);
    add(ScopeKind::kTier, s.tiers.Name(tier), budget,
        scope == kNone ? 1 : s.scopes[scope].version + 1);
  }
  for (size_t i = 0; i < customers.size(); ++i) {
    add(ScopeKind::kCustomer, request.envelopes[i].customer, request.envelopes[i].amount_minor, 1);
  }
  const std::vector<EventHint> hints(events.size(), EventHint{.actor = who});
  return s.RecordBatch(events, hints);
}

absl::Status Ledger::SetDimensionBudget(const DimensionBudgetRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who,
                          BudgetActor(s, request.actor, request.op_id, request.reason, false,
                                      "set owner or region budgets"));
  const ScopeRef& ref = request.scope;
  if (ref.kind != ScopeKind::kOwner && ref.kind != ScopeKind::kRegion) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(ref.ToString(), ": a dimension budget is for an owner or a region"));
  }
  UPKEEP_RETURN_IF_ERROR(CheckBudget(s, request.budget, "the budget"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t period, s.FindPeriod(ref.period));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t category, s.FindCategory(ref.category));
  const uint32_t key =
      ref.kind == ScopeKind::kOwner ? s.actor_ids.Find(ref.key) : s.regions.Find(ref.key);
  if (key == kNone) {
    return MakeError(ErrorCode::kNotFound,
                     StrCat("unknown ", ScopeKindName(ref.kind), " '", ref.key, "'"));
  }
  const uint64_t fingerprint = Fingerprint(
      StrCat(ref.ToString(), "=", request.budget.amount_minor()), Fingerprint(request.reason));
  Op payload;
  payload.kind = OpKind::kBudget;
  payload.actor = who;
  payload.text_fingerprint = fingerprint;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  if (s.LookupScope(ref.kind, period, category, key) != kNone) {
    return MakeError(ErrorCode::kAlreadyExists,
                     StrCat(ref.ToString(), " already has a budget; revise it instead"));
  }
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(period));
  Event event = BudgetEvent(request.op_id, request.actor, request.reason, ref,
                            request.budget.amount_minor(), 1, "dimension", fingerprint);
  return s.Record(&event, EventHint{.actor = who});
}

absl::Status Ledger::Revise(const ReviseRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, BudgetActor(s, request.actor, request.op_id,
                                                          request.reason, true, "revise budgets"));
  UPKEEP_RETURN_IF_ERROR(CheckBudget(s, request.budget, "the new budget"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t index, s.FindScope(request.scope));
  const int64_t budget = request.budget.amount_minor();
  const uint64_t fingerprint =
      Fingerprint(StrCat(request.scope.ToString(), "=", budget), Fingerprint(request.reason));
  Op payload;
  payload.kind = OpKind::kBudget;
  payload.actor = who;
  payload.text_fingerprint = fingerprint;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  const Scope& scope = s.scopes[index];
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(scope.period));
  const std::string name = request.scope.ToString();
  if (budget < scope.children_budget_minor) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        StrCat(name, ": a budget of ", s.Format(budget), " is less than its children hold (",
               s.Format(scope.children_budget_minor), ")"));
  }
  if (budget < scope.reserved_minor + scope.spent_minor) {
    return MakeError(ErrorCode::kInsufficientFunds,
                     StrCat(name, ": a budget of ", s.Format(budget),
                            " is less than what is reserved and spent (",
                            s.Format(scope.reserved_minor + scope.spent_minor), ")"));
  }
  if (scope.parent != kNone) {
    const Scope& parent = s.scopes[scope.parent];
    const int64_t unallocated =
        parent.budget_minor - parent.children_budget_minor + scope.budget_minor;
    if (budget > unallocated) {
      return MakeError(ErrorCode::kInsufficientFunds,
                       StrCat(name, ": a budget of ", s.Format(budget), " is more than ",
                              s.RefOf(scope.parent).ToString(), " can give (",
                              s.Format(unallocated), "); revise the parent first"));
    }
  }
  Event event = BudgetEvent(request.op_id, request.actor, request.reason, request.scope, budget,
                            scope.version + 1, "revise", fingerprint);
  return s.Record(&event, EventHint{.actor = who});
}

absl::Status Ledger::Transfer(const TransferRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(
      const uint32_t who,
      BudgetActor(s, request.actor, request.op_id, request.reason, true, "transfer budgets"));
  UPKEEP_RETURN_IF_ERROR(s.CheckMoney(request.amount, "the transfer amount"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t from, s.FindScope(request.from));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t to, s.FindScope(request.to));
  const auto is_tree = [&](uint32_t scope) { return s.scopes[scope].kind <= ScopeKind::kCustomer; };
  if (from == to || !is_tree(from) || !is_tree(to) ||
      s.scopes[from].period != s.scopes[to].period) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        StrCat("cannot transfer from ", request.from.ToString(), " to ", request.to.ToString(),
               ": transfers move budget between two different company, tier "
               "or customer scopes of one period"));
  }
  const int64_t amount = request.amount.amount_minor();
  Op payload;
  payload.kind = OpKind::kTransfer;
  payload.actor = who;
  payload.scope = from;
  payload.ref = to;
  payload.amount_minor = amount;
  payload.text_fingerprint = Fingerprint(request.reason);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(s.scopes[from].period));
  std::vector<uint32_t> losing, gaining;
  s.TransferChains(from, to, &losing, &gaining);
  for (uint32_t index : losing) {
    const Scope& scope = s.scopes[index];
    if (scope.available_minor() < amount) {
      return MakeError(
          ErrorCode::kInsufficientFunds,
          StrCat(s.RefOf(index).ToString(), " has only ", s.Format(scope.available_minor()),
                 " available to transfer ", s.Format(amount)));
    }
  }
  if (s.scopes[from].budget_minor - amount < s.scopes[from].children_budget_minor) {
    return MakeError(ErrorCode::kInsufficientFunds,
                     StrCat(request.from.ToString(), ": its children hold ",
                            s.Format(s.scopes[from].children_budget_minor),
                            " of its budget; transfer from them instead"));
  }
  for (uint32_t index : gaining) {
    int64_t sum = 0;
    if (__builtin_add_overflow(s.scopes[index].budget_minor, amount, &sum)) {
      return Overflow(StrCat("the budget of ", s.RefOf(index).ToString()));
    }
  }
  Event event;
  event.kind = EventKind::kTransferred;
  event.op_id = std::string(request.op_id);
  event.actor = std::string(request.actor);
  event.reason = std::string(request.reason);
  event.scope = request.from;
  event.to_scope = request.to;
  event.amount_minor = amount;
  return s.Record(&event, EventHint{.actor = who, .scope = from, .ref = to});
}

}  // namespace upkeep::ledger
