// Ledger: reads. None of these change state.
#include <algorithm>
#include <thread>

#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/text.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::ledger {

ReservationInfo LedgerState::InfoOf(uint32_t index) const {
  const Op& op = ops[index];
  ReservationInfo info;
  switch (op.status) {
    case OpStatus::kOpen:
      info.status = ReservationStatus::kOpen;
      break;
    case OpStatus::kVoided:
    case OpStatus::kRejected:
    case OpStatus::kWithdrawn:
      info.status = ReservationStatus::kVoided;
      break;
    case OpStatus::kExpired:
      info.status = ReservationStatus::kExpired;
      break;
    case OpStatus::kPending:
      info.status = ReservationStatus::kPending;
      break;
    case OpStatus::kDone:
    case OpStatus::kPosted:
      info.status = ReservationStatus::kPosted;
      break;
  }
  info.envelope = RefOf(op.scope);
  info.amount_minor = op.amount_minor;
  info.posted_minor = op.kind == OpKind::kSpend
                          ? (op.status == OpStatus::kDone ? op.amount_minor : 0)
                          : op.settled_minor;
  info.refunded_minor = op.refunded_minor;
  info.expiry_micros = op.expiry_micros;
  return info;
}

std::string LedgerState::Dump() const {
  std::string out;
  for (uint32_t p = 0; p < period_states.size(); ++p) {
    const PeriodState& period = period_states[p];
    StrAppend(&out, "period ", periods.Name(p), " ", period.start_micros, "..", period.end_micros,
              period.closed ? " closed" : "", "\n");
  }
  for (uint32_t a = 0; a < actor_ids.size(); ++a) {
    StrAppend(&out, "actor ", actor_ids.Name(a), " ", actor_roles[a], "\n");
  }
  for (uint32_t c = 0; c < customer_states.size(); ++c) {
    const CustomerState& customer = customer_states[c];
    StrAppend(&out, "customer ", customers.Name(c), " tier ", customer.tier, " owner ",
              customer.owner, " region ", customer.region, "\n");
  }
  for (uint32_t i = 0; i < scopes.size(); ++i) {
    const Scope& scope = scopes[i];
    StrAppend(&out, "scope ", RefOf(i).ToString(), " budget ", scope.budget_minor, " reserved ",
              scope.reserved_minor, " spent ", scope.spent_minor, " children ",
              scope.children_budget_minor, " v", scope.version, " uses ", scope.uses, " parent ",
              scope.parent, "\n");
  }
  for (uint32_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    StrAppend(&out, "op ", op_ids.Name(i), " kind ", static_cast<int>(op.kind), " status ",
              static_cast<int>(op.status), " outcome ", static_cast<int>(op.outcome), " actor ",
              op.actor, " scope ", op.scope, " ref ", op.ref, " amount ", op.amount_minor,
              " settled ", op.settled_minor, " refunded ", op.refunded_minor, " expiry ",
              op.expiry_micros, " month ", op.month, " text ", op.text_fingerprint,
              op.implicit_amount ? " all" : "", op.returned ? " returned" : "", "\n");
  }
  for (uint32_t index : pending) StrAppend(&out, "pending ", op_ids.Name(index), "\n");
  std::vector<uint32_t> decided;
  for (const auto& [op, decision] : decisions) decided.push_back(op);
  std::sort(decided.begin(), decided.end());
  for (uint32_t op : decided) {
    StrAppend(&out, "decision ", op_ids.Name(op), " ", decisions.at(op).Explain(), "\n");
  }
  StrAppend(&out, "policies v", policy_version, " ", policy_document, "\n");
  StrAppend(&out, "next seq ", next_seq, "\n");
  return out;
}

size_t LedgerState::EnvelopeTableBytes() const {
  size_t bytes = envelopes.capacity() * (sizeof(std::pair<uint32_t, EnvelopeTable>) + 1);
  for (const auto& [key, table] : envelopes) bytes += table.MemoryBytes();
  return bytes;
}

size_t LedgerState::MemoryBytes() const {
  return actor_ids.MemoryBytes() + categories.MemoryBytes() + tiers.MemoryBytes() +
         regions.MemoryBytes() + periods.MemoryBytes() + customers.MemoryBytes() +
         op_ids.MemoryBytes() + customer_states.capacity() * sizeof(CustomerState) +
         period_states.capacity() * sizeof(PeriodState) + scopes.capacity() * sizeof(Scope) +
         scope_index.capacity() * (sizeof(std::pair<uint64_t, uint32_t>) + 1) + ops.MemoryBytes() +
         expiry_heap.capacity() * sizeof(std::pair<int64_t, uint32_t>) + EnvelopeTableBytes() +
         monthly_uses.capacity() * (sizeof(std::pair<uint64_t, int32_t>) + 1);
}

Currency Ledger::currency() const {
  ReaderLock lock(&mu_);
  return state_->options.currency;
}

absl::StatusOr<Balance> Ledger::GetBalance(const ScopeRef& scope) const {
  ReaderLock lock(&mu_);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t index, state_->FindScope(scope));
  return state_->BalanceOf(index);
}

