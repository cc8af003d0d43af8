// Damaged books: flipped bytes, a removed entry, a truncated journal, a damaged snapshot. Each is
// reported (kCorrupt naming the entry) on open or by Verify; nothing is silently dropped.
#include <fstream>
#include <iterator>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Ask;
using ::testing::HasSubstr;
using testing::Options;
using testing::Populate;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

// SQL for a byte other than byte `at` (1-based) of blob `column`: setting it to a fixed value
// would change nothing when the byte already had that value (the bytes vary with the clock).
std::string Other(const std::string& column, int at) {
  const std::string byte = "substr(" + column + ", " + std::to_string(at) + ", 1)";
  return "(CASE WHEN " + byte + " = x'ff' THEN x'fe' ELSE x'ff' END)";
}

class DamageTest : public ::testing::Test {
 protected:
  // A book of 17 setup events (entries 0..16) and 20 reserves (r-0..r-19), with a snapshot after
  // the 10th.
  void SetUp() override {
    std::unique_ptr<Book> book = Book::Open(path_, Options()).value();
    Populate(book->ledger());
    for (int n = 0; n < 20; ++n) {
      ASSERT_THAT(book->ledger().Reserve(Ask("r-" + std::to_string(n), "c1", 100)), IsOk());
      if (n == 9) snapshot_seq_ = book->Snapshot().value();
    }
    ASSERT_THAT(book->Close(), IsOk());
  }
  absl::StatusOr<std::unique_ptr<Book>> Reopen() { return Book::Open(path_, Options()); }
  absl::Status VerifyBook() {
    // Verify with a store alone: opening a Book would stop at the first problem already.
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path_, {});
    if (!store.ok()) return store.status();
    return (*store)->Verify();
  }

  TempDir dir_;
  const std::string path_ = dir_.File("book.db");
  uint64_t snapshot_seq_ = 0;
};

TEST_F(DamageTest, AFlippedByteAfterTheSnapshotIsFoundOnOpen) {
  Sql(path_, "UPDATE journal SET bytes = substr(bytes, 1, 5) || " + Other("bytes", 6) +
                 " || substr(bytes, 7) "
                 "WHERE seq = 30");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 30 altered")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 30 altered")));
}

TEST_F(DamageTest, AFlippedByteBeforeTheSnapshotIsFoundByVerify) {
  ASSERT_GT(snapshot_seq_, 20u);
  Sql(path_, "UPDATE journal SET bytes = substr(bytes, 1, 3) || " + Other("bytes", 4) +
                 " || substr(bytes, 5) "
                 "WHERE seq = 20");
  EXPECT_THAT(Reopen(), IsOk());
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 20 altered")));
}

TEST_F(DamageTest, AFlippedByteInTheFileItselfIsFound) {
  // Find r-17's op id in the file and flip one of its bits, as a failing disk would.
  std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t at = bytes.find("r-17");
  ASSERT_NE(at, std::string::npos);
  file.seekp(static_cast<std::streamoff>(at + 3));
  file.put(static_cast<char>(bytes[at + 3] ^ 0x04));
  file.close();
  // Entry 17 + 17 = 34 holds r-17 (creation and setup wrote entries 0..16).
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 34")));
}

TEST_F(DamageTest, ARemovedEntryIsNamed) {
  Sql(path_, "DELETE FROM journal WHERE seq = 31");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 31 removed")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 31 removed")));
}

TEST_F(DamageTest, ARemovedEntryBeforeTheSnapshotIsFoundByVerify) {
  Sql(path_, "DELETE FROM journal WHERE seq = 3");
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 3 removed")));
}

TEST_F(DamageTest, ATruncatedJournalIsFoundOnOpen) {
  Sql(path_, "DELETE FROM journal WHERE seq >= 33");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt,
                                 HasSubstr("journal truncated: entries 33..36 were committed")));
}

TEST_F(DamageTest, AJournalCutBeforeTheSnapshotIsFound) {
  // Even with the recorded head rewritten to match, the snapshot says more existed.
  Sql(path_,
      "DELETE FROM journal WHERE seq >= 20; "
      "UPDATE meta SET value = 20 WHERE key = 'head_count'; "
      "UPDATE meta SET value = (SELECT hash FROM journal WHERE seq = 19) "
      "WHERE key = 'head_hash'");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal truncated")));
}

TEST_F(DamageTest, ADamagedSnapshotIsNamed) {
  Sql(path_, "UPDATE snapshots SET bytes = substr(bytes, 1, 40) || " + Other("bytes", 41) +
                 " || substr(bytes, 42) "
                 "WHERE seq = (SELECT max(seq) FROM snapshots)");
  // Opening reads the snapshot, whose own checksum finds the damage; the error names it.
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr(": snapshot at seq ")));
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("checksum does not match")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("snapshot at seq")));
}

TEST_F(DamageTest, ReadableTablesAheadOfTheJournalAreNamed) {
  Sql(path_, "UPDATE meta SET value = 1000 WHERE key = 'tables_seq'");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("meta.tables_seq (1000)")));
}

TEST_F(DamageTest, WithoutSnapshotsTheBookIsRebuiltFromItsJournal) {
  const std::string before = Reopen().value()->ledger().DumpState();
  Sql(path_, "DELETE FROM snapshots");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Reopen());
  EXPECT_EQ(book->ledger().DumpState(), before);
  EXPECT_EQ(SqlInt(path_, "SELECT count(*) FROM snapshots"), 1);
}

}  // namespace
}  // namespace upkeep::store
