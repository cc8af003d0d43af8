#include "ledger/ledger_state.h"

#include <utility>

#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

uint64_t PackScopeKey(ScopeKind kind, uint32_t period, uint32_t category, uint32_t key) {
  return (uint64_t{static_cast<uint8_t>(kind)} << 61) | (uint64_t{period} << 47) |
         (uint64_t{category} << 32) | key;
}

absl::Status NotFound(std::string_view what, std::string_view id) {
  return MakeError(ErrorCode::kNotFound, StrCat("unknown ", what, " '", id, "'"));
}

}  // namespace

uint64_t Fingerprint(std::string_view text, uint64_t seed) {
  uint64_t hash = seed;
  for (char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

LedgerState::LedgerState(LedgerOptions options_in) : options(std::move(options_in)) {}

absl::StatusOr<uint32_t> LedgerState::FindActor(std::string_view id) const {
  const uint32_t actor = actor_ids.Find(id);
  if (actor == kNone || actor_roles[actor] < 0) return NotFound("actor", id);
  return actor;
}

absl::StatusOr<uint32_t> LedgerState::FindPeriod(std::string_view id) const {
  const uint32_t period = periods.Find(id);
  if (period == kNone) return NotFound("period", id);
  return period;
}

absl::StatusOr<uint32_t> LedgerState::FindCategory(std::string_view id) const {
  const uint32_t category = categories.Find(id);
  if (category == kNone) return NotFound("category", id);
  return category;
}

absl::StatusOr<uint32_t> LedgerState::FindCustomer(std::string_view id) const {
  const uint32_t customer = customers.Find(id);
  if (customer == kNone) return NotFound("customer", id);
  return customer;
}

uint32_t LedgerState::LookupScope(ScopeKind kind, uint32_t period, uint32_t category,
                                  uint32_t key) const {
  auto it = scope_index.find(PackScopeKey(kind, period, category, key));
  return it == scope_index.end() ? kNone : it->second;
}

void EnvelopeTable::Set(uint32_t customer, uint32_t scope, size_t customers) {
  if (cells_.size() <= customer) cells_.resize(customers, kNone);
  cells_[customer] = scope;
  if (on_line_ < 2) {  // no line yet: this envelope and the one before define it, or start one
    const int64_t customer_delta = int64_t{customer} - origin_customer_;
    const int64_t scope_delta = int64_t{scope} - origin_scope_;
    if (on_line_ == 1 && customer_delta != 0 && scope_delta % customer_delta == 0) {
      step_ = scope_delta / customer_delta;
      on_line_ = 2;
    } else {
      StartLineAt(customer, scope);
    }
    return;
  }
  if (OnLine(customer) == scope) {
    ++on_line_;
  } else if (++off_line_ > on_line_) {  // not a line after all
    StartLineAt(customer, scope);
  }
}

void EnvelopeTable::StartLineAt(uint32_t customer, uint32_t scope) {
  origin_customer_ = customer;
  origin_scope_ = scope;
  on_line_ = 1;
  off_line_ = 0;
}

uint32_t LedgerState::EnvelopeOf(uint32_t period, uint32_t category, uint32_t customer) const {
  auto it = envelopes.find(period << 16 | category);
  return it == envelopes.end() ? kNone : it->second.Of(customer);
}

absl::StatusOr<uint32_t> LedgerState::FindEnvelope(std::string_view period_id,
                                                   std::string_view customer_id,
                                                   std::string_view category_id) const {
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t customer, FindCustomer(customer_id));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t period, FindPeriod(period_id));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t category, FindCategory(category_id));
  const uint32_t envelope = EnvelopeOf(period, category, customer);
  if (envelope == kNone) {
    return MakeError(ErrorCode::kNotFound, StrCat("customer ", customer_id, " has no budget for ",
                                                  category_id, " in period ", period_id));
  }
  return envelope;
}

absl::StatusOr<uint32_t> LedgerState::FindEnvelope(EnvelopeHandle handle) const {
  if (handle.envelope >= scopes.size() || scopes[handle.envelope].kind != ScopeKind::kCustomer) {
    return MakeError(ErrorCode::kNotFound,
                     StrCat("envelope handle ", handle.envelope, " names no envelope"));
  }
  return handle.envelope;
}

absl::StatusOr<uint32_t> LedgerState::FindScope(const ScopeRef& ref) const {
  const uint32_t period = periods.Find(ref.period);
  const uint32_t category = categories.Find(ref.category);
  uint32_t key = kNone;
  switch (ref.kind) {
    case ScopeKind::kCompany:
      break;
    case ScopeKind::kTier:
      key = tiers.Find(ref.key);
      break;
    case ScopeKind::kCustomer:
      key = customers.Find(ref.key);
      break;
    case ScopeKind::kOwner:
      key = actor_ids.Find(ref.key);
      break;
    case ScopeKind::kRegion:
      key = regions.Find(ref.key);
      break;
  }
  const bool key_known = ref.kind == ScopeKind::kCompany ? ref.key.empty() : key != kNone;
  const uint32_t scope = (period == kNone || category == kNone || !key_known)
                             ? kNone
                             : LookupScope(ref.kind, period, category, key);
  if (scope == kNone) return NotFound("scope", ref.ToString());
  return scope;
}

