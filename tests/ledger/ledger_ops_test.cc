// Unit tests of the ledger's operations: budgets, reserve, post, void, expire, spend, refund,
// transfer, revise, idempotency, dry-run check, history and replay.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"

namespace upkeep::ledger::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

class LedgerOpsTest : public ::testing::Test {
 protected:
  MemoryJournal journal_;
  std::unique_ptr<Ledger> ledger_ = MakeLedger(&journal_);

  void ExpectReplayMatches() { EXPECT_EQ(ReplayedDump(journal_), ledger_->DumpState()); }
};

TEST_F(LedgerOpsTest, AllocationCreatesEnvelopesWithParentsAsSums) {
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).budget_minor, 100000);
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("A")).budget_minor, 100000);
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B")).budget_minor, 100000);
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).budget_minor, 200000);
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).available_minor, 200000);
  EXPECT_EQ(InvariantViolations(*ledger_), "");
  // A second allocation in another category adds its own tree.
  ASSERT_THAT(ledger_->ApplyAllocation({.op_id = "alloc-visit",
                                        .actor = "fin",
                                        .period = "Q1",
                                        .category = "visit",
                                        .envelopes = {{"c2", "", 700}, {"c3", "", 300}}}),
              IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B", "visit")).budget_minor, 1000);
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope("visit")).budget_minor, 1000);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, ReserveHoldsMoneyAtEveryScopeOnThePath) {
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Reserve(Ask("r1", "c1", 30000)));
  EXPECT_EQ(r.decision.outcome, Outcome::kApprove);
  EXPECT_FALSE(r.replayed);
  for (const ScopeRef& scope : {Envelope("c1"), TierScope("A"), CompanyScope()}) {
    const Balance b = BalanceOf(*ledger_, scope);
    EXPECT_EQ(b.reserved_minor, 30000) << scope.ToString();
    EXPECT_EQ(b.available_minor, b.budget_minor - 30000) << scope.ToString();
  }
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B")).reserved_minor, 0);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, FullPostMovesReservedToSpent) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  ASSERT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  const Balance b = BalanceOf(*ledger_, CompanyScope());
  EXPECT_EQ(b.reserved_minor, 0);
  EXPECT_EQ(b.spent_minor, 30000);
  ASSERT_OK_AND_ASSIGN(ReservationInfo info, ledger_->GetReservation("r1"));
  EXPECT_EQ(info.status, ReservationStatus::kPosted);
  EXPECT_EQ(info.posted_minor, 30000);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, PartialPostReleasesTheRest) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  ASSERT_THAT(
      ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1", .amount = Cny(12000)}),
      IsOk());
  const Balance b = BalanceOf(*ledger_, Envelope("c1"));
  EXPECT_EQ(b.reserved_minor, 0);
  EXPECT_EQ(b.spent_minor, 12000);
  EXPECT_EQ(b.available_minor, 88000);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, VoidReleasesAndBlocksLaterPost) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  ASSERT_THAT(ledger_->Void({.op_id = "v1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).reserved_minor, 0);
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("voided")));
  EXPECT_THAT(ledger_->Void({.op_id = "v2", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState));
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, DoublePostIsInvalidStateButARetryIsNot) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  ASSERT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  const size_t events = journal_.size();
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_EQ(journal_.size(), events);  // a retry applies nothing
  EXPECT_THAT(ledger_->Post({.op_id = "p2", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("posted")));
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).spent_minor, 30000);
}

