// The schema: versions, migrations, foreign files, and tables readable from the sqlite3 shell.
#include "store/schema.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Ask;
using ::testing::HasSubstr;
using testing::kJournalOfVersion4;
using testing::Options;
using testing::Populate;
using testing::ReserveEach;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using testing::WithWholeHashes;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

// Writes a book at `path`: the fixture's setup and reserve r-1 (entries 0..17); returns the
// ledger's state.
std::string PopulatedBook(const std::string& path) {
  std::unique_ptr<Book> book = Book::Open(path, Options()).value();
  Populate(book->ledger());
  EXPECT_THAT(book->ledger().Reserve(Ask("r-1", "c1", 100)), IsOk());
  return book->ledger().DumpState();
}

// Expects book.store().HeadAt(count), for each of `counts`, to be the chain hash after entry
// count - 1 as computed from the entries' bytes in the file at `path`, whose journal has
// `entries` entries.
void ExpectHeadsAt(Book& book, const std::string& path, size_t entries,
                   std::initializer_list<uint64_t> counts) {
  const std::vector<ledger::Digest> hashes = testing::ChainHashes(path);
  ASSERT_EQ(hashes.size(), entries);
  for (uint64_t count : counts) {
    const absl::StatusOr<ledger::Digest> head = book.store().HeadAt(count);
    ASSERT_THAT(head, IsOk()) << count;
    EXPECT_EQ(*head, hashes[count - 1]) << count;
  }
}

TEST(SchemaTest, ANewBookHasTheCurrentVersion) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  ASSERT_THAT(Book::Open(path, Options()), IsOk());
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'schema_version'"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(SqlInt(path,
                   "SELECT count(*) FROM meta WHERE key = 'created_by' AND "
                   "value LIKE 'upkeep %'"),
            1);
}

TEST(SchemaTest, ABookFromANewerVersionIsRefused) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  ASSERT_THAT(Book::Open(path, Options()), IsOk());
  Sql(path, "UPDATE meta SET value = 99 WHERE key = 'schema_version'");
  EXPECT_THAT(Book::Open(path, Options()),
              StatusIs(ErrorCode::kUnsupportedVersion, HasSubstr("schema version 99")));
}

TEST(SchemaTest, AnOlderBookIsMigratedForward) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  const std::string dump = PopulatedBook(path);
  // Turn it into a version-1 book: what versions 2 to 7 added is gone.
  WithWholeHashes(path);
  Sql(path, std::string(kJournalOfVersion4) +
                "DROP VIEW journal_entries; DROP TABLE event_kinds; DROP TABLE customers; "
                "DROP TABLE policy_versions; DROP TABLE balances; DROP TABLE reservations; "
                "DROP TABLE approvals; DROP TABLE feedback; DROP TABLE alerts; "
                "DROP TABLE decisions; DELETE FROM meta WHERE key = 'tables_seq'; "
                "UPDATE meta SET value = 1 WHERE key = 'schema_version'; PRAGMA user_version = 1");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
  ASSERT_THAT(book->Close(), IsOk());
  book.reset();
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'schema_version'"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_entries WHERE kind = 'reserved'"), 1);
  // The readable tables are filled from the whole journal on the first close.
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM customers"), 3);
  EXPECT_EQ(SqlInt(path, "SELECT amount_minor FROM reservations WHERE op_id = 'r-1'"), 100);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'tables_seq'"),
            SqlInt(path, "SELECT value FROM meta WHERE key = 'head_count'"));
}

TEST(SchemaTest, AVersion2BookGetsItsReadableTablesFilled) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  PopulatedBook(path);
  // Turn it into a version-2 book: the readable tables were empty placeholders then.
  WithWholeHashes(path);
  Sql(path,
      std::string(kJournalOfVersion4) +
          "DROP TABLE customers; DROP TABLE policy_versions; DROP TABLE balances; "
          "DROP TABLE reservations; DROP TABLE approvals; DROP TABLE decisions; "
          "CREATE TABLE customers(id TEXT PRIMARY KEY, tier TEXT, owner TEXT, region TEXT, "
          "  defined_seq INTEGER NOT NULL) WITHOUT ROWID; "
          "CREATE TABLE policy_versions(version INTEGER PRIMARY KEY, document TEXT NOT NULL, "
          "  set_by TEXT, seq INTEGER NOT NULL); "
          "CREATE TABLE balances(scope TEXT PRIMARY KEY, budget_minor INTEGER, reserved_minor "
          "  INTEGER, spent_minor INTEGER, available_minor INTEGER, budget_version INTEGER, "
          "  as_of_seq INTEGER NOT NULL) WITHOUT ROWID; "
          "CREATE TABLE reservations(op_id TEXT PRIMARY KEY, scope TEXT, amount_minor INTEGER, "
          "  status TEXT, posted_minor INTEGER, actor TEXT, seq INTEGER NOT NULL) WITHOUT ROWID; "
          "CREATE TABLE approvals(approval_id TEXT PRIMARY KEY, scope TEXT, amount_minor INTEGER, "
          "  status TEXT, requester TEXT, decided_by TEXT, seq INTEGER NOT NULL) WITHOUT ROWID; "
          "DELETE FROM meta WHERE key = 'tables_seq'; "
          "UPDATE meta SET value = 2 WHERE key = 'schema_version'; PRAGMA user_version = 2");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  ASSERT_THAT(book->Close(), IsOk());
  book.reset();
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM customers"), 3);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM reservations WHERE status = 'open'"), 1);
  EXPECT_EQ(SqlInt(path,
                   "SELECT reserved_minor FROM balances WHERE level = 'customer' AND "
                   "key = 'c1'"),
            100);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM decisions"), 0);
}

