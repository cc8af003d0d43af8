// Feedback policies and proposals: each signal of "signals" with its reason, the bounds held,
// tier moves at the edges, custom policies, section errors with JSON paths, the life cycle, and
// (property) every proposal stays within its bound whatever the signals.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

const std::vector<std::string> kTiers = {"A", "B", "C"};

absl::StatusOr<FeedbackSection> Section(const char* json,
                                        const FeedbackRegistry& registry = FeedbackRegistry()) {
  const nlohmann::json doc = nlohmann::json::parse(json);
  return MakeFeedbackFromParams(PolicyParams(doc, "/feedback"), registry);
}

CustomerSignals Customer(std::string id, std::string tier) {
  return {.customer = std::move(id), .tier = std::move(tier)};
}

Proposal ProposeQ1(const FeedbackSection& section, const std::vector<CustomerSignals>& customers,
                   const std::vector<EffectivenessRow>& tiers = {}) {
  return Propose(section, "Q1", kTiers, customers, tiers).value();
}

TEST(ProposalTest, EachSignalAddsItsStepWithAReason) {
  const FeedbackSection section = Section(R"({"max_change_pct": "50",
                  "roi": {"margin_pct": "100", "step_pct": "10"},
                  "satisfaction": {"high": 8, "low": 4, "step_pct": "5"},
                  "nps": {"step_pct": "3"},
                  "complaints": {"at_least": 2, "step_pct": "7"},
                  "assessment": {"step_pct": "4"},
                  "churned": {"step_pct": "20"}})")
                                      .value();
  CustomerSignals good = Customer("good", "B");
  good.has_outcome = true;
  good.spent_minor = 100;
  good.revenue_minor = 1000;  // return 1000 % against the tier's 100 %
  good.satisfaction_responses = 1;
  good.satisfaction_sum = 9;
  good.promoters = 1;
  good.recommend_responses = 1;
  good.assessments = 2;
  good.rating_sum = 3;  // 1.5 x 4 % = 6 %
  CustomerSignals bad = Customer("bad", "B");
  bad.renewal = Renewal::kChurned;
  bad.complaints = 2;
  bad.satisfaction_responses = 1;
  bad.satisfaction_sum = 4;
  const std::vector<EffectivenessRow> tiers = {{.key = "B", .return_bp = 10000}};
  const Proposal p = ProposeQ1(section, {bad, good, Customer("quiet", "B")}, tiers);
  EXPECT_EQ(p.policy, "signals");
  ASSERT_EQ(p.changes.size(), 2u);  // "quiet" has nothing to say
  const ProposedChange& b = p.changes[0];
  EXPECT_EQ(b.customer, "bad");
  EXPECT_EQ(b.multiplier_bp, 10000 - 500 - 700 - 2000);
  EXPECT_THAT(b.reasons, ElementsAre(HasSubstr("satisfaction 4.00"), HasSubstr("2 complaints"),
                                     "churned: -20.00 %"));
  const ProposedChange& g = p.changes[1];
  EXPECT_EQ(g.multiplier_bp, 10000 + 1000 + 500 + 300 + 600);
  EXPECT_THAT(g.reasons[0], HasSubstr("return 1000.00 % of spend against tier B's 100.00 %"));
  EXPECT_EQ(g.tier_to, "B");  // no tier_moves: tiers stay
}

TEST(ProposalTest, MultipliersAreHeldToTheBoundAndTierMovesStopAtTheEdges) {
  const FeedbackSection section = Section(R"({"max_change_pct": "20",
      "churned": {"step_pct": "30"}, "assessment": {"step_pct": "20"},
      "tier_moves": {"promote_at_pct": "15", "demote_at_pct": "15"}})")
                                      .value();
  CustomerSignals top = Customer("top", "A");
  top.assessments = 1;
  top.rating_sum = 2;  // +40 %
  CustomerSignals rising = Customer("rising", "B");
  rising.assessments = 1;
  rising.rating_sum = 1;  // +20 %
  CustomerSignals lost = Customer("lost", "C");
  lost.renewal = Renewal::kChurned;  // -30 %
  const Proposal p = ProposeQ1(section, {lost, rising, top});
  ASSERT_EQ(p.changes.size(), 3u);
  EXPECT_EQ(p.changes[0].multiplier_bp, 8000);
  EXPECT_EQ(p.changes[0].tier_to, "C");
  EXPECT_THAT(p.changes[0].reasons, ::testing::Contains(HasSubstr("no tier below C")));
  EXPECT_THAT(p.changes[0].reasons,
              ::testing::Contains(HasSubstr("held to the bound of ±20.00 %")));
  EXPECT_EQ(p.changes[1].customer, "rising");
  EXPECT_EQ(p.changes[1].tier_from, "B");
  EXPECT_EQ(p.changes[1].tier_to, "A");
  EXPECT_EQ(p.changes[1].multiplier_bp, 12000);
  EXPECT_EQ(p.changes[2].tier_to, "A");
  EXPECT_EQ(p.changes[2].multiplier_bp, 12000);
}

