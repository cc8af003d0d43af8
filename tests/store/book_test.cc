// Book: create, reopen, snapshots, group commit, the memory store, options.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/second_thread.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/sha256.h"
#include "store/book_fixture.h"
#include "store/sqlite_store.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Ask;
using ledger::testing::BalanceOf;
using ledger::testing::Envelope;
using ledger::testing::InvariantViolations;
using ledger::testing::ReplayedDump;
using ::testing::HasSubstr;
using testing::Options;
using testing::Populate;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

// Reserves and posts `count` items of 1.00 on c1, ids r-<n> / p-<n>.
void ReserveAndPost(ledger::Ledger& ledger, int first, int count) {
  for (int n = first; n < first + count; ++n) {
    const std::string r = "r-" + std::to_string(n), p = "p-" + std::to_string(n);
    ASSERT_THAT(ledger.Reserve(Ask(r, "c1", 100)), IsOk());
    ASSERT_THAT(ledger.Post({.op_id = p, .actor = "mgr", .reservation_id = r}), IsOk());
  }
}

struct Seen {
  std::string dump;
  ledger::Digest head{};
  uint64_t size = 0;
};

Seen Look(Book& book) {
  return {book.ledger().DumpState(), book.store().Seal(), book.store().size()};
}

TEST(BookTest, ReopenGivesTheSameStateAndChain) {
  TempDir dir;
  const std::string uri = "sqlite:" + dir.File("book.db");
  Seen before;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(uri, Options()));
    Populate(book->ledger());
    ReserveAndPost(book->ledger(), 0, 20);
    before = Look(*book);
    ASSERT_THAT(book->Close(), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(uri, Options()));
  const Seen after = Look(*book);
  EXPECT_EQ(after.dump, before.dump);
  EXPECT_EQ(after.head, before.head);
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(BalanceOf(book->ledger(), Envelope("c1")).spent_minor, 2000);
  EXPECT_THAT(book->Verify(), IsOk());
  EXPECT_EQ(InvariantViolations(book->ledger()), "");
  // The reopened book goes on: the op ids are still known, new ones apply.
  ASSERT_OK_AND_ASSIGN(ledger::Result again, book->ledger().Reserve(Ask("r-3", "c1", 100)));
  EXPECT_TRUE(again.replayed);
  ReserveAndPost(book->ledger(), 20, 1);
  EXPECT_EQ(BalanceOf(book->ledger(), Envelope("c1")).spent_minor, 2100);
}

TEST(BookTest, APlainPathIsASqliteBook) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(dir.File("b.db"), Options()));
  EXPECT_EQ(book->store().uri(), "sqlite:" + dir.File("b.db"));
}

TEST(BookTest, SnapshotsByPolicyAndOnDemandShortenReplay) {
  TempDir dir;
  const std::string uri = dir.File("book.db");
  Seen before;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(uri, Options(Durability::kSyncEachCommit, 16)));
    Populate(book->ledger());
    ReserveAndPost(book->ledger(), 0, 30);
    ASSERT_OK_AND_ASSIGN(const uint64_t covered, book->Snapshot());
    EXPECT_EQ(covered, book->store().size());
    ReserveAndPost(book->ledger(), 30, 5);
    ASSERT_THAT(book->Commit(), IsOk());
    before = Look(*book);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(uri, Options()));
  ASSERT_OK_AND_ASSIGN(std::optional<StoredSnapshot> latest, book->store().LatestSnapshot());
  ASSERT_TRUE(latest.has_value());
  EXPECT_GE(latest->seq, before.size - 10);  // at least the on-demand one
  EXPECT_EQ(Look(*book).dump, before.dump);
  EXPECT_THAT(book->Verify(), IsOk());
}

