// capi/ledger_ops.cc: the hot path: reserve, spend, check (single and batch), then post, void,
// refund, expire and approvals.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "capi/internal.h"

namespace upkeep::capi {
namespace {

// The C request as the engine's; the views point into the caller's memory.
upk_status RequestOf(const upk_request* r, ledger::Request* out) {
  if (upk_status s = CheckStruct(r, "request"); s != UPK_OK) return s;
  if (upk_status s = Text(r->op_id, "op_id", &out->op_id); s != UPK_OK) return s;
  if (upk_status s = Text(r->actor, "actor", &out->actor); s != UPK_OK) return s;
  if (upk_status s = Text(r->period, "period", &out->period); s != UPK_OK) return s;
  if (upk_status s = Text(r->customer, "customer", &out->customer); s != UPK_OK) return s;
  if (upk_status s = Text(r->category, "category", &out->category); s != UPK_OK) return s;
  if (upk_status s = Text(r->reason, "reason", &out->reason); s != UPK_OK) return s;
  if (upk_status s = MoneyOf(r->amount, "amount", &out->amount); s != UPK_OK) return s;
  out->expiry_micros = r->expiry_micros;
  out->explain = r->explain != 0;
  out->envelope = EnvelopeOf(r->envelope);
  return UPK_OK;
}

// One reserve or spend; `details` (optional) receives the decision.
upk_status Submit(Op op, upk_result* out, upk_decision* details, upk_ledger* ledger,
                  const upk_request* request) {
  if (upk_status s = CheckStruct(out, "out"); s != UPK_OK) return s;
  if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
  ledger::Request r;
  if (upk_status s = RequestOf(request, &r); s != UPK_OK) return s;
  absl::StatusOr<ledger::Result> result = Apply(op, *ledger->ledger, r);
  if (!result.ok()) return FromStatus(result.status());
  FillResult(*result, out);
  if (details != nullptr) details->decision = std::move(result->decision);
  return UPK_OK;
}

upk_status SettleTexts(const upk_settle_request* r, std::string_view (&t)[4]) {
  if (upk_status s = CheckStruct(r, "request"); s != UPK_OK) return s;
  if (upk_status s = Text(r->op_id, "op_id", &t[0]); s != UPK_OK) return s;
  if (upk_status s = Text(r->actor, "actor", &t[1]); s != UPK_OK) return s;
  if (upk_status s = Text(r->target_id, "target_id", &t[2]); s != UPK_OK) return s;
  return Text(r->reason, "reason", &t[3]);
}

upk_status OptionalAmount(const upk_settle_request* r, std::optional<Money>* out) {
  if (r->has_amount == 0) return UPK_OK;
  Money amount;
  if (upk_status s = MoneyOf(r->amount, "amount", &amount); s != UPK_OK) return s;
  *out = amount;
  return UPK_OK;
}

// Reject or withdraw: the approval named by approval_id, by actor, with a reason.
upk_status CloseApproval(absl::Status (ledger::Ledger::*close)(const ledger::ApprovalRequest&),
                         upk_ledger* ledger, upk_str actor, upk_str approval_id, upk_str reason) {
  if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
  std::string_view t[3];
  if (upk_status s = Text(actor, "actor", &t[0]); s != UPK_OK) return s;
  if (upk_status s = Text(approval_id, "approval_id", &t[1]); s != UPK_OK) return s;
  if (upk_status s = Text(reason, "reason", &t[2]); s != UPK_OK) return s;
  return FromStatus((ledger->ledger->*close)({.actor = t[0], .approval_id = t[1], .reason = t[2]}));
}

}  // namespace

void FillResult(const ledger::Result& result, upk_result* out) {
  out->status = UPK_OK;
  out->outcome = static_cast<int32_t>(result.decision.outcome);
  out->replayed = result.replayed ? 1 : 0;
  out->reason_count = static_cast<uint32_t>(result.decision.reasons.size());
}

void FailResult(upk_status status, upk_result* out) {
  out->status = status;
  out->outcome = UPK_OUTCOME_REJECT;
  out->replayed = 0;
  out->reason_count = 0;
}

absl::StatusOr<ledger::Result> Apply(Op op, ledger::Ledger& ledger, const ledger::Request& r) {
  return op == Op::kReserve ? ledger.Reserve(r) : ledger.Spend(r);
}

void ApplyBatch(RunBatch run, std::span<const ledger::Request> requests,
                std::span<const size_t> slots, upk_result* out) {
  const std::vector<absl::StatusOr<ledger::Result>> results = run(requests);
  for (size_t k = 0; k < results.size(); ++k) {
    if (results[k].ok()) {
      FillResult(*results[k], &out[slots[k]]);
    } else {
      FailResult(FromStatus(results[k].status()), &out[slots[k]]);
    }
  }
}

upk_status Batch(const upk_ledger* ledger, RunBatch run, upk_result* out,
                 const upk_request* requests, size_t count) {
  if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
  if (count == 0) return UPK_OK;
  if (upk_status s = CheckResults(out, count); s != UPK_OK) return s;
  if (upk_status s = NotNull(requests, "requests"); s != UPK_OK) return s;
  // A request that cannot be made fails in its slot; the others go to the engine as one batch.
  std::vector<ledger::Request> batch;
  std::vector<size_t> slots;
  batch.reserve(count);
  slots.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    ledger::Request r;
    if (upk_status s = RequestOf(&requests[i], &r); s != UPK_OK) {
      FailResult(s, &out[i]);
      continue;
    }
    batch.push_back(r);
    slots.push_back(i);
  }
  ApplyBatch(run, batch, slots, out);
  return UPK_OK;
}

