// Governance: roles, ownership, permission checks on every call, and approvals.
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

class GovernanceTest : public ::testing::Test {
 protected:
  void RequireApprovalOverBudget() {
    ControlPolicySet set;
    set.availability.push_back(
        {.id = "ask", .level = ScopeKind::kCustomer, .mode = ControlMode::kRequireApproval});
    ASSERT_THAT(ledger_->SetPolicies("admin", set), IsOk());
  }
  MemoryJournal journal_;
  std::unique_ptr<Ledger> ledger_ = MakeLedger(&journal_);
};

TEST_F(GovernanceTest, AccountManagersActOnlyForTheirOwnCustomers) {
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c1", 100, "amy")), IsOk());
  EXPECT_THAT(ledger_->Reserve(Ask("r2", "c3", 100, "amy")),
              StatusIs(ErrorCode::kPermissionDenied, HasSubstr("c3 is not theirs")));
  EXPECT_THAT(ledger_->Check(Ask("r2", "c3", 100, "amy")), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "bob", .reservation_id = "r1"}),
              StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->Post({.op_id = "p1", .actor = "amy", .reservation_id = "r1"}), IsOk());
  EXPECT_THAT(ledger_->Spend(Ask("s1", "c3", 100, "bob")), IsOk());
}

TEST_F(GovernanceTest, EachRoleHasItsPowers) {
  const Money m = Cny(100);
  EXPECT_THAT(ledger_->Transfer({.op_id = "t1",
                                 .actor = "mgr",
                                 .from = Envelope("c1"),
                                 .to = Envelope("c2"),
                                 .amount = m,
                                 .reason = "x"}),
              StatusIs(ErrorCode::kPermissionDenied, HasSubstr("needs finance")));
  EXPECT_THAT(ledger_->Revise({.op_id = "v1",
                               .actor = "amy",
                               .scope = CompanyScope(),
                               .budget = Cny(300000),
                               .reason = "x"}),
              StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->ClosePeriod("mgr", "Q1"), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->DefineCustomer("fin", {"c9", "A", "", ""}),
              StatusIs(ErrorCode::kPermissionDenied, HasSubstr("needs admin")));
  EXPECT_THAT(ledger_->SetPolicies("fin", {}), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->Expire("amy", 0), StatusIs(ErrorCode::kPermissionDenied));
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c1", 100, "amy")), IsOk());
  EXPECT_THAT(ledger_->Refund({.op_id = "f1", .actor = "amy", .target_id = "s1"}),
              StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger_->Transfer({.op_id = "t1",
                                 .actor = "fin",
                                 .from = Envelope("c1"),
                                 .to = Envelope("c2"),
                                 .amount = m,
                                 .reason = "x"}),
              IsOk());
  EXPECT_THAT(ledger_->Refund({.op_id = "f1", .actor = "mgr", .target_id = "s1"}), IsOk());
  EXPECT_THAT(ledger_->ClosePeriod("fin", "Q2"), IsOk());
}

TEST_F(GovernanceTest, UnknownActorIsNotFound) {
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c1", 100, "eve")),
              StatusIs(ErrorCode::kNotFound, HasSubstr("actor 'eve'")));
}

TEST_F(GovernanceTest, ApprovalByAnotherActorAppliesTheRequest) {
  RequireApprovalOverBudget();
  ASSERT_OK_AND_ASSIGN(Result r, ledger_->Reserve(Ask("r1", "c2", 60000, "mgr")));
  EXPECT_EQ(r.decision.outcome, Outcome::kNeedsApproval);
  ASSERT_OK_AND_ASSIGN(Result again, ledger_->Reserve(Ask("r1", "c2", 60000, "mgr")));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.decision.outcome, Outcome::kNeedsApproval);
  std::vector<PendingApproval> pending = ledger_->PendingApprovals();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].approval_id, "r1");
  EXPECT_EQ(pending[0].requester, "mgr");
  EXPECT_EQ(pending[0].amount_minor, 60000);

  EXPECT_THAT(ledger_->Approve({.actor = "mgr", .approval_id = "r1"}),
              StatusIs(ErrorCode::kPermissionDenied, HasSubstr("own request")));
  EXPECT_THAT(ledger_->Approve({.actor = "amy", .approval_id = "r1"}),
              StatusIs(ErrorCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(Decision d,
                       ledger_->Approve({.actor = "mgr2", .approval_id = "r1", .reason = "ok"}));
  EXPECT_EQ(d.outcome, Outcome::kApproveWithWarning);
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).reserved_minor, 60000);
  EXPECT_TRUE(ledger_->PendingApprovals().empty());
  EXPECT_THAT(ledger_->Approve({.actor = "mgr2", .approval_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState));
  ASSERT_THAT(ledger_->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).spent_minor, 60000);
  EXPECT_EQ(ReplayedDump(journal_), ledger_->DumpState());
}

