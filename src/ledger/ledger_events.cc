// Applying journaled events: the one place where the ledger's state changes.
#include <charconv>

#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/policy_document.h"
#include "ledger/reason_json.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

absl::Status Corrupt(const Event& event, std::string_view problem) {
  return MakeError(ErrorCode::kCorrupt,
                   StrCat("event ", event.seq, " (", EventKindName(event.kind), "): ", problem));
}

std::string_view Arg(const Event& event, size_t i) {
  return i < event.args.size() ? std::string_view(event.args[i]) : std::string_view();
}

bool ParseUint64(std::string_view text, uint64_t* out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

Event& LedgerState::NewEvent(EventKind kind) {
  Event& event = scratch_event;
  event.kind = kind;
  event.actor.clear();
  event.op_id.clear();
  event.ref_id.clear();
  event.scope.period.clear();
  event.scope.kind = ScopeKind::kCompany;
  event.scope.key.clear();
  event.scope.category.clear();
  if (!event.to_scope.period.empty() || !event.to_scope.key.empty() ||
      !event.to_scope.category.empty()) {
    event.to_scope = ScopeRef{};
  }
  event.amount_minor = 0;
  event.amount2_minor = 0;
  event.expiry_micros = 0;
  event.reason.clear();
  event.args.clear();
  return event;
}

absl::Status LedgerState::Record(Event* event, const EventHint& hint, int64_t time_micros) {
  return RecordBatch(std::span<Event>(event, 1), std::span<const EventHint>(&hint, 1), time_micros);
}

absl::Status LedgerState::RecordBatch(std::span<Event> events, std::span<const EventHint> hints,
                                      int64_t time_micros) {
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].seq = next_seq + i;
    events[i].time_micros = time_micros;
  }
  UPKEEP_RETURN_IF_ERROR(options.journal->AppendBatch(events));
  for (size_t i = 0; i < events.size(); ++i) {
    ++next_seq;
    UPKEEP_RETURN_IF_ERROR(ApplyEvent(events[i], hints[i], /*replayed=*/false));
  }
  return absl::OkStatus();
}

void LedgerState::Notify(const Event& event, bool replayed) {
  change_buffer.clear();
  for (uint32_t scope : changed) {
    change_buffer.push_back(
        ScopeChange{.scope = scope, .kind = scopes[scope].kind, .balance = BalanceOf(scope)});
  }
  const std::span<const ScopeChange> span(change_buffer);
  notifying_thread.store(std::this_thread::get_id(), std::memory_order_relaxed);
  for (LedgerObserver* observer : options.observers) {
    if (replayed) {
      observer->OnReplayed(event, span);
    } else {
      observer->OnApplied(event, span);
    }
  }
  notifying_thread.store(std::thread::id(), std::memory_order_relaxed);
}

absl::Status LedgerState::ApplyEvent(const Event& event, const EventHint& hint, bool replayed) {
  changed.clear();
  UPKEEP_RETURN_IF_ERROR(ApplyOne(event, hint));
  if (!options.observers.empty()) Notify(event, replayed);
  return absl::OkStatus();
}

