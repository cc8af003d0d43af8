// Period close and rollover: every mode, conservation of money, bad inputs.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"
#include "rapidcheck/gtest.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

RolloverPolicy Rollover(const char* json) {
  const nlohmann::json doc = nlohmann::json::parse(json);
  return MakeRolloverFromParams(PolicyParams(doc, "/rollover"), Cny()).value();
}

int64_t Budget(const Book& book, const ledger::ScopeRef& scope) {
  return book.ledger->GetBalance(scope).value().budget_minor;
}

TEST(RolloverTest, CapsSweepsAndForfeitsConserveMoney) {
  Book book;
  book.now = Day(10);
  book.Spend("s1", "c1", 30000);    // c1 leaves 700.00
  book.Spend("s2", "c2", 10000);    // c2 leaves 400.00
  book.Reserve("r3", "c3", 20000);  // released at close: c3 leaves all 1000.00
  const RolloverPolicy policy = Rollover(R"({
      "pools": {"fund": {"level": "tier", "key": "A"}},
      "rules": [{"id": "c1-cap", "key": "c1", "mode": "carry_capped", "cap_pct": "20"},
                {"id": "b-sweep", "tiers": ["B"], "mode": "sweep", "pool": "fund"}]})");
  ASSERT_OK_AND_ASSIGN(const RolloverPlan plan,
                       CloseAndRollover(*book.ledger, policy,
                                        {.actor = "fin", .period = "Q1", .next_period = "Q2"}));
  ASSERT_EQ(plan.settlements.size(), 3u);
  EXPECT_EQ(plan.settlements[0].carried_minor, 20000);  // 20 % of 1000.00
  EXPECT_EQ(plan.settlements[0].forfeited_minor, 50000);
  EXPECT_EQ(plan.settlements[1].swept_minor, 40000);
  EXPECT_EQ(plan.settlements[2].rule_id, "default-forfeit");
  EXPECT_EQ(plan.settlements[2].forfeited_minor, 100000);
  EXPECT_EQ(plan.unused_minor,
            plan.carried_minor + plan.forfeited_minor + plan.swept_minor + plan.moved_minor);
  EXPECT_EQ(Budget(book, Env("c1", "Q2")), 10000 + 20000);
  EXPECT_EQ(
      Budget(book,
             {.period = "Q2", .kind = ledger::ScopeKind::kTier, .key = "A", .category = "gift"}),
      20000 + 20000 + 40000);
  EXPECT_EQ(Budget(book, {.period = "Q2", .kind = ledger::ScopeKind::kCompany, .category = "gift"}),
            30000 + 20000 + 40000);
  EXPECT_EQ(book.ledger->GetReservation("r3").value().status, ledger::ReservationStatus::kVoided);
  EXPECT_THAT(plan.settlements[0].explanation, HasSubstr("carried 200.00, forfeited 500.00"));
  // Closing again is the ledger's own status, and changes nothing.
  EXPECT_THAT(
      CloseAndRollover(*book.ledger, policy, {.actor = "fin", .period = "Q1", .next_period = "Q2"}),
      StatusIs(ErrorCode::kInvalidState));
  EXPECT_EQ(Budget(book, Env("c1", "Q2")), 30000);
}

TEST(RolloverTest, MovedReservationsAndDeficits) {
  Book book;
  book.now = Day(10);
  book.Reserve("r1", "c1", 40000);
  const RolloverPolicy policy =
      Rollover(R"({"reservations": "move", "rules": [{"id": "all", "mode": "carry_all"}]})");
  ASSERT_OK_AND_ASSIGN(const RolloverPlan plan,
                       CloseAndRollover(*book.ledger, policy,
                                        {.actor = "fin", .period = "Q1", .next_period = "Q2"}));
  EXPECT_EQ(plan.settlements[0].moved_minor, 40000);
  EXPECT_EQ(plan.settlements[0].carried_minor, 60000);
  const ledger::Balance c1 = book.ledger->GetBalance(Env("c1", "Q2")).value();
  EXPECT_EQ(c1.budget_minor, 10000 + 100000);
  EXPECT_EQ(c1.reserved_minor, 40000);
  EXPECT_EQ(book.ledger->GetReservation("rollover:Q1:r1").value().amount_minor, 40000);
}

