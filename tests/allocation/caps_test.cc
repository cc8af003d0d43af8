// The pipeline: reserve, a distribution step, then floors and caps, with hand-computed amounts.
#include <cstdint>
#include <string>

#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// tier_shares by revenue over SmallBook at 1000.00 gives 375, 125 | 225, 75 | 0, 200.
std::string SharesThen(const std::string& caps) {
  return R"({"policy": "pipeline", "steps": [
      {"rule": "tier_shares", "shares_pct": {"A": 50, "B": 30, "C": 20},
       "within_tier": "by_metric", "metric": "revenue"},
      {"rule": "caps", )" +
         caps + "}]}";
}

TEST(CapsTest, CapCutStaysInTheTier) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r,
                       AllocateJson(SharesThen(R"("customer_cap": "300.00")"), book, 100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(30000, 20000, 22500, 7500, 0, 20000));
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(50000, 30000, 20000));
  EXPECT_EQ(r.flags[0], kAllocCapped);
  EXPECT_EQ(r.bound_minor[0], 30000);
  EXPECT_EQ(r.flags[1], kAllocRebalanced);
  EXPECT_EQ(r.Explain(0),
            "A: 300.00 CNY (base 375.00 by step 0 tier_shares, weight 60000; capped at 300.00 "
            "by step 1 caps)");
  EXPECT_THAT(r.Explain(1), HasSubstr("rebalanced by step 1 caps"));
  EXPECT_THAT(r.steps[1], HasSubstr("customer cap 300.00"));
}

TEST(CapsTest, WholeTierCappedSpillsToOtherTiersInProportion) {
  // A can hold 2 x 240 = 480 of its 500; the other 20 goes B:C = 300:200 -> 312 / 208.
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r,
                       AllocateJson(SharesThen(R"("customer_cap": "240.00")"), book, 100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(24000, 24000, 23400, 7800, 0, 20800));
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(48000, 31200, 20800));
}

TEST(CapsTest, PortfolioWideRedistribution) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(
      const Allocation r,
      AllocateJson(SharesThen(R"("customer_cap": "240.00", "redistribute": "portfolio")"), book,
                   100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(24000, 17500, 24000, 10500, 0, 24000));
}

TEST(CapsTest, FloorsRaiseCustomersAndTiers) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "pipeline", "steps": [
                                          {"rule": "proportional", "metric": "revenue"},
                                          {"rule": "caps", "customer_floor": "10.00"}]})",
                                                        book, 12500));
  EXPECT_THAT(r.amount_minor, ElementsAre(5250, 1750, 2500, 1000, 1000, 1000));
  EXPECT_EQ(r.flags[3], kAllocFloored);
  EXPECT_EQ(r.flags[4], kAllocFloored);
  EXPECT_EQ(r.tier_flags[2], kAllocFloored);
  EXPECT_EQ(r.tier_bound_minor[2], 2000);
}

TEST(CapsTest, CapAsPercentOfRevenueRoundsDown) {
  // Caps at 12.5 % of revenue: 75, 25, 37.5, 12.5, 0, 6.25 -> 268.75 in all; pool 100.00 fits.
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "pipeline", "steps": [
                        {"rule": "tier_weights", "weights": {"A": 1, "B": 1, "C": 1}},
                        {"rule": "caps", "customer_cap_pct_of_revenue": "12.5",
                         "redistribute": "portfolio"}]})",
                                                        book, 10000));
  // Even 16.66 each; c1 (cap 0) and c2 (6.25) capped, b2 capped at 12.5; the rest share.
  EXPECT_EQ(r.amount_minor[4], 0);
  EXPECT_EQ(r.amount_minor[5], 625);
  EXPECT_EQ(r.amount_minor[3], 1250);
  EXPECT_EQ(r.amount_minor[0] + r.amount_minor[1] + r.amount_minor[2], 10000 - 625 - 1250);
  EXPECT_LE(r.amount_minor[1], 2500);
}

TEST(CapsTest, PerTierFloorsAndCaps) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "pipeline", "steps": [
                        {"rule": "tier_weights", "weights": {"A": 1, "B": 1, "C": 1}},
                        {"rule": "caps", "customer_floor": {"A": "300.00"},
                         "tier_cap": {"C": "100.00"}}]})",
                                                        book, 120000));
  // Even 200 each; C capped at 100; A's floors need 600 (it would get 550); B gets the rest.
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(60000, 50000, 10000));
  EXPECT_THAT(r.amount_minor, ElementsAre(30000, 30000, 25000, 25000, 5000, 5000));
  EXPECT_EQ(r.tier_flags[2], kAllocCapped);
  EXPECT_EQ(r.tier_bound_minor[2], 10000);
  EXPECT_EQ(r.flags[0], kAllocFloored);
}

