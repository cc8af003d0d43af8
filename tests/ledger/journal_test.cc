// The memory journal: appends, sealing, and tamper detection by Verify.
#include "upkeep/ledger/journal.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::ledger::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = MakeLedger(&journal_);
    ASSERT_THAT(ledger_->Reserve(Ask("r1", "c1", 100)), IsOk());
    ASSERT_THAT(ledger_->Spend(Ask("s1", "c2", 200)), IsOk());
    head_ = journal_.Seal();
  }
  MemoryJournal journal_;
  std::unique_ptr<Ledger> ledger_;
  Digest head_{};
};

TEST_F(JournalTest, AppendNeedsTheNextSeq) {
  Event event;
  event.seq = journal_.size() + 1;
  EXPECT_THAT(journal_.Append(event), StatusIs(ErrorCode::kInvalidArgument, HasSubstr("seq")));
}

TEST_F(JournalTest, SealIsStableAndVerifies) {
  EXPECT_EQ(journal_.Seal(), head_);
  EXPECT_THAT(journal_.Verify(), IsOk());
  ASSERT_THAT(ledger_->Spend(Ask("s2", "c2", 1)), IsOk());
  const Digest next = journal_.Seal();
  EXPECT_NE(next, head_);
  EXPECT_THAT(journal_.Verify(), IsOk());
}

TEST_F(JournalTest, AuditRecordsWhoWhatWhenWhy) {
  std::vector<Event> events;
  ASSERT_THAT(journal_.ForEach(0,
                               [&](const Event& e) {
                                 events.push_back(e);
                                 return absl::OkStatus();
                               }),
              IsOk());
  const Event& spend = events.back();
  EXPECT_EQ(spend.kind, EventKind::kSpent);
  EXPECT_EQ(spend.actor, "mgr");
  EXPECT_EQ(spend.op_id, "s1");
  EXPECT_EQ(spend.scope, Envelope("c2"));
  EXPECT_GT(spend.time_micros, events.front().time_micros);
}

TEST_F(JournalTest, VerifyNamesTheFirstAlteredEntry) {
  const uint64_t victim = 5;
  std::string bytes = journal_.BytesForTesting(victim);
  bytes.back() ^= 1;
  journal_.ReplaceBytesForTesting(victim, bytes);
  EXPECT_THAT(journal_.Verify(), StatusIs(ErrorCode::kCorrupt, HasSubstr("entry 5 altered")));
}

TEST_F(JournalTest, VerifyNamesARemovedEntry) {
  journal_.EraseForTesting(7);
  EXPECT_THAT(journal_.Verify(), StatusIs(ErrorCode::kCorrupt, HasSubstr("entry 7 removed")));
}

TEST_F(JournalTest, VerifyFindsARemovedLastEntry) {
  journal_.EraseForTesting(journal_.size() - 1);
  EXPECT_THAT(journal_.Verify(),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("entry " + std::to_string(journal_.size()) + " removed")));
}

TEST_F(JournalTest, AReplacedEventWithValidBytesIsStillCaught) {
  // A forger re-encodes entry 3 with another amount: decodable, but the chain breaks.
  absl::StatusOr<Event> event = DecodeEvent(journal_.BytesForTesting(3));
  ASSERT_TRUE(event.ok());
  event->reason = "forged";
  std::string bytes;
  EncodeEvent(*event, &bytes);
  journal_.ReplaceBytesForTesting(3, bytes);
  EXPECT_THAT(journal_.Verify(), StatusIs(ErrorCode::kCorrupt, HasSubstr("entry 3 altered")));
}

TEST_F(JournalTest, ReplayOfACorruptJournalFails) {
  journal_.ReplaceBytesForTesting(2, "\x01");
  MemoryJournal copy;
  EXPECT_THAT(Ledger::Replay(journal_, {.currency = Cny(), .journal = &copy}),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 2")));
}

}  // namespace
}  // namespace upkeep::ledger::testing