TEST(BookTest, GroupCommitWritesAtCommit) {
  TempDir dir;
  const std::string uri = dir.File("book.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                       Book::Open(uri, Options(Durability::kGroupCommit)));
  Populate(book->ledger());
  ASSERT_THAT(book->Commit(), IsOk());
  ReserveAndPost(book->ledger(), 0, 10);
  EXPECT_EQ(book->store().size(), 37u);
  // A second reader of the file sees only what was committed.
  const auto committed = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* count = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM journal_entries", -1, &count, nullptr);
    sqlite3_step(count);
    const int64_t rows = sqlite3_column_int64(count, 0);
    sqlite3_finalize(count);
    sqlite3_close(db);
    return rows;
  };
  EXPECT_EQ(committed(), 17);
  ASSERT_THAT(book->Commit(), IsOk());
  EXPECT_EQ(committed(), 37);
}

TEST(BookTest, PipelinedCommitsMakeEachBatchDurableInTurn) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string dump;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    Populate(book->ledger());
    uint64_t in_flight = book->StartCommit();
    for (int batch = 0; batch < 20; ++batch) {
      ReserveAndPost(book->ledger(), batch * 5, 5);
      const uint64_t next = book->StartCommit();
      EXPECT_EQ(next, book->store().size());
      ASSERT_THAT(book->AwaitDurable(in_flight), IsOk());
      EXPECT_GE(testing::SqlInt(path, "SELECT value FROM meta WHERE key = 'head_count'"),
                static_cast<int64_t>(in_flight));
      in_flight = next;
    }
    ASSERT_THAT(book->AwaitDurable(in_flight), IsOk());
    EXPECT_EQ(testing::SqlInt(path, "SELECT count(*) FROM journal_entries"),
              static_cast<int64_t>(book->store().size()));
    EXPECT_THAT(book->AwaitDurable(book->store().size() + 1),
                StatusIs(ErrorCode::kInvalidArgument, HasSubstr("await entry")));
    dump = book->ledger().DumpState();
    // The journal reads the same whether entries are durable, sealed or still open.
    ReserveAndPost(book->ledger(), 1000, 1);
    book->StartCommit();
    ReserveAndPost(book->ledger(), 1001, 1);
    EXPECT_EQ(ReplayedDump(book->store()), book->ledger().DumpState());
    dump = book->ledger().DumpState();
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
  EXPECT_THAT(book->Verify(), IsOk());
}

TEST(BookTest, GroupCommitCommitsOnItsOwnAtTheLimit) {
  TempDir dir;
  BookOptions options = Options(Durability::kGroupCommit);
  options.store.group_events_max = 4;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(dir.File("b.db"), options));
  Populate(book->ledger());
  ReserveAndPost(book->ledger(), 0, 3);
  ASSERT_OK_AND_ASSIGN(ledger::Digest head, book->store().HeadAt(20));
  EXPECT_NE(head, ledger::Digest{});
}

// The stored checksum of a snapshot is SHA-256 of its bytes whether it was hashed on the
// caller's thread (a small one) or beside SQLite's copy of it (from kHashAsideBytes up), and
// Verify finds a byte changed afterwards in either.
TEST(BookTest, ASnapshotsChecksumIsItsBytesHashAtEverySize) {
  for (const size_t size : {size_t{1000}, kHashAsideBytes + 12345}) {
    TempDir dir;
    const std::string path = dir.File("book.db");
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i * 7 + i / 251);
    {
      ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(path, {}));
      ASSERT_THAT(store->SaveSnapshot({.seq = 0, .head = {}, .bytes = bytes}), IsOk());
      ASSERT_THAT(store->Verify(), IsOk());
    }
    std::string hex;
    for (const uint8_t byte : ledger::Sha256Of(bytes))
      absl::StrAppend(&hex, absl::Hex(byte, absl::kZeroPad2));
    EXPECT_EQ(
        testing::SqlInt(path, "SELECT checksum = x'" + hex + "' FROM snapshots WHERE seq = 0"), 1)
        << size;
    testing::Sql(
        path, "UPDATE snapshots SET bytes = substr(bytes, 1, 99) || x'00' || substr(bytes, 101)");
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(path, {}));
    EXPECT_THAT(store->Verify(),
                StatusIs(ErrorCode::kCorrupt, HasSubstr("snapshot at seq 0 altered")))
        << size;
  }
}

