// Control policies: each availability mode, limits, frequency, tier rules, closed periods,
// custom policies, and the policy document section with its JSON-path errors.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"
#include "nlohmann/json.hpp"
#include "upkeep/policy_params.h"

namespace upkeep::ledger::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

absl::StatusOr<ControlPolicySet> Parse(const std::string& text,
                                       const ControlPolicyRegistry& registry = {}) {
  static nlohmann::json document;  // PolicyParams refers to it
  document = nlohmann::json::parse(text);
  return ParseControlPolicies(PolicyParams(document["control"], "/control"), Cny(), registry);
}

class ControlTest : public ::testing::Test {
 protected:
  void Use(const std::string& control_json, const ControlPolicyRegistry& registry = {}) {
    absl::StatusOr<ControlPolicySet> set = Parse(control_json, registry);
    ASSERT_TRUE(set.ok()) << set.status();
    ASSERT_THAT(ledger_->SetPolicies("admin", *std::move(set)), IsOk());
  }
  Outcome Try(std::string_view op_id, std::string_view customer, int64_t amount) {
    absl::StatusOr<Result> r = ledger_->Reserve(Ask(op_id, customer, amount));
    EXPECT_TRUE(r.ok()) << r.status();
    last_ = r.ok() ? r->decision : Decision{};
    return last_.outcome;
  }
  MemoryJournal journal_;
  std::unique_ptr<Ledger> ledger_ = MakeLedger(&journal_);
  Decision last_;
};

TEST_F(ControlTest, DefaultIsBlock) {
  EXPECT_EQ(Try("r1", "c2", 50001), Outcome::kReject);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "default-block");
  EXPECT_EQ(Try("r2", "c2", 50000), Outcome::kApprove);
}

TEST_F(ControlTest, WarnAllowsWithAWarning) {
  Use(R"({"control": {"availability": [
        {"id": "soft", "level": "customer", "category": "gift", "mode": "warn"}]}})");
  EXPECT_EQ(Try("r1", "c2", 60000), Outcome::kApproveWithWarning);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "soft");
  EXPECT_EQ(last_.reasons.at(0).shortfall_minor, 10000);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).available_minor, -10000);
  // The tier still blocks what it cannot hold.
  EXPECT_EQ(Try("r2", "c2", 45000), Outcome::kReject);
  EXPECT_EQ(last_.reasons.back().scope, TierScope("B"));
  EXPECT_EQ(InvariantViolations(*ledger_), "");
}

TEST_F(ControlTest, ToleranceByPercentOrAmountWhicheverIsLarger) {
  Use(R"({"control": {"availability": [
        {"id": "tol", "level": "customer", "mode": "tolerance", "tolerance_pct": "10",
         "tolerance_amount": "20.00"}]}})");
  // c2 has 500.00: 10 % is 50.00 > 20.00, so up to 550.00 passes with a warning.
  EXPECT_EQ(Try("r1", "c2", 55001), Outcome::kReject);
  EXPECT_EQ(last_.reasons.at(0).shortfall_minor, 1);
  EXPECT_THAT(last_.reasons.at(0).message, HasSubstr("beyond the tolerance of 50.00"));
  EXPECT_EQ(Try("r2", "c2", 55000), Outcome::kApproveWithWarning);
  EXPECT_THAT(last_.reasons.at(0).message, HasSubstr("within the tolerance"));
}

TEST_F(ControlTest, IgnoreAllowsSilently) {
  Use(R"({"control": {"availability": [
        {"id": "free", "level": "customer", "key": "c2", "mode": "ignore"}]}})");
  EXPECT_EQ(Try("r1", "c2", 60000), Outcome::kApprove);
  EXPECT_TRUE(last_.reasons.empty());
}

TEST_F(ControlTest, RequireApprovalWaits) {
  Use(R"({"control": {"availability": [
        {"id": "ask", "level": "tier", "key": "B", "mode": "require_approval"},
        {"id": "env", "level": "customer", "mode": "ignore"}]}})");
  EXPECT_EQ(Try("r1", "c2", 120000), Outcome::kNeedsApproval);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "ask");
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B")).reserved_minor, 0);  // nothing held yet
  ASSERT_EQ(ledger_->PendingApprovals().size(), 1u);
}

