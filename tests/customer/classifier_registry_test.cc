#include <string>
#include <vector>

#include "base/status_macros.h"
#include "customer/classifier_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "upkeep/classify.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::SmallPortfolio;
using testing::StatusIs;

const std::vector<std::string> kTiers = {"strategic", "key", "growth", "basic"};

absl::StatusOr<std::unique_ptr<const Classifier>> Compile(
    const std::string& section_json, const std::vector<std::string>& tiers = kTiers) {
  const nlohmann::json section = nlohmann::json::parse(section_json);
  return MakeClassifier(PolicyParams(section, "/classification"), tiers,
                        ClassifierRegistry::WithBuiltins());
}

// A custom classifier: everyone in the last tier.
class LastTier final : public Classifier {
 public:
  explicit LastTier(std::vector<std::string> tiers) : tiers_(std::move(tiers)) {}
  std::string_view name() const override { return "last_tier"; }
  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    out.classifier = "last_tier";
    out.rule = "everyone last";
    out.tier_names = tiers_;
    out.tier_rules.assign(tiers_.size(), "");
    out.tier.assign(portfolio.size(), static_cast<TierIndex>(tiers_.size() - 1));
    out.rule_tier = out.tier;
    out.score.assign(portfolio.size(), 0);
    out.reason.assign(portfolio.size(), TierReason::kCustom);
    out.periods_below.assign(portfolio.size(), 0);
    return absl::OkStatus();
  }

 private:
  std::vector<std::string> tiers_;
};

TEST(ClassifierRegistryTest, BuiltinsAreRegistered) {
  const ClassifierRegistry registry = ClassifierRegistry::WithBuiltins();
  EXPECT_THAT(registry.names(), ElementsAre("abc", "rfm", "threshold"));
  EXPECT_TRUE(registry.Contains("abc"));
  EXPECT_FALSE(ClassifierRegistry().Contains("abc"));
}

TEST(ClassifierRegistryTest, RegistersCustomClassifiersOnce) {
  ClassifierRegistry registry = ClassifierRegistry::WithBuiltins();
  ClassifierFactory factory =
      [](const PolicyParams& params,
         std::span<const std::string> tiers) -> absl::StatusOr<std::unique_ptr<const Classifier>> {
    UPKEEP_RETURN_IF_ERROR(params.CheckKeys({}));
    return std::make_unique<const LastTier>(std::vector<std::string>(tiers.begin(), tiers.end()));
  };
  ASSERT_THAT(registry.Register("last_tier", factory), IsOk());
  EXPECT_THAT(registry.Register("last_tier", factory),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("last_tier")));
  EXPECT_THAT(registry.Register("abc", factory), StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(registry.Register("", factory), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(registry.Register("none", nullptr), StatusIs(ErrorCode::kInvalidArgument));

  const nlohmann::json section =
      nlohmann::json::parse(R"({"classifier": "last_tier", "hysteresis": {"periods": 2}})");
  ASSERT_OK_AND_ASSIGN(auto classifier,
                       MakeClassifier(PolicyParams(section, "/classification"), kTiers, registry));
  Classification result;
  ASSERT_THAT(classifier->Classify(SmallPortfolio({{"a", {}}}), result), IsOk());
  EXPECT_THAT(result.tier, ElementsAre(3));
  EXPECT_THAT(result.rule, HasSubstr("hysteresis"));
}

TEST(ClassifierRegistryTest, UnknownNamesAreNotFound) {
  const nlohmann::json empty = nlohmann::json::object();
  EXPECT_THAT(ClassifierRegistry::WithBuiltins().Create("magic", PolicyParams(empty, ""), kTiers),
              StatusIs(ErrorCode::kNotFound,
                       "unknown classifier \"magic\"; registered: abc, rfm, threshold"));
  EXPECT_THAT(Compile(R"({"classifier": "magic"})"),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/classification/classifier: unknown "
                                                       "classifier \"magic\"")));
}

TEST(MakeClassifierTest, CompilesAbcWithHysteresis) {
  ASSERT_OK_AND_ASSIGN(
      auto classifier,
      Compile(R"({"classifier": "abc", "metric": "revenue", "cumulative_pct": [80, 95, "99.5"],
                  "hysteresis": {"periods": 2}})"));
  EXPECT_EQ(classifier->name(), "abc");
  Classification result;
  ASSERT_THAT(classifier->Classify(SmallPortfolio({{"a", {.revenue_minor = 1}}}), result), IsOk());
  EXPECT_EQ(result.rule,
            "abc on revenue: by cumulative share, bounds 80 %, 95 %, 99.5 %; hysteresis: moves "
            "down after 2 periods below");
}

