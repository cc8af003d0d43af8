// Bad inputs: each with its specific ErrorCode and a message that says what and by how much.
#include <cstdint>
#include <limits>
#include <string>

#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

using ::testing::HasSubstr;

TEST(AllocationErrorsTest, FloorsAbovePoolSayByHowMuch) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "pipeline", "steps": [
                               {"rule": "proportional", "metric": "revenue"},
                               {"rule": "caps", "customer_floor": "10.00"}]})",
                           book, 5000),
              StatusIs(ErrorCode::kInfeasible,
                       HasSubstr("floors need 60.00 CNY but the pool to allocate is 50.00 CNY: "
                                 "short by 10.00 CNY")));
}

TEST(AllocationErrorsTest, NegativePool) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "proportional", "metric": "revenue"})", book, -1),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("must not be negative")));
}

TEST(AllocationErrorsTest, UnknownTier) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "tier_shares",
                                 "shares_pct": {"A": 50, "B": 30, "Z": 20}})"),
              StatusIs(ErrorCode::kNotFound,
                       "/allocation/shares_pct/Z: unknown tier; the tiers are A, B, C"));
}

TEST(AllocationErrorsTest, MissingTier) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "tier_weights", "weights": {"A": 1, "B": 1}})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/weights/C: is required (one value per tier)"));
}

TEST(AllocationErrorsTest, UnknownMetricAtAllocate) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "proportional", "metric": "nope"})", book, 100),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/allocation/metric: ")));
}

TEST(AllocationErrorsTest, SharesNotAddingToHundred) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "tier_shares",
                                 "shares_pct": {"A": 50, "B": 30, "C": "10.5"}})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/shares_pct: must add up to 100, they add up to 90.5"));
}

TEST(AllocationErrorsTest, ShareOutOfRange) {
  EXPECT_THAT(
      PolicyFromJson(R"({"policy": "tier_shares",
                                 "shares_pct": {"A": 150, "B": -30, "C": "-20"}})"),
      StatusIs(ErrorCode::kPolicyInvalid, "/allocation/shares_pct/A: must be between 0 and 100"));
}

TEST(AllocationErrorsTest, CapBelowFloor) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "steps": [
                                 {"rule": "proportional", "metric": "revenue"},
                                 {"rule": "caps", "customer_floor": "10.00",
                                  "customer_cap": {"B": "5.00"}}]})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/steps/1/customer_cap/B: 5.00 is below the customer floor "
                       "10.00"));
}

TEST(AllocationErrorsTest, RevenueCapBelowFloorNamesTheCustomer) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "pipeline", "steps": [
                               {"rule": "proportional", "metric": "revenue"},
                               {"rule": "caps", "customer_floor": "10.00",
                                "customer_cap_pct_of_revenue": 10}]})",
                           book, 10000),
              StatusIs(ErrorCode::kInfeasible,
                       "customer c1: its cap 0.00 CNY (revenue 0.00 CNY) is below its floor "
                       "10.00 CNY by 10.00 CNY"));
}

TEST(AllocationErrorsTest, CapBelowFloorChoiceIsChecked) {
  EXPECT_THAT(
      PolicyFromJson(R"({"policy": "pipeline", "steps": [
                                 {"rule": "proportional", "metric": "revenue"},
                                 {"rule": "caps", "customer_floor": "1.00",
                                  "cap_below_floor": "floor"}]})"),
      StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/allocation/steps/1/cap_below_floor")));
}

TEST(AllocationErrorsTest, CapPercentOutOfRangeNamesThePath) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "steps": [
                                 {"rule": "proportional", "metric": "revenue"},
                                 {"rule": "caps", "customer_floor": "1.00"},
                                 {"rule": "caps", "customer_cap_pct_of_revenue": 120}]})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/steps/2/customer_cap_pct_of_revenue: must be between 0 and "
                       "100"));
}

TEST(AllocationErrorsTest, StepOrder) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "steps": [{"rule": "caps"}]})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/allocation/steps/0/rule: ")));
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "steps": [
                                 {"rule": "proportional", "metric": "revenue"},
                                 {"rule": "proportional", "metric": "revenue"}]})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/steps/1/rule: only \"caps\" may follow the first step"));
  EXPECT_THAT(
      PolicyFromJson(R"({"policy": "pipeline", "steps": []})"),
      StatusIs(ErrorCode::kPolicyInvalid, "/allocation/steps: must have at least one step"));
}

TEST(AllocationErrorsTest, UnknownKeyAndPolicy) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "proportional", "metric": "revenue", "cap": 1})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/allocation/cap")));
  EXPECT_THAT(PolicyFromJson(R"({"policy": "magic"})"),
              StatusIs(ErrorCode::kNotFound, HasSubstr("unknown allocation policy \"magic\"")));
}

TEST(AllocationErrorsTest, ReserveAboveThePool) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "pipeline", "reserve": "2.00", "steps": [
                               {"rule": "proportional", "metric": "revenue"}]})",
                           book, 150),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("exceeds the pool 1.50 CNY by 0.50 CNY")));
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "reserve": "2.00", "reserve_pct": 1,
                                 "steps": [{"rule": "proportional", "metric": "revenue"}]})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("not both")));
}

TEST(AllocationErrorsTest, ShareForAnEmptyTier) {
  const Book book = MakeBook({{"a", 100, 0}, {"b", 100, 1}});
  EXPECT_THAT(AllocateJson(R"({"policy": "tier_shares",
                               "shares_pct": {"A": 50, "B": 30, "C": 20}})",
                           book, 1000),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("tier C, which has no customers")));
}

TEST(AllocationErrorsTest, AllWeightsZero) {
  const Book book = MakeBook({{"a", 0, 0}, {"b", 0, 1}});
  EXPECT_THAT(AllocateJson(R"({"policy": "proportional", "metric": "revenue"})", book, 1000),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("every weight is zero")));
}

TEST(AllocationErrorsTest, AmountWithTooManyDecimals) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "pipeline", "steps": [
                               {"rule": "proportional", "metric": "revenue"},
                               {"rule": "caps", "customer_floor": "0.001"}]})",
                           book, 10000),
              StatusIs(ErrorCode::kPrecision,
                       HasSubstr("/allocation/steps/1/customer_floor: 0.001 has more decimals")));
}

TEST(AllocationErrorsTest, ClassificationForOtherTiers) {
  Book book = SmallBook();
  book.classification.tier_names = {"X", "Y", "Z"};
  ASSERT_OK_AND_ASSIGN(auto policy, PolicyFromJson(R"({"policy": "tier_weights",
                                                       "weights": {"A": 1, "B": 1, "C": 1}})"));
  EXPECT_THAT(policy->Allocate(book.portfolio, book.classification, book.Minor(100)),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("(X, Y, Z) are not the policy's")));
}

TEST(AllocationErrorsTest, FixedAmountsBeyondInt64AreInfeasibleNotWrapped) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "fixed_per_tier", "amount_per_customer":
                               {"A": "92233720368547758.07", "B": "0", "C": "0"}})",
                           book, std::numeric_limits<int64_t>::max()),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("minor units of CNY")));
}

}  // namespace
}  // namespace upkeep::testing
