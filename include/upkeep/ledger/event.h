// upkeep/ledger/event.h: one state change of the ledger, as it is journaled.
//
// The ledger never changes state without appending an Event: replaying the events of a journal
// into an empty ledger (Ledger::Replay) rebuilds exactly the same state. Events record facts
// (what was applied), not requests: replay re-applies them without deciding again, so a policy
// change never rewrites history. An Event is the audit record too: who (actor), what (kind,
// scope, amounts), when (time_micros) and why (reason).
//
// Events serialise to a compact, versioned binary form (EncodeEvent / DecodeEvent): a format
// byte, then varints and length-prefixed UTF-8 strings. A durable store keeps exactly these bytes
// and chains their SHA-256 hashes (see journal.h).
//
//   std::string bytes;
//   upkeep::ledger::EncodeEvent(event, &bytes);
//   absl::StatusOr<Event> back = upkeep::ledger::DecodeEvent(bytes);  // == event
//
// Ownership: plain values. Thread safety: the functions are pure.
#ifndef UPKEEP_LEDGER_EVENT_H_
#define UPKEEP_LEDGER_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/ledger/types.h"

namespace upkeep::ledger {

// The meaning of each Event field per kind. Unused fields are empty / zero.
enum class EventKind : uint8_t {
  kActorDefined = 1,        // args = {actor id, role number}
  kCategoryDefined = 2,     // args = {category}
  kTierDefined = 3,         // args = {tier}
  kCustomerDefined = 4,     // args = {customer id, tier, owner, region}
  kPeriodDefined = 5,       // args = {period id}; amount = start_micros; amount2 = end_micros
  kPeriodClosed = 6,        // args = {period id}
  kBudgetSet = 7,           // scope; amount = new budget; amount2 = budget version; op_id; reason
  kReserved = 8,            // op_id; scope = envelope; amount; expiry_micros
  kPosted = 9,              // op_id; ref_id = reservation; amount = posted; amount2 = released
  kVoided = 10,             // op_id; ref_id = reservation; amount = released
  kExpired = 11,            // ref_id = reservation; amount = released
  kSpent = 12,              // op_id; scope = envelope; amount
  kRefunded = 13,           // op_id; ref_id = spend or reservation; amount; amount2 = 1 if returned
  kTransferred = 14,        // op_id; scope = from; to_scope; amount; reason
  kApprovalRequested = 15,  // op_id; scope = envelope; amount; expiry; args = {"reserve"|"spend"}
  kApprovalGranted = 16,    // ref_id = approval (the request's op id); reason
  kApprovalRejected = 17,   // ref_id = approval; reason
  kPoliciesSet = 18,        // amount = policy version (1, 2, ...); args = {the policy document}
  kApprovalWithdrawn = 19,  // ref_id = approval; the requester withdrew it; reason
};
std::string_view EventKindName(EventKind kind);

struct Event {
  uint64_t seq = 0;         // position in the journal, from 0
  int64_t time_micros = 0;  // when
  EventKind kind = EventKind::kActorDefined;
  std::string actor{};   // who
  std::string op_id{};   // the caller-chosen operation id
  std::string ref_id{};  // the operation this one refers to
  ScopeRef scope{};
  ScopeRef to_scope{};
  int64_t amount_minor = 0;
  int64_t amount2_minor = 0;
  int64_t expiry_micros = 0;  // 0: none
  std::string reason{};       // why
  std::vector<std::string> args{};

  friend bool operator==(const Event&, const Event&) = default;
};

// Appends the binary form of `event` to `out`.
void EncodeEvent(const Event& event, std::string* out);
// Parses one event that fills `bytes` exactly; kCorrupt naming what is malformed,
// kUnsupportedVersion for an unknown format byte.
absl::StatusOr<Event> DecodeEvent(std::string_view bytes);

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_EVENT_H_