TEST_F(ControlTest, MostSpecificRuleWins) {
  Use(R"({"control": {"availability": [
        {"id": "all", "level": "customer", "mode": "warn"},
        {"id": "gift", "level": "customer", "category": "gift", "mode": "ignore"},
        {"id": "c2", "level": "customer", "key": "c2", "mode": "block"}]}})");
  EXPECT_EQ(Try("r1", "c2", 50001), Outcome::kReject);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "c2");
  EXPECT_EQ(Try("r2", "c3", 50001), Outcome::kApprove);  // "gift" beats "all"
}

TEST_F(ControlTest, PerRequestMaximum) {
  Use(R"({"control": {"limits": [
        {"id": "max", "category": "gift", "per_request_max": "100.00",
         "action": "require_approval"}]}})");
  EXPECT_EQ(Try("r1", "c1", 10000), Outcome::kApprove);
  EXPECT_EQ(Try("r2", "c1", 10001), Outcome::kNeedsApproval);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "max");
  EXPECT_THAT(last_.reasons.at(0).remedy, HasSubstr("at most 100.00"));
}

TEST_F(ControlTest, FrequencyLimitPerCustomerCategoryAndPeriod) {
  Use(R"({"control": {"limits": [
        {"id": "two-gifts", "category": "gift", "max_count": 2}]}})");
  EXPECT_EQ(Try("r1", "c1", 100), Outcome::kApprove);
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c1", 100)), IsOk());
  EXPECT_EQ(Try("r3", "c1", 100), Outcome::kReject);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "two-gifts");
  EXPECT_THAT(last_.reasons.at(0).message, HasSubstr("already 2 uses"));
  EXPECT_EQ(Try("r4", "c2", 100), Outcome::kApprove);  // another customer
  // A voided reservation gives its use back.
  ASSERT_THAT(ledger_->Void({.op_id = "v1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_EQ(Try("r5", "c1", 100), Outcome::kApprove);
}

TEST(ControlWindowTest, FrequencyLimitsPerCalendarMonthOrQuarter) {
  auto now = std::make_shared<int64_t>(1'705'276'800'000'000);  // 2024-01-15 UTC
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal, now);
  ASSERT_THAT(ledger->SetPolicies("admin", Parse(R"({"control": {"limits": [
        {"id": "two-a-quarter", "category": "gift", "max_count": 2, "window": "quarter"},
        {"id": "one-a-month", "category": "gift", "tier": "B", "max_count": 1,
         "window": "month", "action": "warn"}]}})")
                                               .value()),
              IsOk());
  const auto outcome = [&](std::string_view op_id, std::string_view customer) {
    return ledger->Reserve(Ask(op_id, customer, 100)).value().decision.outcome;
  };
  EXPECT_EQ(outcome("r1", "c1"), Outcome::kApprove);
  *now = 1'707'955'200'000'000;  // 2024-02-15
  EXPECT_EQ(outcome("r2", "c1"), Outcome::kApprove);
  *now = 1'710'460'800'000'000;  // 2024-03-15: the quarter holds two already
  const Decision third = ledger->Reserve(Ask("r3", "c1", 100)).value().decision;
  EXPECT_EQ(third.outcome, Outcome::kReject);
  EXPECT_THAT(third.reasons.at(0).message, HasSubstr("already 2 uses this quarter"));
  *now = 1'713'139'200'000'000;  // 2024-04-15: a new quarter
  EXPECT_EQ(outcome("r4", "c1"), Outcome::kApprove);
  // Per month (tier B only, a warning): the second in one month warns.
  EXPECT_EQ(outcome("r5", "c2"), Outcome::kApprove);
  EXPECT_EQ(outcome("r6", "c2"), Outcome::kApproveWithWarning);
  // Voiding gives the use back.
  ASSERT_THAT(ledger->Void({.op_id = "v1", .actor = "mgr", .reservation_id = "r5"}), IsOk());
  ASSERT_THAT(ledger->Void({.op_id = "v2", .actor = "mgr", .reservation_id = "r6"}), IsOk());
  EXPECT_EQ(outcome("r7", "c2"), Outcome::kApprove);
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
  EXPECT_THAT(Parse(R"({"control": {"limits": [
        {"id": "x", "max_count": 1, "window": "week"}]}})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/control/limits/0/window")));
}

TEST_F(ControlTest, CategoryNotAllowedForATier) {
  Use(R"({"control": {"tier_categories": [{"id": "b-no-gifts", "tier": "B", "deny": ["gift"]}]}})");
  EXPECT_EQ(Try("r1", "c2", 100), Outcome::kReject);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "b-no-gifts");
  EXPECT_THAT(last_.reasons.at(0).message, HasSubstr("not allowed for tier B"));
  EXPECT_EQ(Try("r2", "c1", 100), Outcome::kApprove);
}

