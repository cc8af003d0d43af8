#include "upkeep/ledger/event.h"

#include <algorithm>

#include "absl/utility/utility.h"
#include "ledger/codec.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kLastKind = static_cast<uint8_t>(EventKind::kApprovalWithdrawn);
constexpr uint8_t kLastScopeKind = static_cast<uint8_t>(ScopeKind::kRegion);
constexpr uint64_t kMaxArgs = 1024;

// The fixed bytes (format, kind, the two scope kinds) and the varints (seq, time, amount,
// amount2, expiry, the number of args) of an event; its strings come on top.
constexpr size_t kMaxFixedEventBytes = 4 + 6 * kMaxVarintBytes;

size_t MaxScopeBytes(const ScopeRef& scope) {
  return MaxStringBytes(scope.period) + MaxStringBytes(scope.key) + MaxStringBytes(scope.category);
}

char* WriteScope(const ScopeRef& scope, char* dst) {
  dst = WriteString(scope.period, dst);
  *dst++ = static_cast<char>(scope.kind);
  dst = WriteString(scope.key, dst);
  return WriteString(scope.category, dst);
}

// Reads a text into an empty `field` (empty texts, the most common, copy nothing).
void GetText(Reader& in, std::string_view what, std::string* field) {
  const std::string_view text = in.Text(what);
  if (!text.empty()) field->assign(text.data(), text.size());
}

void GetScope(Reader& in, std::string_view what, ScopeRef* scope) {
  GetText(in, what, &scope->period);
  const uint8_t kind = in.Byte(what);
  if (kind > kLastScopeKind) in.Fail(what, "unknown scope kind");
  scope->kind = static_cast<ScopeKind>(kind);
  GetText(in, what, &scope->key);
  GetText(in, what, &scope->category);
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
  // Grown once to a bound of the size, written through a pointer, trimmed to what was written.
  size_t max_bytes = kMaxFixedEventBytes + MaxStringBytes(event.actor) +
                     MaxStringBytes(event.op_id) + MaxStringBytes(event.ref_id) +
                     MaxScopeBytes(event.scope) + MaxScopeBytes(event.to_scope) +
                     MaxStringBytes(event.reason);
  for (const std::string& arg : event.args) max_bytes += MaxStringBytes(arg);
  const size_t start = out->size();
  out->resize(start + max_bytes);
  char* const begin = out->data() + start;
  char* dst = begin;
  *dst++ = static_cast<char>(kFormat);
  *dst++ = static_cast<char>(event.kind);
  dst = WriteVarint(event.seq, dst);
  dst = WriteSigned(event.time_micros, dst);
  dst = WriteString(event.actor, dst);
  dst = WriteString(event.op_id, dst);
  dst = WriteString(event.ref_id, dst);
  dst = WriteScope(event.scope, dst);
  dst = WriteScope(event.to_scope, dst);
  dst = WriteSigned(event.amount_minor, dst);
  dst = WriteSigned(event.amount2_minor, dst);
  dst = WriteSigned(event.expiry_micros, dst);
  dst = WriteString(event.reason, dst);
  dst = WriteVarint(event.args.size(), dst);
  for (const std::string& arg : event.args) dst = WriteString(arg, dst);
  out->resize(start + static_cast<size_t>(dst - begin));
}

absl::StatusOr<Event> DecodeEvent(std::string_view bytes) {
  Reader in(bytes, "event");
  const uint8_t format = in.Byte("format");
  if (in.status().ok() && format != kFormat) {
    return MakeError(ErrorCode::kUnsupportedVersion,
                     StrCat("event format ", format, " is not supported (expected ", kFormat, ")"));
  }
  // The event is decoded in place: its strings are assigned straight from the bytes.
  absl::StatusOr<Event> decoded(absl::in_place);
  Event& event = *decoded;
  const uint8_t kind = in.Byte("kind");
  if (kind == 0 || kind > kLastKind) in.Fail("kind", StrCat("unknown kind ", kind));
  event.kind = static_cast<EventKind>(kind);
  event.seq = in.Varint("seq");
  event.time_micros = in.Signed("time");
  GetText(in, "actor", &event.actor);
  GetText(in, "op_id", &event.op_id);
  GetText(in, "ref_id", &event.ref_id);
  GetScope(in, "scope", &event.scope);
  GetScope(in, "to_scope", &event.to_scope);
  event.amount_minor = in.Signed("amount");
  event.amount2_minor = in.Signed("amount2");
  event.expiry_micros = in.Signed("expiry");
  GetText(in, "reason", &event.reason);
  const uint64_t arg_count = in.Varint("args");
  if (arg_count > kMaxArgs) in.Fail("args", "too many");
  if (in.status().ok()) {
    // Each arg takes at least its length byte: a damaged count reserves no more than that.
    event.args.reserve(std::min<uint64_t>(arg_count, in.remaining_bytes()));
  }
  for (uint64_t i = 0; in.status().ok() && i < arg_count; ++i) {
    event.args.emplace_back(in.Text("args"));
  }
  if (in.status().ok() && !in.done()) in.Fail("end", "trailing bytes");
  if (!in.status().ok()) return in.status();
  return decoded;
}

}  // namespace upkeep::ledger
