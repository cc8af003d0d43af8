// Each built-in distribution rule on a small book with hand-computed amounts.
#include <cstdint>
#include <string>
#include <utility>

#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TierSharesTest, EvenWithinTier) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_shares",
                                        "shares_pct": {"A": 50, "B": 30, "C": 20}})",
                                                        book, 100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(25000, 25000, 15000, 15000, 10000, 10000));
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(50000, 30000, 20000));
  EXPECT_THAT(r.steps,
              ElementsAre("tier_shares: A 50 %, B 30 %, C 20 %; within each tier even shares"));
}

TEST(TierSharesTest, ByMetricWithinTier) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_shares",
                                        "shares_pct": {"A": "50", "B": "30", "C": "20"},
                                        "within_tier": "by_metric", "metric": "revenue"})",
                                                        book, 100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(37500, 12500, 22500, 7500, 0, 20000));
  EXPECT_THAT(r.weight, ElementsAre(60000, 20000, 30000, 10000, 0, 5000));
  EXPECT_EQ(r.Explain(0), "A: 375.00 CNY (base 375.00 by step 0 tier_shares, weight 60000)");
}

TEST(TierSharesTest, LeftoverUnitsGoByRemainderThenTieKey) {
  // 100.01: tiers 50.005 / 30.003 / 20.002 -> A gets the odd unit; A's 50.01 splits 25.01 /
  // 25.00, the tie going to the lower tie key (a1).
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_shares",
                                        "shares_pct": {"A": 50, "B": 30, "C": 20}})",
                                                        book, 10001));
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(5001, 3000, 2000));
  EXPECT_THAT(r.amount_minor, ElementsAre(2501, 2500, 1500, 1500, 1000, 1000));
}

TEST(TierSharesTest, DecimalSharesAddingToExactlyHundred) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_shares",
                                        "shares_pct": {"A": "33.34", "B": "33.33", "C": "33.33"}})",
                                                        book, 10000));
  EXPECT_THAT(r.tier_amount_minor, ElementsAre(3334, 3333, 3333));
}

TEST(TierWeightsTest, EachCustomerWeighsItsTiersWeight) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_weights",
                                        "weights": {"A": 3, "B": 2, "C": 1}})",
                                                        book, 120000));
  EXPECT_THAT(r.amount_minor, ElementsAre(30000, 30000, 20000, 20000, 10000, 10000));
  EXPECT_THAT(r.weight, ElementsAre(3, 3, 2, 2, 1, 1));
}

TEST(TierWeightsTest, FractionalWeightsAreExact) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "tier_weights",
                                        "weights": {"A": "1.5", "B": "1", "C": "0.5"}})",
                                                        book, 60000));
  EXPECT_THAT(r.amount_minor, ElementsAre(15000, 15000, 10000, 10000, 5000, 5000));
}

TEST(ProportionalTest, ToRevenue) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(
      const Allocation r,
      AllocateJson(R"({"policy": "proportional", "metric": "revenue"})", book, 12500));
  EXPECT_THAT(r.amount_minor, ElementsAre(6000, 2000, 3000, 1000, 0, 500));
  EXPECT_THAT(r.steps, ElementsAre("proportional: to revenue"));
}

TEST(ProportionalTest, NonMoneyMetricWeighsMicroUnits) {
  PortfolioBuilder builder(Currency::FromCode("CNY").value());
  for (const auto& [id, satisfaction] :
       {std::pair<std::string, double>{"x", 7.5}, {"y", 2.5}, {"z", -1.0}}) {
    CustomerMetrics metrics;
    metrics.satisfaction = satisfaction;
    ASSERT_THAT(builder.Add(NamedCustomer(id), metrics), IsOk());
  }
  Book book{std::move(builder).Build().value(), {}};
  book.classification.tier_names = {"A", "B", "C"};
  book.classification.tier = {0, 1, 2};
  ASSERT_OK_AND_ASSIGN(
      const Allocation r,
      AllocateJson(R"({"policy": "proportional", "metric": "satisfaction"})", book, 1000));
  EXPECT_THAT(r.amount_minor, ElementsAre(750, 250, 0));
  EXPECT_THAT(r.weight, ElementsAre(7500000, 2500000, 0));
}

TEST(FixedPerTierTest, RestStaysUnallocated) {
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(const Allocation r, AllocateJson(R"({"policy": "fixed_per_tier",
                                        "amount_per_customer": {"A": "100.00", "B": "50.00",
                                                                "C": "10.00"}})",
                                                        book, 100000));
  EXPECT_THAT(r.amount_minor, ElementsAre(10000, 10000, 5000, 5000, 1000, 1000));
  EXPECT_EQ(r.unallocated_minor, 68000);
  EXPECT_EQ(r.reserve_minor, 0);
}

TEST(FixedPerTierTest, PoolTooSmallSaysByHowMuch) {
  const Book book = SmallBook();
  EXPECT_THAT(AllocateJson(R"({"policy": "fixed_per_tier",
                               "amount_per_customer": {"A": "100.00", "B": "50.00",
                                                       "C": "10.00"}})",
                           book, 30000),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("short by 20.00 CNY")));
}

}  // namespace
}  // namespace upkeep::testing