void LedgerState::NameScope(uint32_t index, ScopeRef* out) const {
  const Scope& scope = scopes[index];
  out->period.assign(periods.Name(scope.period));
  out->category.assign(categories.Name(scope.category));
  out->kind = scope.kind;
  switch (scope.kind) {
    case ScopeKind::kCompany:
      out->key.clear();
      break;
    case ScopeKind::kTier:
      out->key.assign(tiers.Name(scope.key));
      break;
    case ScopeKind::kCustomer:
      out->key.assign(customers.Name(scope.key));
      break;
    case ScopeKind::kOwner:
      out->key.assign(actor_ids.Name(scope.key));
      break;
    case ScopeKind::kRegion:
      out->key.assign(regions.Name(scope.key));
      break;
  }
}

ScopeRef LedgerState::RefOf(uint32_t index) const {
  ScopeRef ref;
  NameScope(index, &ref);
  return ref;
}

Path LedgerState::PathOf(uint32_t envelope) const {
  Path path;
  for (uint32_t s = envelope; s != kNone; s = scopes[s].parent) path.Add(s);
  if (has_dimension_budgets) {
    const Scope& env = scopes[envelope];
    const CustomerState& customer = customer_states[env.key];
    if (customer.owner != kNone) {
      const uint32_t owner =
          LookupScope(ScopeKind::kOwner, env.period, env.category, customer.owner);
      if (owner != kNone) path.Add(owner);
    }
    if (customer.region != kNone) {
      const uint32_t region =
          LookupScope(ScopeKind::kRegion, env.period, env.category, customer.region);
      if (region != kNone) path.Add(region);
    }
  }
  return path;
}

absl::Status LedgerState::CheckPeriodOpen(uint32_t period) const {
  const PeriodState& state = period_states[period];
  if (state.closed || state.policy_closed) {
    return MakeError(
        ErrorCode::kPeriodClosed,
        StrCat("period '", periods.Name(period), "' is closed", state.closed ? "" : " by policy"));
  }
  return absl::OkStatus();
}

absl::Status LedgerState::CheckMoney(const Money& amount, std::string_view what) const {
  if (amount.currency() != options.currency) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     StrCat(what, " is in ", amount.currency().code(), " but the ledger keeps ",
                            options.currency.code()));
  }
  if (amount.amount_minor() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, StrCat(what, " must be positive, got ",
                                                         amount.amount_minor(), " minor units"));
  }
  return absl::OkStatus();
}

std::string LedgerState::Format(int64_t amount_minor) const {
  return Money::FromMinor(amount_minor, options.currency).ToDecimalString();
}

absl::StatusOr<uint32_t> LedgerState::FindRetry(std::string_view op_id, const Op& payload,
                                                uint32_t op_tag) const {
  const uint32_t index = op_ids.Find(op_id, op_tag);
  if (index == kNone) return kNone;
  const Op& a = ops[index];
  const bool same =
      a.kind == payload.kind && a.actor == payload.actor && a.scope == payload.scope &&
      a.ref == payload.ref && a.expiry_micros == payload.expiry_micros &&
      a.text_fingerprint == payload.text_fingerprint &&
      a.implicit_amount == payload.implicit_amount && a.returned == payload.returned &&
      (a.implicit_amount || a.amount_minor == payload.amount_minor);
  if (!same) {
    return MakeError(
        ErrorCode::kIdempotencyConflict,
        StrCat("op id '", op_id, "' was already used for a different operation or payload"));
  }
  return index;
}

void LedgerState::ApplyPeriodClosed(uint32_t period) { period_states[period].closed = true; }

uint32_t LedgerState::ApplyBudget(ScopeKind kind, uint32_t period, uint32_t category, uint32_t key,
                                  int64_t budget_minor, int32_t version) {
  auto [it, added] = scope_index.try_emplace(PackScopeKey(kind, period, category, key),
                                             static_cast<uint32_t>(scopes.size()));
  if (added) {
    Scope scope;
    scope.kind = kind;
    scope.period = static_cast<uint16_t>(period);
    scope.category = static_cast<uint16_t>(category);
    scope.key = key;
    if (kind == ScopeKind::kTier) {
      scope.parent = LookupScope(ScopeKind::kCompany, period, category, kNone);
    } else if (kind == ScopeKind::kCustomer) {
      scope.parent = LookupScope(ScopeKind::kTier, period, category, customer_states[key].tier);
    }
    scope.rule = MatchRule(scope);
    scopes.push_back(scope);
    if (kind == ScopeKind::kOwner || kind == ScopeKind::kRegion) {
      has_dimension_budgets = true;
      // A crossing scope counts what its customers' envelopes already hold.
      Scope& dimension = scopes.back();
      for (const Scope& env : scopes) {
        if (env.kind != ScopeKind::kCustomer || env.period != period || env.category != category) {
          continue;
        }
        const CustomerState& customer = customer_states[env.key];
        if ((kind == ScopeKind::kOwner ? customer.owner : customer.region) != key) continue;
        dimension.reserved_minor += env.reserved_minor;
        dimension.spent_minor += env.spent_minor;
      }
    }
  }
  if (added && kind == ScopeKind::kCustomer) {
    envelopes[period << 16 | category].Set(key, it->second, customers.size());
  }
  Touch(it->second);
  Scope& scope = scopes[it->second];
  const int64_t delta = budget_minor - scope.budget_minor;
  scope.budget_minor = budget_minor;
  scope.version = version;
  if (scope.parent != kNone) scopes[scope.parent].children_budget_minor += delta;
  return it->second;
}

}  // namespace upkeep::ledger
