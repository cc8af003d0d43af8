#include "upkeep/split.h"

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

constexpr uint64_t kMaxWeight = std::numeric_limits<uint64_t>::max();

std::vector<int64_t> SplitOk(int64_t amount, std::vector<uint64_t> weights,
                             std::vector<uint64_t> keys) {
  std::vector<int64_t> parts;
  const absl::Status status = Split(amount, weights, keys, parts);
  EXPECT_THAT(status, IsOk());
  return parts;
}

TEST(SplitTest, LargestRemainderWithTiesByAscendingKey) {
  EXPECT_THAT(SplitOk(100, {1, 1, 1}, {10, 20, 30}), ElementsAre(34, 33, 33));
  EXPECT_THAT(SplitOk(100, {1, 1, 1}, {30, 20, 10}), ElementsAre(33, 33, 34));
  EXPECT_THAT(SplitOk(101, {1, 1, 1}, {30, 20, 10}), ElementsAre(33, 34, 34));
  // Shares 0.5, 1.5, 2.5, 0.5 of 5: remainders all 1/2; two leftover units to keys 1 and 2.
  EXPECT_THAT(SplitOk(5, {1, 3, 5, 1}, {4, 2, 1, 3}), ElementsAre(0, 2, 3, 0));
  // The largest remainder wins before any key: 10 by 2:1 is 6.67, 3.33.
  EXPECT_THAT(SplitOk(10, {2, 1}, {9, 1}), ElementsAre(7, 3));
}

TEST(SplitTest, ExactSharesNeedNoLeftover) {
  EXPECT_THAT(SplitOk(100, {1, 3}, {1, 1}), ElementsAre(25, 75));  // equal keys never decide
  EXPECT_THAT(SplitOk(0, {1, 2}, {1, 2}), ElementsAre(0, 0));
  EXPECT_THAT(SplitOk(7, {0, 5, 0}, {1, 2, 3}), ElementsAre(0, 7, 0));
}

TEST(SplitTest, NegativeAmountsMirrorPositiveOnes) {
  EXPECT_THAT(SplitOk(-100, {1, 1, 1}, {10, 20, 30}), ElementsAre(-34, -33, -33));
  EXPECT_THAT(SplitOk(INT64_MIN, {1}, {0}), ElementsAre(INT64_MIN));
  EXPECT_THAT(SplitOk(INT64_MIN, {1, 1}, {0, 1}), ElementsAre(INT64_MIN / 2, INT64_MIN / 2));
  EXPECT_THAT(SplitOk(INT64_MIN, {1, 0, 2}, {5, 6, 7}),
              ElementsAre(-3074457345618258603, 0, -6148914691236517205));
}

TEST(SplitTest, WeightsBeyond64BitsTotal) {
  // Total 2^65 - 3: needs 128-bit arithmetic.
  EXPECT_THAT(SplitOk(100, {kMaxWeight, kMaxWeight, 1}, {1, 2, 3}), ElementsAre(50, 50, 0));
  EXPECT_THAT(SplitOk(3, {kMaxWeight, kMaxWeight, kMaxWeight}, {3, 1, 2}), ElementsAre(1, 1, 1));
  EXPECT_THAT(SplitOk(INT64_MAX, {kMaxWeight, kMaxWeight}, {2, 1}),
              ElementsAre(INT64_MAX / 2, INT64_MAX / 2 + 1));
  // amount * weight beyond 64 bits with a 64-bit total.
  // Shares m - m/(2m+1) and m/(2m+1) for m = INT64_MAX: the first remainder is just above half.
  EXPECT_THAT(SplitOk(INT64_MAX, {kMaxWeight - 1, 1}, {2, 1}), ElementsAre(INT64_MAX, 0));
}

TEST(SplitTest, EmptyInput) {
  EXPECT_THAT(SplitOk(0, {}, {}), ElementsAre());
  std::vector<int64_t> parts = {42};
  EXPECT_THAT(Split(1, {}, {}, parts),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("cannot split 1 minor units")));
  EXPECT_THAT(parts, ElementsAre(42));
}

TEST(SplitTest, AllZeroWeightsWithAnAmountIsInvalid) {
  std::vector<int64_t> parts = {7, 8};
  const std::vector<uint64_t> weights = {0, 0, 0};
  const std::vector<uint64_t> keys = {1, 2, 3};
  EXPECT_THAT(
      Split(-5, weights, keys, parts),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("over 3 parts whose weights are all zero")));
  EXPECT_THAT(parts, ElementsAre(7, 8));
  EXPECT_THAT(SplitOk(0, {0, 0, 0}, {1, 2, 3}), ElementsAre(0, 0, 0));
}

