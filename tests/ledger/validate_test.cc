// CheckId / CheckText: the inline pass for short ASCII texts answers as the full checks do
// (property over random byte strings around the 16-byte edge), and each bad text gets its code.
#include "ledger/validate.h"

#include <string>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

TEST(ValidateTest, ShortAsciiPassesAndEachBadTextGetsItsCode) {
  EXPECT_TRUE(CheckId("op-1", "op id").ok());
  EXPECT_TRUE(CheckId(std::string(16, 'x'), "op id").ok());
  EXPECT_TRUE(CheckId(std::string(kMaxIdBytes, 'x'), "op id").ok());
  EXPECT_TRUE(CheckText("", "reason").ok());
  EXPECT_TRUE(CheckText("gift \xE7\xA4\xBC", "reason").ok());  // 礼: UTF-8, not ASCII
  EXPECT_EQ(ErrorCodeOf(CheckId("", "op id")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeOf(CheckId(std::string(kMaxIdBytes + 1, 'x'), "op id")),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeOf(CheckText(std::string(kMaxTextBytes + 1, 'x'), "reason")),
            ErrorCode::kInvalidArgument);
  const absl::Status bad = CheckId("ab\xFF", "op id");
  EXPECT_EQ(ErrorCodeOf(bad), ErrorCode::kInvalidUtf8);
  EXPECT_NE(bad.message().find("op id: invalid UTF-8 at byte 2"), absl::string_view::npos) << bad;
  EXPECT_EQ(ErrorCodeOf(CheckText(std::string(15, 'x') + "\xC3", "reason")),
            ErrorCode::kInvalidUtf8);
}

RC_GTEST_PROP(ValidateProperty, TheInlinePassAnswersAsTheFullChecks, ()) {
  const size_t size = *rc::gen::inRange<size_t>(0, 24);
  std::string text;
  for (size_t i = 0; i < size; ++i) {
    // Mostly ASCII, sometimes a byte with its high bit (valid UTF-8 or not).
    text.push_back(*rc::gen::inRange(0, 8) == 0 ? static_cast<char>(*rc::gen::inRange(128, 256))
                                                : static_cast<char>(*rc::gen::inRange(0, 128)));
  }
  RC_ASSERT(CheckId(text, "op id") == validate_internal::CheckIdFully(text, "op id"));
  RC_ASSERT(CheckText(text, "reason") == validate_internal::CheckTextFully(text, "reason"));
}

}  // namespace
}  // namespace upkeep::ledger
