#include <string>
#include <vector>

#include "customer/classifier_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/classify.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::Pair;
using testing::ScoreById;
using testing::SmallPortfolio;
using testing::StatusIs;
using testing::TierById;

// recency a 1, b 2, c 3, d 4 (lower is better); orders a 10, b 10, c 5, d 1; revenue a 100,
// b 400, c 300, d 200. With 2 quantiles, score = 1 + floor(2 * worse / 4):
//   R: a 2, b 2, c 1, d 1    F: a 2, b 2, c 1, d 1    M: a 1, b 2, c 2, d 1
Portfolio FourCustomers() {
  return SmallPortfolio({{"a", {.revenue_minor = 100, .order_count = 10, .recency_days = 1}},
                         {"b", {.revenue_minor = 400, .order_count = 10, .recency_days = 2}},
                         {"c", {.revenue_minor = 300, .order_count = 5, .recency_days = 3}},
                         {"d", {.revenue_minor = 200, .order_count = 1, .recency_days = 4}}});
}

Classification ClassifyRfm(const RfmConfig& config, const std::vector<std::string>& tiers,
                           const Portfolio& portfolio) {
  absl::StatusOr<std::unique_ptr<const Classifier>> rfm = MakeRfmClassifier(config, tiers);
  EXPECT_THAT(rfm, IsOk());
  Classification result;
  if (rfm.ok()) {
    EXPECT_THAT((*rfm)->Classify(portfolio, result), IsOk());
  }
  return result;
}

TEST(RfmClassifierTest, SumsQuantileScoresAndMapsThemToTiers) {
  const Portfolio portfolio = FourCustomers();
  const Classification result =
      ClassifyRfm({.quantiles = 2, .min_scores = {Decimal{6}, Decimal{4}}},
                  {"best", "good", "rest"}, portfolio);
  EXPECT_THAT(ScoreById(portfolio, result),
              ElementsAre(Pair("a", 5.0), Pair("b", 6.0), Pair("c", 4.0), Pair("d", 3.0)));
  EXPECT_THAT(TierById(portfolio, result), ElementsAre(Pair("a", "good"), Pair("b", "best"),
                                                       Pair("c", "good"), Pair("d", "rest")));
  EXPECT_EQ(result.rule,
            "rfm, 2 quantiles: score = 1 x R(recency_days, lower is better) + 1 x "
            "F(order_count) + 1 x M(revenue)");
  EXPECT_THAT(result.tier_rules, ElementsAre("score >= 6", "score >= 4", "score < 4"));
}

TEST(RfmClassifierTest, WeightsCombineTheScores) {
  const Portfolio portfolio = FourCustomers();
  const Classification result = ClassifyRfm({.quantiles = 2,
                                             .recency_weight = 0,
                                             .frequency_weight = 0,
                                             .monetary_weight = 2,
                                             .min_scores = {Decimal{4}}},
                                            {"high", "low"}, portfolio);
  EXPECT_THAT(ScoreById(portfolio, result),
              ElementsAre(Pair("a", 2.0), Pair("b", 4.0), Pair("c", 4.0), Pair("d", 2.0)));
  EXPECT_THAT(TierById(portfolio, result), ElementsAre(Pair("a", "low"), Pair("b", "high"),
                                                       Pair("c", "high"), Pair("d", "low")));
}

TEST(RfmClassifierTest, FiveQuantilesSpreadScoresOneToFive) {
  std::vector<std::pair<std::string, CustomerMetrics>> rows;
  for (int i = 0; i < 10; ++i) {
    rows.push_back(
        {"c" + std::to_string(i), {.revenue_minor = i, .order_count = 0, .recency_days = 0}});
  }
  const Portfolio portfolio = SmallPortfolio(rows);
  const Classification result =
      ClassifyRfm({.recency_weight = 0, .frequency_weight = 0, .min_scores = {Decimal{5}}},
                  {"top", "rest"}, portfolio);
  // revenue i has i worse customers: 1 + floor(5 * i / 10).
  EXPECT_THAT(result.score, ElementsAre(1, 1, 2, 2, 3, 3, 4, 4, 5, 5));
  EXPECT_EQ(result.CountByTier()[0], 2u);
}

TEST(RfmClassifierTest, RejectsBadConfigsNamingTheField) {
  const std::vector<std::string> tiers = {"a", "b"};
  EXPECT_THAT(MakeRfmClassifier({.quantiles = 1, .min_scores = {Decimal{5}}}, tiers),
              StatusIs(ErrorCode::kInvalidArgument, "rfm: quantiles: must be between 2 and 100"));
  EXPECT_THAT(MakeRfmClassifier({.recency_weight = 0,
                                 .frequency_weight = 0,
                                 .monetary_weight = 0,
                                 .min_scores = {Decimal{5}}},
                                tiers),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("at least one weight")));
  EXPECT_THAT(
      MakeRfmClassifier({.frequency_weight = -1, .min_scores = {Decimal{5}}}, tiers),
      StatusIs(ErrorCode::kInvalidArgument, "rfm: frequency_weight: must be a finite number >= 0"));
  EXPECT_THAT(MakeRfmClassifier({.monetary_metric = "", .min_scores = {Decimal{5}}}, tiers),
              StatusIs(ErrorCode::kInvalidArgument, "rfm: monetary_metric: must name a metric"));
  EXPECT_THAT(MakeRfmClassifier({}, tiers),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("min_scores: needs one value")));
  EXPECT_THAT(MakeRfmClassifier({.min_scores = {Decimal{5}, Decimal{9}}}, {"a", "b", "c"}),
              StatusIs(ErrorCode::kInvalidArgument,
                       "rfm: min_scores[1]: must be less than the previous score"));
}

}  // namespace
}  // namespace upkeep
