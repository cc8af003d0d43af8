// The journal's event format: round trips and rejection of malformed bytes.
#include "upkeep/ledger/event.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::ledger {
namespace {

using ::testing::HasSubstr;
using ::std::string_literals::operator""s;
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

// The bytes of Sample() as the first encoder wrote them: journals written since must decode the
// same, so the encoder must keep writing exactly these.
TEST(EventTest, WritesTheJournaledFormat) {
  const std::string expected =
      "\x01\x0e\xb9\x60\x53\x0a\xe8\xb4\xa2\xe5\x8a\xa1\x2d\x66\x69\x6e\x03\x74\x2d\x31\x03"
      "\x72\x2d\x39\x02\x51\x31\x02\x02\x63\x31\x04\x67\x69\x66\x74\x02\x51\x31\x01\x01"
      "\x41\x04\x67\x69\x66\x74\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\xfe\xff\xff\xff"
      "\xff\xff\xff\xff\xff\x01\xc6\x01\x0c\xe5\xae\xa2\xe6\x88\xb7\xe7\xbb\xad\xe7\xba"
      "\xa6\x03\x01\x61\x00\x01\x63"s;  // an empty arg: a 0 byte inside
  ASSERT_EQ(expected.size(), 88u);
  std::string bytes = "before";
  EncodeEvent(Sample(), &bytes);
  EXPECT_EQ(bytes, "before" + expected);
  absl::StatusOr<Event> back = DecodeEvent(expected);
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
