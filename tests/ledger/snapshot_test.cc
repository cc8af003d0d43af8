// Snapshots and restore, atomic batches, journaled policies, withdrawn approvals.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/sha256.h"
#include "ledger_fixture.h"
#include "nlohmann/json.hpp"
#include "snapshot_format1.h"
#include "snapshot_format2.h"
#include "upkeep/policy_params.h"

namespace upkeep::ledger::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

ControlPolicySet Policies(const std::string& text) {
  const nlohmann::json document = nlohmann::json::parse(text);
  return ParseControlPolicies(PolicyParams(document, ""), Cny(), {}).value();
}

// Some of every kind of state: policies, reservations open and posted, a pending approval,
// an expiry, a transfer, a refund, a dimension budget.
void Exercise(Ledger& ledger) {
  const auto ok = [](const absl::Status& status) { ASSERT_TRUE(status.ok()) << status; };
  ok(ledger.SetPolicies("admin", Policies(R"({
      "availability": [{"id": "c2-soft", "level": "customer", "key": "c2", "mode": "tolerance",
                        "tolerance_pct": "10", "tolerance_amount": "5.00"}],
      "limits": [{"id": "big", "per_request_max": "600.00", "action": "require_approval"}],
      "closed_periods": ["Q2"]})")));
  ok(ledger.Reserve(Ask("r1", "c1", 10000)).status());
  ok(ledger.Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}));
  Request expiring = Ask("r2", "c2", 2000);
  expiring.expiry_micros = 5'000;
  ok(ledger.Reserve(expiring).status());
  Request expires_later = Ask("r4", "c3", 1000);
  expires_later.expiry_micros = 6'000;
  ok(ledger.Reserve(expires_later).status());
  ok(ledger.Reserve(Ask("r3", "c1", 70000)).status());  // needs approval
  ok(ledger.Spend(Ask("s1", "c3", 3000)).status());
  ok(ledger.Refund({.op_id = "f1", .actor = "mgr", .target_id = "s1", .amount = Cny(1000)}));
  ok(ledger.Transfer({.op_id = "t1",
                      .actor = "fin",
                      .from = Envelope("c3"),
                      .to = Envelope("c2"),
                      .amount = Cny(500),
                      .reason = "move"}));
  ok(ledger.SetDimensionBudget(
      {.op_id = "d1",
       .actor = "fin",
       .scope = {.period = "Q1", .kind = ScopeKind::kRegion, .key = "north", .category = "gift"},
       .budget = Cny(200000)}));
}

TEST(SnapshotTest, RestoreEqualsFullReplay) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  absl::StatusOr<std::string> snapshot = ledger->WriteSnapshot();
  ASSERT_THAT(snapshot.status(), IsOk());
  // More events after the snapshot: restore must replay them.
  ASSERT_THAT(
      ledger->Post({.op_id = "p2", .actor = "mgr", .reservation_id = "r2", .amount = Cny(1500)}),
      IsOk());
  ASSERT_THAT(ledger->Expire("mgr", 10'000).status(), IsOk());
  ASSERT_THAT(ledger->SetPolicies("admin", Policies(R"({"closed_periods": []})")), IsOk());

  absl::StatusOr<std::unique_ptr<Ledger>> restored =
      Ledger::Restore(*snapshot, {.currency = Cny(), .journal = &journal});
  ASSERT_THAT(restored.status(), IsOk());
  EXPECT_EQ((*restored)->DumpState(), ledger->DumpState());
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
  EXPECT_EQ(InvariantViolations(**restored), "");

  // The restored ledger goes on from there, journaling into the same journal.
  ASSERT_THAT((*restored)->Reserve(Ask("r9", "c2", 100)).status(), IsOk());
  EXPECT_EQ(ReplayedDump(journal), (*restored)->DumpState());
}

// The bytes of a snapshot are a stored format (a book keeps its snapshots across versions):
// the same state gives the same bytes as the encoder this digest was taken from.
TEST(SnapshotTest, TheSameStateGivesTheSameBytes) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  absl::StatusOr<std::string> snapshot = ledger->WriteSnapshot();
  ASSERT_THAT(snapshot.status(), IsOk());
  EXPECT_EQ(DigestHex(Sha256Of(*snapshot)),
            "195af13a61e4b5dcc9f8ef6ba4d9f294246fdf950f1ed0c6a4511a02e2dc7a5e");
}