TEST_F(LedgerOpsTest, ExpireReleasesOnlyReservationsWhoseTimeHasPassed) {
  Request early = Ask("r1", "c1", 10000);
  early.expiry_micros = 5000;
  Request late = Ask("r2", "c1", 20000);
  late.expiry_micros = 9000;
  ASSERT_THAT(ledger_->Reserve(early), IsOk());
  ASSERT_THAT(ledger_->Reserve(late), IsOk());
  ASSERT_THAT(ledger_->Reserve(Ask("r3", "c1", 5000)), IsOk());  // never expires
  EXPECT_EQ(ledger_->Expire("mgr", 4999).value_or(-1), 0);
  EXPECT_EQ(ledger_->Expire("mgr", 5000).value_or(-1), 1);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).reserved_minor, 25000);
  ASSERT_THAT(ledger_->Post({.op_id = "p2", .actor = "mgr", .reservation_id = "r2"}), IsOk());
  EXPECT_EQ(ledger_->Expire("mgr", 100000).value_or(-1), 0);  // r2 already posted
  ASSERT_OK_AND_ASSIGN(ReservationInfo info, ledger_->GetReservation("r1"));
  EXPECT_EQ(info.status, ReservationStatus::kExpired);
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("expired")));
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, SpendIsReserveAndPostInOne) {
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Spend(Ask("s1", "c2", 20000)));
  EXPECT_EQ(r.decision.outcome, Outcome::kApprove);
  const Balance b = BalanceOf(*ledger_, TierScope("B"));
  EXPECT_EQ(b.spent_minor, 20000);
  EXPECT_EQ(b.reserved_minor, 0);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, RefundReturningToBudgetRestoresAvailable) {
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c2", 20000)), IsOk());
  ASSERT_THAT(ledger_->Refund({.op_id = "f1",
                               .actor = "mgr",
                               .target_id = "s1",
                               .amount = Cny(5000),
                               .return_to_budget = true}),
              IsOk());
  Balance b = BalanceOf(*ledger_, Envelope("c2"));
  EXPECT_EQ(b.spent_minor, 15000);
  EXPECT_EQ(b.budget_minor, 50000);
  EXPECT_EQ(b.available_minor, 35000);
  // A reversal refunds the rest, here without returning the money to the budget.
  ASSERT_THAT(ledger_->Refund(
                  {.op_id = "f2", .actor = "mgr", .target_id = "s1", .return_to_budget = false}),
              IsOk());
  b = BalanceOf(*ledger_, Envelope("c2"));
  EXPECT_EQ(b.spent_minor, 0);
  EXPECT_EQ(b.budget_minor, 35000);
  EXPECT_EQ(b.available_minor, 35000);
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).budget_minor, 185000);
  EXPECT_THAT(ledger_->Refund({.op_id = "f3", .actor = "mgr", .target_id = "s1"}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("refunded in full")));
  EXPECT_EQ(InvariantViolations(*ledger_), "");
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, RefundOutOfTheBudgetNeverTakesABudgetBelowZero) {
  // Soft envelopes: c2 (budget 500.00) spends 600.00 while its tier still holds.
  ControlPolicySet soft;
  soft.availability.push_back(
      {.id = "soft", .level = ScopeKind::kCustomer, .mode = ControlMode::kWarn});
  ASSERT_THAT(ledger_->SetPolicies("admin", soft), IsOk());
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c2", 60000)), IsOk());
  // A refund of 600.00 that leaves the budget cannot come out of a 500.00 budget.
  const std::string before = ledger_->DumpState();
  EXPECT_THAT(ledger_->Refund(
                  {.op_id = "f1", .actor = "mgr", .target_id = "s1", .return_to_budget = false}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("refund it to the budget instead")));
  EXPECT_EQ(ledger_->DumpState(), before);
  // Returned to the budget, the same refund is fine.
  EXPECT_THAT(
      ledger_->Refund({.op_id = "f2", .actor = "mgr", .target_id = "s1", .return_to_budget = true}),
      IsOk());
  EXPECT_EQ(InvariantViolations(*ledger_), "");
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, RefundOfAnOpenReservationIsInvalidState) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  EXPECT_THAT(ledger_->Refund({.op_id = "f1", .actor = "mgr", .target_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("not spent")));
  ASSERT_THAT(
      ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1", .amount = Cny(10000)}),
      IsOk());
  EXPECT_THAT(
      ledger_->Refund({.op_id = "f1", .actor = "mgr", .target_id = "r1", .amount = Cny(10001)}),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("only 100.00")));
  EXPECT_THAT(ledger_->Refund({.op_id = "f1", .actor = "mgr", .target_id = "r1"}), IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).spent_minor, 0);
}