TEST(SchemaTest, ASqliteFileThatIsNotABookIsRefused) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  Sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES(1)");
  EXPECT_THAT(Book::Open(path, Options()),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("not an upkeep book")));
  EXPECT_EQ(SqlInt(path, "SELECT x FROM t"), 1);
}

TEST(SchemaTest, AFileThatIsNotSqliteIsCorrupt) {
  TempDir dir;
  const std::string path = dir.File("junk.db");
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    std::fputs("this is not a database, just some text long enough to look like a header....",
               file);
    std::fclose(file);
  }
  EXPECT_THAT(Book::Open(path, Options()), StatusIs(ErrorCode::kCorrupt, HasSubstr(path)));
}

TEST(SchemaTest, TheJournalIsReadableFromTheShell) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  PopulatedBook(path);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_entries WHERE kind = 'customer_defined'"),
            3);
  EXPECT_EQ(SqlInt(path, "SELECT seq FROM journal_entries WHERE kind = 'reserved'"), 17);
  EXPECT_EQ(SqlInt(path, "SELECT sum(size_bytes) FROM journal_entries"),
            SqlInt(path, "SELECT sum(length(bytes)) FROM journal_blocks"));
  // Each entry shows what its block keeps: an 8-byte tag, or the whole hash after the block's
  // last entry (the journal's head, after the last block).
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_entries WHERE length(hash) IN (16, 64)"),
            18);
  EXPECT_EQ(SqlInt(path,
                   "SELECT count(*) FROM journal_entries AS e JOIN journal_blocks AS b "
                   "  ON e.seq = b.first_seq + json_array_length(b.entries) - 1 "
                   "WHERE length(e.hash) = 64"),
            SqlInt(path, "SELECT count(*) FROM journal_blocks"));
  EXPECT_EQ(SqlInt(path,
                   "SELECT (SELECT hash FROM journal_entries WHERE seq = 17) = "
                   "  (SELECT hex(value) FROM meta WHERE key = 'head_hash')"),
            1);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'head_count'"), 18);
}

TEST(SchemaTest, AGroupCommitIsWrittenInBlocks) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string dump;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    Populate(book->ledger());
    ReserveEach(book->ledger(), 0, 2500);
    ASSERT_THAT(book->Commit(), IsOk());
    dump = book->ledger().DumpState();
  }
  // The first entry (committed when the book is created), then 2,516 in one commit: blocks of
  // JournalBlockWriter::kEntriesMax (1,024) entries.
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_blocks"), 4);
  EXPECT_EQ(SqlInt(path, "SELECT max(first_seq) FROM journal_blocks"), 2049);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_entries"), 2517);
  EXPECT_EQ(SqlInt(path,
                   "SELECT seq FROM journal_entries WHERE kind = 'reserved' LIMIT 1 "
                   "OFFSET 2000"),
            2017);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
  EXPECT_THAT(book->Verify(), IsOk());
  // A block keeps an 8-byte tag for each entry but its last and the whole hash after that one.
  EXPECT_EQ(SqlInt(path, "SELECT length(hashes) FROM journal_blocks WHERE first_seq = 1025"),
            8 * 1023 + 32);
  // The hash after any entry is found: kept whole, or run on from the block before.
  ExpectHeadsAt(*book, path, 2517, {1, 2, 3, 500, 1024, 1025, 1026, 2048, 2049, 2050, 2516, 2517});
  // The view shows each entry's tag, and the whole hash after a block's last entry.
  const std::vector<ledger::Digest> hashes = testing::ChainHashes(path);
  EXPECT_EQ(SqlInt(path, "SELECT lower(hash) = '" + testing::HexOf(hashes[1500]).substr(0, 16) +
                             "' FROM journal_entries WHERE seq = 1500"),
            1);
  EXPECT_EQ(SqlInt(path, "SELECT lower(hash) = '" + testing::HexOf(hashes[2048]) +
                             "' FROM journal_entries WHERE seq = 2048"),
            1);
}