// Options with `page_bytes` for a new book.
BookOptions WithPages(uint32_t page_bytes, Durability durability = Durability::kSyncEachCommit) {
  BookOptions options = Options(durability);
  options.store.new_book_page_bytes = page_bytes;
  return options;
}

TEST(BookTest, ANewBookHasThePageSizeAskedForAndAnOlderOneKeepsItsOwn) {
  TempDir dir;
  const std::string default_path = dir.File("default.db"), large_path = dir.File("large.db");
  ASSERT_THAT(Book::Open(default_path, Options()), IsOk());
  EXPECT_EQ(SqlInt(default_path, "PRAGMA page_size"), 4096);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(large_path, WithPages(16384)));
    Populate(book->ledger());
  }
  EXPECT_EQ(SqlInt(large_path, "PRAGMA page_size"), 16384);
  // The smallest and largest sizes SQLite takes.
  for (const uint32_t page_bytes : {512u, 65536u}) {
    const std::string path = dir.File(absl::StrCat(page_bytes, ".db"));
    ASSERT_THAT(Book::Open(path, WithPages(page_bytes)), IsOk());
    EXPECT_EQ(SqlInt(path, "PRAGMA page_size"), page_bytes);
  }
  // A 4 KiB book reopened with 16 KiB asked for stays as it was.
  ASSERT_THAT(Book::Open(default_path, WithPages(16384)), IsOk());
  EXPECT_EQ(SqlInt(default_path, "PRAGMA page_size"), 4096);
  // Reopened with options that would make another size: the book keeps its pages and its state.
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(large_path, WithPages(4096)));
    ReserveAndPost(book->ledger(), 0, 3);
  }
  EXPECT_EQ(SqlInt(large_path, "PRAGMA page_size"), 16384);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> reopened, Book::Open(large_path, Options()));
  EXPECT_EQ(BalanceOf(reopened->ledger(), Envelope("c1")).spent_minor, 300);
  EXPECT_THAT(reopened->Verify(), IsOk());
}

TEST(BookTest, APageSizeSqliteCannotUseIsRefusedBeforeAFileIsMade) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  for (const uint32_t page_bytes : {0u, 256u, 5000u, 131072u}) {
    EXPECT_THAT(Book::Open(path, WithPages(page_bytes)),
                StatusIs(ErrorCode::kInvalidArgument,
                         HasSubstr(absl::StrCat("new_book_page_bytes must be a power of two from "
                                                "512 to 65536, not ",
                                                page_bytes))));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

// SQLite checkpoints the WAL after so many pages; the store sets that number so that the WAL is
// copied into the book every SqliteStore::kCheckpointWalBytes or so whatever the page size, and
// does not grow four times as large between checkpoints in a book of 16 KiB pages. (With 4 KiB
// pages the number is SQLite's own 1,000: that case shows the bound holds where it always did.)
TEST(BookTest, TheWalIsCheckpointedEveryFewMegabytesWhateverThePageSize) {
  for (const uint32_t page_bytes : {4096u, 16384u}) {
    SCOPED_TRACE(absl::StrCat(page_bytes, "-byte pages"));
    TempDir dir;
    const std::string path = dir.File("book.db");
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, WithPages(page_bytes, Durability::kGroupCommit)));
    Populate(book->ledger());
    ASSERT_EQ(SqlInt(path, "PRAGMA page_size"), page_bytes);
    // 4,000 transfers with a 4,000-byte reason each: a journal of about 16 MB, committed every
    // 50 transfers (200 KB).
    const std::string reason(4000, 'r');
    uintmax_t wal_bytes_max = 0;
    for (int n = 0; n < 4000; ++n) {
      const bool back = n % 2 == 1;
      ASSERT_THAT(book->ledger().Transfer({.op_id = absl::StrCat("t-", n),
                                           .actor = "fin",
                                           .from = Envelope(back ? "c2" : "c1"),
                                           .to = Envelope(back ? "c1" : "c2"),
                                           .amount = ledger::testing::Cny(1),
                                           .reason = reason}),
                  IsOk());
      if (n % 50 == 49) {
        ASSERT_THAT(book->Commit(), IsOk());
        wal_bytes_max = std::max(wal_bytes_max, std::filesystem::file_size(path + "-wal"));
      }
    }
    // The checkpoint's interval and one commit, with room to spare.
    EXPECT_LE(wal_bytes_max, uintmax_t{SqliteStore::kCheckpointWalBytes} + (1u << 20));
    EXPECT_GT(wal_bytes_max, 0u);
    EXPECT_EQ(BalanceOf(book->ledger(), Envelope("c1")).budget_minor, 100000);
  }
}

