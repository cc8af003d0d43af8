#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/money.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

TEST(DecimalTest, ParsesExactMantissaAndScale) {
  struct Case {
    const char* text;
    int64_t mantissa;
    int32_t scale;
  };
  const Case cases[] = {
      {"12.50", 1250, 2},
      {"0", 0, 0},
      {"-0.5", -5, 1},
      {"+3", 3, 0},
      {"0.10", 10, 2},
      {"007.25", 725, 2},
      {"33.3333", 333333, 4},
      {"9223372036854775807", INT64_MAX, 0},
      {"-9223372036854775808", INT64_MIN, 0},
      {"0.000000000000000001", 1, 18},
      {"-922337203.6854775808", INT64_MIN, 10},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(Decimal d, Decimal::Parse(c.text));
    EXPECT_EQ(d.mantissa, c.mantissa) << c.text;
    EXPECT_EQ(d.scale, c.scale) << c.text;
  }
}

TEST(DecimalTest, FormatsWithExactlyItsScale) {
  EXPECT_EQ((Decimal{1250, 2}.ToString()), "12.50");
  EXPECT_EQ((Decimal{-5, 1}.ToString()), "-0.5");
  EXPECT_EQ((Decimal{5, 3}.ToString()), "0.005");
  EXPECT_EQ((Decimal{0, 2}.ToString()), "0.00");
  EXPECT_EQ((Decimal{42, 0}.ToString()), "42");
  EXPECT_EQ((Decimal{INT64_MIN, 18}.ToString()), "-9.223372036854775808");
}

TEST(DecimalTest, MalformedTextIsParseErrorNamingTheText) {
  for (const char* text : {"", "-", "+", ".5", "5.", "1e5", "1E5", "1,000", "1_000", " 1", "1 ",
                           "1.2.3", "NaN", "inf", "--1", "+-1", "0x10", "1.-5", "１"}) {
    EXPECT_THAT(Decimal::Parse(text), StatusIs(ErrorCode::kParse, HasSubstr("decimal \""))) << text;
  }
  EXPECT_THAT(Decimal::Parse("1e5"), StatusIs(ErrorCode::kParse, HasSubstr("exponents")));
  EXPECT_THAT(Decimal::Parse("1,000"), StatusIs(ErrorCode::kParse, HasSubstr("separators")));
  EXPECT_THAT(Decimal::Parse(" 1"), StatusIs(ErrorCode::kParse, HasSubstr("spaces")));
  EXPECT_THAT(Decimal::Parse(".5"), StatusIs(ErrorCode::kParse, HasSubstr("before '.'")));
  EXPECT_THAT(Decimal::Parse("5."), StatusIs(ErrorCode::kParse, HasSubstr("after '.'")));
  EXPECT_THAT(Decimal::Parse("-"), StatusIs(ErrorCode::kParse, HasSubstr("sign without digits")));
  EXPECT_THAT(Decimal::Parse(""), StatusIs(ErrorCode::kParse, HasSubstr("empty")));
  EXPECT_THAT(Decimal::Parse(std::string(101, '1')),
              StatusIs(ErrorCode::kParse, HasSubstr("longer than 100 characters")));
}

TEST(DecimalTest, TooManyDigitsAreOverflowOrInvalidScale) {
  EXPECT_THAT(Decimal::Parse("9223372036854775808"),
              StatusIs(ErrorCode::kOverflow, HasSubstr("\"9223372036854775808\"")));
  EXPECT_THAT(Decimal::Parse("-9223372036854775809"), StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(Decimal::Parse("0.1234567890123456789"),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("19 fraction digits")));
}

RC_GTEST_PROP(DecimalProperty, FormatThenParseIsIdentity, (int64_t mantissa)) {
  const auto scale = *rc::gen::inRange<int32_t>(0, 19);
  const Decimal d{mantissa, scale};
  const absl::StatusOr<Decimal> parsed = Decimal::Parse(d.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->mantissa == mantissa);
  RC_ASSERT(parsed->scale == scale);
}

}  // namespace
}  // namespace upkeep
