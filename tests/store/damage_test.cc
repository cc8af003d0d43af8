// Damaged books: flipped bytes, a removed entry, a truncated journal, a damaged snapshot. Each is
// reported (kCorrupt naming the entry) on open or by Verify; nothing is silently dropped.
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

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
using testing::ReserveEach;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

// SQL for a byte other than byte `at` (1-based) of blob `column`: setting it to a fixed value
// would change nothing when the byte already had that value (the bytes vary with the clock).
// `at` is a number or an SQL expression.
std::string Other(const std::string& column, const std::string& at) {
  const std::string byte = "substr(" + column + ", " + at + ", 1)";
  return "(CASE WHEN " + byte + " = x'ff' THEN x'fe' ELSE x'ff' END)";
}

class DamageTest : public ::testing::Test {
 protected:
  // A book of 17 setup events (entries 0..16) and 20 reserves (r-0..r-19), with a snapshot after
  // the 10th. Each is committed on its own, so each entry is a journal block of its own.
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
  Sql(path_, "UPDATE journal_blocks SET bytes = substr(bytes, 1, 5) || " + Other("bytes", "6") +
                 " || substr(bytes, 7) "
                 "WHERE first_seq = 30");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 30 altered")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 30 altered")));
}

TEST_F(DamageTest, AFlippedByteBeforeTheSnapshotIsFoundByVerify) {
  ASSERT_GT(snapshot_seq_, 20u);
  Sql(path_, "UPDATE journal_blocks SET bytes = substr(bytes, 1, 3) || " + Other("bytes", "4") +
                 " || substr(bytes, 5) "
                 "WHERE first_seq = 20");
  EXPECT_THAT(Reopen(), IsOk());
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 20 altered")));
}

TEST_F(DamageTest, AFlippedByteInTheFileItselfIsFound) {
  // Flip a bit of r-17's op id wherever it is in the file (its journal entry, and the readable
  // reservations table, which nothing checks), as a failing disk would.
  std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
  std::ostringstream read;
  read << file.rdbuf();
  const std::string bytes = std::move(read).str();
  size_t flipped = 0;
  for (size_t at = bytes.find("r-17"); at != std::string::npos; at = bytes.find("r-17", at + 1)) {
    file.seekp(static_cast<std::streamoff>(at + 3));
    file.put(static_cast<char>(bytes[at + 3] ^ 0x04));
    ++flipped;
  }
  file.close();
  ASSERT_GT(flipped, 0u);
  // Entry 17 + 17 = 34 holds r-17 (creation and setup wrote entries 0..16).
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 34")));
}

TEST_F(DamageTest, ARemovedEntryIsNamed) {
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq = 31");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 31 removed")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 31 removed")));
}

TEST_F(DamageTest, ARemovedEntryBeforeTheSnapshotIsFoundByVerify) {
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq = 3");
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 3 removed")));
}

TEST_F(DamageTest, ATruncatedJournalIsFoundOnOpen) {
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq >= 33");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt,
                                 HasSubstr("journal truncated: entries 33..36 were committed")));
}

TEST_F(DamageTest, AJournalCutBeforeTheSnapshotIsFound) {
  // Even with the recorded head rewritten to match, the snapshot says more existed.
  Sql(path_,
      "DELETE FROM journal_blocks WHERE first_seq >= 20; "
      "UPDATE meta SET value = 20 WHERE key = 'head_count'; "
      "UPDATE meta SET value = (SELECT hashes FROM journal_blocks WHERE first_seq = 19) "
      "WHERE key = 'head_hash'");
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal truncated")));
}

TEST_F(DamageTest, ADamagedSnapshotIsNamed) {
  Sql(path_, "UPDATE snapshots SET bytes = substr(bytes, 1, 40) || " + Other("bytes", "41") +
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

// Entries committed together share blocks: damage inside a block still names the entry.
class BlockDamageTest : public ::testing::Test {
 protected:
  // The book's first entry (committed when it is created), then 16 setup events and 2,100
  // reserves in one group commit: blocks at entries 0, 1, 1025 and 2049.
  void SetUp() override {
    std::unique_ptr<Book> book = Book::Open(path_, Options(Durability::kGroupCommit)).value();
    Populate(book->ledger());
    ReserveEach(book->ledger(), 0, 2100);
    ASSERT_THAT(book->Close(), IsOk());
    ASSERT_EQ(SqlInt(path_, "SELECT count(*) FROM journal_blocks"), 4);
    ASSERT_EQ(SqlInt(path_, "SELECT sum(first_seq) FROM journal_blocks"), 0 + 1 + 1025 + 2049);
  }
  absl::StatusOr<std::unique_ptr<Book>> Reopen() { return Book::Open(path_, Options()); }
  absl::Status VerifyBook() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path_, {});
    if (!store.ok()) return store.status();
    return (*store)->Verify();
  }
  // The chain hash after `count` entries, as the store finds it.
  absl::StatusOr<ledger::Digest> HeadAt(uint64_t count) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path_, {});
    if (!store.ok()) return store.status();
    return (*store)->HeadAt(count);
  }
  // SQL flipping byte `at` (0-based) of entry `seq`, which is in the block at 1025.
  static std::string FlipInEntry(int seq, int at) {
    const std::string pos =
        "((SELECT coalesce(sum(size_bytes), 0) FROM journal_entries WHERE seq >= 1025 AND seq < " +
        std::to_string(seq) + ") + " + std::to_string(at + 1) + ")";
    return "UPDATE journal_blocks SET bytes = substr(bytes, 1, " + pos + " - 1) || " +
           Other("bytes", pos) + " || substr(bytes, " + pos + " + 1) WHERE first_seq = 1025";
  }

  TempDir dir_;
  const std::string path_ = dir_.File("book.db");
};

