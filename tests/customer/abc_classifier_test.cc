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
using testing::SmallPortfolio;
using testing::StatusIs;
using testing::TierById;

const std::vector<std::string> kAbc = {"A", "B", "C"};

Classification ClassifyAbc(const AbcConfig& config, const std::vector<std::string>& tiers,
                           const Portfolio& portfolio) {
  absl::StatusOr<std::unique_ptr<const Classifier>> abc = MakeAbcClassifier(config, tiers);
  EXPECT_THAT(abc, IsOk());
  Classification result;
  if (abc.ok()) {
    EXPECT_THAT((*abc)->Classify(portfolio, result), IsOk());
  }
  return result;
}

TEST(AbcClassifierTest, SplitsByCumulativeShareAndTheCrossingCustomerStaysUp) {
  // Sorted: a 500 (0 % before), b 350 (50 %), d 60 (85 %), c 50 (91 %), e 40 (96 %) of 1000.
  // b crosses 80 % (50 % -> 85 %) and stays in A.
  const Portfolio portfolio = SmallPortfolio({{"a", {.revenue_minor = 500}},
                                              {"b", {.revenue_minor = 350}},
                                              {"c", {.revenue_minor = 50}},
                                              {"d", {.revenue_minor = 60}},
                                              {"e", {.revenue_minor = 40}}});
  const Classification result = ClassifyAbc({}, kAbc, portfolio);
  EXPECT_THAT(
      TierById(portfolio, result),
      ElementsAre(Pair("a", "A"), Pair("b", "A"), Pair("c", "B"), Pair("d", "B"), Pair("e", "C")));
  EXPECT_THAT(testing::ScoreById(portfolio, result),
              ElementsAre(Pair("a", 0.0), Pair("b", 50.0), Pair("c", 91.0), Pair("d", 85.0),
                          Pair("e", 96.0)));
  EXPECT_EQ(result.classifier, "abc");
  EXPECT_THAT(result.CountByTier(), ElementsAre(2, 2, 1));
}

TEST(AbcClassifierTest, ACustomerExactlyAtTheBoundGoesDown) {
  // a 800 (0 %), b 200 (80 % before: not below 80 %).
  const Portfolio portfolio =
      SmallPortfolio({{"a", {.revenue_minor = 800}}, {"b", {.revenue_minor = 200}}});
  EXPECT_THAT(TierById(portfolio, ClassifyAbc({}, kAbc, portfolio)),
              ElementsAre(Pair("a", "A"), Pair("b", "B")));
}

TEST(AbcClassifierTest, EqualValuesAreOrderedById) {
  const Portfolio portfolio =
      SmallPortfolio({{"x2", {.revenue_minor = 100}}, {"x1", {.revenue_minor = 100}}});
  const Classification result =
      ClassifyAbc({.cumulative_pct = {Decimal{50}}}, {"top", "rest"}, portfolio);
  EXPECT_THAT(TierById(portfolio, result), ElementsAre(Pair("x1", "top"), Pair("x2", "rest")));
}

TEST(AbcClassifierTest, ZeroTotalPutsEveryoneInTheLastClass) {
  const Portfolio portfolio = SmallPortfolio({{"a", {}}, {"b", {}}});
  EXPECT_THAT(TierById(portfolio, ClassifyAbc({}, kAbc, portfolio)),
              ElementsAre(Pair("a", "C"), Pair("b", "C")));
}

TEST(AbcClassifierTest, NegativeValuesCountAsZeroShareAndSortLast) {
  const Portfolio portfolio = SmallPortfolio({{"a", {.gross_margin_minor = 100}},
                                              {"b", {.gross_margin_minor = -50}},
                                              {"c", {.gross_margin_minor = 0}}});
  const Classification result = ClassifyAbc(
      {.metric = "gross_margin", .cumulative_pct = {Decimal{50}}}, {"top", "rest"}, portfolio);
  EXPECT_THAT(TierById(portfolio, result),
              ElementsAre(Pair("a", "top"), Pair("b", "rest"), Pair("c", "rest")));
  EXPECT_THAT(testing::ScoreById(portfolio, result),
              ElementsAre(Pair("a", 0.0), Pair("b", 100.0), Pair("c", 100.0)));
}

TEST(AbcClassifierTest, WorksOnNonMoneyMetricsWithFractionalBounds) {
  // order_count 6, 3, 1 of 10: before = 0 %, 60 %, 90 %; bounds 60.5 and 90.
  const Portfolio portfolio = SmallPortfolio(
      {{"a", {.order_count = 6}}, {"b", {.order_count = 3}}, {"c", {.order_count = 1}}});
  const Classification result = ClassifyAbc(
      {.metric = "order_count", .cumulative_pct = {Decimal{605, 1}, Decimal{90}}}, kAbc, portfolio);
  EXPECT_THAT(TierById(portfolio, result),
              ElementsAre(Pair("a", "A"), Pair("b", "A"), Pair("c", "C")));
}