TEST(BookTest, MemoryBook) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open("memory:", Options()));
  Populate(book->ledger());
  ReserveAndPost(book->ledger(), 0, 3);
  ASSERT_OK_AND_ASSIGN(const uint64_t covered, book->Snapshot());
  EXPECT_EQ(covered, book->store().size());
  EXPECT_THAT(book->Verify(), IsOk());
}

TEST(BookTest, BadUrisAndOptions) {
  EXPECT_THAT(Book::Open("postgres://x/y", Options()),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("unknown scheme")));
  EXPECT_THAT(Book::Open("sqlite:", Options()), StatusIs(ErrorCode::kInvalidArgument));
  TempDir dir;
  BookOptions missing = Options();
  missing.store.create_if_missing = false;
  EXPECT_THAT(Book::Open(dir.File("none.db"), missing),
              StatusIs(ErrorCode::kNotFound, HasSubstr("none.db")));
  ledger::MemoryJournal journal;
  BookOptions with_journal = Options();
  with_journal.ledger.journal = &journal;
  EXPECT_THAT(Book::Open("memory:", with_journal), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(BookTest, APropertyReadsBackAsWritten) {
  TempDir dir;
  const std::string uri = dir.File("book.db");
  const std::string large(3 << 20, 'f');  // megabytes, as a saved follower
  const std::string bytes = std::string("\0\xff\x01", 3) + " not UTF-8";
  const std::pair<std::string, std::string> properties[] = {{"exponent", "1e5"}, {"padded", "0042"},
                                                            {"empty", ""},       {"bytes", bytes},
                                                            {"large", large},    {"no data", ""}};
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(uri, Options()));
    for (const auto& [key, value] : properties) {
      ASSERT_THAT(book->store().SetProperty(key, value), IsOk());
    }
    ASSERT_THAT(book->store().SetProperty("large", large), IsOk());  // replaced, not added
    ASSERT_THAT(book->store().SetProperty("no data", std::string_view()), IsOk());  // not NULL
  }
  EXPECT_EQ(SqlInt(uri, "SELECT typeof(value) = 'text' FROM meta WHERE key = 'property.no data'"),
            1);
  // Values a user wrote in the sqlite3 shell read back as text too.
  Sql(uri,
      "INSERT INTO meta VALUES('property.number', 4), ('property.real', 1.5), "
      "('property.null', NULL)");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(uri, Options()));
  for (const auto& [key, value] : properties) {
    ASSERT_OK_AND_ASSIGN(const std::string read, book->store().GetProperty(key));
    EXPECT_EQ(read, value) << key;
  }
  ASSERT_OK_AND_ASSIGN(const std::string never_set, book->store().GetProperty("never set"));
  EXPECT_EQ(never_set, "");
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"number", "4"}, {"real", "1.5"}, {"null", ""}}) {
    ASSERT_OK_AND_ASSIGN(const std::string read, book->store().GetProperty(key));
    EXPECT_EQ(read, value) << key;
  }
  EXPECT_EQ(SqlInt(uri, "SELECT count(*) FROM meta WHERE key = 'property.large'"), 1);
}

TEST(BookTest, TheCurrencyIsTheBooks) {
  TempDir dir;
  const std::string uri = dir.File("book.db");
  ASSERT_THAT(Book::Open(uri, Options()), IsOk());
  BookOptions usd = Options();
  usd.ledger.currency = Currency::FromCode("USD").value();
  EXPECT_THAT(Book::Open(uri, usd),
              StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("the book is in CNY")));
}

}  // namespace
}  // namespace upkeep::store
