#include "upkeep/sizing.h"

#include <cstdint>

#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

auto Term(const std::string& label, int64_t amount_minor) {
  return ::testing::AllOf(Field(&SizingTerm::label, label),
                          Field(&SizingTerm::amount_minor, amount_minor));
}

TEST(SizingTest, TierBaseWithFactorAndAdjustments) {
  const Book book = SmallBook();  // two customers per tier
  ASSERT_OK_AND_ASSIGN(auto policy, SizingFromJson(R"({"method": "tier_base",
      "base_per_customer": {"A": "5000.00", "B": "2000.00", "C": "500.00"},
      "market_factor": "1.10",
      "adjustments": [{"name": "trade fair", "amount": "2000.00"},
                      {"name": "cost cut", "amount": "-500.00"}]})"));
  ASSERT_OK_AND_ASSIGN(const Sizing s, policy->Size(book.portfolio, book.classification));
  EXPECT_EQ(s.pool, book.Minor(1800000));
  EXPECT_THAT(s.terms, ElementsAre(Term("A", 1000000), Term("B", 400000), Term("C", 100000),
                                   Term("market factor", 150000), Term("trade fair", 200000),
                                   Term("cost cut", -50000)));
  EXPECT_EQ(s.terms[0].detail, "2 customers × 5000.00");
  EXPECT_EQ(s.formula,
            "pool = Σ tiers (customers × base per customer) × market factor 1.10 + adjustments, "
            "rounded half_even, in CNY");
  EXPECT_THAT(s.Explain(), HasSubstr("\n  market factor: × 1.10 on 15000.00 = 1500.00\n"));
  EXPECT_THAT(s.Explain(), HasSubstr("\n  pool = 18000.00 CNY"));
}

TEST(SizingTest, MetricShareRoundsOnceByTheGivenMode) {
  // Revenue totals 1250.00; 1 % = 12.50 exactly; × 1.0004 = 12.505 -> half_even 12.50,
  // half_up 12.51.
  const Book book = SmallBook();
  for (const auto& [mode, expected] :
       {std::pair<std::string, int64_t>{"half_even", 1250}, {"half_up", 1251}}) {
    ASSERT_OK_AND_ASSIGN(auto policy,
                         SizingFromJson(R"({"method": "metric_share", "metric": "revenue",
                                            "share_pct": 1, "market_factor": "1.0004",
                                            "rounding": ")" +
                                        mode + R"("})"));
    ASSERT_OK_AND_ASSIGN(const Sizing s, policy->Size(book.portfolio, book.classification));
    EXPECT_EQ(s.pool.amount_minor(), expected) << mode;
    EXPECT_THAT(s.terms, ElementsAre(Term("share", 1250), Term("market factor", expected - 1250)));
    EXPECT_EQ(s.terms[0].detail, "1 % of revenue 1250.00 over 6 customers");
  }
}

TEST(SizingTest, Errors) {
  const Book book = SmallBook();
  EXPECT_THAT(SizingFromJson(R"({"method": "tier_base", "base_per_customer": {"A": 1, "B": 1}})"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/sizing/base_per_customer/C: is required (one "
                       "value per tier)"));
  EXPECT_THAT(SizingFromJson(R"({"method": "guess"})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/sizing/method: must be one of")));
  EXPECT_THAT(SizingFromJson(R"({"method": "metric_share", "metric": "revenue",
                                 "share_pct": 101})"),
              StatusIs(ErrorCode::kPolicyInvalid, "/sizing/share_pct: must be between 0 and 100"));
  EXPECT_THAT(SizingFromJson(R"({"method": "tier_base", "market_factor": "-1",
                                 "base_per_customer": {"A": 1, "B": 1, "C": 1}})"),
              StatusIs(ErrorCode::kPolicyInvalid, "/sizing/market_factor: must not be negative"));

  ASSERT_OK_AND_ASSIGN(auto growth, SizingFromJson(R"({"method": "metric_share",
                                                       "metric": "growth", "share_pct": 2})"));
  EXPECT_THAT(growth->Size(book.portfolio, book.classification),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("growth is not money")));
  ASSERT_OK_AND_ASSIGN(auto unknown, SizingFromJson(R"({"method": "metric_share",
                                                        "metric": "nope", "share_pct": 2})"));
  EXPECT_THAT(unknown->Size(book.portfolio, book.classification),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/sizing/metric: ")));
  ASSERT_OK_AND_ASSIGN(auto negative, SizingFromJson(R"({"method": "tier_base",
      "base_per_customer": {"A": 1, "B": 1, "C": 1},
      "adjustments": [{"name": "cut", "amount": "-100"}]})"));
  EXPECT_THAT(negative->Size(book.portfolio, book.classification),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("pool would be negative: -94.00")));
  ASSERT_OK_AND_ASSIGN(auto huge, SizingFromJson(R"({"method": "tier_base",
      "base_per_customer": {"A": "92233720368547758.07", "B": 0, "C": 0}})"));
  EXPECT_THAT(huge->Size(book.portfolio, book.classification), StatusIs(ErrorCode::kOverflow));
  ASSERT_OK_AND_ASSIGN(auto precise, SizingFromJson(R"({"method": "tier_base",
      "base_per_customer": {"A": "0.001", "B": 0, "C": 0}})"));
  EXPECT_THAT(precise->Size(book.portfolio, book.classification),
              StatusIs(ErrorCode::kPrecision, HasSubstr("/sizing/base_per_customer/A")));
}

}  // namespace
}  // namespace upkeep::testing
