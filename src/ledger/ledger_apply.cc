// The state changes of the ledger. Live operations check first, journal, then call these;
// replay calls them for each journaled event.
#include <algorithm>

#include "ledger/ledger_state.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {

void LedgerState::ApplyActor(std::string_view id, Role role) {
  const uint32_t actor = actor_ids.Intern(id).first;
  if (actor >= actor_roles.size()) actor_roles.resize(actor + 1, -1);
  actor_roles[actor] = static_cast<int8_t>(role);
}

void LedgerState::ApplyCategory(std::string_view id) {
  categories.Intern(id);
  CompilePolicies();
}

void LedgerState::ApplyTier(std::string_view id) {
  tiers.Intern(id);
  CompilePolicies();
}

void LedgerState::ApplyCustomer(std::string_view id, std::string_view tier, std::string_view owner,
                                std::string_view region) {
  customers.Intern(id);
  CustomerState state;
  state.tier = tiers.Find(tier);
  if (!owner.empty()) {
    state.owner = actor_ids.Intern(owner).first;
    if (state.owner >= actor_roles.size()) actor_roles.resize(state.owner + 1, -1);
  }
  if (!region.empty()) state.region = regions.Intern(region).first;
  customer_states.push_back(state);
}

void LedgerState::ApplyPeriod(std::string_view id, int64_t start_micros, int64_t end_micros) {
  periods.Intern(id);
  period_states.push_back(PeriodState{.start_micros = start_micros, .end_micros = end_micros});
  CompilePolicies();
}

Op& LedgerState::AddOp(std::string_view id, uint32_t tag, uint32_t* index) {
  *index = op_ids.Intern(id, tag).first;
  if (*index == ops.size()) return ops.emplace_back();
  return ops[*index] = Op{};
}

void LedgerState::ApplyReserve(uint32_t op, uint32_t envelope, const Path& path,
                               int64_t amount_minor, int64_t expiry_micros) {
  for (uint32_t s : path) {
    scopes[s].reserved_minor += amount_minor;
    Touch(s);
  }
  ++scopes[envelope].uses;
  ops[op].status = OpStatus::kOpen;
  CountUse(op, +1);
  if (expiry_micros != 0) {
    expiry_heap.emplace_back(expiry_micros, op);
    std::push_heap(expiry_heap.begin(), expiry_heap.end(), std::greater<>());
  }
}

void LedgerState::ApplySpend(uint32_t op, uint32_t envelope, const Path& path,
                             int64_t amount_minor) {
  for (uint32_t s : path) {
    scopes[s].spent_minor += amount_minor;
    Touch(s);
  }
  ++scopes[envelope].uses;
  ops[op].status = OpStatus::kDone;
  CountUse(op, +1);
}

void LedgerState::ApplyPost(uint32_t reservation, int64_t posted_minor) {
  Op& op = ops[reservation];
  for (uint32_t s : PathOf(op.scope)) {
    scopes[s].reserved_minor -= op.amount_minor;
    scopes[s].spent_minor += posted_minor;
    Touch(s);
  }
  op.status = OpStatus::kPosted;
  op.settled_minor = posted_minor;
}

void LedgerState::ApplyRelease(uint32_t reservation, OpStatus status) {
  Op& op = ops[reservation];
  for (uint32_t s : PathOf(op.scope)) {
    scopes[s].reserved_minor -= op.amount_minor;
    Touch(s);
  }
  --scopes[op.scope].uses;
  CountUse(reservation, -1);  // while still open
  op.status = status;
}

void LedgerState::ApplyRefund(uint32_t target, int64_t amount_minor, bool returned) {
  Op& op = ops[target];
  for (uint32_t s : PathOf(op.scope)) {
    Scope& scope = scopes[s];
    scope.spent_minor -= amount_minor;
    Touch(s);
    if (returned) continue;
    // The money leaves the budget too: available stays as it was at every scope.
    scope.budget_minor -= amount_minor;
    if (scope.parent != kNone) scopes[scope.parent].children_budget_minor -= amount_minor;
  }
  op.refunded_minor += amount_minor;
}

void LedgerState::TransferChains(uint32_t from, uint32_t to, std::vector<uint32_t>* losing,
                                 std::vector<uint32_t>* gaining) const {
  std::vector<uint32_t> up_from, up_to;
  for (uint32_t s = from; s != kNone; s = scopes[s].parent) up_from.push_back(s);
  for (uint32_t s = to; s != kNone; s = scopes[s].parent) up_to.push_back(s);
  // Drop the common ancestors: their budgets do not change.
  while (!up_from.empty() && !up_to.empty() && up_from.back() == up_to.back()) {
    up_from.pop_back();
    up_to.pop_back();
  }
  *losing = std::move(up_from);
  *gaining = std::move(up_to);
}

void LedgerState::ApplyTransfer(uint32_t from, uint32_t to, int64_t amount_minor) {
  std::vector<uint32_t> losing, gaining;
  TransferChains(from, to, &losing, &gaining);
  for (uint32_t s : losing) {
    Scope& scope = scopes[s];
    scope.budget_minor -= amount_minor;
    ++scope.version;
    Touch(s);
    if (scope.parent != kNone) scopes[scope.parent].children_budget_minor -= amount_minor;
  }
  for (uint32_t s : gaining) {
    Scope& scope = scopes[s];
    scope.budget_minor += amount_minor;
    ++scope.version;
    Touch(s);
    if (scope.parent != kNone) scopes[scope.parent].children_budget_minor += amount_minor;
  }
}

absl::Status LedgerState::CheckUsageFits(const Path& path, int64_t amount_minor) const {
  for (uint32_t s : path) {
    const Scope& scope = scopes[s];
    int64_t used = 0;
    if (__builtin_add_overflow(scope.reserved_minor, scope.spent_minor, &used) ||
        __builtin_add_overflow(used, amount_minor, &used)) {
      return MakeError(
          ErrorCode::kOverflow,
          StrCat("amount ", amount_minor, " would overflow the usage of ", RefOf(s).ToString()));
    }
  }
  return absl::OkStatus();
}

}  // namespace upkeep::ledger