TEST(SplitTest, EqualKeysDecidingATieAreInvalidAndChangeNothing) {
  std::vector<int64_t> parts = {1, 2, 3};
  const std::vector<uint64_t> weights = {1, 1, 1};
  const std::vector<uint64_t> keys = {5, 7, 5};
  EXPECT_THAT(Split(100, weights, keys, parts),
              StatusIs(ErrorCode::kInvalidArgument,
                       HasSubstr("parts 0 and 2 tie for a leftover unit with the same tie key 5")));
  EXPECT_THAT(parts, ElementsAre(1, 2, 3));
  // Two leftover units: both tied parts get one, so the equal keys decide nothing.
  EXPECT_THAT(SplitOk(101, {1, 1, 1}, {5, 7, 5}), ElementsAre(34, 33, 34));
  // Equal keys away from the boundary are fine: key 3 alone takes the single unit.
  EXPECT_THAT(SplitOk(100, {1, 1, 1}, {5, 5, 3}), ElementsAre(33, 33, 34));
}

TEST(SplitTest, MismatchedSizesAreInvalid) {
  std::vector<int64_t> parts = {9};
  const std::vector<uint64_t> weights = {1, 2};
  const std::vector<uint64_t> keys = {1};
  EXPECT_THAT(Split(10, weights, keys, parts),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("2 weights but 1 tie keys")));
  EXPECT_THAT(parts, ElementsAre(9));
}

TEST(SplitTest, OutputIsReplacedNotAppended) {
  std::vector<int64_t> parts = {9, 9, 9, 9, 9};
  const std::vector<uint64_t> weights = {1, 1};
  const std::vector<uint64_t> keys = {1, 2};
  ASSERT_THAT(Split(3, weights, keys, parts), IsOk());
  EXPECT_THAT(parts, ElementsAre(2, 1));
}

std::vector<int64_t> SplitRatiosOk(int64_t amount, std::vector<std::string_view> ratios,
                                   std::vector<uint64_t> keys) {
  std::vector<int64_t> parts;
  EXPECT_THAT(SplitByDecimalRatios(amount, ratios, keys, parts), IsOk());
  return parts;
}

TEST(SplitByDecimalRatiosTest, ScalesToACommonDenominator) {
  EXPECT_THAT(SplitRatiosOk(100, {"0.25", "0.75"}, {1, 2}), ElementsAre(25, 75));
  EXPECT_THAT(SplitRatiosOk(100, {"1", "0.5", "0.50"}, {1, 2, 3}), ElementsAre(50, 25, 25));
  EXPECT_THAT(SplitRatiosOk(100, {"33.3333", "33.3333", "33.3334"}, {1, 2, 3}),
              ElementsAre(33, 33, 34));
  EXPECT_THAT(SplitRatiosOk(-10, {"2", "1"}, {1, 2}), ElementsAre(-7, -3));
  EXPECT_THAT(SplitRatiosOk(10, {"0", "0.000000000000000001"}, {1, 2}), ElementsAre(0, 10));
  EXPECT_THAT(SplitRatiosOk(10, {"-0", "3"}, {1, 2}), ElementsAre(0, 10));
}

TEST(SplitByDecimalRatiosTest, BadRatiosAreNamedByIndex) {
  std::vector<int64_t> parts = {4};
  const std::vector<uint64_t> keys = {1, 2};
  const auto run = [&](std::vector<std::string_view> ratios) {
    return SplitByDecimalRatios(100, ratios, keys, parts);
  };
  EXPECT_THAT(run({"1", "1e3"}), StatusIs(ErrorCode::kParse, HasSubstr("ratio 1 \"1e3\"")));
  EXPECT_THAT(run({"-0.5", "1"}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("ratio 0 \"-0.5\" is negative")));
  EXPECT_THAT(run({"9223372036854775807", "0.1"}),
              StatusIs(ErrorCode::kOverflow,
                       HasSubstr("ratio 0 \"9223372036854775807\" scaled to 1 fraction digits")));
  EXPECT_THAT(run({"99999999999999999999", "1"}),
              StatusIs(ErrorCode::kOverflow, HasSubstr("ratio 0")));
  EXPECT_THAT(run({"0", "0.00"}), StatusIs(ErrorCode::kInvalidArgument, HasSubstr("all zero")));
  EXPECT_THAT(run({"1"}), StatusIs(ErrorCode::kInvalidArgument, HasSubstr("1 ratios but 2")));
  EXPECT_THAT(parts, ElementsAre(4));
}

}  // namespace
}  // namespace upkeep
