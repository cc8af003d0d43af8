#include <string>
#include <vector>

#include "customer/classifier_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/classify.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::SmallPortfolio;
using testing::StatusIs;

const std::vector<std::string> kTiers = {"high", "mid", "low"};

// Revenue >= 100.00 is high, >= 10.00 mid, else low; moves down after `periods` periods.
std::unique_ptr<const Classifier> HeldClassifier(int periods) {
  absl::StatusOr<std::unique_ptr<const Classifier>> rule = MakeThresholdClassifier(
      {.metric = "revenue", .thresholds = {Decimal{100}, Decimal{10}}}, kTiers);
  EXPECT_THAT(rule, IsOk());
  absl::StatusOr<std::unique_ptr<const Classifier>> held =
      WithHysteresis(*std::move(rule), {.periods = periods});
  EXPECT_THAT(held, IsOk());
  return *std::move(held);
}

// Runs one period for customer "x" with `revenue_major`, updating `history`.
Classification Period(const Classifier& classifier, int64_t revenue_major, TierHistory& history) {
  const Portfolio portfolio = SmallPortfolio({{"x", {.revenue_minor = revenue_major * 100}}});
  Classification result;
  EXPECT_THAT(classifier.ClassifyWithHistory(portfolio, history, result), IsOk());
  history = TierHistory::FromClassification(portfolio, result);
  return result;
}

TEST(HysteresisTest, MovesDownOnlyAfterNPeriodsBelowAndUpAtOnce) {
  const std::unique_ptr<const Classifier> classifier = HeldClassifier(2);
  TierHistory history;
  Classification r = Period(*classifier, 200, history);
  EXPECT_EQ(r.tier[0], 0);

  r = Period(*classifier, 50, history);  // rule: mid; held in high, 1 period below
  EXPECT_EQ(r.tier[0], 0);
  EXPECT_EQ(r.rule_tier[0], 1);
  EXPECT_EQ(r.reason[0], TierReason::kHysteresis);
  EXPECT_EQ(r.periods_below[0], 1);
  EXPECT_THAT(r.Explain(0), HasSubstr("held in high by hysteresis: the rule says mid"));

  r = Period(*classifier, 50, history);  // second period below: moves down
  EXPECT_EQ(r.tier[0], 1);
  EXPECT_EQ(r.reason[0], TierReason::kRule);
  EXPECT_EQ(r.periods_below[0], 0);

  r = Period(*classifier, 500, history);  // up at once
  EXPECT_EQ(r.tier[0], 0);

  r = Period(*classifier, 5, history);  // held again
  EXPECT_EQ(r.tier[0], 0);
  r = Period(*classifier, 200, history);  // back at its tier: the count resets
  EXPECT_EQ(r.tier[0], 0);
  EXPECT_EQ(r.periods_below[0], 0);
  r = Period(*classifier, 5, history);
  EXPECT_EQ(r.tier[0], 0) << "the count must restart after a period at its tier";
  r = Period(*classifier, 5, history);  // straight to the rule's tier, low
  EXPECT_EQ(r.tier[0], 2);
}

TEST(HysteresisTest, OnePeriodMovesDownAtOnce) {
  const std::unique_ptr<const Classifier> classifier = HeldClassifier(1);
  TierHistory history;
  Period(*classifier, 200, history);
  EXPECT_EQ(Period(*classifier, 50, history).tier[0], 1);
}

TEST(HysteresisTest, CustomersWithoutHistoryOrWithARemovedTierTakeTheRule) {
  const std::unique_ptr<const Classifier> classifier = HeldClassifier(3);
  ASSERT_OK_AND_ASSIGN(TierHistory history,
                       TierHistory::Create({"gold", "high"}, {{.customer_id = "x", .tier = 0},
                                                              {.customer_id = "y", .tier = 1}}));
  const Portfolio portfolio = SmallPortfolio(
      {{"x", {.revenue_minor = 500}}, {"y", {.revenue_minor = 500}}, {"z", {.revenue_minor = 0}}});
  Classification result;
  ASSERT_THAT(classifier->ClassifyWithHistory(portfolio, history, result), IsOk());
  EXPECT_EQ(result.tier[0], 2);  // "gold" is no tier any more: no history
  EXPECT_EQ(result.tier[1], 0);  // held in "high", matched by name
  EXPECT_EQ(result.tier[2], 2);  // new customer
  EXPECT_THAT(result.rule, HasSubstr("hysteresis: moves down after 3 periods below"));
}

TEST(HysteresisTest, ClassifyWithoutHistoryIsTheRule) {
  const std::unique_ptr<const Classifier> classifier = HeldClassifier(2);
  Classification result;
  ASSERT_THAT(classifier->Classify(SmallPortfolio({{"x", {.revenue_minor = 5000}}}), result),
              IsOk());
  EXPECT_EQ(result.tier[0], 1);  // 50.00: mid
  EXPECT_EQ(classifier->name(), "threshold");
}

TEST(HysteresisTest, RejectsBadConfigs) {
  EXPECT_THAT(WithHysteresis(nullptr, {}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("null")));
  ASSERT_OK_AND_ASSIGN(auto abc, MakeAbcClassifier({}, {"A", "B", "C"}));
  EXPECT_THAT(
      WithHysteresis(std::move(abc), {.periods = 0}),
      StatusIs(ErrorCode::kInvalidArgument, "hysteresis: periods: must be between 1 and 1000"));
}

TEST(TierHistoryTest, CreateValidatesAndSortsById) {
  ASSERT_OK_AND_ASSIGN(TierHistory history,
                       TierHistory::Create({"A", "B"}, {{.customer_id = "b", .tier = 1},
                                                        {.customer_id = "a", .tier = 0}}));
  ASSERT_EQ(history.entries().size(), 2u);
  EXPECT_EQ(history.entries()[0].customer_id, "a");
  ASSERT_NE(history.Find("b"), nullptr);
  EXPECT_EQ(history.Find("b")->tier, 1);
  EXPECT_EQ(history.Find("c"), nullptr);
  EXPECT_THAT(TierHistory::Create({"A"}, {{.customer_id = "a"}, {.customer_id = "a"}}),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("customer a appears twice")));
  EXPECT_THAT(TierHistory::Create({"A"}, {{.customer_id = "a", .tier = 1}}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("has tier 1 of 1")));
  EXPECT_THAT(TierHistory::Create({"A"}, {{.customer_id = ""}}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(TierHistory::Create({"A", "A"}, {}),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("listed twice")));
}

}  // namespace
}  // namespace upkeep