// Snapshots earlier versions stored (format 1: names whole, operations unpacked; format 2: every
// field of an operation written) load into the same state as the one written now, which is
// smaller than either.
TEST(SnapshotTest, EarlierFormatsStillLoad) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  ASSERT_OK_AND_ASSIGN(const std::string now, ledger->WriteSnapshot());
  ASSERT_OK_AND_ASSIGN(const Ledger::SnapshotInfo info, Ledger::ReadSnapshotInfo(now));
  EXPECT_EQ(info.format, 3u);
  const std::pair<uint64_t, std::string_view> earlier[] = {{1, kSnapshotFormat1Hex},
                                                           {2, kSnapshotFormat2Hex}};
  for (const auto& [format, hex] : earlier) {
    const std::string stored = absl::HexStringToBytes(AsAbsl(hex));
    ASSERT_OK_AND_ASSIGN(const Ledger::SnapshotInfo stored_info, Ledger::ReadSnapshotInfo(stored));
    EXPECT_EQ(stored_info.format, format);
    absl::StatusOr<std::unique_ptr<Ledger>> restored =
        Ledger::Restore(stored, {.currency = Cny(), .journal = &journal});
    ASSERT_THAT(restored.status(), IsOk()) << "format " << format;
    EXPECT_EQ((*restored)->DumpState(), ledger->DumpState()) << "format " << format;
    EXPECT_LT(now.size(), stored.size()) << "format " << format;
  }
}

// An operation's record leaves out what it does not hold, and a month it can be told: a
// reserve's or spend's when it is that of the reserve or spend before it, any other's when it
// is 0. Reserves and spends months apart (the clock going back too), with posts, a refund and a
// transfer between them, with and without an expiry, a posted amount, a refund, a reason's text
// and a reference, come back as they were.
TEST(SnapshotTest, OperationsComeBackWithTheirMonthsAndFields) {
  MemoryJournal journal;
  auto now = std::make_shared<int64_t>(1'700'000'000'000'000);
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal, now);
  constexpr int64_t kMonthMicros = int64_t{31} * 24 * 3600 * 1'000'000;
  ASSERT_THAT(ledger->Spend(Ask("s1", "c1", 100)).status(), IsOk());
  *now += 2 * kMonthMicros;
  Request expiring = Ask("r1", "c2", 200);
  expiring.expiry_micros = *now + 1'000;
  ASSERT_THAT(ledger->Reserve(expiring).status(), IsOk());
  ASSERT_THAT(ledger->Spend(Ask("s2", "c3", 300)).status(), IsOk());  // the same month
  *now -= kMonthMicros;                                               // a month back
  ASSERT_THAT(ledger->Spend(Ask("s4", "c3", 10)).status(), IsOk());
  ASSERT_THAT(
      ledger->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1", .amount = Cny(150)}),
      IsOk());
  ASSERT_THAT(ledger->Spend(Ask("s5", "c2", 20)).status(), IsOk());  // s4's month, after a post
  ASSERT_THAT(ledger->Refund({.op_id = "f1", .actor = "mgr", .target_id = "s2"}), IsOk());
  *now -= kMonthMicros;  // back to the first month
  ASSERT_THAT(ledger->Transfer({.op_id = "t1",
                                .actor = "fin",
                                .from = Envelope("c1"),
                                .to = Envelope("c2"),
                                .amount = Cny(50),
                                .reason = "move"}),
              IsOk());
  ASSERT_THAT(ledger->Spend(Ask("s3", "c1", 400)).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(const std::string snapshot, ledger->WriteSnapshot());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> restored,
                       Ledger::Restore(snapshot, {.currency = Cny(), .journal = &journal}));
  EXPECT_EQ(restored->DumpState(), ledger->DumpState());
}