TEST_F(LedgerOpsTest, TransferMovesBudgetAndKeepsParentsAsSums) {
  ASSERT_THAT(ledger_->Transfer({.op_id = "t1",
                                 .actor = "fin",
                                 .from = Envelope("c1"),
                                 .to = Envelope("c3"),
                                 .amount = Cny(25000),
                                 .reason = "c3 renewal"}),
              IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).budget_minor, 75000);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c3")).budget_minor, 75000);
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("A")).budget_minor, 75000);
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B")).budget_minor, 125000);
  EXPECT_EQ(BalanceOf(*ledger_, CompanyScope()).budget_minor, 200000);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).budget_version, 2);
  EXPECT_EQ(InvariantViolations(*ledger_), "");
  // Not more than is available.
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c3", 70000)), IsOk());
  EXPECT_THAT(ledger_->Transfer({.op_id = "t2",
                                 .actor = "fin",
                                 .from = Envelope("c3"),
                                 .to = Envelope("c2"),
                                 .amount = Cny(5001),
                                 .reason = "x"}),
              StatusIs(ErrorCode::kInsufficientFunds, HasSubstr("50.00 available")));
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, ReviseMakesANewVersionAndKeepsTheOldInHistory) {
  // The tier has no unallocated money, so the envelope cannot grow before the tier does.
  EXPECT_THAT(ledger_->Revise({.op_id = "v1",
                               .actor = "fin",
                               .scope = Envelope("c1"),
                               .budget = Cny(120000),
                               .reason = "more"}),
              StatusIs(ErrorCode::kInsufficientFunds, HasSubstr("revise the parent first")));
  ASSERT_THAT(ledger_->Revise({.op_id = "v1",
                               .actor = "fin",
                               .scope = CompanyScope(),
                               .budget = Cny(220000),
                               .reason = "more"}),
              IsOk());
  ASSERT_THAT(ledger_->Revise({.op_id = "v2",
                               .actor = "fin",
                               .scope = TierScope("A"),
                               .budget = Cny(120000),
                               .reason = "more"}),
              IsOk());
  ASSERT_THAT(ledger_->Revise({.op_id = "v3",
                               .actor = "fin",
                               .scope = Envelope("c1"),
                               .budget = Cny(120000),
                               .reason = "key account"}),
              IsOk());
  const Balance b = BalanceOf(*ledger_, Envelope("c1"));
  EXPECT_EQ(b.budget_minor, 120000);
  EXPECT_EQ(b.budget_version, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<Event> history, ledger_->History(Envelope("c1")));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].amount_minor, 100000);  // version 1 is kept
  EXPECT_EQ(history[1].amount_minor, 120000);
  EXPECT_EQ(history[1].reason, "key account");
  EXPECT_EQ(history[1].actor, "fin");
  // Not below what children hold, nor below what is used.
  EXPECT_THAT(ledger_->Revise({.op_id = "v4",
                               .actor = "fin",
                               .scope = TierScope("A"),
                               .budget = Cny(100000),
                               .reason = "less"}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("children hold")));
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c1", 60000)), IsOk());
  EXPECT_THAT(ledger_->Revise({.op_id = "v5",
                               .actor = "fin",
                               .scope = Envelope("c1"),
                               .budget = Cny(50000),
                               .reason = "less"}),
              StatusIs(ErrorCode::kInsufficientFunds, HasSubstr("reserved and spent")));
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, HistoryOfAParentIncludesItsChildrensMovements) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c2", 100)), IsOk());
  ASSERT_THAT(ledger_->Reserve(Ask("r2", "c1", 100)), IsOk());
  ASSERT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  ASSERT_OK_AND_ASSIGN(std::vector<Event> history, ledger_->History(TierScope("B")));
  ASSERT_EQ(history.size(), 3u);  // budget, r1, p1
  EXPECT_EQ(history[0].kind, EventKind::kBudgetSet);
  EXPECT_EQ(history[1].op_id, "r1");
  EXPECT_EQ(history[2].kind, EventKind::kPosted);
}

