#include "upkeep/rounding.h"

#include <cstdint>
#include <limits>

#include "absl/numeric/int128.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

constexpr RoundingMode kAllModes[] = {RoundingMode::kHalfEven, RoundingMode::kHalfUp,
                                      RoundingMode::kDown,     RoundingMode::kUp,
                                      RoundingMode::kFloor,    RoundingMode::kCeiling};

// The slow reference: from the mathematical floor and ceiling of n / d, choose by definition.
absl::int128 ReferenceRound(int64_t n, int64_t d, RoundingMode mode) {
  absl::int128 num = n;
  absl::int128 den = d;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  absl::int128 floor = num / den;
  if (floor * den > num) floor -= 1;
  const absl::int128 rest = num - floor * den;  // 0 <= rest < den: value = floor + rest / den
  if (rest == 0) return floor;
  const absl::int128 ceil = floor + 1;
  const bool positive = num > 0;
  const absl::int128 toward_zero = positive ? floor : ceil;
  const absl::int128 away = positive ? ceil : floor;
  absl::int128 out = 0;
  switch (mode) {
    case RoundingMode::kFloor:
      out = floor;
      break;
    case RoundingMode::kCeiling:
      out = ceil;
      break;
    case RoundingMode::kDown:
      out = toward_zero;
      break;
    case RoundingMode::kUp:
      out = away;
      break;
    case RoundingMode::kHalfUp:
    case RoundingMode::kHalfEven:
      if (2 * rest < den) {
        out = floor;
      } else if (2 * rest > den) {
        out = ceil;
      } else if (mode == RoundingMode::kHalfUp) {
        out = away;
      } else {
        out = (floor % 2 == 0) ? floor : ceil;
      }
      break;
  }
  return out;
}

struct Row {
  int64_t n;
  int64_t d;
  int64_t half_even, half_up, down, up, floor, ceiling;
};

TEST(RoundingTest, TableOfAllModes) {
  const Row rows[] = {
      // n / d         he  hu  dn  up  fl  ce
      {7, 2, 4, 4, 3, 4, 3, 4},        {5, 2, 2, 3, 2, 3, 2, 3},
      {-5, 2, -2, -3, -2, -3, -3, -2}, {-7, 2, -4, -4, -3, -4, -4, -3},
      {1, 3, 0, 0, 0, 1, 0, 1},        {-1, 3, 0, 0, 0, -1, -1, 0},
      {2, 3, 1, 1, 0, 1, 0, 1},        {-2, 3, -1, -1, 0, -1, -1, 0},
      {6, 3, 2, 2, 2, 2, 2, 2},        {5, -2, -2, -3, -2, -3, -3, -2},
      {-5, -2, 2, 3, 2, 3, 2, 3},      {0, 7, 0, 0, 0, 0, 0, 0},
      {1, 2, 0, 1, 0, 1, 0, 1},        {3, 2, 2, 2, 1, 2, 1, 2},
  };
  for (const Row& r : rows) {
    const int64_t want[] = {r.half_even, r.half_up, r.down, r.up, r.floor, r.ceiling};
    for (int m = 0; m < 6; ++m) {
      EXPECT_EQ(DivideRounded(r.n, r.d, kAllModes[m]), want[m])
          << r.n << " / " << r.d << " " << RoundingModeName(kAllModes[m]);
    }
  }
}

TEST(RoundingTest, ExtremesOf128Bits) {
  const absl::int128 max = absl::Int128Max();
  const absl::int128 min = absl::Int128Min();
  EXPECT_EQ(DivideRounded(max, 1, RoundingMode::kHalfEven), max);
  EXPECT_EQ(DivideRounded(min, 1, RoundingMode::kHalfEven), min);
  EXPECT_EQ(DivideRounded(min, 2, RoundingMode::kHalfEven), min / 2);
  // max = 2^127 - 1 is odd: max / 2 = 2^126 - 0.5, a tie.
  EXPECT_EQ(DivideRounded(max, 2, RoundingMode::kHalfEven), absl::int128(1) << 126);
  EXPECT_EQ(DivideRounded(max, 2, RoundingMode::kDown), (absl::int128(1) << 126) - 1);
  EXPECT_EQ(DivideRounded(min, max, RoundingMode::kHalfEven), -1);
  EXPECT_EQ(DivideRounded(min, max, RoundingMode::kFloor), -2);
  EXPECT_EQ(DivideRounded(1, min, RoundingMode::kFloor), -1);
  EXPECT_EQ(DivideRounded(1, min, RoundingMode::kHalfUp), 0);
}