// Names are written as what they add to the name before them: ids sharing long prefixes,
// shorter and longer ones, and a shared prefix that ends inside a UTF-8 character ("é" and "ê"
// share their first byte) all come back, and sequential ids cost a few bytes each.
TEST(SnapshotTest, NamesSharingPrefixesComeBack) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  for (const char* id : {"d10", "d1", "d100000000000000000001", "d100000000000000000002", "客户一",
                         "客户二", "é", "ê", "z"}) {
    ASSERT_THAT(ledger->DefineCustomer("admin", {id, "A", "amy", "north"}), IsOk()) << id;
  }
  ASSERT_OK_AND_ASSIGN(const std::string before, ledger->WriteSnapshot());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_THAT(ledger->Spend(Ask(absl::StrCat("S", 1'000'000 + i), "c1", 1)).status(), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(const std::string snapshot, ledger->WriteSnapshot());
  // Each spend: its id (S1000000, S1000001, ...: a shared length, a rest's length and one to
  // three bytes) and its record (11 to 20 bytes here).
  EXPECT_LT(snapshot.size() - before.size(), 1000u * 24);
  absl::StatusOr<std::unique_ptr<Ledger>> restored =
      Ledger::Restore(snapshot, {.currency = Cny(), .journal = &journal});
  ASSERT_THAT(restored.status(), IsOk());
  EXPECT_EQ((*restored)->DumpState(), ledger->DumpState());
}

// A name longer than its table's names may be is damage even with a valid checksum (a
// snapshot must not make names, each a long one's copy plus a byte, take memory far beyond its
// size): a customer id of the longest allowed, then the same snapshot with it one byte longer.
TEST(SnapshotTest, ANameLongerThanAnIdIsRefused) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const std::string longest(256, 'x');
  ASSERT_THAT(ledger->DefineCustomer("admin", {longest, "A", "amy", "north"}), IsOk());
  ASSERT_OK_AND_ASSIGN(const std::string snapshot, ledger->WriteSnapshot());
  const LedgerOptions options{.currency = Cny(), .journal = &journal};
  ASSERT_THAT(Ledger::Restore(snapshot, options).status(), IsOk());

  // Its entry: no prefix shared with "c3" before it, then 256 (a two-byte varint) bytes.
  const std::string entry = std::string("\x00\x80\x02", 3) + longest;
  const size_t at = snapshot.find(entry);
  ASSERT_NE(at, std::string::npos);
  std::string body = snapshot.substr(0, snapshot.size() - 32);
  body.replace(at, entry.size(), std::string("\x00\x81\x02", 3) + longest + "x");
  const Digest checksum = Sha256Of(body);
  const std::string longer = body + std::string(checksum.begin(), checksum.end());
  EXPECT_THAT(Ledger::Restore(longer, options).status(),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("customers")));
}

