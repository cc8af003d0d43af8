// Observers: told about every applied event with the scopes it changed (live and replayed),
// ScopeId <-> ScopeRef, DescribeScope from inside a callback; envelope handles.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"

namespace upkeep::ledger::testing {
namespace {

using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

struct Seen {
  EventKind kind;
  bool replayed;
  std::vector<ScopeChange> changed;
};

class Recorder : public LedgerObserver {
 public:
  void OnApplied(const Event& event, std::span<const ScopeChange> changed) override {
    seen.push_back({event.kind, false, {changed.begin(), changed.end()}});
    if (ledger != nullptr) {
      for (const ScopeChange& change : changed) {
        absl::StatusOr<ScopeRef> ref = ledger->DescribeScope(change.scope);
        described.push_back(ref.ok() ? ref->ToString() : "?");
      }
    }
  }
  void OnReplayed(const Event& event, std::span<const ScopeChange> changed) override {
    seen.push_back({event.kind, true, {changed.begin(), changed.end()}});
  }
  const Ledger* ledger = nullptr;
  std::vector<Seen> seen;
  std::vector<std::string> described;
};

TEST(ObserverTest, SeesEachEventWithTheBalancesItChanged) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Recorder recorder;
  recorder.ledger = ledger.get();
  ledger->AddObserver(&recorder);
  ASSERT_THAT(ledger->Reserve(Ask("r1", "c1", 30000)).status(), IsOk());
  ASSERT_EQ(recorder.seen.size(), 1u);
  EXPECT_EQ(recorder.seen[0].kind, EventKind::kReserved);
  EXPECT_FALSE(recorder.seen[0].replayed);
  ASSERT_EQ(recorder.seen[0].changed.size(), 3u);  // envelope, tier, company
  const ScopeChange& envelope = recorder.seen[0].changed[0];
  EXPECT_EQ(envelope.kind, ScopeKind::kCustomer);
  EXPECT_EQ(envelope.balance, BalanceOf(*ledger, Envelope("c1")));
  EXPECT_EQ(envelope.balance.reserved_minor, 30000);
  EXPECT_EQ(ledger->FindScopeId(Envelope("c1")).value(), envelope.scope);
  EXPECT_EQ(ledger->DescribeScope(envelope.scope).value(), Envelope("c1"));
  EXPECT_THAT(recorder.described,
              ::testing::ElementsAre("Q1/customer:c1/gift", "Q1/tier:A/gift", "Q1/company/gift"));
  EXPECT_THAT(ledger->DescribeScope(1'000'000).status(), StatusIs(ErrorCode::kNotFound));

  // A definition changes no balance; the observer still hears of it.
  ASSERT_THAT(ledger->DefineCategory("admin", "event"), IsOk());
  EXPECT_EQ(recorder.seen.back().kind, EventKind::kCategoryDefined);
  EXPECT_TRUE(recorder.seen.back().changed.empty());

  // A rejected request applies nothing, so nothing is announced.
  const size_t before = recorder.seen.size();
  ASSERT_EQ(ledger->Reserve(Ask("r2", "c1", 1'000'000)).value().decision.outcome, Outcome::kReject);
  EXPECT_EQ(recorder.seen.size(), before);
}

TEST(ReadBalancesTest, ReadsTheBalancesOfScopesAtOnePointOfTheJournal) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ASSERT_THAT(ledger->Reserve(Ask("r1", "c1", 30000)).status(), IsOk());
  const ScopeId c1 = ledger->FindScopeId(Envelope("c1")).value();
  std::vector<ScopeChange> read;
  const ScopeId wanted[] = {c1};
  EXPECT_EQ(ledger->ReadBalances(std::span<const ScopeId>(wanted), &read).value(), journal.size());
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].scope, c1);
  EXPECT_EQ(read[0].kind, ScopeKind::kCustomer);
  EXPECT_EQ(read[0].balance, BalanceOf(*ledger, Envelope("c1")));

  // Every scope, in id order, each as Scopes() shows it.
  EXPECT_EQ(ledger->ReadBalances(std::nullopt, &read).value(), journal.size());
  const std::vector<ScopeSnapshot> scopes = ledger->Scopes();
  ASSERT_EQ(read.size(), scopes.size());
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].scope, i);
    EXPECT_EQ(read[i].balance, scopes[i].balance) << i;
  }

  // An id that names no scope: kNotFound, and nothing read.
  const ScopeId bad[] = {c1, 1'000'000};
  EXPECT_THAT(ledger->ReadBalances(std::span<const ScopeId>(bad), &read).status(),
              StatusIs(ErrorCode::kNotFound, ::testing::HasSubstr("1000000")));
  EXPECT_TRUE(read.empty());
}

TEST(ObserverTest, ReplayCallsOnReplayedForEveryEvent) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ASSERT_THAT(ledger->Reserve(Ask("r1", "c1", 30000)).status(), IsOk());
  Recorder recorder;
  MemoryJournal copy;
  ASSERT_THAT(
      Ledger::Replay(journal, {.currency = Cny(), .journal = &copy, .observers = {&recorder}})
          .status(),
      IsOk());
  ASSERT_EQ(recorder.seen.size(), journal.size());
  for (const Seen& seen : recorder.seen) EXPECT_TRUE(seen.replayed);
  EXPECT_EQ(recorder.seen.back().kind, EventKind::kReserved);
  EXPECT_EQ(recorder.seen.back().changed.size(), 3u);
}

TEST(EnvelopeHandleTest, AHandleNamesTheSameEnvelopeAsItsNames) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  absl::StatusOr<EnvelopeHandle> handle = ledger->ResolveEnvelope("Q1", "c2", "gift");
  ASSERT_THAT(handle.status(), IsOk());
  ASSERT_THAT(
      ledger->Reserve({.op_id = "r1", .actor = "mgr", .envelope = *handle, .amount = Cny(100)})
          .status(),
      IsOk());
  EXPECT_EQ(BalanceOf(*ledger, Envelope("c2")).reserved_minor, 100);
  // The journal names the envelope: replay gives the same state.
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
  // A retry by names is the same payload.
  EXPECT_TRUE(ledger->Reserve(Ask("r1", "c2", 100)).value().replayed);
  EXPECT_THAT(ledger->ResolveEnvelope("Q1", "c2", "visit").status(),
              StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(
      ledger
          ->Reserve(
              {.op_id = "r2", .actor = "mgr", .envelope = {.envelope = 999}, .amount = Cny(100)})
          .status(),
      StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(ledger
                  ->Reserve({.op_id = "r3",
                             .actor = "mgr",
                             .customer = "c2",
                             .envelope = *handle,
                             .amount = Cny(100)})
                  .status(),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(
      ledger->Check({.op_id = "r4", .actor = "amy", .envelope = *handle, .amount = Cny(100)})
          .status(),
      IsOk());
  EXPECT_THAT(
      ledger->Check({.op_id = "r4", .actor = "bob", .envelope = *handle, .amount = Cny(100)})
          .status(),
      StatusIs(ErrorCode::kPermissionDenied));
}

}  // namespace
}  // namespace upkeep::ledger::testing