TEST(RolloverTest, ExpiringCarriesAgeOut) {
  const RolloverPolicy policy =
      Rollover(R"({"rules": [{"id": "x", "mode": "carry_expiring", "periods": 1}]})");
  const EnvelopeAtClose first{
      .customer = "c", .category = "g", .balance = {.budget_minor = 1000, .available_minor = 300}};
  ASSERT_OK_AND_ASSIGN(RolloverPlan p1, PlanRollover(policy, "P1", "P2", {&first, 1}, {}, Cny()));
  EXPECT_EQ(p1.settlements[0].carried_minor, 300);
  // P2: budget 1000 fresh + 300 carried; 500 left: 500 of fresh money, the old lot is spent.
  const EnvelopeAtClose second{
      .customer = "c", .category = "g", .balance = {.budget_minor = 1300, .available_minor = 1100}};
  ASSERT_OK_AND_ASSIGN(RolloverPlan p2,
                       PlanRollover(policy, "P2", "P3", {&second, 1}, p1.lots_after, Cny()));
  EXPECT_EQ(p2.settlements[0].carried_minor, 1000);   // the fresh 1000
  EXPECT_EQ(p2.settlements[0].forfeited_minor, 100);  // 100 of the P1 lot, carried once already
}

// Q1 with 500.00 held at tier A above its envelopes and 100.00 more at the company.
void AddHeadroom(Book& book) {
  const auto revise = [&](const char* id, ledger::ScopeRef scope, int64_t add) {
    const int64_t budget = Budget(book, scope);
    Book::Ok(book.ledger->Revise({.op_id = id,
                                  .actor = "fin",
                                  .scope = scope,
                                  .budget = Money::FromMinor(budget + add, Cny()),
                                  .reason = "held back"}));
  };
  revise("h1", {.period = "Q1", .kind = ledger::ScopeKind::kCompany, .category = "gift"}, 60000);
  revise("h2", {.period = "Q1", .kind = ledger::ScopeKind::kTier, .key = "A", .category = "gift"},
         50000);
}

TEST(RolloverTest, TierAndCompanyHeadroomSettleByTheirOwnRules) {
  Book book;
  AddHeadroom(book);
  const ledger::ScopeRef tier_a_q2{
      .period = "Q2", .kind = ledger::ScopeKind::kTier, .key = "A", .category = "gift"};
  const ledger::ScopeRef tier_b_q2{
      .period = "Q2", .kind = ledger::ScopeKind::kTier, .key = "B", .category = "gift"};
  const ledger::ScopeRef company_q2{
      .period = "Q2", .kind = ledger::ScopeKind::kCompany, .category = "gift"};
  const int64_t a_before = Budget(book, tier_a_q2), b_before = Budget(book, tier_b_q2),
                company_before = Budget(book, company_q2);
  const RolloverPolicy policy = Rollover(R"({
      "pools": {"growth": {"level": "tier", "key": "B"}},
      "rules": [{"id": "tier-a", "level": "tier", "key": "A", "mode": "carry_capped",
                 "cap_amount": "300.00"},
                {"id": "company", "level": "company", "mode": "sweep", "pool": "growth"},
                {"id": "envelopes", "mode": "forfeit"}]})");
  ASSERT_OK_AND_ASSIGN(const RolloverPlan plan,
                       CloseAndRollover(*book.ledger, policy,
                                        {.actor = "fin", .period = "Q1", .next_period = "Q2"}));
  ASSERT_EQ(plan.settlements.size(), 5u);  // 3 envelopes, tier A, the company
  const Settlement& company = plan.settlements[0];
  EXPECT_EQ(company.level, ledger::ScopeKind::kCompany);
  EXPECT_EQ(company.unused_minor, 10000);
  EXPECT_EQ(company.swept_minor, 10000);
  const Settlement& tier_a = plan.settlements[1];
  EXPECT_EQ(tier_a.level, ledger::ScopeKind::kTier);
  EXPECT_EQ(tier_a.rule_id, "tier-a");
  EXPECT_EQ(tier_a.unused_minor, 50000);
  EXPECT_EQ(tier_a.carried_minor, 30000);
  EXPECT_EQ(tier_a.forfeited_minor, 20000);
  EXPECT_THAT(tier_a.explanation, HasSubstr("tier A/gift: 500.00 left"));
  EXPECT_EQ(plan.unused_minor,
            plan.carried_minor + plan.forfeited_minor + plan.swept_minor + plan.moved_minor);
  // What arrives next period is exactly what was carried and swept.
  EXPECT_EQ(Budget(book, tier_a_q2), a_before + 30000);
  EXPECT_EQ(Budget(book, tier_b_q2), b_before + 10000);
  EXPECT_EQ(Budget(book, company_q2), company_before + 30000 + 10000);
}