absl::StatusOr<ReservationInfo> Ledger::GetReservation(std::string_view op_id) const {
  ReaderLock lock(&mu_);
  const LedgerState& s = *state_;
  const uint32_t index = s.op_ids.Find(op_id);
  if (index == kNone ||
      (s.ops[index].kind != OpKind::kReserve && s.ops[index].kind != OpKind::kSpend)) {
    return MakeError(ErrorCode::kNotFound,
                     StrCat("no reservation or spend with op id '", op_id, "'"));
  }
  return s.InfoOf(index);
}

std::vector<ScopeSnapshot> Ledger::Scopes() const {
  ReaderLock lock(&mu_);
  const LedgerState& s = *state_;
  std::vector<ScopeSnapshot> out;
  out.reserve(s.scopes.size());
  for (uint32_t i = 0; i < s.scopes.size(); ++i) {
    const Scope& scope = s.scopes[i];
    ScopeSnapshot snapshot;
    snapshot.scope = s.RefOf(i);
    snapshot.balance = s.BalanceOf(i);
    snapshot.children_budget_minor = scope.children_budget_minor;
    if (scope.parent != kNone) snapshot.parent = s.RefOf(scope.parent);
    if (scope.rule != kDefaultRule) {
      snapshot.mode = s.policies.source.availability[scope.rule].mode;
    }
    out.push_back(std::move(snapshot));
  }
  return out;
}

absl::StatusOr<uint64_t> Ledger::ReadBalances(std::optional<std::span<const ScopeId>> scopes,
                                              std::vector<ScopeChange>* out) const {
  ReaderLock lock(&mu_);
  const LedgerState& s = *state_;
  out->clear();
  const auto add = [&](uint32_t scope) {
    out->push_back(
        ScopeChange{.scope = scope, .kind = s.scopes[scope].kind, .balance = s.BalanceOf(scope)});
  };
  if (!scopes.has_value()) {
    out->reserve(s.scopes.size());
    for (uint32_t i = 0; i < s.scopes.size(); ++i) add(i);
    return s.next_seq;
  }
  out->reserve(scopes->size());
  for (const ScopeId scope : *scopes) {
    if (scope >= s.scopes.size()) {
      out->clear();
      return MakeError(ErrorCode::kNotFound, StrCat("no scope with id ", scope));
    }
    add(scope);
  }
  return s.next_seq;
}

absl::StatusOr<std::vector<Event>> Ledger::History(const ScopeRef& scope) const {
  ReaderLock lock(&mu_);
  const LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t wanted, s.FindScope(scope));
  const auto on_path = [&](uint32_t envelope) {
    const Path path = s.PathOf(envelope);
    return std::find(path.begin(), path.end(), wanted) != path.end();
  };
  std::vector<Event> out;
  UPKEEP_RETURN_IF_ERROR(s.options.journal->ForEach(0, [&](const Event& event) {
    bool touches = false;
    switch (event.kind) {
      case EventKind::kBudgetSet:
        touches = event.scope == scope;
        break;
      case EventKind::kTransferred:
        touches = event.scope == scope || event.to_scope == scope;
        break;
      case EventKind::kReserved:
      case EventKind::kSpent:
      case EventKind::kApprovalRequested: {
        absl::StatusOr<uint32_t> envelope = s.FindScope(event.scope);
        touches = envelope.ok() && on_path(*envelope);
        break;
      }
      case EventKind::kPosted:
      case EventKind::kVoided:
      case EventKind::kExpired:
      case EventKind::kRefunded: {
        const uint32_t op = s.op_ids.Find(event.ref_id);
        touches = op != kNone && on_path(s.ops[op].scope);
        break;
      }
      default:
        break;
    }
    if (touches) out.push_back(event);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::string> Ledger::WriteSnapshot() const {
  ReaderLock lock(&mu_);
  absl::StatusOr<Digest> head = state_->options.journal->HeadAt(state_->next_seq);
  if (!head.ok() && !absl::IsUnimplemented(head.status())) return head.status();
  return state_->Snapshot(head.value_or(Digest{}));
}

void Ledger::AddObserver(LedgerObserver* observer) {
  WriterLock lock(&mu_);
  state_->options.observers.push_back(observer);
}

absl::StatusOr<EnvelopeHandle> Ledger::ResolveEnvelope(std::string_view period,
                                                       std::string_view customer,
                                                       std::string_view category) const {
  ReaderLock lock(&mu_);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t envelope,
                          state_->FindEnvelope(period, customer, category));
  return EnvelopeHandle{.envelope = envelope};
}

absl::StatusOr<ScopeId> Ledger::FindScopeId(const ScopeRef& scope) const {
  ReaderLock lock(&mu_);
  return state_->FindScope(scope);
}

absl::StatusOr<ScopeRef> Ledger::DescribeScope(ScopeId scope) const {
  // From inside an observer callback this thread holds the write lock already.
  const auto describe = [&]() -> absl::StatusOr<ScopeRef> ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (scope >= state_->scopes.size()) {
      return MakeError(ErrorCode::kNotFound, StrCat("no scope with id ", scope));
    }
    return state_->RefOf(scope);
  };
  if (state_->notifying_thread == std::this_thread::get_id()) return describe();
  ReaderLock lock(&mu_);
  return describe();
}

std::string Ledger::DumpState() const {
  ReaderLock lock(&mu_);
  return state_->Dump();
}

size_t Ledger::MemoryBytes() const {
  ReaderLock lock(&mu_);
  return state_->MemoryBytes();
}

}  // namespace upkeep::ledger
