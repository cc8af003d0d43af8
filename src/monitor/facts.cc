#include "upkeep/monitor/facts.h"

#include <utility>

#include "base/absl_compat.h"

namespace upkeep::monitor {

void Facts::AddPeriod(const ledger::Period& period) {
  const auto [it, inserted] =
      period_index_.try_emplace(period.id, static_cast<int32_t>(periods_.size()));
  if (inserted) {
    periods_.push_back(period);
  } else {
    periods_[static_cast<size_t>(it->second)] = period;
  }
}

void Facts::AddCustomer(const CustomerFacts& customer) {
  const auto [it, inserted] =
      customer_index_.try_emplace(customer.id, static_cast<int32_t>(customers_.size()));
  if (inserted) {
    customers_.push_back(customer);
  } else {
    customers_[static_cast<size_t>(it->second)] = customer;
  }
}

std::optional<int32_t> Facts::FindPeriod(std::string_view id) const {
  const auto it = period_index_.find(AsAbsl(id));
  if (it == period_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int32_t> Facts::FindCustomer(std::string_view id) const {
  const auto it = customer_index_.find(AsAbsl(id));
  if (it == customer_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<ledger::ScopeId> Facts::FindScope(const ledger::ScopeRef& ref) const {
  const auto it = scope_index_.find(ref.ToString());
  if (it == scope_index_.end()) return std::nullopt;
  return it->second;
}

void Facts::Learn(ledger::ScopeId id, const ScopeDescriber& describe) {
  ScopeFacts& scope = scopes_[id];
  absl::StatusOr<ledger::ScopeRef> ref = describe(id);
  if (!ref.ok()) return;
  scope.known = true;
  scope.ref = *std::move(ref);
  scope.period = FindPeriod(scope.ref.period).value_or(kNoIndex);
  if (scope.ref.kind == ledger::ScopeKind::kCustomer) {
    scope.customer = FindCustomer(scope.ref.key).value_or(kNoIndex);
  }
  scope_index_.emplace(scope.ref.ToString(), id);
}

void Facts::ReserveSpends(size_t count) {
  const size_t wanted = spends_.size() + count;
  spends_.scope.reserve(wanted);
  spends_.time_micros.reserve(wanted);
  spends_.amount_minor.reserve(wanted);
}

void Facts::Apply(const ledger::Event& event, std::span<const ledger::ScopeChange> changed,
                  const ScopeDescriber& describe) {
  if (event.kind == ledger::EventKind::kPeriodDefined && !event.args.empty()) {
    AddPeriod({event.args[0], event.amount_minor, event.amount2_minor});
  } else if (event.kind == ledger::EventKind::kCustomerDefined && event.args.size() >= 4) {
    AddCustomer({event.args[0], event.args[1], event.args[2], event.args[3]});
  }
  for (const ledger::ScopeChange& change : changed) {
    Describe(change.scope, describe);
    int64_t& spent_minor = spent_minor_[change.scope];
    const int64_t spent_delta = change.balance.spent_minor - spent_minor;
    spent_minor = change.balance.spent_minor;
    scopes_[change.scope].balance = change.balance;
    if (change.kind == ledger::ScopeKind::kCustomer && spent_delta != 0) {
      spends_.scope.push_back(change.scope);
      spends_.time_micros.push_back(event.time_micros);
      spends_.amount_minor.push_back(spent_delta);
    }
  }
}

}  // namespace upkeep::monitor