TEST_F(GovernanceTest, AnApprovedRequestKeepsWhoAskedAndWhy) {
  RequireApprovalOverBudget();
  Request asked = Ask("r1", "c2", 60000, "mgr");
  asked.reason = "client dinner";
  ASSERT_THAT(ledger_->Reserve(asked), IsOk());
  ASSERT_THAT(ledger_->Approve({.actor = "mgr2", .approval_id = "r1", .reason = "ok"}), IsOk());
  // Retried as it was asked, it is the same request, now approved.
  ASSERT_OK_AND_ASSIGN(const Result again, ledger_->Reserve(asked));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.decision.outcome, Outcome::kApproveWithWarning);
  // By the approver, or with the approval's reason, it is another request under the same id.
  EXPECT_THAT(ledger_->Reserve(Ask("r1", "c2", 60000, "mgr2")),
              StatusIs(ErrorCode::kIdempotencyConflict));
  Request other_reason = asked;
  other_reason.reason = "ok";
  EXPECT_THAT(ledger_->Reserve(other_reason), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(ReplayedDump(journal_), ledger_->DumpState());
}

TEST_F(GovernanceTest, AnApprovedSpendKeepsWhoAskedAndWhy) {
  RequireApprovalOverBudget();
  Request asked = Ask("s1", "c2", 60000, "mgr");
  asked.reason = "client dinner";
  ASSERT_OK_AND_ASSIGN(const Result first, ledger_->Spend(asked));
  EXPECT_EQ(first.decision.outcome, Outcome::kNeedsApproval);
  ASSERT_THAT(ledger_->Approve({.actor = "mgr2", .approval_id = "s1"}), IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).spent_minor, 60000);
  ASSERT_OK_AND_ASSIGN(const Result again, ledger_->Spend(asked));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.decision.outcome, Outcome::kApproveWithWarning);
  Request other_reason = asked;
  other_reason.reason = "another dinner";
  EXPECT_THAT(ledger_->Spend(other_reason), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).spent_minor, 60000);
  EXPECT_EQ(ReplayedDump(journal_), ledger_->DumpState());
}

TEST_F(GovernanceTest, RejectedApprovalNeverApplies) {
  RequireApprovalOverBudget();
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c2", 60000, "amy")), IsOk());
  ASSERT_THAT(ledger_->RejectApproval({.actor = "fin", .approval_id = "s1", .reason = "no"}),
              IsOk());
  EXPECT_EQ(BalanceOf(*ledger_, Envelope("c2")).spent_minor, 0);
  EXPECT_THAT(ledger_->Approve({.actor = "mgr", .approval_id = "s1"}),
              StatusIs(ErrorCode::kInvalidState));
  ASSERT_OK_AND_ASSIGN(Result retry, ledger_->Spend(Ask("s1", "c2", 60000, "amy")));
  EXPECT_EQ(retry.decision.outcome, Outcome::kReject);
  EXPECT_EQ(ReplayedDump(journal_), ledger_->DumpState());
}

TEST_F(GovernanceTest, ApprovalIsDecidedAgainAndHardLimitsStillHold) {
  RequireApprovalOverBudget();
  ASSERT_THAT(ledger_->Reserve(Ask("r1", "c2", 60000)), IsOk());  // needs approval
  // Meanwhile tier B fills up: approving r1 would take it below zero, so it is rejected.
  ASSERT_THAT(ledger_->Spend(Ask("s1", "c3", 50000)), IsOk());
  ASSERT_OK_AND_ASSIGN(Decision d, ledger_->Approve({.actor = "fin", .approval_id = "r1"}));
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_THAT(d.Explain(), HasSubstr("tier:B"));
  EXPECT_EQ(ledger_->PendingApprovals().size(), 1u);
  EXPECT_EQ(BalanceOf(*ledger_, TierScope("B")).reserved_minor, 0);
}

}  // namespace
}  // namespace upkeep::ledger::testing