class EveryoneUp final : public FeedbackPolicy {
 public:
  explicit EveryoneUp(std::string extra) : extra_(std::move(extra)) {}
  std::string_view name() const override { return "everyone_up"; }
  absl::StatusOr<std::vector<CustomerChange>> Evaluate(const FeedbackInput& in) const override {
    std::vector<CustomerChange> out;
    for (const CustomerSignals& s : in.customers) {
      out.push_back({.customer = s.customer, .multiplier_bp = 50'000, .reasons = {"why not"}});
    }
    if (!extra_.empty()) out.push_back({.customer = extra_, .multiplier_bp = 10'500});
    return out;
  }

 private:
  std::string extra_;
};

TEST(ProposalTest, CustomPoliciesAreRegisteredByNameAndStillBounded) {
  FeedbackRegistry registry;
  ASSERT_THAT(
      registry.Register(
          "everyone_up",
          [](const PolicyParams& params) -> absl::StatusOr<std::unique_ptr<const FeedbackPolicy>> {
            auto extra = params.FindString("extra");
            if (!extra.ok()) return extra.status();
            return std::make_unique<EveryoneUp>(extra->value_or(""));
          }),
      IsOk());
  EXPECT_THAT(registry.Register("everyone_up", nullptr), StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(registry.Register("", nullptr), StatusIs(ErrorCode::kInvalidArgument));
  const FeedbackSection section =
      Section(R"({"policy": "everyone_up", "max_change_pct": "5"})", registry).value();
  const Proposal p = ProposeQ1(section, {Customer("c1", "B")});
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].multiplier_bp, 10500);
  const FeedbackSection liar =
      Section(R"({"policy": "everyone_up", "extra": "ghost"})", registry).value();
  EXPECT_THAT(Propose(liar, "Q1", kTiers, std::vector<CustomerSignals>{Customer("c1", "B")}, {}),
              StatusIs(ErrorCode::kCallbackFailed, HasSubstr("'ghost'")));
  const FeedbackSection twice =
      Section(R"({"policy": "everyone_up", "extra": "c1"})", registry).value();
  EXPECT_THAT(Propose(twice, "Q1", kTiers, std::vector<CustomerSignals>{Customer("c1", "B")}, {}),
              StatusIs(ErrorCode::kCallbackFailed, HasSubstr("twice")));
}

TEST(ProposalTest, BadSectionsNameTheirJsonPath) {
  EXPECT_THAT(Section(R"({"policy": "magic"})"),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/feedback/policy")));
  EXPECT_THAT(Section(R"({"max_change_pct": "120"})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/max_change_pct")));
  EXPECT_THAT(Section(R"({"roi": {"step_pct": "10"}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/roi/margin_pct")));
  EXPECT_THAT(Section(R"({"satisfaction": {"high": 5, "low": 6, "step_pct": "1"}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/satisfaction/low")));
  EXPECT_THAT(Section(R"({"satisfaction": {"high": 11, "low": 6, "step_pct": "1"}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/satisfaction/high")));
  EXPECT_THAT(Section(R"({"complaints": {"at_least": 0, "step_pct": "1"}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/complaints/at_least")));
  EXPECT_THAT(Section(R"({"nps": {"step": "1"}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/feedback/nps")));
  EXPECT_THAT(Section(R"({"bonus": {}})"), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("bonus")));
  EXPECT_THAT(Section(R"([1])"), StatusIs(ErrorCode::kPolicyInvalid));
}

TEST(ProposalTest, ApproveRejectAndApplyOnlyFromTheirStates) {
  Proposal p{.period = "Q1"};
  EXPECT_THAT(MarkApplied(p), StatusIs(ErrorCode::kInvalidState, HasSubstr("draft")));
  EXPECT_THAT(Approve(p, ""), StatusIs(ErrorCode::kInvalidArgument));
  ASSERT_THAT(Approve(p, "cfo"), IsOk());
  EXPECT_EQ(p.decided_by, "cfo");
  EXPECT_THAT(Approve(p, "cfo"), StatusIs(ErrorCode::kInvalidState));
  EXPECT_THAT(Reject(p, "cfo"), StatusIs(ErrorCode::kInvalidState));
  ASSERT_THAT(MarkApplied(p), IsOk());
  EXPECT_EQ(p.state, ProposalState::kApplied);
  EXPECT_THAT(MarkApplied(p), StatusIs(ErrorCode::kInvalidState));
  Proposal q{.period = "Q1"};
  ASSERT_THAT(Reject(q, "cfo"), IsOk());
  EXPECT_THAT(Approve(q, "cfo"), StatusIs(ErrorCode::kInvalidState, HasSubstr("rejected")));
  EXPECT_EQ(ToJson(q)["state"], "rejected");
}