// A version-6 book kept the whole hash after every entry: it is read as it is, and what is
// appended to it is kept in the new form.
TEST(SchemaTest, AVersion6JournalKeepsItsWholeHashes) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    Populate(book->ledger());
    ReserveEach(book->ledger(), 0, 1500);
    ASSERT_THAT(book->Close(), IsOk());
  }
  WithWholeHashes(path);
  ASSERT_EQ(SqlInt(path, "SELECT length(hashes) FROM journal_blocks WHERE first_seq = 1"),
            32 * 1024);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    EXPECT_THAT(book->Verify(), IsOk());
    ReserveEach(book->ledger(), 1500, 1600);
    ASSERT_THAT(book->Close(), IsOk());
  }
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT length(hashes) FROM journal_blocks WHERE first_seq = 1"),
            32 * 1024);
  EXPECT_EQ(SqlInt(path, "SELECT length(hashes) FROM journal_blocks WHERE first_seq = 1517"),
            8 * 99 + 32);
  // The view shows the whole hashes of the old blocks.
  EXPECT_EQ(SqlInt(path,
                   "SELECT count(*) FROM journal_entries WHERE seq < 1517 AND "
                   "length(hash) = 64"),
            1517);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_THAT(book->Verify(), IsOk());
  ExpectHeadsAt(*book, path, 1617, {1, 2, 700, 1025, 1516, 1517, 1518, 1600, 1617});
}

TEST(SchemaTest, AVersion4JournalBecomesBlocks) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  const std::string dump = PopulatedBook(path);
  WithWholeHashes(path);
  Sql(path, std::string(kJournalOfVersion4) +
                "UPDATE meta SET value = 4 WHERE key = 'schema_version'; PRAGMA user_version = 4");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    EXPECT_EQ(book->ledger().DumpState(), dump);
    EXPECT_THAT(book->Verify(), IsOk());
    ASSERT_THAT(book->ledger().Reserve(Ask("r-2", "c1", 50)), IsOk());
  }
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM sqlite_master WHERE name = 'journal'"), 0);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_blocks"), 19);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_THAT(book->Verify(), IsOk());
  EXPECT_EQ(book->ledger().GetReservation("r-2").value().amount_minor, 50);
}

TEST(SchemaTest, AVersion5MetaBecomesARowidTableWithItsNumbersAsText) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  const std::string dump = PopulatedBook(path);
  // Version 5's meta: WITHOUT ROWID, and NUMERIC affinity made a property "0042" the number 42.
  Sql(path,
      "CREATE TABLE meta5(key TEXT PRIMARY KEY, value ANY) WITHOUT ROWID; "
      "INSERT INTO meta5 SELECT key, value FROM meta; DROP TABLE meta; "
      "ALTER TABLE meta5 RENAME TO meta; "
      "INSERT INTO meta VALUES('property.padded', '0042'), ('property.half', '1.5'), "
      "  ('property.note', 'kept'), ('property.large', zeroblob(1 << 20)); "
      "CREATE VIEW properties AS SELECT substr(key, 10) AS name, value FROM meta "
      "  WHERE key GLOB 'property.*'; "
      "UPDATE meta SET value = 5 WHERE key = 'schema_version'; PRAGMA user_version = 5");
  ASSERT_EQ(
      SqlInt(path, "SELECT typeof(value) = 'integer' FROM meta WHERE key = 'property.padded'"), 1);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    EXPECT_EQ(book->ledger().DumpState(), dump);
    EXPECT_THAT(book->Verify(), IsOk());
    ASSERT_OK_AND_ASSIGN(const std::string padded, book->store().GetProperty("padded"));
    EXPECT_EQ(padded, "42");  // its zeros were lost in version 5
    ASSERT_OK_AND_ASSIGN(const std::string half, book->store().GetProperty("half"));
    EXPECT_EQ(half, "1.5");
    ASSERT_OK_AND_ASSIGN(const std::string note, book->store().GetProperty("note"));
    EXPECT_EQ(note, "kept");
    ASSERT_OK_AND_ASSIGN(const std::string large, book->store().GetProperty("large"));
    EXPECT_EQ(large, std::string(1 << 20, '\0'));
    ASSERT_THAT(book->ledger().Reserve(Ask("r-2", "c1", 50)), IsOk());
  }
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT wr FROM pragma_table_list('meta')"), 0);
  EXPECT_EQ(SqlInt(path, "SELECT typeof(value) = 'text' FROM meta WHERE key = 'property.padded'"),
            1);
  // The head and the version stay numbers; the head's hash a blob.
  EXPECT_EQ(SqlInt(path, "SELECT typeof(value) = 'integer' FROM meta WHERE key = 'head_count'"), 1);
  EXPECT_EQ(SqlInt(path, "SELECT typeof(value) = 'blob' FROM meta WHERE key = 'head_hash'"), 1);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'schema_version'"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT typeof(value) = 'integer' FROM meta WHERE key = 'tables_seq'"), 1);
  EXPECT_EQ(SqlInt(path, "SELECT typeof(value) = 'text' FROM meta WHERE key = 'created_by'"), 1);
  // The user's view over meta is kept and reads the new table.
  EXPECT_EQ(SqlInt(path, "SELECT value FROM properties WHERE name = 'padded'"), 42);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_THAT(book->Verify(), IsOk());
  EXPECT_EQ(book->ledger().GetReservation("r-2").value().amount_minor, 50);
}

}  // namespace
}  // namespace upkeep::store