upk_status CheckResults(upk_result* out, size_t count) {
  if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
  for (size_t i = 0; i < count; ++i) {
    if (upk_status s = CheckStruct(&out[i], "out[i]"); s != UPK_OK) return s;
  }
  return UPK_OK;
}

}  // namespace upkeep::capi

using upkeep::capi::Batch;
using upkeep::capi::FromStatus;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;
using upkeep::capi::Op;
using Requests = std::span<const upkeep::ledger::Request>;

extern "C" {

upk_status upk_ledger_reserve(upk_result* out, upk_decision* details, upk_ledger* ledger,
                              const upk_request* request) {
  return Guard([&] { return upkeep::capi::Submit(Op::kReserve, out, details, ledger, request); });
}

upk_status upk_ledger_spend(upk_result* out, upk_decision* details, upk_ledger* ledger,
                            const upk_request* request) {
  return Guard([&] { return upkeep::capi::Submit(Op::kSpend, out, details, ledger, request); });
}

upk_status upk_ledger_check(upk_result* out, upk_decision* details, const upk_ledger* ledger,
                            const upk_request* request, int32_t as_spend) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    upkeep::ledger::Request r;
    if (upk_status s = upkeep::capi::RequestOf(request, &r); s != UPK_OK) return s;
    absl::StatusOr<upkeep::ledger::Result> result = ledger->ledger->Check(r, as_spend != 0);
    if (!result.ok()) return FromStatus(result.status());
    upkeep::capi::FillResult(*result, out);
    if (details != nullptr) details->decision = std::move(result->decision);
    return UPK_OK;
  });
}

upk_status upk_ledger_resolve_envelope(uint32_t* out, const upk_ledger* ledger, upk_str period,
                                       upk_str customer, upk_str category) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[3];
    if (upk_status s = upkeep::capi::Text(period, "period", &t[0]); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::Text(customer, "customer", &t[1]); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::Text(category, "category", &t[2]); s != UPK_OK) return s;
    absl::StatusOr<upkeep::ledger::EnvelopeHandle> handle =
        ledger->ledger->ResolveEnvelope(t[0], t[1], t[2]);
    if (!handle.ok()) return FromStatus(handle.status());
    *out = handle->envelope + 1;  // see EnvelopeOf
    return UPK_OK;
  });
}

upk_status upk_ledger_reserve_batch(upk_result* out, upk_ledger* ledger,
                                    const upk_request* requests, size_t count) {
  return Guard([&] {
    return Batch(
        ledger, [&](Requests batch) { return ledger->ledger->ReserveBatch(batch); }, out, requests,
        count);
  });
}

upk_status upk_ledger_spend_batch(upk_result* out, upk_ledger* ledger, const upk_request* requests,
                                  size_t count) {
  return Guard([&] {
    return Batch(
        ledger, [&](Requests batch) { return ledger->ledger->SpendBatch(batch); }, out, requests,
        count);
  });
}