TEST(SnapshotTest, DamagedNewerOrForeignSnapshotsAreRefused) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  const std::string snapshot = ledger->WriteSnapshot().value();
  const LedgerOptions options{.currency = Cny(), .journal = &journal};
  for (size_t i : {size_t{5}, snapshot.size() / 2, snapshot.size() - 1}) {
    std::string damaged = snapshot;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x40);
    EXPECT_THAT(Ledger::Restore(damaged, options).status(), StatusIs(ErrorCode::kCorrupt)) << i;
  }
  EXPECT_THAT(Ledger::Restore(snapshot.substr(0, 40), options).status(),
              StatusIs(ErrorCode::kCorrupt));
  EXPECT_THAT(Ledger::Restore("", options).status(), StatusIs(ErrorCode::kCorrupt));
  std::string newer = snapshot;
  newer[4] = 4;  // the format varint
  EXPECT_THAT(Ledger::Restore(newer, options).status(), StatusIs(ErrorCode::kUnsupportedVersion));

  // A snapshot of another history does not fit this journal.
  MemoryJournal other_journal;
  std::unique_ptr<Ledger> other = MakeLedger(&other_journal);
  ASSERT_THAT(other->Reserve(Ask("x", "c1", 1)).status(), IsOk());
  for (int i = 0; i < 40; ++i) {  // same length as `journal`, different entries
    if (other_journal.size() >= journal.size()) break;
    ASSERT_THAT(other->DefineCategory("admin", "k" + std::to_string(i)), IsOk());
  }
  EXPECT_THAT(Ledger::Restore(snapshot, {.currency = Cny(), .journal = &other_journal}).status(),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("chain head")));
  MemoryJournal empty;
  EXPECT_THAT(Ledger::Restore(snapshot, {.currency = Cny(), .journal = &empty}).status(),
              StatusIs(ErrorCode::kCorrupt));
}

// A snapshot of several MiB is hashed on a second thread while its body is read, and one of
// 100,000 operations or more has its operations read on a second thread while the op ids are
// interned: both give the same ledger, and damage that still reads as a valid body (a letter
// of an op id changed, a byte of the operations) is refused all the same.
TEST(SnapshotTest, ALargeSnapshotIsReadOnTwoThreads) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  // Long ids that differ early: each is written nearly whole (names share only a prefix).
  const std::string id_suffix(40, 'r');
  for (int i = 0; i < 110'000; i += 2) {  // 110,000 operations: reserve and void, in pairs
    const std::string reservation = std::to_string(i) + id_suffix;
    ASSERT_THAT(ledger->Reserve(Ask(reservation, "c1", 1)).status(), IsOk());
    ASSERT_THAT(ledger->Void({.op_id = std::to_string(i + 1) + id_suffix,
                              .actor = "mgr",
                              .reservation_id = reservation}),
                IsOk());
  }
  const std::string snapshot = ledger->WriteSnapshot().value();
  ASSERT_GT(snapshot.size(), size_t{4} << 20);  // over the threshold for the second thread
  const LedgerOptions options{.currency = Cny(), .journal = &journal};
  absl::StatusOr<std::unique_ptr<Ledger>> restored = Ledger::Restore(snapshot, options);
  ASSERT_THAT(restored.status(), IsOk());
  EXPECT_EQ((*restored)->DumpState(), ledger->DumpState());

  std::string renamed = snapshot;
  const size_t id = renamed.find("100000" + id_suffix);  // after 99999...: written whole
  ASSERT_NE(id, std::string::npos);
  renamed[id] = 's';  // still a valid, unique op id
  EXPECT_THAT(Ledger::Restore(renamed, options).status(),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("checksum")));
  std::string damaged_ops = snapshot;
  const size_t last_id = damaged_ops.rfind(id_suffix);  // the end of the last op id
  ASSERT_NE(last_id, std::string::npos);
  const size_t in_ops = last_id + id_suffix.size() + 1000;  // well inside the operations
  damaged_ops[in_ops] = static_cast<char>(damaged_ops[in_ops] ^ 0x7f);
  EXPECT_THAT(Ledger::Restore(damaged_ops, options).status(), StatusIs(ErrorCode::kCorrupt));
}