TEST(MakeClassifierTest, CompilesThresholdAndRfmSections) {
  ASSERT_OK_AND_ASSIGN(auto by_revenue, Compile(R"({"classifier": "threshold", "metric": "revenue",
                                   "thresholds": ["1000000.00", 200000, 50000]})"));
  Classification result;
  ASSERT_THAT(by_revenue->Classify(SmallPortfolio({{"a", {.revenue_minor = 30000000}}}), result),
              IsOk());
  EXPECT_THAT(result.tier, ElementsAre(1));

  ASSERT_OK_AND_ASSIGN(auto weighted,
                       Compile(R"({"classifier": "threshold", "normalization": "rank",
                  "weights": [{"metric": "revenue", "weight": 0.7},
                              {"metric": "recency_days", "weight": 0.3, "lower_is_better": true}],
                  "thresholds": [80, 60, 40]})"));
  ASSERT_THAT(weighted->Classify(SmallPortfolio({{"a", {}}}), result), IsOk());
  EXPECT_THAT(result.rule, HasSubstr("(rank): 0.7 x revenue + 0.3 x recency_days"));

  ASSERT_OK_AND_ASSIGN(auto rfm, Compile(R"({"classifier": "rfm", "quantiles": 4,
                                             "monetary_weight": 2, "min_scores": [14, 10, 6]})"));
  ASSERT_THAT(rfm->Classify(SmallPortfolio({{"a", {}}}), result), IsOk());
  EXPECT_THAT(result.rule, HasSubstr("rfm, 4 quantiles"));
}

TEST(MakeClassifierTest, ErrorsNameTheJsonPath) {
  const auto invalid = [](const char* message) {
    return StatusIs(ErrorCode::kPolicyInvalid, message);
  };
  EXPECT_THAT(Compile(R"({"classifier": "abc", "cumulative_pct": [80, 70, 99]})"),
              invalid("/classification/cumulative_pct/1: must be greater than the previous bound"));
  EXPECT_THAT(Compile(R"({"classifier": "abc", "cumulative_pct": [80, 95]})"),
              invalid("/classification/cumulative_pct: needs one value per tier but the last: 3 "
                      "for 4 tiers, got 2"));
  EXPECT_THAT(Compile(R"({"classifier": "abc", "cumulative_pct": [80, 95, 101]})"),
              invalid("/classification/cumulative_pct/2: must be between 0 and 100"));
  EXPECT_THAT(Compile(R"({"classifier": "abc", "cumulative_pct": [80, 95, 99],
                          "hysteresis": {"periods": 0}})"),
              invalid("/classification/hysteresis/periods: must be between 1 and 1000"));
  EXPECT_THAT(Compile(R"({"classifier": "abc", "hysteresis": {"period": 2}})"),
              invalid("/classification/hysteresis/period: is not a known setting here"));
  EXPECT_THAT(Compile(R"({"classifier": "abc", "bounds": [1]})"),
              invalid("/classification/bounds: is not a known setting here"));
  EXPECT_THAT(Compile(R"({"metric": "revenue"})"),
              invalid("/classification/classifier: is required"));
  EXPECT_THAT(Compile(R"([1])"), invalid("/classification: must be an object"));
  EXPECT_THAT(Compile(R"({"classifier": "threshold", "thresholds": [3, 2, 1],
                          "weights": [{"metric": "revenue"}, {"metric": "growth", "weight": -1}]})"),
              invalid("/classification/weights/1/weight: must be a finite number > 0"));
  EXPECT_THAT(Compile(R"({"classifier": "threshold", "metric": "revenue",
                          "thresholds": [3, 2, 2]})"),
              invalid("/classification/thresholds/2: must be less than the previous threshold"));
  EXPECT_THAT(Compile(R"({"classifier": "threshold", "metric": "revenue",
                          "normalization": "zscore", "thresholds": [3, 2, 1]})"),
              invalid("/classification/normalization: must be \"min_max\" or \"rank\""));
  EXPECT_THAT(Compile(R"({"classifier": "rfm", "quantiles": 0, "min_scores": [3, 2, 1]})"),
              invalid("/classification/quantiles: must be between 2 and 100"));
  EXPECT_THAT(Compile(R"({"classifier": "abc"})", {}),
              invalid("/classification: tiers: must list 1 to 32 tiers, got 0"));
}

}  // namespace
}  // namespace upkeep