TEST(ProposalTest, JsonReadsBackWhatItWrote) {
  Proposal p{.period = "Q1", .policy = "signals", .max_change_bp = 2000};
  p.changes.push_back({.customer = "c1",
                       .tier_from = "B",
                       .tier_to = "A",
                       .multiplier_bp = 11500,
                       .reasons = {"roi: +10 %", "satisfaction: +5 %"}});
  ASSERT_THAT(Approve(p, "cfo"), IsOk());
  ASSERT_OK_AND_ASSIGN(const Proposal back, ProposalFromJson(ToJson(p)));
  EXPECT_EQ(ToJson(back), ToJson(p));
  EXPECT_EQ(back.state, ProposalState::kApproved);
  EXPECT_THAT(back.changes.at(0).reasons, ElementsAre("roi: +10 %", "satisfaction: +5 %"));

  nlohmann::json bad = ToJson(p);
  bad["changes"][0].erase("multiplier_bp");
  EXPECT_THAT(ProposalFromJson(bad),
              StatusIs(ErrorCode::kParse, HasSubstr("/changes/0/multiplier_bp")));
  bad = ToJson(p);
  bad["state"] = "pending";
  EXPECT_THAT(ProposalFromJson(bad), StatusIs(ErrorCode::kParse, HasSubstr("unknown state")));
  EXPECT_THAT(ProposalFromJson(nlohmann::json::array()), StatusIs(ErrorCode::kParse));
}

RC_GTEST_PROP(ProposalProperty, EveryChangeStaysWithinItsBound, ()) {
  const int64_t bound_pct = *rc::gen::inRange<int64_t>(0, 60);
  const std::string doc = absl::StrCat(
      R"({"max_change_pct": ")", bound_pct, R"(", "roi": {"margin_pct": "10", "step_pct": "25"},)",
      R"("satisfaction": {"high": 8, "low": 3, "step_pct": "15"}, "churned": {"step_pct": "40"},)",
      R"("assessment": {"step_pct": "30"}, "complaints": {"at_least": 1, "step_pct": "9"},)",
      R"("tier_moves": {"promote_at_pct": "10", "demote_at_pct": "10"}})");
  const FeedbackSection section = Section(doc.c_str()).value();
  std::vector<CustomerSignals> customers;
  const int n = *rc::gen::inRange(1, 30);
  for (int i = 0; i < n; ++i) {
    CustomerSignals s = Customer(absl::StrCat("c", 100 + i), kTiers[static_cast<size_t>(i % 3)]);
    s.has_outcome = *rc::gen::arbitrary<bool>();
    s.spent_minor = *rc::gen::inRange<int64_t>(0, 100000);
    s.revenue_minor = *rc::gen::inRange<int64_t>(0, 1000000);
    s.revenue_before_minor = *rc::gen::inRange<int64_t>(0, 1000000);
    s.renewal = static_cast<Renewal>(*rc::gen::inRange(0, 3));
    s.satisfaction_responses = *rc::gen::inRange(0, 3);
    s.satisfaction_sum = s.satisfaction_responses * *rc::gen::inRange(0, 11);
    s.complaints = *rc::gen::inRange(0, 4);
    s.assessments = *rc::gen::inRange(0, 3);
    s.rating_sum = s.assessments * *rc::gen::inRange(-2, 3);
    customers.push_back(s);
  }
  const std::vector<EffectivenessRow> tiers = {
      {.key = "A", .return_bp = 5000}, {.key = "B", .return_bp = 0}, {.key = "C"}};
  const Proposal p = ProposeQ1(section, customers, tiers);
  for (const ProposedChange& c : p.changes) {
    RC_ASSERT(c.multiplier_bp >= 10000 - bound_pct * 100);
    RC_ASSERT(c.multiplier_bp <= 10000 + bound_pct * 100);
    const auto from = std::find(kTiers.begin(), kTiers.end(), c.tier_from);
    const auto to = std::find(kTiers.begin(), kTiers.end(), c.tier_to);
    RC_ASSERT(to != kTiers.end());
    RC_ASSERT(std::abs(from - to) <= 1);
    RC_ASSERT(!c.reasons.empty());
    RC_ASSERT(c.multiplier_bp != 10000 || c.tier_from != c.tier_to);
  }
}

}  // namespace
}  // namespace upkeep::monitor::testing
