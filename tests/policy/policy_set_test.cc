#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/policy_test_util.h"
#include "upkeep/io/csv.h"
#include "upkeep/policy.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;
using ::upkeep::testing::ValidDocument;

absl::StatusOr<std::shared_ptr<const PolicySet>> CompileJson(const nlohmann::json& doc) {
  return PolicySet::Compile(doc.dump());
}

TEST(PolicySetTest, CompilesTheValidDocument) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const PolicySet> policy, CompileJson(ValidDocument()));
  EXPECT_EQ(policy->name(), "test policy");
  EXPECT_EQ(policy->currency().code(), "CNY");
  EXPECT_THAT(policy->tier_names(), ElementsAre("strategic", "key", "growth", "basic"));
  EXPECT_NE(policy->sizing(), nullptr);
  EXPECT_EQ(policy->allocation().name(), "pipeline");
  EXPECT_EQ(policy->document()["name"], "test policy");
}

TEST(PolicySetTest, CompilesTheBundledExamplePolicy) {
  ASSERT_OK_AND_ASSIGN(std::string text, io::ReadFile(UPKEEP_EXAMPLES_DIR "/policy.json"));
  EXPECT_THAT(PolicySet::Compile(text), IsOk());
}

TEST(PolicySetTest, ControlMonitoringAndRolloverSectionsAreCompiled) {
  nlohmann::json doc = ValidDocument();
  doc["control"] = nlohmann::json::parse(R"({
    "availability": [{"id": "soft", "level": "customer", "mode": "warn"}],
    "limits": [{"id": "gift-max", "category": "gift", "per_request_max": "500.00",
                "action": "require_approval"}]})");
  doc["monitoring"] = nlohmann::json::parse(
      R"({"alerts": [{"id": "usage", "type": "threshold", "thresholds_pct": [80, 100]}]})");
  doc["rollover"] = nlohmann::json::parse(R"({"rules": [{"id": "all", "mode": "forfeit"}]})");
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const PolicySet> policy, CompileJson(doc));
  EXPECT_EQ(policy->control().availability.size(), 1u);
  EXPECT_EQ(policy->control().limits.size(), 1u);
  ASSERT_NE(policy->monitoring(), nullptr);
  EXPECT_FALSE(policy->monitoring()->rules.empty());
  ASSERT_NE(policy->rollover(), nullptr);
  EXPECT_EQ(policy->rollover()->rules.size(), 1u);
}

TEST(PolicySetTest, OptionalSectionsAreAbsentUnlessGiven) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const PolicySet> policy, CompileJson(ValidDocument()));
  EXPECT_TRUE(policy->control().availability.empty());
  EXPECT_EQ(policy->monitoring(), nullptr);
  EXPECT_EQ(policy->rollover(), nullptr);
}

TEST(PolicySetTest, SizingIsOptional) {
  nlohmann::json doc = ValidDocument();
  doc.erase("sizing");
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const PolicySet> policy, CompileJson(doc));
  EXPECT_EQ(policy->sizing(), nullptr);
}

struct BadDocument {
  std::string name;
  void (*edit)(nlohmann::json&);
  ErrorCode code;
  std::string message;
};

class PolicySetBadDocumentTest : public ::testing::TestWithParam<BadDocument> {};

