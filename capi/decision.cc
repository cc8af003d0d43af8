// capi/decision.cc: a decision and its reasons, readable as structs, words or JSON.
#include "absl/strings/str_cat.h"
#include "capi/internal.h"
#include "capi/ledger_json.h"

using upkeep::capi::Borrow;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_decision_new(upk_decision** out) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    *out = new upk_decision();
    return UPK_OK;
  });
}

void upk_decision_free(upk_decision* decision) {
  upkeep::capi::GuardVoid([&] { delete decision; });
}

const char* upk_outcome_name(int32_t outcome) {
  if (outcome < UPK_OUTCOME_APPROVE || outcome > UPK_OUTCOME_REJECT) return "unknown";
  // OutcomeName returns views of string literals: NUL-terminated, static.
  return upkeep::ledger::OutcomeName(static_cast<upkeep::ledger::Outcome>(outcome)).data();
}

upk_status upk_decision_outcome(int32_t* out, const upk_decision* decision) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(decision, "decision"); s != UPK_OK) return s;
    *out = static_cast<int32_t>(decision->decision.outcome);
    return UPK_OK;
  });
}

upk_status upk_decision_reason_count(size_t* out, const upk_decision* decision) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(decision, "decision"); s != UPK_OK) return s;
    *out = decision->decision.reasons.size();
    return UPK_OK;
  });
}

upk_status upk_decision_reason(upk_reason* out, const upk_decision* decision, size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(decision, "decision"); s != UPK_OK) return s;
    const auto& reasons = decision->decision.reasons;
    if (index >= reasons.size()) {
      return upkeep::capi::Fail(
          UPK_NOT_FOUND,
          absl::StrCat("reason index ", index, " out of range (", reasons.size(), " reasons)"));
    }
    const upkeep::ledger::Reason& r = reasons[index];
    out->outcome = static_cast<int32_t>(r.outcome);
    out->rule_id = Borrow(r.rule_id);
    upkeep::capi::FillScope(r.scope, &out->scope);
    upkeep::capi::FillBalance(r.balance, &out->balance);
    out->requested_minor = r.requested_minor;
    out->shortfall_minor = r.shortfall_minor;
    out->message = Borrow(r.message);
    out->remedy = Borrow(r.remedy);
    return UPK_OK;
  });
}

upk_status upk_decision_explain(char** out, const upk_decision* decision) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(decision, "decision"); s != UPK_OK) return s;
    return upkeep::capi::Emit(decision->decision.Explain(), out);
  });
}

upk_status upk_decision_to_json(char** out, const upk_decision* decision) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(decision, "decision"); s != UPK_OK) return s;
    return upkeep::capi::Emit(upkeep::capi::DecisionJson(decision->decision).dump(), out);
  });
}

}  // extern "C"