TEST_F(BlockDamageTest, AFlippedByteInsideABlockNamesItsEntry) {
  Sql(path_, FlipInEntry(1500, 5));
  EXPECT_THAT(Reopen(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 1500 altered")));
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 1500 altered")));
  // Finding the hash after a later entry of the block runs the chain through it.
  EXPECT_THAT(HeadAt(1600), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 1500 altered")));
}

TEST_F(BlockDamageTest, AChangedTagInsideABlockNamesItsEntry) {
  // The tag kept for entry 1500: 8 bytes at 8 * (1500 - 1025) in the block's hashes.
  const std::string at = std::to_string(8 * (1500 - 1025) + 1);
  Sql(path_, "UPDATE journal_blocks SET hashes = substr(hashes, 1, " + at + " - 1) || " +
                 Other("hashes", at) + " || substr(hashes, " + at + " + 1) WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal entry 1500 altered: its hash does not match the chain")));
  EXPECT_THAT(HeadAt(1600), StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entry 1500 altered")));
  EXPECT_THAT(HeadAt(1400), IsOk());  // before it, the chain is whole
}

TEST_F(BlockDamageTest, FindingAHashInsideABlockNamesTheDamageBeforeIt) {
  Sql(path_, "UPDATE journal_blocks SET entries = '[1]' WHERE first_seq = 1");
  EXPECT_THAT(HeadAt(1500),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal block at entry 1 altered: its entries, bytes and "
                                 "hashes do not fit together")));
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq = 1");
  EXPECT_THAT(HeadAt(1500),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal entries 1..1024 removed (the next is 1025)")));
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq = 0");
  EXPECT_THAT(HeadAt(1500),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal entries 0..1024 removed (the next is 1025)")));
}

TEST_F(BlockDamageTest, ARemovedBlockNamesItsEntries) {
  Sql(path_, "DELETE FROM journal_blocks WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("journal entries 1025..2048 removed")));
}

TEST_F(BlockDamageTest, AnEntryCutOutOfABlockIsFound) {
  // The last entry of the middle block and its size gone, and the block's hashes ending with
  // the whole hash after the entry before it, as a forger would write them: the block is
  // consistent in itself.
  const std::string hex = testing::HexOf(testing::ChainHashes(path_)[2047]);
  Sql(path_,
      "UPDATE journal_blocks SET "
      "  bytes = substr(bytes, 1, length(bytes) - (entries ->> '$[#-1][1]')), "
      "  hashes = substr(hashes, 1, 8 * 1022) || X'" +
          hex +
          "', "
          "  entries = json_remove(entries, '$[#-1]') "
          "WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(), StatusIs(ErrorCode::kCorrupt,
                                     HasSubstr("journal entry 2048 removed (the next is 2049)")));
}

TEST_F(BlockDamageTest, AChangedWholeHashEndingABlockIsFound) {
  Sql(path_,
      "UPDATE journal_blocks SET hashes = substr(hashes, 1, length(hashes) - 1) || "
      "  (CASE WHEN substr(hashes, -1) = X'00' THEN X'01' ELSE X'00' END) "
      "WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal entry 2048 altered: its hash does not match the chain")));
}

TEST_F(BlockDamageTest, SizesThatDoNotAddUpAreNamed) {
  Sql(path_,
      "UPDATE journal_blocks SET entries = json_set(entries, '$[3][1]', "
      "  (entries ->> '$[3][1]') + 1) WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal block at entry 1025 altered: its entries, bytes and "
                                 "hashes do not fit together")));
}

TEST_F(BlockDamageTest, AnEntriesColumnThatIsNotTheFormatIsNamed) {
  Sql(path_, "UPDATE journal_blocks SET entries = '{\"not\": \"pairs\"}' WHERE first_seq = 2049");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("journal block at entry 2049 altered")));
}

TEST_F(BlockDamageTest, AKindRecordedWronglyIsNamed) {
  // The view would show entry 1031, a reserve, as a post: its bytes say otherwise.
  Sql(path_,
      "UPDATE journal_blocks SET entries = json_set(entries, '$[6][0]', 9) "
      "WHERE first_seq = 1025");
  EXPECT_THAT(VerifyBook(),
              StatusIs(ErrorCode::kCorrupt,
                       HasSubstr("journal entry 1031 altered: its recorded kind does not match")));
}

}  // namespace
}  // namespace upkeep::store
