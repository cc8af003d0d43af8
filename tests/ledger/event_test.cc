// The journal's event format: round trips and rejection of malformed bytes.
#include "upkeep/ledger/event.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::ledger {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

Event Sample() {
  Event event;
  event.seq = 12345;
  event.time_micros = -42;
  event.kind = EventKind::kTransferred;
  event.actor = "财务-fin";
  event.op_id = "t-1";
  event.ref_id = "r-9";
  event.scope = {.period = "Q1", .kind = ScopeKind::kCustomer, .key = "c1", .category = "gift"};
  event.to_scope = {.period = "Q1", .kind = ScopeKind::kTier, .key = "A", .category = "gift"};
  event.amount_minor = INT64_MIN;
  event.amount2_minor = INT64_MAX;
  event.expiry_micros = 99;
  event.reason = "客户续约";
  event.args = {"a", "", "c"};
  return event;
}

TEST(EventTest, RoundTrips) {
  std::string bytes;
  EncodeEvent(Sample(), &bytes);
  absl::StatusOr<Event> back = DecodeEvent(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, Sample());
}

TEST(EventTest, RejectsTruncationAtEveryLength) {
  std::string bytes;
  EncodeEvent(Sample(), &bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THAT(DecodeEvent(std::string_view(bytes).substr(0, n)), StatusIs(ErrorCode::kCorrupt))
        << n;
  }
}

TEST(EventTest, RejectsTrailingBytesUnknownKindAndNewerFormat) {
  std::string bytes;
  EncodeEvent(Sample(), &bytes);
  EXPECT_THAT(DecodeEvent(bytes + "x"), StatusIs(ErrorCode::kCorrupt, HasSubstr("trailing")));
  std::string bad_kind = bytes;
  bad_kind[1] = 99;
  EXPECT_THAT(DecodeEvent(bad_kind), StatusIs(ErrorCode::kCorrupt, HasSubstr("kind")));
  std::string newer = bytes;
  newer[0] = 2;
  EXPECT_THAT(DecodeEvent(newer), StatusIs(ErrorCode::kUnsupportedVersion));
}

TEST(EventTest, RejectsInvalidUtf8) {
  Event event = Sample();
  event.reason = "\xff";
  std::string bytes;
  EncodeEvent(event, &bytes);
  EXPECT_THAT(DecodeEvent(bytes), StatusIs(ErrorCode::kCorrupt, HasSubstr("UTF-8")));
}

}  // namespace
}  // namespace upkeep::ledger
