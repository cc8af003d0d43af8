#include "upkeep/checked.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(CheckedTest, ExactResultsPassThrough) {
  EXPECT_EQ(*CheckedAdd(2, 3), 5);
  EXPECT_EQ(*CheckedSub(2, 3), -1);
  EXPECT_EQ(*CheckedMul(-4, 3), -12);
  EXPECT_EQ(*CheckedAdd(kMax - 1, 1), kMax);
  EXPECT_EQ(*CheckedSub(kMin + 1, 1), kMin);
}

TEST(CheckedTest, OverflowIsAnErrorNamingTheOperands) {
  EXPECT_THAT(CheckedAdd(kMax, 1), StatusIs(ErrorCode::kOverflow, HasSubstr("+ 1")));
  EXPECT_THAT(CheckedSub(kMin, 1), StatusIs(ErrorCode::kOverflow, HasSubstr("- 1")));
  EXPECT_THAT(CheckedMul(kMax / 2 + 1, 2), StatusIs(ErrorCode::kOverflow, HasSubstr("* 2")));
  EXPECT_THAT(CheckedMul(kMin, -1), StatusIs(ErrorCode::kOverflow));
}

TEST(CheckedTest, SumDetectsOverflowOfAnyPartialSum) {
  const std::vector<int64_t> fine = {kMax, -1, 1};
  EXPECT_EQ(*CheckedSum(fine), kMax);
  const std::vector<int64_t> over = {kMax, 1, -1};
  EXPECT_THAT(CheckedSum(over), StatusIs(ErrorCode::kOverflow, HasSubstr("sum of 3 values")));
  EXPECT_EQ(*CheckedSum(std::vector<int64_t>{}), 0);
}

}  // namespace
}  // namespace upkeep