// A snapshot whose op count is wrong but whose checksum was made to match (a bug in a writer,
// not damage on disk) is refused as corrupt, and a huge count allocates nothing first.
TEST(SnapshotTest, AWrongOpCountIsRefused) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  const std::string snapshot = ledger->WriteSnapshot().value();
  const std::string body = snapshot.substr(0, snapshot.size() - 32);
  const size_t first_id = body.find(
      "\x0a"
      "alloc-gift");  // the first op id, after the count
  ASSERT_NE(first_id, std::string::npos);
  const auto count = static_cast<uint8_t>(body[first_id - 1]);
  ASSERT_LT(count, 0x80);  // one varint byte
  const auto resealed = [](const std::string& changed) {
    const Digest sum = Sha256Of(changed);
    return changed + std::string(reinterpret_cast<const char*>(sum.data()), sum.size());
  };
  const LedgerOptions options{.currency = Cny(), .journal = &journal};
  for (const std::string& wrong_count :
       {std::string(1, static_cast<char>(count + 1)), std::string(1, '\x7f'),
        std::string("\x80\x80\x80\x80\x80\x01", 6)}) {  // the last: 2^35 operations
    const std::string changed = body.substr(0, first_id - 1) + wrong_count + body.substr(first_id);
    EXPECT_THAT(Ledger::Restore(resealed(changed), options).status(),
                StatusIs(ErrorCode::kCorrupt, Not(HasSubstr("checksum"))))  // read, refused
        << static_cast<int>(static_cast<uint8_t>(wrong_count[0]));
  }
}

TEST(SnapshotTest, ItsHeaderSaysWhatItCovers) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  Exercise(*ledger);
  const std::string snapshot = ledger->WriteSnapshot().value();
  ASSERT_OK_AND_ASSIGN(const Ledger::SnapshotInfo info, Ledger::ReadSnapshotInfo(snapshot));
  EXPECT_EQ(info.format, 3u);
  EXPECT_EQ(info.currency, "CNY");
  EXPECT_EQ(info.entries, journal.size());
  EXPECT_EQ(info.head, journal.HeadAt(journal.size()).value());
}

TEST(SnapshotTest, WhatIsNotASnapshotHasNoHeader) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const std::string snapshot = ledger->WriteSnapshot().value();
  EXPECT_THAT(Ledger::ReadSnapshotInfo(""),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("not a ledger snapshot")));
  EXPECT_THAT(Ledger::ReadSnapshotInfo("XXXX" + snapshot.substr(4)),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("not a ledger snapshot")));
  // Cut inside the head: the header is incomplete.
  EXPECT_THAT(Ledger::ReadSnapshotInfo(snapshot.substr(0, 20 + 32)),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("snapshot head: truncated")));
  std::string zero = snapshot;
  zero[4] = 0;  // the format varint
  EXPECT_THAT(Ledger::ReadSnapshotInfo(zero),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("snapshot format")));
  std::string newer = snapshot;
  newer[4] = 4;
  EXPECT_THAT(Ledger::ReadSnapshotInfo(newer),
              StatusIs(ErrorCode::kUnsupportedVersion, HasSubstr("snapshot format 4")));
}

TEST(PoliciesTest, SetPoliciesIsJournaledAndReplayed) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ASSERT_THAT(ledger->SetPolicies("admin", Policies(R"({
      "availability": [{"id": "soft", "level": "customer", "mode": "warn"}]})")),
              IsOk());
  const Result first = ledger->Reserve(Ask("r1", "c2", 60000)).value();
  ASSERT_EQ(first.decision.outcome, Outcome::kApproveWithWarning);
  ASSERT_EQ(first.decision.reasons.size(), 1u);
  // A retry answers the first result, reasons included.
  const Result retry = ledger->Reserve(Ask("r1", "c2", 60000)).value();
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.decision.Explain(), first.decision.Explain());
  EXPECT_EQ(retry.decision.reasons.at(0).balance, first.decision.reasons.at(0).balance);
  MemoryJournal copy;
  std::unique_ptr<Ledger> replayed =
      Ledger::Replay(journal, {.currency = Cny(), .journal = &copy}).value();
  EXPECT_EQ(replayed->DumpState(), ledger->DumpState());
  // The replayed ledger decides with the same policies.
  EXPECT_EQ(replayed->Check(Ask("r2", "c2", 10000)).value().decision.outcome,
            Outcome::kApproveWithWarning);
  EXPECT_THAT(ledger->DumpState(), HasSubstr("policies v1 "));
  // Also after replay: the reasons were journaled.
  EXPECT_EQ(replayed->Reserve(Ask("r1", "c2", 60000)).value().decision.Explain(),
            first.decision.Explain());
}