TEST_P(PolicySetBadDocumentTest, FailsNamingThePath) {
  nlohmann::json doc = ValidDocument();
  GetParam().edit(doc);
  EXPECT_THAT(CompileJson(doc), StatusIs(GetParam().code, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Documents, PolicySetBadDocumentTest,
    ::testing::Values(
        BadDocument{"MissingVersion", [](nlohmann::json& d) { d.erase("upkeep_policy"); },
                    ErrorCode::kPolicyInvalid, "/upkeep_policy: is required"},
        BadDocument{"NewerVersion", [](nlohmann::json& d) { d["upkeep_policy"] = 2; },
                    ErrorCode::kUnsupportedVersion, "version 2"},
        BadDocument{"ZeroVersion", [](nlohmann::json& d) { d["upkeep_policy"] = 0; },
                    ErrorCode::kPolicyInvalid, "/upkeep_policy: must be 1"},
        BadDocument{"UnknownTopLevelKey", [](nlohmann::json& d) { d["colour"] = "blue"; },
                    ErrorCode::kPolicyInvalid, "/colour: is not a known setting here"},
        BadDocument{"UnknownCurrency", [](nlohmann::json& d) { d["currency"] = "ABC"; },
                    ErrorCode::kPolicyInvalid, "/currency:"},
        BadDocument{"NoTiers", [](nlohmann::json& d) { d["tiers"] = nlohmann::json::array(); },
                    ErrorCode::kPolicyInvalid, "/tiers: must name at least one tier"},
        BadDocument{"RepeatedTier", [](nlohmann::json& d) { d["tiers"][3] = "key"; },
                    ErrorCode::kPolicyInvalid, "/tiers/3: repeats the tier \"key\""},
        BadDocument{"EmptyTierName", [](nlohmann::json& d) { d["tiers"][0] = ""; },
                    ErrorCode::kPolicyInvalid, "/tiers/0: must not be empty"},
        BadDocument{"TierNotAString", [](nlohmann::json& d) { d["tiers"][1] = 7; },
                    ErrorCode::kPolicyInvalid, "/tiers/1: must be a string"},
        BadDocument{"MissingClassification", [](nlohmann::json& d) { d.erase("classification"); },
                    ErrorCode::kPolicyInvalid, "/classification: is required"},
        BadDocument{"UnknownClassifier",
                    [](nlohmann::json& d) { d["classification"]["classifier"] = "astrology"; },
                    ErrorCode::kNotFound, "astrology"},
        BadDocument{"BadAbcBound",
                    [](nlohmann::json& d) { d["classification"]["cumulative_pct"][1] = 40; },
                    ErrorCode::kPolicyInvalid, "/classification/cumulative_pct/1"},
        BadDocument{"BadSizingMethod", [](nlohmann::json& d) { d["sizing"]["method"] = "guess"; },
                    ErrorCode::kPolicyInvalid, "/sizing/method"},
        BadDocument{"MissingAllocation", [](nlohmann::json& d) { d.erase("allocation"); },
                    ErrorCode::kPolicyInvalid, "/allocation: is required"},
        BadDocument{"CapOutOfRange",
                    [](nlohmann::json& d) {
                      d["allocation"]["steps"][1]["customer_cap_pct_of_revenue"] = 120;
                    },
                    ErrorCode::kPolicyInvalid,
                    "/allocation/steps/1/customer_cap_pct_of_revenue: must be between 0 and 100"},
        BadDocument{
            "SharesNotHundred",
            [](nlohmann::json& d) { d["allocation"]["steps"][0]["shares_pct"]["basic"] = 5; },
            ErrorCode::kPolicyInvalid, "/allocation/steps/0/shares_pct: must add up to 100"},
        BadDocument{"BadControlMode",
                    [](nlohmann::json& d) {
                      d["control"] = {{"availability",
                                       {{{"id", "x"}, {"level", "customer"}, {"mode", "maybe"}}}}};
                    },
                    ErrorCode::kPolicyInvalid, "/control/availability/0/mode"},
        BadDocument{"UnknownAlertType",
                    [](nlohmann::json& d) {
                      d["monitoring"] = {{"alerts", {{{"id", "u"}, {"type", "telepathy"}}}}};
                    },
                    ErrorCode::kPolicyInvalid, "/monitoring/alerts/0/type"},
        BadDocument{
            "RolloverToUnknownPool",
            [](nlohmann::json& d) {
              d["rollover"] = {{"rules", {{{"id", "s"}, {"mode", "sweep"}, {"pool", "nowhere"}}}}};
            },
            ErrorCode::kNotFound, "nowhere"},
        BadDocument{"UnknownAllocationPolicy",
                    [](nlohmann::json& d) { d["allocation"]["policy"] = "lottery"; },
                    ErrorCode::kNotFound, "lottery"}),
    [](const ::testing::TestParamInfo<BadDocument>& param_info) { return param_info.param.name; });

TEST(PolicySetTest, SyntaxErrorsNameTheByte) {
  EXPECT_THAT(PolicySet::Compile("{\"upkeep_policy\": 1,"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("JSON syntax error at byte")));
  EXPECT_THAT(PolicySet::Compile(""), StatusIs(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(PolicySet::Compile("[1, 2]"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/: must be an object")));
}

TEST(PolicySetTest, InvalidUtf8IsRejectedBeforeParsing) {
  std::string text = ValidDocument().dump();
  text.replace(text.find("test policy"), 4, "t\xC3\x28t");
  EXPECT_THAT(
      PolicySet::Compile(text),
      StatusIs(ErrorCode::kInvalidUtf8, HasSubstr("policy document: invalid UTF-8 at byte")));
}

// A custom classifier, registered by name, is used like a built-in.
class EveryoneInTopTier : public Classifier {
 public:
  explicit EveryoneInTopTier(std::vector<std::string> tiers) : tiers_(std::move(tiers)) {}
  std::string_view name() const override { return "everyone_top"; }
  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    out = Classification();
    out.classifier = "everyone_top";
    out.rule = "everyone in the top tier";
    out.tier_names = tiers_;
    out.tier_rules.assign(tiers_.size(), "always");
    out.tier.assign(portfolio.size(), 0);
    out.score.assign(portfolio.size(), 0.0);
    out.reason.assign(portfolio.size(), TierReason::kCustom);
    out.rule_tier.assign(portfolio.size(), 0);
    out.periods_below.assign(portfolio.size(), 0);
    return absl::OkStatus();
  }

 private:
  std::vector<std::string> tiers_;
};

TEST(PolicySetTest, CustomClassifierIsCompiledFromTheRegistry) {
  PolicyRegistry registry;
  ASSERT_THAT(
      registry.classifiers.Register("everyone_top",
                                    [](const PolicyParams&, std::span<const std::string> tiers)
                                        -> absl::StatusOr<std::unique_ptr<const Classifier>> {
                                      return std::make_unique<EveryoneInTopTier>(
                                          std::vector<std::string>(tiers.begin(), tiers.end()));
                                    }),
      IsOk());
  nlohmann::json doc = ValidDocument();
  doc["classification"] = {{"classifier", "everyone_top"}};
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const PolicySet> policy,
                       PolicySet::Compile(doc.dump(), registry));
  EXPECT_EQ(policy->classifier().name(), "everyone_top");
  // Without the registration the same document names an unknown classifier.
  EXPECT_THAT(CompileJson(doc), StatusIs(ErrorCode::kNotFound, HasSubstr("everyone_top")));
}

}  // namespace
}  // namespace upkeep
