#include "upkeep/ledger/event.h"

#include <cstring>

#include "ledger/text.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::ledger {
namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kLastKind = static_cast<uint8_t>(EventKind::kApprovalRejected);
constexpr uint8_t kLastScopeKind = static_cast<uint8_t>(ScopeKind::kRegion);
constexpr uint64_t kMaxArgs = 64;

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutSigned(int64_t value, std::string* out) {
  const uint64_t bits = static_cast<uint64_t>(value);
  PutVarint((bits << 1) ^ (value < 0 ? ~uint64_t{0} : 0), out);
}

void PutString(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

void PutScope(const ScopeRef& scope, std::string* out) {
  PutString(scope.period, out);
  out->push_back(static_cast<char>(scope.kind));
  PutString(scope.key, out);
  PutString(scope.category, out);
}

// Reads the encoding back; the first problem is kept and later reads return zero values.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  uint8_t Byte(std::string_view what) {
    if (rest_.empty()) return Fail(what, "truncated"), 0;
    const auto b = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return b;
  }
  uint64_t Varint(std::string_view what) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = Byte(what);
      if (!status_.ok()) return 0;
      value |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return value;
    }
    return Fail(what, "varint too long"), 0;
  }
  int64_t Signed(std::string_view what) {
    const uint64_t zz = Varint(what);
    return static_cast<int64_t>((zz >> 1) ^ (~(zz & 1) + 1));
  }
  std::string String(std::string_view what) {
    const uint64_t size = Varint(what);
    if (!status_.ok()) return {};
    if (size > rest_.size()) return Fail(what, "truncated"), std::string();
    std::string text(rest_.substr(0, size));
    rest_.remove_prefix(size);
    if (!IsValidUtf8(text)) return Fail(what, "invalid UTF-8"), std::string();
    return text;
  }
  ScopeRef Scope(std::string_view what) {
    ScopeRef scope;
    scope.period = String(what);
    const uint8_t kind = Byte(what);
    if (kind > kLastScopeKind) Fail(what, "unknown scope kind");
    scope.kind = static_cast<ScopeKind>(kind);
    scope.key = String(what);
    scope.category = String(what);
    return scope;
  }
  void Fail(std::string_view what, std::string_view problem) {
    if (status_.ok()) {
      status_ = MakeError(ErrorCode::kCorrupt, StrCat("event ", what, ": ", problem));
    }
  }
  bool done() const { return rest_.empty(); }
  const absl::Status& status() const { return status_; }

 private:
  std::string_view rest_;
  absl::Status status_;
};

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
  Reader in(bytes);
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
  event.scope = in.Scope("scope");
  event.to_scope = in.Scope("to_scope");
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
