// SplitWithinBounds: examples with known answers, every bad input, and properties over random
// inputs (exact sum, every part within its bounds, proportional where free).
#include "upkeep/bounded_split.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/numeric/int128.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/status.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

std::vector<uint64_t> Keys(size_t n) {
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i] = i;
  return keys;
}

TEST(BoundedSplitTest, WhatACapCutsGoesToTheOthersInProportion) {
  const std::vector<int64_t> base = {100, 100, 800}, floor = {0, 0, 0}, cap = {1000, 1000, 500};
  const std::vector<uint64_t> keys = Keys(3);
  std::vector<int64_t> parts;
  std::vector<SplitBound> bound;
  ASSERT_THAT(SplitWithinBounds(1000, {base, floor, cap, keys}, parts, bound), IsOk());
  EXPECT_THAT(parts, ElementsAre(250, 250, 500));
  EXPECT_THAT(bound, ElementsAre(SplitBound::kNone, SplitBound::kNone, SplitBound::kCap));
}

TEST(BoundedSplitTest, AFloorTakesFromTheOthersAndAZeroBaseGetsItsFloor) {
  const std::vector<int64_t> base = {0, 10, 90}, floor = {30, 0, 0}, cap = {100, 100, 100};
  const std::vector<uint64_t> keys = Keys(3);
  std::vector<int64_t> parts;
  std::vector<SplitBound> bound;
  ASSERT_THAT(SplitWithinBounds(100, {base, floor, cap, keys}, parts, bound), IsOk());
  EXPECT_THAT(parts, ElementsAre(30, 7, 63));
  EXPECT_EQ(bound[0], SplitBound::kFloor);
}

TEST(BoundedSplitTest, BadInputsNameWhatIsWrongAndWriteNothing) {
  const std::vector<int64_t> base = {1, 2}, floor = {0, 0}, cap = {5, 5};
  const std::vector<uint64_t> keys = Keys(2);
  std::vector<int64_t> parts = {7};
  std::vector<SplitBound> bound;
  EXPECT_THAT(SplitWithinBounds(3, {base, floor, cap, Keys(1)}, parts, bound),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("1 tie keys")));
  EXPECT_THAT(SplitWithinBounds(-1, {base, floor, cap, keys}, parts, bound),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("negative total")));
  const std::vector<int64_t> negative = {1, -2};
  EXPECT_THAT(SplitWithinBounds(3, {negative, floor, cap, keys}, parts, bound),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("part 1")));
  const std::vector<int64_t> low_cap = {5, 0};
  const std::vector<int64_t> high_floor = {0, 1};
  EXPECT_THAT(SplitWithinBounds(3, {base, high_floor, low_cap, keys}, parts, bound),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("below its floor")));
  const std::vector<int64_t> huge = {std::numeric_limits<int64_t>::max(), 1};
  EXPECT_THAT(SplitWithinBounds(3, {huge, floor, cap, keys}, parts, bound),
              StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(SplitWithinBounds(11, {base, floor, cap, keys}, parts, bound),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("caps hold 1 minor units less")));
  const std::vector<int64_t> floors = {3, 3};
  EXPECT_THAT(SplitWithinBounds(5, {base, floors, cap, keys}, parts, bound),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("floors need 1 minor units more")));
  EXPECT_THAT(parts, ElementsAre(7));
  EXPECT_TRUE(bound.empty());
}

RC_GTEST_PROP(BoundedSplitProperty, ExactWithinBoundsAndProportionalWhereFree, ()) {
  const size_t n = *rc::gen::inRange<size_t>(1, 40);
  std::vector<int64_t> base(n), floor(n), cap(n);
  absl::int128 floor_sum = 0, cap_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    base[i] = *rc::gen::inRange<int64_t>(0, 1'000'000);
    floor[i] = *rc::gen::inRange<int64_t>(0, 50'000);
    cap[i] = floor[i] + *rc::gen::inRange<int64_t>(0, 2'000'000);
    floor_sum += floor[i];
    cap_sum += base[i] == 0 ? floor[i] : cap[i];
  }
  const int64_t total = static_cast<int64_t>(
      floor_sum + (cap_sum - floor_sum) * *rc::gen::inRange<int64_t>(0, 1001) / 1000);
  const std::vector<uint64_t> keys = Keys(n);
  std::vector<int64_t> parts;
  std::vector<SplitBound> bound;
  RC_ASSERT(SplitWithinBounds(total, {base, floor, cap, keys}, parts, bound).ok());
  absl::int128 sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += parts[i];
    RC_ASSERT(parts[i] >= floor[i]);
    RC_ASSERT(parts[i] <= cap[i]);
  }
  RC_ASSERT(sum == absl::int128(total));
  // Free parts sit at one level λ, each within one minor unit of λ * base:
  // (part_i - 1) / base_i < λ < (part_j + 1) / base_j.
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (bound[i] != SplitBound::kNone || bound[j] != SplitBound::kNone || base[i] == 0 ||
          base[j] == 0) {
        continue;
      }
      RC_ASSERT((absl::int128(parts[i]) - 1) * base[j] < (absl::int128(parts[j]) + 1) * base[i]);
    }
  }
}

}  // namespace
}  // namespace upkeep