TEST(PoliciesTest, HandBuiltPoliciesTheDocumentCannotSayAreRefused) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ControlPolicySet set;
  set.limits.push_back({.id = "nothing"});  // neither a maximum nor a count
  const uint64_t before = journal.size();
  EXPECT_THAT(ledger->SetPolicies("admin", set), StatusIs(ErrorCode::kPolicyInvalid));
  EXPECT_EQ(journal.size(), before);
}

// A journal that fails every batch after `allow` appends.
class FailingJournal : public Journal {
 public:
  absl::Status Append(const Event& event) override { return inner.Append(event); }
  absl::Status AppendBatch(std::span<const Event> events) override {
    if (fail) return MakeError(ErrorCode::kIo, "disk full");
    return inner.AppendBatch(events);
  }
  uint64_t size() const override { return inner.size(); }
  absl::Status ForEach(uint64_t from_seq,
                       absl::FunctionRef<absl::Status(const Event&)> fn) const override {
    return inner.ForEach(from_seq, fn);
  }
  Digest Seal() override { return inner.Seal(); }
  absl::Status Verify() const override { return inner.Verify(); }
  MemoryJournal inner;
  bool fail = false;
};

TEST(BatchTest, AnAllocationIsJournaledAsOneBatchOrNotAtAll) {
  FailingJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const std::string before = ledger->DumpState();
  const uint64_t size = journal.size();
  journal.fail = true;
  EXPECT_THAT(ledger->ApplyAllocation({.op_id = "alloc-visit",
                                       .actor = "fin",
                                       .period = "Q1",
                                       .category = "visit",
                                       .envelopes = {{"c1", "A", 100}, {"c2", "B", 200}}}),
              StatusIs(ErrorCode::kIo));
  EXPECT_EQ(journal.size(), size);
  EXPECT_EQ(ledger->DumpState(), before);
  journal.fail = false;
  ASSERT_THAT(ledger->ApplyAllocation({.op_id = "alloc-visit",
                                       .actor = "fin",
                                       .period = "Q1",
                                       .category = "visit",
                                       .envelopes = {{"c1", "A", 100}, {"c2", "B", 200}}}),
              IsOk());
  EXPECT_EQ(journal.size(), size + 5);  // company, tiers A and B, two envelopes
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
}

TEST(WithdrawTest, OnlyTheRequesterWithdrawsAPendingRequest) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ASSERT_THAT(ledger->SetPolicies("admin", Policies(R"({
      "limits": [{"id": "big", "per_request_max": "100.00", "action": "require_approval"}]})")),
              IsOk());
  ASSERT_EQ(ledger->Reserve(Ask("r1", "c1", 20000, "amy")).value().decision.outcome,
            Outcome::kNeedsApproval);
  EXPECT_THAT(ledger->WithdrawApproval({.actor = "mgr", .approval_id = "r1"}),
              StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ledger->WithdrawApproval({.actor = "amy", .approval_id = "nope"}),
              StatusIs(ErrorCode::kNotFound));
  ASSERT_THAT(ledger->WithdrawApproval({.actor = "amy", .approval_id = "r1", .reason = "oops"}),
              IsOk());
  EXPECT_TRUE(ledger->PendingApprovals().empty());
  EXPECT_THAT(ledger->Approve({.actor = "mgr", .approval_id = "r1"}).status(),
              StatusIs(ErrorCode::kInvalidState));
  EXPECT_THAT(ledger->WithdrawApproval({.actor = "amy", .approval_id = "r1"}),
              StatusIs(ErrorCode::kInvalidState));
  const Result retry = ledger->Reserve(Ask("r1", "c1", 20000, "amy")).value();
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.decision.outcome, Outcome::kReject);
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
}

}  // namespace
}  // namespace upkeep::ledger::testing
