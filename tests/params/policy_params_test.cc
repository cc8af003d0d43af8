#include "upkeep/policy_params.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

nlohmann::json Doc() {
  return nlohmann::json::parse(R"({
    "allocation": {
      "steps": [
        {"rule": "caps", "cap_pct": 12.5, "floor": "500.00", "count": 3, "on": true},
        {"rule": "reserve", "amount": 0.1, "ratio": 7}
      ],
      "a/b": {"c~d": "x"}
    }
  })");
}

TEST(PolicyParamsTest, ReadsTypedValuesWithPaths) {
  const nlohmann::json doc = Doc();
  PolicyParams root(doc, "");
  ASSERT_OK_AND_ASSIGN(PolicyParams allocation, root.Child("allocation"));
  EXPECT_EQ(allocation.path(), "/allocation");
  ASSERT_OK_AND_ASSIGN(PolicyParams steps, allocation.Child("steps"));
  ASSERT_OK_AND_ASSIGN(std::vector<PolicyParams> elements, steps.Elements());
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[1].path(), "/allocation/steps/1");

  ASSERT_OK_AND_ASSIGN(std::string rule, elements[0].GetString("rule"));
  EXPECT_EQ(rule, "caps");
  ASSERT_OK_AND_ASSIGN(Decimal cap, elements[0].GetDecimal("cap_pct"));
  EXPECT_EQ(cap.mantissa, 125);
  EXPECT_EQ(cap.scale, 1);
  ASSERT_OK_AND_ASSIGN(Decimal floor, elements[0].GetDecimal("floor"));
  EXPECT_EQ(floor.mantissa, 50000);
  EXPECT_EQ(floor.scale, 2);
  ASSERT_OK_AND_ASSIGN(int64_t count, elements[0].GetInt("count"));
  EXPECT_EQ(count, 3);
  ASSERT_OK_AND_ASSIGN(bool on, elements[0].GetBool("on"));
  EXPECT_TRUE(on);
}

TEST(PolicyParamsTest, FloatsAreReadFromTheirShortestText) {
  const nlohmann::json doc = Doc();
  PolicyParams step(doc["allocation"]["steps"][1], "/allocation/steps/1");
  ASSERT_OK_AND_ASSIGN(Decimal amount, step.GetDecimal("amount"));
  EXPECT_EQ(amount.mantissa, 1);
  EXPECT_EQ(amount.scale, 1);
  ASSERT_OK_AND_ASSIGN(Decimal ratio, step.GetDecimal("ratio"));
  EXPECT_EQ(ratio.mantissa, 7);
  EXPECT_EQ(ratio.scale, 0);
}

TEST(PolicyParamsTest, ErrorsNameTheJsonPointer) {
  const nlohmann::json doc = Doc();
  PolicyParams step(doc["allocation"]["steps"][0], "/allocation/steps/0");
  EXPECT_THAT(step.GetString("missing"),
              StatusIs(ErrorCode::kPolicyInvalid, "/allocation/steps/0/missing: is required"));
  EXPECT_THAT(step.GetInt("rule"),
              StatusIs(ErrorCode::kPolicyInvalid, "/allocation/steps/0/rule: must be an integer"));
  EXPECT_THAT(step.GetString("count"),
              StatusIs(ErrorCode::kPolicyInvalid, "/allocation/steps/0/count: must be a string"));
  EXPECT_THAT(step.GetBool("count"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("true or false")));
  EXPECT_THAT(step.GetDecimal("on"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/on: must be")));
  EXPECT_THAT(step.Error("cap_pct", "must be between 0 and 100"),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/steps/0/cap_pct: must be between 0 and 100"));
  EXPECT_THAT(step.Elements(), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("must be an array")));
}

TEST(PolicyParamsTest, PathsEscapeSlashAndTilde) {
  const nlohmann::json doc = Doc();
  PolicyParams allocation(doc["allocation"], "/allocation");
  ASSERT_OK_AND_ASSIGN(PolicyParams odd, allocation.Child("a/b"));
  EXPECT_EQ(odd.path(), "/allocation/a~1b");
  EXPECT_THAT(odd.GetInt("c~d"), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/a~1b/c~0d")));
}

TEST(PolicyParamsTest, OptionalMembers) {
  const nlohmann::json doc = Doc();
  PolicyParams step(doc["allocation"]["steps"][0], "/allocation/steps/0");
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> absent, step.FindString("nope"));
  EXPECT_FALSE(absent.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> present, step.FindInt("count"));
  EXPECT_EQ(present, 3);
  EXPECT_THAT(step.FindInt("rule"), StatusIs(ErrorCode::kPolicyInvalid));
  EXPECT_FALSE(step.OptionalChild("nope").has_value());
  EXPECT_TRUE(step.OptionalChild("rule").has_value());
}

TEST(PolicyParamsTest, CheckKeysNamesTheStranger) {
  const nlohmann::json doc = Doc();
  PolicyParams step(doc["allocation"]["steps"][1], "/allocation/steps/1");
  EXPECT_THAT(step.CheckKeys({"rule", "amount", "ratio"}), IsOk());
  EXPECT_THAT(step.CheckKeys({"rule", "amount"}),
              StatusIs(ErrorCode::kPolicyInvalid,
                       "/allocation/steps/1/ratio: is not a known setting here"));
}

TEST(PolicyParamsTest, ExponentsAndHugeIntegersAreRejected) {
  const nlohmann::json doc =
      nlohmann::json::parse(R"({"tiny": 1e-9, "huge": 18446744073709551615, "text": "12.x"})");
  PolicyParams root(doc, "");
  EXPECT_THAT(root.GetDecimal("tiny"), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("exponent")));
  EXPECT_THAT(root.GetInt("huge"), StatusIs(ErrorCode::kPolicyInvalid, "/huge: is too large"));
  EXPECT_THAT(root.GetDecimal("text"), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/text")));
}

TEST(PolicyParamsTest, MembersInKeyOrder) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"b": 1, "a": 2})");
  ASSERT_OK_AND_ASSIGN(auto members, PolicyParams(doc, "").Members());
  std::vector<std::string> keys;
  for (const auto& [key, value] : members) keys.push_back(key + "@" + value.path());
  EXPECT_THAT(keys, ElementsAre("a@/a", "b@/b"));
}

}  // namespace
}  // namespace upkeep