TEST(AbcClassifierTest, SumsHugeRevenuesExactly) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // Three equal maximal revenues: before = 0, 1/3, 2/3 of the total; bound 66.6667 % is above
  // 2/3 = 66.66666...%, so all three are in the top class; bound 66.6666 % is below it.
  const Portfolio portfolio = SmallPortfolio({{"a", {.revenue_minor = kMax}},
                                              {"b", {.revenue_minor = kMax}},
                                              {"c", {.revenue_minor = kMax}}});
  EXPECT_THAT(TierById(portfolio, ClassifyAbc({.cumulative_pct = {Decimal{666667, 4}}},
                                              {"top", "rest"}, portfolio)),
              ElementsAre(Pair("a", "top"), Pair("b", "top"), Pair("c", "top")));
  EXPECT_THAT(TierById(portfolio, ClassifyAbc({.cumulative_pct = {Decimal{666666, 4}}},
                                              {"top", "rest"}, portfolio)),
              ElementsAre(Pair("a", "top"), Pair("b", "top"), Pair("c", "rest")));
}

TEST(AbcClassifierTest, ExplainsScoreRuleAndBounds) {
  const Portfolio portfolio =
      SmallPortfolio({{"a", {.revenue_minor = 900}}, {"b", {.revenue_minor = 100}}});
  const Classification result = ClassifyAbc({}, kAbc, portfolio);
  EXPECT_EQ(result.rule, "abc on revenue: by cumulative share, bounds 80 %, 95 %");
  EXPECT_THAT(result.tier_rules, ElementsAre("cumulative share before the customer < 80 %",
                                             "80 % <= cumulative share before the customer < 95 %",
                                             "95 % <= cumulative share before the customer"));
  EXPECT_EQ(result.Explain(1),
            "B: score 90 by abc on revenue: by cumulative share, bounds 80 %, 95 % (80 % <= "
            "cumulative share before the customer < 95 %)");
}

TEST(AbcClassifierTest, OneTierTakesEveryone) {
  const Portfolio portfolio = SmallPortfolio({{"a", {.revenue_minor = 1}}});
  const Classification result = ClassifyAbc({.cumulative_pct = {}}, {"all"}, portfolio);
  EXPECT_THAT(result.tier, ElementsAre(0));
  EXPECT_THAT(result.tier_rules, ElementsAre("all customers"));
}

TEST(AbcClassifierTest, UnknownMetricIsNotFoundWhenClassifying) {
  ASSERT_OK_AND_ASSIGN(auto abc, MakeAbcClassifier({.metric = "visits"}, kAbc));
  Classification result;
  EXPECT_THAT(abc->Classify(SmallPortfolio({{"a", {}}}), result),
              StatusIs(ErrorCode::kNotFound, HasSubstr("visits")));
}

TEST(AbcClassifierTest, RejectsBadConfigsNamingTheField) {
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = {Decimal{80}}}, kAbc),
              StatusIs(ErrorCode::kInvalidArgument,
                       HasSubstr("abc: cumulative_pct: needs one value per tier but the last: 2 "
                                 "for 3 tiers, got 1")));
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = {Decimal{95}, Decimal{80}}}, kAbc),
              StatusIs(ErrorCode::kInvalidArgument,
                       "abc: cumulative_pct[1]: must be greater than the previous bound"));
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = {Decimal{80}, Decimal{800, 1}}}, kAbc),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("cumulative_pct[1]")));
  EXPECT_THAT(
      MakeAbcClassifier({.cumulative_pct = {Decimal{80}, Decimal{1001, 1}}}, kAbc),
      StatusIs(ErrorCode::kInvalidArgument, "abc: cumulative_pct[1]: must be between 0 and 100"));
  EXPECT_THAT(
      MakeAbcClassifier({.cumulative_pct = {Decimal{-1}, Decimal{80}}}, kAbc),
      StatusIs(ErrorCode::kInvalidArgument, "abc: cumulative_pct[0]: must be between 0 and 100"));
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = {Decimal{800001, 5}, Decimal{90}}}, kAbc),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("at most 4 decimals")));
  EXPECT_THAT(MakeAbcClassifier({.metric = ""}, kAbc),
              StatusIs(ErrorCode::kInvalidArgument, "abc: metric: must name a metric"));
}

TEST(AbcClassifierTest, RejectsBadTierLists) {
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = {}}, {}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("must list 1 to 32 tiers, got 0")));
  std::vector<std::string> many;
  std::vector<Decimal> bounds;
  for (int i = 0; i < 33; ++i) many.push_back("t" + std::to_string(i));
  for (int i = 1; i < 33; ++i) bounds.push_back(Decimal{i});
  EXPECT_THAT(MakeAbcClassifier({.cumulative_pct = bounds}, many),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("got 33")));
  EXPECT_THAT(MakeAbcClassifier({}, {"A", "B", "A"}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("\"A\" is listed twice")));
  EXPECT_THAT(MakeAbcClassifier({}, {"A", "", "C"}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("tier 1 has an empty name")));
}

}  // namespace
}  // namespace upkeep