TEST(CapsTest, ExcessCanBeLeftUnallocated) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "pipeline", "steps": [
                        {"rule": "tier_weights", "weights": {"A": 1, "B": 1, "C": 1}},
                        {"rule": "caps", "customer_cap": "100.00", "excess": "unallocated"}]})",
                                                        book, 100000));
  EXPECT_THAT(r.amount_minor, ::testing::Each(10000));
  EXPECT_EQ(r.unallocated_minor, 40000);
}

// Floor 10.00, cap 10 % of revenue, 100.00 by revenue: c1 (no revenue) and c2 (cap 5.00) have
// caps below the floor; with "cap_below_floor": "cap" their floor is their cap. Tier C is fixed at
// 5.00 (c2 up from its base 4.00); A and B share 95.00 as 63.33 / 31.67; b2 rises to its floor.
TEST(CapsTest, CapBelowFloorWinsWhenThePolicySaysSo) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "pipeline", "steps": [
                                      {"rule": "proportional", "metric": "revenue"},
                                      {"rule": "caps", "customer_floor": "10.00",
                                       "customer_cap_pct_of_revenue": 10,
                                       "cap_below_floor": "cap"}]})",
                                                        book, 10000));
  EXPECT_THAT(r.amount_minor, ElementsAre(4750, 1583, 2167, 1000, 0, 500));
  EXPECT_EQ(r.flags[5], kAllocFloored);  // its floor, lowered to its cap
  EXPECT_EQ(r.bound_minor[5], 500);
  EXPECT_EQ(r.flags[3], kAllocFloored);
  EXPECT_EQ(r.amount_minor[4], 0);
  EXPECT_THAT(r.steps[1], HasSubstr("a cap below its floor wins"));
}

TEST(CapsTest, ExcessIsAnErrorByDefault) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "pipeline", "steps": [
                               {"rule": "tier_weights", "weights": {"A": 1, "B": 1, "C": 1}},
                               {"rule": "caps", "customer_cap": "100.00"}]})",
                           book, 100000),
              StatusIs(ErrorCode::kInfeasible,
                       HasSubstr("caps allow at most 600.00 CNY of the 1000.00 CNY to allocate: "
                                 "400.00 CNY has nowhere to go")));
}

TEST(PipelineTest, ReservePercentIsHeldBackFirst) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r,
                       AllocateJson(R"({"policy": "pipeline", "reserve_pct": "5", "steps": [
                                          {"rule": "tier_weights",
                                           "weights": {"A": 1, "B": 1, "C": 1}}]})",
                                    book, 120000));
  EXPECT_EQ(r.reserve_minor, 6000);
  EXPECT_EQ(r.pool_minor, 120000);
  EXPECT_THAT(r.amount_minor, ::testing::Each(19000));
}

TEST(PipelineTest, ReserveAmountAndRounding) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r,
                       AllocateJson(R"({"policy": "pipeline", "reserve": "0.07", "steps": [
                                          {"rule": "proportional", "metric": "revenue"}]})",
                                    book, 12507));
  EXPECT_EQ(r.reserve_minor, 7);
  EXPECT_THAT(r.amount_minor, ElementsAre(6000, 2000, 3000, 1000, 0, 500));
  // 2.5 % of 1.01 = 0.02525: half_up and down differ.
  ASSERT_OK_AND_ASSIGN(const Allocation up,
                       AllocateJson(R"({"policy": "pipeline", "reserve_pct": "2.5",
                                        "rounding": "up", "steps": [
                                          {"rule": "proportional", "metric": "revenue"}]})",
                                    book, 101));
  EXPECT_EQ(up.reserve_minor, 3);
  ASSERT_OK_AND_ASSIGN(const Allocation down,
                       AllocateJson(R"({"policy": "pipeline", "reserve_pct": "2.5",
                                        "rounding": "down", "steps": [
                                          {"rule": "proportional", "metric": "revenue"}]})",
                                    book, 101));
  EXPECT_EQ(down.reserve_minor, 2);
}

TEST(PipelineTest, TwoCapsStepsApplyInOrder) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(SharesThen(R"("customer_cap": "300.00"},
                                               {"rule": "caps", "customer_floor": "50.00")"),
                                                        book, 100000));
  EXPECT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.amount_minor[4], 5000);  // c1 floored by step 2
  EXPECT_EQ(r.step[4], 2);
  EXPECT_EQ(r.amount_minor[0], 30000);  // a1 still capped by step 1
  EXPECT_EQ(r.step[0], 1);
}

}  // namespace
}  // namespace upkeep::testing