upk_status upk_ledger_check_batch(upk_result* out, const upk_ledger* ledger,
                                  const upk_request* requests, size_t count, int32_t as_spend) {
  return Guard([&] {
    return Batch(
        ledger, [&](Requests batch) { return ledger->ledger->CheckBatch(batch, as_spend != 0); },
        out, requests, count);
  });
}

upk_status upk_ledger_post(upk_ledger* ledger, const upk_settle_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[4];
    if (upk_status s = upkeep::capi::SettleTexts(request, t); s != UPK_OK) return s;
    upkeep::ledger::PostRequest r{.op_id = t[0],
                                  .actor = t[1],
                                  .reservation_id = t[2],
                                  .amount = std::nullopt,
                                  .reason = t[3]};
    if (upk_status s = upkeep::capi::OptionalAmount(request, &r.amount); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->Post(r));
  });
}

upk_status upk_ledger_void(upk_ledger* ledger, const upk_settle_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[4];
    if (upk_status s = upkeep::capi::SettleTexts(request, t); s != UPK_OK) return s;
    return FromStatus(ledger->ledger->Void(
        {.op_id = t[0], .actor = t[1], .reservation_id = t[2], .reason = t[3]}));
  });
}

upk_status upk_ledger_refund(upk_ledger* ledger, const upk_settle_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[4];
    if (upk_status s = upkeep::capi::SettleTexts(request, t); s != UPK_OK) return s;
    upkeep::ledger::RefundRequest r{.op_id = t[0],
                                    .actor = t[1],
                                    .target_id = t[2],
                                    .amount = std::nullopt,
                                    .return_to_budget = std::nullopt,
                                    .reason = t[3]};
    if (upk_status s = upkeep::capi::OptionalAmount(request, &r.amount); s != UPK_OK) return s;
    if (request->return_to_budget < -1 || request->return_to_budget > 1) {
      return upkeep::capi::Fail(UPK_INVALID_ARGUMENT, "return_to_budget must be -1, 0 or 1");
    }
    if (request->return_to_budget >= 0) r.return_to_budget = request->return_to_budget == 1;
    return FromStatus(ledger->ledger->Refund(r));
  });
}

upk_status upk_ledger_expire(int64_t* out, upk_ledger* ledger, upk_str actor, int64_t now_micros) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view who;
    if (upk_status s = upkeep::capi::Text(actor, "actor", &who); s != UPK_OK) return s;
    absl::StatusOr<int64_t> expired = ledger->ledger->Expire(who, now_micros);
    if (!expired.ok()) return FromStatus(expired.status());
    *out = *expired;
    return UPK_OK;
  });
}

upk_status upk_ledger_approve(upk_result* out, upk_decision* details, upk_ledger* ledger,
                              upk_str actor, upk_str approval_id, upk_str reason) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view t[3];
    if (upk_status s = upkeep::capi::Text(actor, "actor", &t[0]); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::Text(approval_id, "approval_id", &t[1]); s != UPK_OK) {
      return s;
    }
    if (upk_status s = upkeep::capi::Text(reason, "reason", &t[2]); s != UPK_OK) return s;
    absl::StatusOr<upkeep::ledger::Decision> decision =
        ledger->ledger->Approve({.actor = t[0], .approval_id = t[1], .reason = t[2]});
    if (!decision.ok()) return FromStatus(decision.status());
    upkeep::capi::FillResult(upkeep::ledger::Result{*decision, false}, out);
    if (details != nullptr) details->decision = *std::move(decision);
    return UPK_OK;
  });
}

upk_status upk_ledger_reject_approval(upk_ledger* ledger, upk_str actor, upk_str approval_id,
                                      upk_str reason) {
  return Guard([&] {
    return upkeep::capi::CloseApproval(&upkeep::ledger::Ledger::RejectApproval, ledger, actor,
                                       approval_id, reason);
  });
}

upk_status upk_ledger_withdraw_approval(upk_ledger* ledger, upk_str actor, upk_str approval_id,
                                        upk_str reason) {
  return Guard([&] {
    return upkeep::capi::CloseApproval(&upkeep::ledger::Ledger::WithdrawApproval, ledger, actor,
                                       approval_id, reason);
  });
}

}  // extern "C"
