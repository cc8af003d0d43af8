#include "allocation/water_fill.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::allocation_internal {
namespace {

using ::testing::ElementsAre;
using ::upkeep::testing::IsOk;

constexpr int64_t kNone = std::numeric_limits<int64_t>::max();

struct Filled {
  std::vector<int64_t> out;
  std::vector<Bound> bound;
};

Filled Fill(std::vector<int64_t> base, std::vector<int64_t> floor, std::vector<int64_t> cap,
            int64_t total) {
  std::vector<uint64_t> keys(base.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = i;
  Filled f{std::vector<int64_t>(base.size()), std::vector<Bound>(base.size())};
  EXPECT_THAT(WaterFill({base, floor, cap, keys}, total, f.out, f.bound), IsOk());
  return f;
}

TEST(WaterFillTest, NoBindingBoundsKeepsTheBases) {
  const Filled f = Fill({10, 20, 30, 40}, {0, 0, 0, 0}, {kNone, kNone, kNone, kNone}, 100);
  EXPECT_THAT(f.out, ElementsAre(10, 20, 30, 40));
  EXPECT_THAT(f.bound, ::testing::Each(Bound::kNone));
}

TEST(WaterFillTest, CapCutGoesToOthersInProportion) {
  // 50 capped at 40; the 10 it loses goes 30:20 to the others: 36, 24.
  const Filled f = Fill({50, 30, 20}, {0, 0, 0}, {40, kNone, kNone}, 100);
  EXPECT_THAT(f.out, ElementsAre(40, 36, 24));
  EXPECT_THAT(f.bound, ElementsAre(Bound::kCap, Bound::kNone, Bound::kNone));
}

TEST(WaterFillTest, FloorIsTakenFromOthersAndRemainderByLargestRemainder) {
  // Item 1 raised to 20; 80 left for bases 90:5 = 75.79 / 4.21 -> 76 / 4.
  const Filled f = Fill({90, 5, 5}, {0, 20, 0}, {kNone, kNone, kNone}, 100);
  EXPECT_THAT(f.out, ElementsAre(76, 20, 4));
  EXPECT_THAT(f.bound, ElementsAre(Bound::kNone, Bound::kFloor, Bound::kNone));
}

TEST(WaterFillTest, CascadingCapsSettle) {
  // Global example from caps_test: 375 capped at 240, then 225 and 200 at 240 too.
  const Filled f =
      Fill({375, 125, 225, 75, 0, 200}, {0, 0, 0, 0, 0, 0}, {240, 240, 240, 240, 240, 240}, 1000);
  EXPECT_THAT(f.out, ElementsAre(240, 175, 240, 105, 0, 240));
}

TEST(WaterFillTest, ZeroBaseGetsOnlyItsFloor) {
  const Filled f = Fill({0, 10, 0}, {3, 0, 0}, {kNone, kNone, kNone}, 13);
  EXPECT_THAT(f.out, ElementsAre(3, 10, 0));
  EXPECT_THAT(f.bound, ElementsAre(Bound::kFloor, Bound::kNone, Bound::kNone));
}

TEST(WaterFillTest, FloorsAndCapsTogether) {
  // Bases 1, 1, 98; floors 10 on the first two, cap 50 on the last: total 70 -> 10, 10, 50.
  const Filled f = Fill({1, 1, 98}, {10, 10, 0}, {kNone, kNone, 50}, 70);
  EXPECT_THAT(f.out, ElementsAre(10, 10, 50));
}

TEST(WaterFillTest, CapacityCountsZeroBasesAtTheirFloor) {
  const std::vector<int64_t> base = {0, 5}, floor = {2, 1}, cap = {100, 9};
  const std::vector<uint64_t> keys = {0, 1};
  const Capacity c = CapacityOf({base, floor, cap, keys});
  EXPECT_TRUE(c.floor_minor == 3);
  EXPECT_TRUE(c.cap_minor == 11);
}

TEST(WaterFillTest, HugeAmountsStayExact) {
  const int64_t big = std::numeric_limits<int64_t>::max() - 7;
  const Filled f = Fill({big / 2, big / 2}, {0, 0}, {big / 4, kNone}, big / 2 * 2);
  EXPECT_EQ(f.out[0], big / 4);
  EXPECT_EQ(f.out[0] + f.out[1], big / 2 * 2);
}

}  // namespace
}  // namespace upkeep::allocation_internal