TEST_F(LedgerOpsTest, RetryWithTheSamePayloadReturnsTheFirstResult) {
  ASSERT_OK_AND_ASSIGN(Result first, ledger_->Reserve(Ask("r1", "c1", 30000)));
  const size_t events = journal_.size();
  ASSERT_OK_AND_ASSIGN(Result again, ledger_->Reserve(Ask("r1", "c1", 30000)));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.decision.outcome, first.decision.outcome);
  EXPECT_EQ(journal_.size(), events);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c1")).reserved_minor, 30000);
}

// An allocation retried with its op id (a host that lost the answer) is the first result again,
// although its envelopes now have budgets; a new op id for them is kAlreadyExists.
TEST_F(LedgerOpsTest, AnAllocationRetriedWithItsOpIdChangesNothing) {
  const AllocationRequest visit{.op_id = "alloc-visit",
                                .actor = "fin",
                                .period = "Q1",
                                .category = "visit",
                                .envelopes = {{"c2", "", 700}, {"c3", "", 300}}};
  ASSERT_THAT(ledger_->ApplyAllocation(visit), IsOk());
  const std::string before = ledger_->DumpState();
  const size_t events = journal_.size();
  EXPECT_THAT(ledger_->ApplyAllocation(visit), IsOk());
  EXPECT_EQ(journal_.size(), events);
  EXPECT_EQ(ledger_->DumpState(), before);
  AllocationRequest again = visit;
  again.op_id = "alloc-visit-2";
  EXPECT_THAT(ledger_->ApplyAllocation(again),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("c2 already has a budget")));
  again.op_id = "alloc-visit";
  again.envelopes[0].amount_minor = 701;
  EXPECT_THAT(ledger_->ApplyAllocation(again), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(ledger_->DumpState(), before);
}

TEST_F(LedgerOpsTest, SameIdWithAnotherPayloadIsAConflict) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  const std::string before = ledger_->DumpState();
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c1", 30001)),
              StatusIs(ErrorCode::kIdempotencyConflict, HasSubstr("r1")));
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c2", 30000)), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_THAT(ledger_->Spend(Ask("r1", "c1", 30000)), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_THAT(ledger_->Void({.op_id = "r1", .actor = "mgr", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(ledger_->DumpState(), before);
}

TEST_F(LedgerOpsTest, RejectedRequestChangesNothingAndLeavesItsIdFree) {
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Reserve(Ask("r1", "c2", 50001)));
  EXPECT_EQ(r.decision.outcome, Outcome::kReject);
  ASSERT_EQ(r.decision.reasons.size(), 1u);
  const Reason& reason = r.decision.reasons[0];
  EXPECT_EQ(reason.rule_id, "default-block");
  EXPECT_EQ(reason.scope, Envelope("c2"));
  EXPECT_EQ(reason.shortfall_minor, 1);
  EXPECT_EQ(reason.balance.available_minor, 50000);
  EXPECT_THAT(reason.remedy, HasSubstr("with at most 500.00"));
  EXPECT_THAT(r.decision.Explain(), HasSubstr("reject"));
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).reserved_minor, 0);
  ASSERT_OK_AND_ASSIGN(Result retry, ledger_->Reserve(Ask("r1", "c2", 50000)));
  EXPECT_EQ(retry.decision.outcome, Outcome::kApprove);
}