absl::Status LedgerState::ApplyOne(const Event& event, const EventHint& hint) {
  const auto resolve_scope = [&](const ScopeRef& ref, uint32_t hinted) -> absl::StatusOr<uint32_t> {
    if (hinted != kNone) return hinted;
    absl::StatusOr<uint32_t> scope = FindScope(ref);
    if (!scope.ok()) return Corrupt(event, FromAbsl(scope.status().message()));
    return scope;
  };
  const auto resolve_ref = [&](uint32_t hinted) -> absl::StatusOr<uint32_t> {
    if (hinted != kNone) return hinted;
    const uint32_t op = op_ids.Find(event.ref_id);
    if (op == kNone) return Corrupt(event, StrCat("unknown op ", event.ref_id));
    return op;
  };
  uint32_t actor = hint.actor;
  if (actor == kNone && !event.actor.empty()) actor = actor_ids.Find(event.actor);
  // Adds the event's op, of `kind`, by its actor with its reason (and implicit_amount set when
  // its first argument is "all"), to be filled in place (AddOp).
  uint32_t index = kNone;
  const auto add_op = [&](OpKind kind) -> Op& {
    Op& op = AddOp(event.op_id,
                   hint.op_tag.has_value() ? *hint.op_tag : Interner::TagOf(event.op_id), &index);
    op.kind = kind;
    op.actor = actor;
    op.text_fingerprint = Fingerprint(event.reason);
    op.implicit_amount = Arg(event, 0) == "all";
    return op;
  };

  switch (event.kind) {
    case EventKind::kActorDefined: {
      uint64_t role = 0;
      if (!ParseUint64(Arg(event, 1), &role) || role > static_cast<uint64_t>(Role::kAdmin)) {
        return Corrupt(event, "bad role");
      }
      ApplyActor(Arg(event, 0), static_cast<Role>(role));
      return absl::OkStatus();
    }
    case EventKind::kCategoryDefined:
      ApplyCategory(Arg(event, 0));
      return absl::OkStatus();
    case EventKind::kTierDefined:
      ApplyTier(Arg(event, 0));
      return absl::OkStatus();
    case EventKind::kCustomerDefined:
      if (tiers.Find(Arg(event, 1)) == kNone) return Corrupt(event, "unknown tier");
      ApplyCustomer(Arg(event, 0), Arg(event, 1), Arg(event, 2), Arg(event, 3));
      return absl::OkStatus();
    case EventKind::kPeriodDefined:
      ApplyPeriod(Arg(event, 0), event.amount_minor, event.amount2_minor);
      return absl::OkStatus();
    case EventKind::kPeriodClosed: {
      const uint32_t period = periods.Find(Arg(event, 0));
      if (period == kNone) return Corrupt(event, "unknown period");
      ApplyPeriodClosed(period);
      return absl::OkStatus();
    }
    case EventKind::kBudgetSet: {
      const ScopeRef& ref = event.scope;
      const uint32_t period = periods.Find(ref.period);
      const uint32_t category = categories.Find(ref.category);
      uint32_t key = kNone;
      if (ref.kind == ScopeKind::kTier) key = tiers.Find(ref.key);
      if (ref.kind == ScopeKind::kCustomer) key = customers.Find(ref.key);
      if (ref.kind == ScopeKind::kOwner) key = actor_ids.Find(ref.key);
      if (ref.kind == ScopeKind::kRegion) key = regions.Find(ref.key);
      if (period == kNone || category == kNone ||
          (ref.kind != ScopeKind::kCompany && key == kNone)) {
        return Corrupt(event, StrCat("unknown scope ", ref.ToString()));
      }
      if (!event.op_id.empty() && op_ids.Find(event.op_id) == kNone) {
        uint64_t text_fingerprint = 0;
        if (!ParseUint64(Arg(event, 1), &text_fingerprint)) {
          return Corrupt(event, "bad fingerprint");
        }
        add_op(OpKind::kBudget).text_fingerprint = text_fingerprint;
      }
      ApplyBudget(ref.kind, period, category, key, event.amount_minor,
                  static_cast<int32_t>(event.amount2_minor));
      return absl::OkStatus();
    }
    case EventKind::kReserved:
    case EventKind::kSpent:
    case EventKind::kApprovalRequested: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t scope, resolve_scope(event.scope, hint.scope));
      Decision decision;  // the journaled reasons: arguments that are JSON objects
      for (const std::string& arg : event.args) {
        if (arg.empty() || arg[0] != '{') continue;
        absl::StatusOr<Reason> reason = DecodeReason(arg);
        if (!reason.ok()) return Corrupt(event, FromAbsl(reason.status().message()));
        decision.Add(*std::move(reason));
      }
      // Only an approved request (an op that exists) can have reasons to forget.
      const auto remember = [&](uint32_t op_index, bool existed) {
        if (!decision.reasons.empty()) {
          decisions[op_index] = std::move(decision);
        } else if (existed) {
          decisions.erase(op_index);
        }
        return op_index;
      };
      const bool spend = event.kind == EventKind::kSpent ||
                         (event.kind == EventKind::kApprovalRequested && Arg(event, 0) == "spend");
      const OpKind kind = spend ? OpKind::kSpend : OpKind::kReserve;
      const bool approval = event.kind == EventKind::kApprovalRequested;
      if (!approval && (event.amount2_minor < 0 || event.amount2_minor > 1)) {
        return Corrupt(event, "bad outcome");
      }
      // An approved request keeps what it was asked with (AddOp resets it).
      const uint32_t existing = approval || hint.new_op ? kNone : op_ids.Find(event.op_id);
      const uint32_t asked_actor = existing == kNone ? kNone : ops[existing].actor;
      const uint64_t asked_fingerprint = existing == kNone ? 0 : ops[existing].text_fingerprint;
      Op& op = add_op(kind);
      if (existing != kNone) {
        op.actor = asked_actor;
        op.text_fingerprint = asked_fingerprint;
      }
      op.scope = scope;
      op.month = event_months.Of(event.time_micros);
      op.implicit_amount = false;
      op.amount_minor = event.amount_minor;
      op.expiry_micros = event.expiry_micros;
      if (approval) {
        op.status = OpStatus::kPending;
        op.outcome = Outcome::kNeedsApproval;
        pending.insert(remember(index, /*existed=*/false));
        return absl::OkStatus();
      }
      op.outcome = static_cast<Outcome>(event.amount2_minor);
      remember(index, existing != kNone);
      const Path path = hint.path != nullptr ? *hint.path : PathOf(scope);
      if (spend) {
        ApplySpend(index, scope, path, event.amount_minor);
      } else {
        ApplyReserve(index, scope, path, event.amount_minor, event.expiry_micros);
      }
      return absl::OkStatus();
    }
    case EventKind::kPosted: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t reservation, resolve_ref(hint.ref));
      if (ops[reservation].kind != OpKind::kReserve || ops[reservation].status != OpStatus::kOpen) {
        return Corrupt(event, "the reservation is not open");
      }
      Op& op = add_op(OpKind::kPost);
      op.ref = reservation;
      op.amount_minor = event.amount_minor;
      op.settled_minor = event.amount2_minor;
      ApplyPost(reservation, event.amount_minor);
      return absl::OkStatus();
    }
    case EventKind::kVoided:
    case EventKind::kExpired: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t reservation, resolve_ref(hint.ref));
      if (ops[reservation].kind != OpKind::kReserve || ops[reservation].status != OpStatus::kOpen) {
        return Corrupt(event, "the reservation is not open");
      }
      if (event.kind == EventKind::kVoided) {
        Op& op = add_op(OpKind::kVoid);
        op.ref = reservation;
        op.amount_minor = event.amount_minor;
      }
      ApplyRelease(reservation,
                   event.kind == EventKind::kVoided ? OpStatus::kVoided : OpStatus::kExpired);
      return absl::OkStatus();
    }
    case EventKind::kRefunded: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t target, resolve_ref(hint.ref));
      const bool returned = event.amount2_minor != 0;
      Op& op = add_op(OpKind::kRefund);
      op.ref = target;
      op.amount_minor = event.amount_minor;
      op.returned = returned;
      ApplyRefund(target, event.amount_minor, returned);
      return absl::OkStatus();
    }
    case EventKind::kTransferred: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t from, resolve_scope(event.scope, hint.scope));
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t to, resolve_scope(event.to_scope, hint.ref));
      Op& op = add_op(OpKind::kTransfer);
      op.scope = from;
      op.ref = to;
      op.amount_minor = event.amount_minor;
      ApplyTransfer(from, to, event.amount_minor);
      return absl::OkStatus();
    }
    case EventKind::kApprovalGranted:
    case EventKind::kApprovalRejected:
    case EventKind::kApprovalWithdrawn: {
      UPKEEP_ASSIGN_OR_RETURN(const uint32_t request, resolve_ref(hint.ref));
      if (ops[request].status != OpStatus::kPending) return Corrupt(event, "not pending");
      if (event.kind == EventKind::kApprovalWithdrawn && ops[request].actor != actor) {
        return Corrupt(event, "withdrawn by someone other than the requester");
      }
      pending.erase(request);
      if (event.kind == EventKind::kApprovalRejected) ops[request].status = OpStatus::kRejected;
      if (event.kind == EventKind::kApprovalWithdrawn) ops[request].status = OpStatus::kWithdrawn;
      return absl::OkStatus();
    }
    case EventKind::kPoliciesSet: {
      if (event.amount_minor != policy_version + 1) return Corrupt(event, "bad policy version");
      if (hint.policies != nullptr) {
        SetPolicies(std::move(*hint.policies), std::string(Arg(event, 0)));
      } else {
        absl::StatusOr<ControlPolicySet> set =
            ParsePolicyDocument(Arg(event, 0), options.currency, options.control_registry);
        if (!set.ok()) {
          return MakeError(
              ErrorCodeOf(set.status()),
              StrCat("event ", event.seq, " (policies_set): ", FromAbsl(set.status().message())));
        }
        SetPolicies(*std::move(set), std::string(Arg(event, 0)));
      }
      policy_version = event.amount_minor;
      return absl::OkStatus();
    }
  }
  return Corrupt(event, "unknown kind");
}

}  // namespace upkeep::ledger
