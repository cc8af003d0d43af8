// Ledger: approving or rejecting requests that need approval.
#include <array>
#include <utility>

#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/reason_json.h"
#include "ledger/text.h"
#include "ledger/validate.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

// The pending request `request.approval_id`, after checking the approver.
absl::StatusOr<std::pair<uint32_t, uint32_t>> FindPending(const LedgerState& s,
                                                          const ApprovalRequest& request,
                                                          std::string_view what) {
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t approver, s.FindActor(request.actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(approver, LedgerState::Action::kApprove, kNone, what));
  UPKEEP_RETURN_IF_ERROR(CheckText(request.reason, "reason"));
  const uint32_t op = s.op_ids.Find(request.approval_id);
  if (op == kNone) {
    return MakeError(ErrorCode::kNotFound, StrCat("unknown approval '", request.approval_id, "'"));
  }
  if (s.ops[op].status != OpStatus::kPending) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat("'", request.approval_id, "' is not waiting for approval"));
  }
  if (s.ops[op].actor == approver) {
    return MakeError(ErrorCode::kPermissionDenied,
                     StrCat("actor ", request.actor, " may not ", what, " their own request ",
                            request.approval_id));
  }
  return std::make_pair(op, approver);
}

}  // namespace

absl::StatusOr<Decision> Ledger::Approve(const ApprovalRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const auto found, FindPending(s, request, "approve"));
  const auto [index, approver] = found;
  const Op op = s.ops[index];
  const Scope& envelope = s.scopes[op.scope];
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(envelope.period));
  const Path path = s.PathOf(op.scope);
  UPKEEP_RETURN_IF_ERROR(s.CheckUsageFits(path, op.amount_minor));
  Resolved resolved{.actor = op.actor,
                    .customer = envelope.key,
                    .period = envelope.period,
                    .category = envelope.category,
                    .envelope = op.scope,
                    .amount_minor = op.amount_minor,
                    .expiry_micros = op.expiry_micros,
                    .text_fingerprint = op.text_fingerprint,
                    .time_micros = s.options.clock_micros()};
  Decision decision;
  s.Decide(resolved, path, /*approval_granted=*/true, /*explain=*/true, &decision);
  if (decision.outcome == Outcome::kReject) return decision;

  std::array<Event, 2> events;
  Event& granted = events[0];
  granted.kind = EventKind::kApprovalGranted;
  granted.actor = std::string(request.actor);
  granted.ref_id = std::string(request.approval_id);
  granted.reason = std::string(request.reason);
  Event& applied = events[1];
  applied.kind = op.kind == OpKind::kSpend ? EventKind::kSpent : EventKind::kReserved;
  applied.op_id = std::string(request.approval_id);
  applied.actor = std::string(s.actor_ids.Name(op.actor));
  applied.scope = s.RefOf(op.scope);
  applied.amount_minor = op.amount_minor;
  applied.expiry_micros = op.expiry_micros;
  applied.amount2_minor = static_cast<int64_t>(decision.outcome);
  for (const Reason& reason : decision.reasons) applied.args.push_back(EncodeReason(reason));
  const std::array<EventHint, 2> hints = {
      EventHint{.actor = approver, .ref = index},
      EventHint{.actor = op.actor, .scope = op.scope, .path = &path}};
  UPKEEP_RETURN_IF_ERROR(s.RecordBatch(events, hints, *resolved.time_micros));
  return decision;
}

absl::Status Ledger::RejectApproval(const ApprovalRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const auto found, FindPending(s, request, "reject"));
  Event event;
  event.kind = EventKind::kApprovalRejected;
  event.actor = std::string(request.actor);
  event.ref_id = std::string(request.approval_id);
  event.reason = std::string(request.reason);
  return s.Record(&event, EventHint{.actor = found.second, .ref = found.first});
}

absl::Status Ledger::WithdrawApproval(const ApprovalRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t requester, s.FindActor(request.actor));
  UPKEEP_RETURN_IF_ERROR(CheckText(request.reason, "reason"));
  const uint32_t op = s.op_ids.Find(request.approval_id);
  if (op == kNone) {
    return MakeError(ErrorCode::kNotFound, StrCat("unknown approval '", request.approval_id, "'"));
  }
  if (s.ops[op].status != OpStatus::kPending) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat("'", request.approval_id, "' is not waiting for approval"));
  }
  if (s.ops[op].actor != requester) {
    return MakeError(ErrorCode::kPermissionDenied,
                     StrCat("actor ", request.actor, " may not withdraw ", request.approval_id,
                            ": only its requester may"));
  }
  Event& event = s.NewEvent(EventKind::kApprovalWithdrawn);
  event.actor.assign(request.actor);
  event.ref_id.assign(request.approval_id);
  event.reason.assign(request.reason);
  return s.Record(&event, EventHint{.actor = requester, .ref = op});
}

std::vector<PendingApproval> Ledger::PendingApprovals() const {
  ReaderLock lock(&mu_);
  const LedgerState& s = *state_;
  std::vector<PendingApproval> out;
  for (uint32_t index : s.pending) {
    const Op& op = s.ops[index];
    out.push_back(PendingApproval{.approval_id = std::string(s.op_ids.Name(index)),
                                  .requester = std::string(s.actor_ids.Name(op.actor)),
                                  .envelope = s.RefOf(op.scope),
                                  .amount_minor = op.amount_minor,
                                  .is_spend = op.kind == OpKind::kSpend});
  }
  return out;
}

}  // namespace upkeep::ledger