TEST_F(ControlTest, ClosedPeriods) {
  Use(R"({"control": {"closed_periods": ["Q1"]}})");
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c1", 100)),
              StatusIs(ErrorCode::kPeriodClosed, HasSubstr("closed by policy")));
  Use(R"({"control": {}})");
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 100)), IsOk());
  ASSERT_THAT(ledger_->ClosePeriod("fin", "Q1"), IsOk());
  EXPECT_THAT(ledger_->Reserve(Ask("r2", "c1", 100)),
              StatusIs(ErrorCode::kPeriodClosed, HasSubstr("'Q1' is closed")));
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kPeriodClosed));
  EXPECT_THAT(ledger_->Void({.op_id = "v1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_THAT(ledger_->ClosePeriod("fin", "Q1"), StatusIs(ErrorCode::kInvalidState));
}

// A custom policy: no single gift above a share of the customer's budget.
class ShareOfBudget : public ControlPolicy {
 public:
  explicit ShareOfBudget(int64_t percent) : percent_(percent) {}
  void Evaluate(const ControlContext& context, std::string_view rule_id,
                Decision* decision) const override {
    const int64_t budget = context.path[0].budget_minor;
    if (context.amount_minor * 100 <= budget * percent_) return;
    Reason reason;
    reason.outcome = Outcome::kNeedsApproval;
    reason.rule_id = std::string(rule_id);
    reason.scope = {.period = std::string(context.period),
                    .kind = ScopeKind::kCustomer,
                    .key = std::string(context.customer),
                    .category = std::string(context.category)};
    reason.balance = context.path[0];
    reason.requested_minor = context.amount_minor;
    reason.message = "more than " + std::to_string(percent_) + " % of the envelope at once";
    decision->Add(std::move(reason));
  }

 private:
  int64_t percent_;
};

ControlPolicyRegistry Registry() {
  ControlPolicyRegistry registry;
  EXPECT_THAT(registry.Register(
                  "share_of_budget",
                  [](const PolicyParams& params) -> absl::StatusOr<std::unique_ptr<ControlPolicy>> {
                    absl::StatusOr<int64_t> percent = params.GetInt("percent");
                    if (!percent.ok()) return percent.status();
                    if (*percent <= 0 || *percent > 100) {
                      return params.Error("percent", "must be 1..100");
                    }
                    return std::make_unique<ShareOfBudget>(*percent);
                  }),
              IsOk());
  return registry;
}

TEST_F(ControlTest, CustomPolicyRegisteredByName) {
  const ControlPolicyRegistry registry = Registry();
  Use(R"({"control": {"custom": [{"id": "big-gift", "policy": "share_of_budget",
                                   "params": {"percent": 50}}]}})",
      registry);
  EXPECT_EQ(Try("r1", "c1", 40000), Outcome::kApprove);
  EXPECT_EQ(Try("r2", "c1", 50001), Outcome::kNeedsApproval);
  EXPECT_EQ(last_.reasons.at(0).rule_id, "big-gift");
  EXPECT_THAT(Parse(R"({"control": {"custom": [{"id": "x", "policy": "share_of_budget",
                                         "params": {"percent": 500}}]}})",
                    registry),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/control/custom/0/params/percent")));
  EXPECT_THAT(Parse(R"({"control": {"custom": [{"id": "x", "policy": "nope"}]}})", registry),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/control/custom/0/policy")));
  EXPECT_THAT(registry.Find("share_of_budget"), ::testing::NotNull());
  ControlPolicyRegistry twice = Registry();
  EXPECT_THAT(twice.Register("share_of_budget",
                             [](const PolicyParams&) {
                               return absl::StatusOr<std::unique_ptr<ControlPolicy>>(nullptr);
                             }),
              StatusIs(ErrorCode::kAlreadyExists));
}

// A custom policy that keeps the time each decision was made at.
class KeepsTheTime : public ControlPolicy {
 public:
  explicit KeepsTheTime(std::shared_ptr<std::vector<int64_t>> times) : times_(std::move(times)) {}
  void Evaluate(const ControlContext& context, std::string_view, Decision*) const override {
    times_->push_back(context.time_micros);
  }