TEST(RoundingTest, NarrowingReportsOverflowAndZeroDenominator) {
  EXPECT_EQ(*DivideRoundedToInt64(INT64_MAX, 1, RoundingMode::kHalfEven), INT64_MAX);
  EXPECT_EQ(*DivideRoundedToInt64(INT64_MIN, 1, RoundingMode::kHalfEven), INT64_MIN);
  const absl::int128 just_over = absl::int128(INT64_MAX) * 2 + 1;  // / 2 = MAX + 0.5
  EXPECT_EQ(*DivideRoundedToInt64(just_over, 2, RoundingMode::kDown), INT64_MAX);
  EXPECT_THAT(DivideRoundedToInt64(just_over, 2, RoundingMode::kUp),
              StatusIs(ErrorCode::kOverflow, HasSubstr("rounded up")));
  EXPECT_THAT(DivideRoundedToInt64(absl::int128(INT64_MIN), -1, RoundingMode::kHalfEven),
              StatusIs(ErrorCode::kOverflow, HasSubstr("-9223372036854775808 / -1")));
  EXPECT_THAT(DivideRoundedToInt64(absl::Int128Min(), -1, RoundingMode::kHalfEven),
              StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(DivideRoundedToInt64(5, 0, RoundingMode::kHalfEven),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("division by zero: 5 / 0")));
}

TEST(RoundingTest, ModeNamesRoundTrip) {
  for (RoundingMode mode : kAllModes) {
    ASSERT_OK_AND_ASSIGN(RoundingMode parsed, ParseRoundingMode(RoundingModeName(mode)));
    EXPECT_EQ(parsed, mode);
  }
  EXPECT_EQ(RoundingModeName(RoundingMode::kHalfEven), "half_even");
  EXPECT_THAT(ParseRoundingMode("HALF_EVEN"),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("\"HALF_EVEN\"")));
  EXPECT_THAT(ParseRoundingMode(""), StatusIs(ErrorCode::kInvalidArgument));
}

RC_GTEST_PROP(RoundingProperty, MatchesTheReferenceForEveryMode, (int64_t n, int64_t d)) {
  RC_PRE(d != 0);
  for (RoundingMode mode : kAllModes) {
    RC_ASSERT(DivideRounded(n, d, mode) == ReferenceRound(n, d, mode));
  }
}

RC_GTEST_PROP(RoundingProperty, MatchesTheReferenceForSmallOperands, ()) {
  // Small operands hit exact quotients and ties far more often than uniform 64-bit ones.
  const auto n = *rc::gen::inRange<int64_t>(-1000, 1001);
  const auto d =
      *rc::gen::suchThat(rc::gen::inRange<int64_t>(-20, 21), [](int64_t v) { return v != 0; });
  for (RoundingMode mode : kAllModes) {
    RC_ASSERT(DivideRounded(n, d, mode) == ReferenceRound(n, d, mode));
  }
}

RC_GTEST_PROP(RoundingProperty, ResultIsWithinOneOfTheTruncation, (int64_t n, int64_t d)) {
  RC_PRE(d != 0);
  const absl::int128 truncated = absl::int128(n) / d;
  for (RoundingMode mode : kAllModes) {
    const absl::int128 rounded = DivideRounded(n, d, mode);
    RC_ASSERT(rounded - truncated >= -1);
    RC_ASSERT(rounded - truncated <= 1);
  }
}

}  // namespace
}  // namespace upkeep
