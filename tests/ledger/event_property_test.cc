// Property tests of the journal's event format: any event round-trips byte for byte, appending
// leaves what was before untouched, and every truncation of an encoding is rejected as corrupt.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/codec.h"
#include "rapidcheck/gtest.h"
#include "upkeep/ledger/event.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

// UTF-8 text of 0 to 300 bytes (long enough for two-byte lengths) from one- to four-byte
// characters.
rc::Gen<std::string> AnyText() {
  static const std::vector<std::string> kPieces = {"a", "Z",  "0",  "-", " ", "\x7f",
                                                   "é", "财", "务", "€", "😀", std::string(1, '\0')};
  return rc::gen::map(
      rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, kPieces.size())),
      [](const std::vector<size_t>& picks) {
        std::string text;
        for (const size_t pick : picks) text += kPieces[pick];
        return text;
      });
}

// Values around the varint length steps and the extremes, and any value.
rc::Gen<int64_t> AnySigned() {
  return rc::gen::weightedOneOf<int64_t>({
      {2, rc::gen::inRange<int64_t>(-200, 200)},
      {1, rc::gen::element<int64_t>(INT64_MIN, INT64_MIN + 1, INT64_MAX - 1, INT64_MAX,
                                    int64_t{1} << 62, -(int64_t{1} << 62))},
      {3, rc::gen::arbitrary<int64_t>()},
  });
}

rc::Gen<uint64_t> AnyUnsigned() {
  return rc::gen::weightedOneOf<uint64_t>({
      {2, rc::gen::inRange<uint64_t>(0, 300)},
      {1, rc::gen::element<uint64_t>(127, 128, 16383, 16384, uint64_t{1} << 63, UINT64_MAX)},
      {3, rc::gen::arbitrary<uint64_t>()},
  });
}

ScopeRef AnyScope() {
  ScopeRef scope;
  scope.period = *AnyText();
  scope.kind =
      static_cast<ScopeKind>(*rc::gen::inRange<int>(0, static_cast<int>(ScopeKind::kRegion) + 1));
  scope.key = *AnyText();
  scope.category = *AnyText();
  return scope;
}

Event AnyEvent() {
  Event event;
  event.seq = *AnyUnsigned();
  event.time_micros = *AnySigned();
  event.kind = static_cast<EventKind>(
      *rc::gen::inRange<int>(1, static_cast<int>(EventKind::kApprovalWithdrawn) + 1));
  event.actor = *AnyText();
  event.op_id = *AnyText();
  event.ref_id = *AnyText();
  event.scope = AnyScope();
  event.to_scope = AnyScope();
  event.amount_minor = *AnySigned();
  event.amount2_minor = *AnySigned();
  event.expiry_micros = *AnySigned();
  event.reason = *AnyText();
  event.args = *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(AnyText()));
  return event;
}

RC_GTEST_PROP(EventPropertyTest, RoundTripsByteForByte, ()) {
  const Event event = AnyEvent();
  const std::string before = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  std::string bytes = before;
  EncodeEvent(event, &bytes);
  RC_ASSERT(std::string_view(bytes).substr(0, before.size()) == before);
  const std::string encoded = bytes.substr(before.size());
  absl::StatusOr<Event> back = DecodeEvent(encoded);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == event);
  std::string again;
  EncodeEvent(*back, &again);
  RC_ASSERT(again == encoded);
}

RC_GTEST_PROP(EventPropertyTest, EveryTruncationIsCorrupt, ()) {
  std::string bytes;
  EncodeEvent(AnyEvent(), &bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    const absl::StatusOr<Event> cut = DecodeEvent(std::string_view(bytes).substr(0, n));
    RC_ASSERT(!cut.ok());
    RC_ASSERT(ErrorCodeOf(cut.status()) == ErrorCode::kCorrupt);
  }
}

RC_GTEST_PROP(EventPropertyTest, VarintsReadBackWhateverFollows, ()) {
  const uint64_t value = *AnyUnsigned();
  const int64_t signed_value = *AnySigned();
  const std::string after = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  std::string bytes;
  PutVarint(value, &bytes);
  PutSigned(signed_value, &bytes);
  bytes += after;
  Reader in(bytes, "test");
  RC_ASSERT(in.Varint("v") == value);
  RC_ASSERT(in.Signed("s") == signed_value);
  RC_ASSERT(in.ok());
  RC_ASSERT(in.remaining_bytes() == after.size());
}

}  // namespace
}  // namespace upkeep::ledger