 private:
  std::shared_ptr<std::vector<int64_t>> times_;
};

// The fixture's clock moves 1 us at every reading: a reserve is decided at the time its event
// carries (one reading), a check at a reading of its own (the rule asks for the time).
TEST_F(ControlTest, ADecisionAndItsEventShareOneTime) {
  auto times = std::make_shared<std::vector<int64_t>>();
  ControlPolicyRegistry registry;
  ASSERT_THAT(registry.Register(
                  "keeps_the_time",
                  [times](const PolicyParams&) -> absl::StatusOr<std::unique_ptr<ControlPolicy>> {
                    return std::make_unique<KeepsTheTime>(times);
                  }),
              IsOk());
  Use(R"({"control": {"custom": [{"id": "clock", "policy": "keeps_the_time"}]}})", registry);
  ASSERT_EQ(Try("r1", "c1", 100), Outcome::kApprove);
  const int64_t event_micros = EventTimes(journal_, journal_.size() - 1).at(0);
  ASSERT_THAT(ledger_->Check(Ask("k1", "c1", 100)).status(), IsOk());
  EXPECT_THAT(*times, ::testing::ElementsAre(event_micros, event_micros + 1));
}

TEST(ControlParseTest, ErrorsNameTheJsonPath) {
  const struct {
    const char* json;
    const char* path;
  } cases[] = {
      {R"({"control": {"availability": [{"id": "a", "level": "planet", "mode": "block"}]}})",
       "/control/availability/0/level"},
      {R"({"control": {"availability": [{"id": "a", "level": "tier", "mode": "soft"}]}})",
       "/control/availability/0/mode"},
      {R"({"control": {"availability": [{"id": "a", "level": "tier", "mode": "block",
           "tolerance_pct": "5"}]}})",
       "/control/availability/0/mode"},
      {R"({"control": {"availability": [{"id": "a", "level": "tier", "mode": "tolerance",
           "tolerance_amount": "1.001"}]}})",
       "/control/availability/0/tolerance_amount"},
      {R"({"control": {"availability": [{"id": "a", "level": "company", "key": "x",
           "mode": "block"}]}})",
       "/control/availability/0/key"},
      {R"({"control": {"limits": [{"id": "l", "max_count": -1}]}})", "/control/limits/0/max_count"},
      {R"({"control": {"limits": [{"id": "l"}]}})", "/control/limits/0"},
      {R"({"control": {"limits": [{"id": "l", "max_count": 1, "action": "maybe"}]}})",
       "/control/limits/0/action"},
      {R"({"control": {"limits": [{"id": "l", "max_count": 1}, {"id": "l", "max_count": 2}]}})",
       "/control/limits/1/id"},
      {R"({"control": {"tier_categories": [{"id": "t", "tier": "B", "deny": "gift"}]}})",
       "/control/tier_categories/0/deny"},
      {R"({"control": {"closed_periods": [3]}})", "/control/closed_periods/0"},
      {R"({"control": {"colour": 1}})", "/control/colour"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(Parse(c.json), StatusIs(ErrorCode::kPolicyInvalid, HasSubstr(c.path))) << c.json;
  }
}

TEST(ControlParseTest, ReadsAFullSection) {
  absl::StatusOr<ControlPolicySet> set = Parse(R"({"control": {
      "availability": [{"id": "a", "level": "customer", "category": "gift", "mode": "tolerance",
                        "tolerance_pct": "12.5", "tolerance_amount": "3.10"}],
      "limits": [{"id": "l", "tier": "A", "per_request_max": "99.99", "max_count": 3,
                  "action": "warn"}],
      "tier_categories": [{"id": "t", "tier": "B", "deny": ["gift", "event"]}],
      "closed_periods": ["2023-Q4"]}})");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->availability.size(), 1u);
  EXPECT_EQ(set->availability[0].tolerance_basis_points, 1250);
  EXPECT_EQ(set->availability[0].tolerance_minor, 310);
  EXPECT_EQ(set->limits.at(0).per_request_max_minor, 9999);
  EXPECT_EQ(set->limits.at(0).max_count, 3);
  EXPECT_EQ(set->limits.at(0).action, Outcome::kApproveWithWarning);
  EXPECT_EQ(set->tier_categories.at(0).denied_categories.size(), 2u);
  EXPECT_EQ(set->closed_periods.at(0), "2023-Q4");
}

}  // namespace
}  // namespace upkeep::ledger::testing