TEST(RolloverTest, HeadroomWithoutARuleIsForfeitedAndRulesNameTheirLevel) {
  Book book;
  AddHeadroom(book);
  ASSERT_OK_AND_ASSIGN(const RolloverPlan plan,
                       CloseAndRollover(*book.ledger, Rollover(R"({"rules": []})"),
                                        {.actor = "fin", .period = "Q1", .next_period = "Q2"}));
  ASSERT_EQ(plan.settlements.size(), 5u);
  EXPECT_EQ(plan.forfeited_minor, plan.unused_minor);
  const nlohmann::json doc =
      nlohmann::json::parse(R"({"rules": [{"id": "o", "level": "owner", "mode": "carry_all"}]})");
  EXPECT_THAT(MakeRolloverFromParams(PolicyParams(doc, "/rollover"), Cny()),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/rollover/rules/0/level")));
}

TEST(RolloverTest, UnknownPoolsAndMissingTargets) {
  const nlohmann::json doc =
      nlohmann::json::parse(R"({"rules": [{"id": "s", "mode": "sweep", "pool": "nowhere"}]})");
  EXPECT_THAT(MakeRolloverFromParams(PolicyParams(doc, "/rollover"), Cny()),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/rollover/rules/0/pool")));
  RolloverPolicy by_hand;
  by_hand.rules.push_back({.id = "s", .mode = RolloverMode::kSweep, .pool = "nowhere"});
  EXPECT_THAT(PlanRollover(by_hand, "Q1", "Q2", {}, {}, Cny()), StatusIs(ErrorCode::kNotFound));
  Book book;
  const RolloverPolicy carry = Rollover(R"({"rules": [{"id": "a", "mode": "carry_all"}]})");
  EXPECT_THAT(
      CloseAndRollover(*book.ledger, carry, {.actor = "fin", .period = "Q1", .next_period = "Q9"}),
      StatusIs(ErrorCode::kNotFound, HasSubstr("allocate the next period first")));
  // Nothing changed: Q1 is still open.
  EXPECT_EQ(book.Reserve("after", "c1", 100), ledger::Outcome::kApprove);
}

RC_GTEST_PROP(RolloverProperty, EverySettlementConservesMoney, ()) {
  RolloverPolicy policy;
  policy.pools["p"] = {};
  const auto mode = *rc::gen::element(RolloverMode::kForfeit, RolloverMode::kCarryAll,
                                      RolloverMode::kCarryCapped, RolloverMode::kCarryExpiring,
                                      RolloverMode::kCarryDeficit, RolloverMode::kSweep);
  policy.rules.push_back({.id = "r",
                          .mode = mode,
                          .cap_minor = *rc::gen::inRange<int64_t>(0, 100000),
                          .cap_bp = *rc::gen::inRange<int64_t>(0, 10001),
                          .periods = *rc::gen::inRange<int32_t>(1, 4),
                          .pool = "p"});
  std::vector<EnvelopeAtClose> envelopes;
  CarryLots lots;
  const int n = *rc::gen::inRange(1, 20);
  for (int i = 0; i < n; ++i) {
    const int64_t budget = *rc::gen::inRange<int64_t>(0, 1'000'000);
    const int64_t used = *rc::gen::inRange<int64_t>(0, 1'200'000);
    const int64_t moved = *rc::gen::inRange<int64_t>(0, std::max<int64_t>(1, budget - used));
    envelopes.push_back({.customer = "c" + std::to_string(i),
                         .category = "g",
                         .balance = {.budget_minor = budget, .available_minor = budget - used},
                         .moved_minor = std::min(moved, std::max<int64_t>(0, budget - used))});
    lots["c" + std::to_string(i) + "/g"] = {{1, *rc::gen::inRange<int64_t>(0, budget + 1)}};
  }
  const RolloverPlan plan = PlanRollover(policy, "A", "B", envelopes, lots, Cny()).value();
  int64_t total = 0;
  for (const Settlement& s : plan.settlements) {
    RC_ASSERT(s.unused_minor ==
              s.carried_minor + s.forfeited_minor + s.swept_minor + s.moved_minor);
    RC_ASSERT(s.swept_minor >= 0);
    if (s.mode != RolloverMode::kCarryDeficit) RC_ASSERT(s.carried_minor >= 0);
    total += s.unused_minor;
  }
  RC_ASSERT(total == plan.unused_minor);
  RC_ASSERT(plan.unused_minor ==
            plan.carried_minor + plan.forfeited_minor + plan.swept_minor + plan.moved_minor);
}

}  // namespace
}  // namespace upkeep::monitor::testing
