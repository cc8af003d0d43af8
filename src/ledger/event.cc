#include "upkeep/ledger/event.h"

#include "ledger/codec.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kLastKind = static_cast<uint8_t>(EventKind::kApprovalWithdrawn);
constexpr uint8_t kLastScopeKind = static_cast<uint8_t>(ScopeKind::kRegion);
constexpr uint64_t kMaxArgs = 1024;

void PutScope(const ScopeRef& scope, std::string* out) {
  PutString(scope.period, out);
  out->push_back(static_cast<char>(scope.kind));
  PutString(scope.key, out);
  PutString(scope.category, out);
}

ScopeRef GetScope(Reader& in, std::string_view what) {
  ScopeRef scope;
  scope.period = in.String(what);
  const uint8_t kind = in.Byte(what);
  if (kind > kLastScopeKind) in.Fail(what, "unknown scope kind");
  scope.kind = static_cast<ScopeKind>(kind);
  scope.key = in.String(what);
  scope.category = in.String(what);
  return scope;
}

}  // namespace

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kActorDefined:
      return "actor_defined";
    case EventKind::kCategoryDefined:
      return "category_defined";
    case EventKind::kTierDefined:
      return "tier_defined";
    case EventKind::kCustomerDefined:
      return "customer_defined";
    case EventKind::kPeriodDefined:
      return "period_defined";
    case EventKind::kPeriodClosed:
      return "period_closed";
    case EventKind::kBudgetSet:
      return "budget_set";
    case EventKind::kReserved:
      return "reserved";
    case EventKind::kPosted:
      return "posted";
    case EventKind::kVoided:
      return "voided";
    case EventKind::kExpired:
      return "expired";
    case EventKind::kSpent:
      return "spent";
    case EventKind::kRefunded:
      return "refunded";
    case EventKind::kTransferred:
      return "transferred";
    case EventKind::kApprovalRequested:
      return "approval_requested";
    case EventKind::kApprovalGranted:
      return "approval_granted";
    case EventKind::kApprovalRejected:
      return "approval_rejected";
    case EventKind::kPoliciesSet:
      return "policies_set";
    case EventKind::kApprovalWithdrawn:
      return "approval_withdrawn";
  }
  return "unknown";
}

void EncodeEvent(const Event& event, std::string* out) {
  out->push_back(static_cast<char>(kFormat));
  out->push_back(static_cast<char>(event.kind));
  PutVarint(event.seq, out);
  PutSigned(event.time_micros, out);
  PutString(event.actor, out);
  PutString(event.op_id, out);
  PutString(event.ref_id, out);
  PutScope(event.scope, out);
  PutScope(event.to_scope, out);
  PutSigned(event.amount_minor, out);
  PutSigned(event.amount2_minor, out);
  PutSigned(event.expiry_micros, out);
  PutString(event.reason, out);
  PutVarint(event.args.size(), out);
  for (const std::string& arg : event.args) PutString(arg, out);
}

absl::StatusOr<Event> DecodeEvent(std::string_view bytes) {
  Reader in(bytes, "event");
  const uint8_t format = in.Byte("format");
  if (in.status().ok() && format != kFormat) {
    return MakeError(ErrorCode::kUnsupportedVersion,
                     StrCat("event format ", format, " is not supported (expected ", kFormat, ")"));
  }
  Event event;
  const uint8_t kind = in.Byte("kind");
  if (kind == 0 || kind > kLastKind) in.Fail("kind", StrCat("unknown kind ", kind));
  event.kind = static_cast<EventKind>(kind);
  event.seq = in.Varint("seq");
  event.time_micros = in.Signed("time");
  event.actor = in.String("actor");
  event.op_id = in.String("op_id");
  event.ref_id = in.String("ref_id");
  event.scope = GetScope(in, "scope");
  event.to_scope = GetScope(in, "to_scope");
  event.amount_minor = in.Signed("amount");
  event.amount2_minor = in.Signed("amount2");
  event.expiry_micros = in.Signed("expiry");
  event.reason = in.String("reason");
  const uint64_t arg_count = in.Varint("args");
  if (arg_count > kMaxArgs) in.Fail("args", "too many");
  for (uint64_t i = 0; in.status().ok() && i < arg_count; ++i) {
    event.args.push_back(in.String("args"));
  }
  if (in.status().ok() && !in.done()) in.Fail("end", "trailing bytes");
  if (!in.status().ok()) return in.status();
  return event;
}

}  // namespace upkeep::ledger