TEST_F(LedgerOpsTest, AllOrNothingAcrossScopes) {
  // The company has room, the tier B has room, but c2's envelope does not: nothing is held.
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Reserve(Ask("r1", "c2", 60000)));
  EXPECT_EQ(r.decision.outcome, Outcome::kReject);
  for (const ScopeRef& scope : {Envelope("c2"), TierScope("B"), CompanyScope()}) {
    EXPECT_EQ(BalanceOf(*ledger_, scope).reserved_minor, 0) << scope.ToString();
  }
}

TEST_F(LedgerOpsTest, CheckGivesTheSameDecisionAndChangesNothing) {
  const std::string before = ledger_->DumpState();
  const size_t events = journal_.size();
  for (int64_t amount : {100, 50000, 50001, 200000}) {
    ASSERT_OK_AND_ASSIGN(Result checked, ledger_->Check(Ask("x", "c2", amount)));
    EXPECT_EQ(ledger_->DumpState(), before);
    EXPECT_EQ(journal_.size(), events);
    MemoryJournal other_journal;
    auto other = MakeLedger(&other_journal);
    ASSERT_OK_AND_ASSIGN(Result reserved, other->Reserve(Ask("x", "c2", amount)));
    EXPECT_EQ(checked.decision.outcome, reserved.decision.outcome) << amount;
    EXPECT_EQ(checked.decision.Explain(), reserved.decision.Explain()) << amount;
  }
  ASSERT_OK_AND_ASSIGN(Result explained, ledger_->Check([] {
    Request r = Ask("x", "c2", 100);
    r.explain = true;
    return r;
  }()));
  EXPECT_EQ(explained.decision.reasons.size(), 3u);  // one per scope on the path
}

TEST_F(LedgerOpsTest, DimensionBudgetsCrossTheTree) {
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c1", 10000)), IsOk());
  ASSERT_THAT(ledger_->SetDimensionBudget({.op_id = "d1",
                                           .actor = "fin",
                                           .scope = {.period = "Q1",
                                                     .kind = ScopeKind::kRegion,
                                                     .key = "north",
                                                     .category = "gift"},
                                           .budget = Cny(30000)}),
              IsOk());
  const ScopeRef north{
      .period = "Q1", .kind = ScopeKind::kRegion, .key = "north", .category = "gift"};
  EXPECT_EQ(BalanceOf(*ledger_, north).spent_minor, 10000);  // counts what was spent before
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Reserve(Ask("r1", "c3", 25000)));  // c3 is north too
  EXPECT_EQ(r.decision.outcome, Outcome::kReject);
  ASSERT_EQ(r.decision.reasons.size(), 1u);
  EXPECT_EQ(r.decision.reasons[0].scope, north);
  ASSERT_OK_AND_ASSIGN(r, ledger_->Reserve(Ask("r2", "c2", 25000)));  // c2 is south
  EXPECT_EQ(r.decision.outcome, Outcome::kApprove);
  ExpectReplayMatches();
}

TEST_F(LedgerOpsTest, ReplayRebuildsTheSameStateAndJournal) {
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 30000)), IsOk());
  ASSERT_THAT(
      ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1", .amount = Cny(100)}),
      IsOk());
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c3", 700)), IsOk());
  MemoryJournal copy;
  ASSERT_OK_AND_ASSIGN(auto replayed,
                       Ledger::Replay(journal_, {.currency = Cny(), .journal = &copy}));
  EXPECT_EQ(replayed->DumpState(), ledger_->DumpState());
  EXPECT_EQ(copy.Seal(), journal_.Seal());
  // The replayed ledger carries on: the ids stay used.
  ASSERT_OK_AND_ASSIGN(Result r, replayed->Reserve(Ask("r1", "c1", 30000)));
  EXPECT_TRUE(r.replayed);
  EXPECT_THAT(replayed->Reserve(Ask("r1", "c1", 1)), StatusIs(ErrorCode::kIdempotencyConflict));
}

}  // namespace
}  // namespace upkeep::ledger::testing
