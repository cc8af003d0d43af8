#include <string>
#include <vector>

#include "customer/classifier_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/classify.h"

namespace upkeep {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::Pair;
using testing::ScoreById;
using testing::SmallPortfolio;
using testing::StatusIs;
using testing::TierById;

const std::vector<std::string> kFour = {"strategic", "key", "growth", "basic"};

Classification ClassifyWith(const ThresholdConfig& config, const std::vector<std::string>& tiers,
                            const Portfolio& portfolio) {
  absl::StatusOr<std::unique_ptr<const Classifier>> classifier =
      MakeThresholdClassifier(config, tiers);
  EXPECT_THAT(classifier, IsOk());
  Classification result;
  if (classifier.ok()) {
    EXPECT_THAT((*classifier)->Classify(portfolio, result), IsOk());
  }
  return result;
}

ThresholdConfig RevenueTiers() {
  return {.metric = "revenue",
          .thresholds = {*Decimal::Parse("1000000.00"), Decimal{200000}, Decimal{50000}}};
}

TEST(ThresholdClassifierTest, MoneyThresholdsCompareExactlyInMinorUnits) {
  const Portfolio portfolio = SmallPortfolio({{"a", {.revenue_minor = 100000000}},
                                              {"b", {.revenue_minor = 99999999}},
                                              {"c", {.revenue_minor = 20000000}},
                                              {"d", {.revenue_minor = 5000000}},
                                              {"e", {.revenue_minor = 4999999}}});
  const Classification result = ClassifyWith(RevenueTiers(), kFour, portfolio);
  EXPECT_THAT(TierById(portfolio, result),
              ElementsAre(Pair("a", "strategic"), Pair("b", "key"), Pair("c", "key"),
                          Pair("d", "growth"), Pair("e", "basic")));
  // Scores in major units.
  EXPECT_THAT(ScoreById(portfolio, result)["a"], DoubleEq(1000000.0));
  EXPECT_THAT(ScoreById(portfolio, result)["e"], DoubleEq(49999.99));
  EXPECT_THAT(result.tier_rules, ElementsAre("revenue >= 1000000.00", "revenue >= 200000",
                                             "revenue >= 50000", "revenue < 50000"));
  EXPECT_THAT(result.Explain(0), HasSubstr("by threshold on revenue (revenue >= 1000000.00)"));
}

TEST(ThresholdClassifierTest, AThresholdFinerThanTheCurrencyRoundsUp) {
  // 0.005 CNY: one minor unit (0.01) reaches it, zero does not.
  const Portfolio portfolio =
      SmallPortfolio({{"a", {.revenue_minor = 1}}, {"b", {.revenue_minor = 0}}});
  const Classification result = ClassifyWith({.metric = "revenue", .thresholds = {Decimal{5, 3}}},
                                             {"paying", "free"}, portfolio);
  EXPECT_THAT(TierById(portfolio, result), ElementsAre(Pair("a", "paying"), Pair("b", "free")));
}

TEST(ThresholdClassifierTest, NonMoneyMetricsCompareTheirValues) {
  const Portfolio portfolio = SmallPortfolio({{"a", {.satisfaction = 8}},
                                              {"b", {.satisfaction = 7.9}},
                                              {"c", {.satisfaction = 5}},
                                              {"d", {.satisfaction = 4.99}}});
  const Classification result =
      ClassifyWith({.metric = "satisfaction", .thresholds = {Decimal{8}, Decimal{5}}},
                   {"happy", "neutral", "unhappy"}, portfolio);
  EXPECT_THAT(TierById(portfolio, result), ElementsAre(Pair("a", "happy"), Pair("b", "neutral"),
                                                       Pair("c", "neutral"), Pair("d", "unhappy")));
  EXPECT_THAT(ScoreById(portfolio, result)["b"], DoubleEq(7.9));
}

TEST(ThresholdClassifierTest, WeightedMinMaxScore) {
  // revenue normalised a 0, b 1, c 0.5; recency (lower is better) a 1, b 0, c 0.5.
  // score = 100 * (3 * revenue + 1 * recency) / 4: a 25, b 75, c 50.
  const Portfolio portfolio = SmallPortfolio({{"a", {.revenue_minor = 0, .recency_days = 0}},
                                              {"b", {.revenue_minor = 100, .recency_days = 10}},
                                              {"c", {.revenue_minor = 50, .recency_days = 5}}});
  const ThresholdConfig config = {
      .weights = {{.metric = "revenue", .weight = 3},
                  {.metric = "recency_days", .weight = 1, .lower_is_better = true}},
      .thresholds = {Decimal{70}, Decimal{40}}};
  const Classification result = ClassifyWith(config, {"high", "mid", "low"}, portfolio);
  EXPECT_THAT(
      ScoreById(portfolio, result),
      ElementsAre(Pair("a", DoubleEq(25)), Pair("b", DoubleEq(75)), Pair("c", DoubleEq(50))));
  EXPECT_THAT(TierById(portfolio, result),
              ElementsAre(Pair("a", "low"), Pair("b", "high"), Pair("c", "mid")));
  EXPECT_EQ(result.rule,
            "threshold on weighted score 0..100 (min-max): 3 x revenue + 1 x recency_days "
            "(lower is better)");
  EXPECT_THAT(result.tier_rules, ElementsAre("score >= 70", "score >= 40", "score < 40"));
}

TEST(ThresholdClassifierTest, WeightedRankScoreGivesTiesTheirMidRank) {
  // Values 10, 20, 20, 30: mid-ranks 0, 1.5, 1.5, 3 of 3.
  const Portfolio portfolio = SmallPortfolio({{"a", {.order_count = 10}},
                                              {"b", {.order_count = 20}},
                                              {"c", {.order_count = 20}},
                                              {"d", {.order_count = 30}}});
  const ThresholdConfig config = {.weights = {{.metric = "order_count"}},
                                  .normalization = Normalization::kRank,
                                  .thresholds = {Decimal{100}, Decimal{50}}};
  const Classification result = ClassifyWith(config, {"top", "mid", "low"}, portfolio);
  EXPECT_THAT(ScoreById(portfolio, result),
              ElementsAre(Pair("a", DoubleEq(0)), Pair("b", DoubleEq(50)), Pair("c", DoubleEq(50)),
                          Pair("d", DoubleEq(100))));
  EXPECT_THAT(TierById(portfolio, result),
              ElementsAre(Pair("a", "low"), Pair("b", "mid"), Pair("c", "mid"), Pair("d", "top")));
}

TEST(ThresholdClassifierTest, AConstantMetricScoresTheMidpoint) {
  const Portfolio portfolio =
      SmallPortfolio({{"a", {.tenure_months = 12}}, {"b", {.tenure_months = 12}}});
  for (Normalization normalization : {Normalization::kMinMax, Normalization::kRank}) {
    const Classification result = ClassifyWith({.weights = {{.metric = "tenure_months"}},
                                                .normalization = normalization,
                                                .thresholds = {Decimal{50}}},
                                               {"high", "low"}, portfolio);
    EXPECT_THAT(result.score, ElementsAre(50.0, 50.0));
  }
}

TEST(ThresholdClassifierTest, UnknownWeightedMetricIsNotFound) {
  ASSERT_OK_AND_ASSIGN(
      auto classifier,
      MakeThresholdClassifier(
          {.weights = {{.metric = "revenue"}, {.metric = "loyalty"}}, .thresholds = {Decimal{50}}},
          {"high", "low"}));
  Classification result;
  EXPECT_THAT(classifier->Classify(SmallPortfolio({{"a", {}}}), result),
              StatusIs(ErrorCode::kNotFound, HasSubstr("loyalty")));
}

TEST(ThresholdClassifierTest, RejectsBadConfigsNamingTheField) {
  EXPECT_THAT(MakeThresholdClassifier({.metric = "revenue", .thresholds = {Decimal{1}}}, kFour),
              StatusIs(ErrorCode::kInvalidArgument,
                       "threshold: thresholds: needs one value per tier but the last: 3 for 4 "
                       "tiers, got 1"));
  EXPECT_THAT(
      MakeThresholdClassifier(
          {.metric = "revenue", .thresholds = {Decimal{100}, Decimal{200}, Decimal{50}}}, kFour),
      StatusIs(ErrorCode::kInvalidArgument,
               "threshold: thresholds[1]: must be less than the previous threshold"));
  EXPECT_THAT(MakeThresholdClassifier({.thresholds = {Decimal{1}}}, {"a", "b"}),
              StatusIs(ErrorCode::kInvalidArgument, "threshold: metric: must name a metric"));
  EXPECT_THAT(
      MakeThresholdClassifier(
          {.metric = "revenue", .weights = {{.metric = "revenue"}}, .thresholds = {Decimal{1}}},
          {"a", "b"}),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("either metric or weights")));
  EXPECT_THAT(MakeThresholdClassifier(
                  {.weights = {{.metric = "revenue"}, {.metric = "growth", .weight = 0}},
                   .thresholds = {Decimal{1}}},
                  {"a", "b"}),
              StatusIs(ErrorCode::kInvalidArgument,
                       "threshold: weights[1].weight: must be a finite number > 0"));
  EXPECT_THAT(MakeThresholdClassifier({.weights = {{.metric = "revenue"}, {.metric = "revenue"}},
                                       .thresholds = {Decimal{1}}},
                                      {"a", "b"}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("weighted twice")));
  std::vector<WeightedMetric> too_many(kMaxWeightedMetrics + 1, {.metric = "x"});
  EXPECT_THAT(
      MakeThresholdClassifier({.weights = too_many, .thresholds = {Decimal{1}}}, {"a", "b"}),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("at most 16 metrics")));
}

}  // namespace
}  // namespace upkeep
