// tests/store/book_fixture.h: temporary book files and a small populated ledger for store tests.
//
// Populate() defines, on a fresh book's ledger, the actors, tiers, categories, period Q1,
// customers and gift budgets of tests/ledger/ledger_fixture.h (c1..c3, 2000.00 CNY in Q1).
#ifndef UPKEEP_TESTS_STORE_BOOK_FIXTURE_H_
#define UPKEEP_TESTS_STORE_BOOK_FIXTURE_H_

#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/ledger_fixture.h"
#include "ledger/sha256.h"
#include "store/journal_blocks.h"
#include "upkeep/store.h"

namespace upkeep::store::testing {

using ledger::testing::Cny;

// A directory under /tmp removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "upkeep-store-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline BookOptions Options(Durability durability = Durability::kSyncEachCommit,
                           uint64_t snapshot_every_events = 0) {
  BookOptions options;
  options.store.durability = durability;
  options.ledger.currency = Cny();
  options.snapshot_every_events = snapshot_every_events;
  return options;
}

inline void Populate(ledger::Ledger& ledger) {
  using ledger::Role;
  const auto ok = [](const absl::Status& status) { ASSERT_TRUE(status.ok()) << status; };
  ok(ledger.DefineActor("admin", {"fin", Role::kFinance}));
  ok(ledger.DefineActor("admin", {"mgr", Role::kManager}));
  ok(ledger.DefineActor("admin", {"amy", Role::kAccountManager}));
  ok(ledger.DefineTier("admin", "A"));
  ok(ledger.DefineTier("admin", "B"));
  ok(ledger.DefineCategory("admin", "gift"));
  ok(ledger.DefinePeriod("fin", {"Q1", 1'000, 4'000'000'000'000'000}));
  ok(ledger.DefineCustomer("admin", {"c1", "A", "amy", "north"}));
  ok(ledger.DefineCustomer("admin", {"c2", "B", "amy", "south"}));
  ok(ledger.DefineCustomer("admin", {"c3", "B", "", "north"}));
  ok(ledger.ApplyAllocation(
      {.op_id = "alloc-gift",
       .actor = "fin",
       .period = "Q1",
       .category = "gift",
       .envelopes = {{"c1", "A", 100000}, {"c2", "B", 50000}, {"c3", "", 50000}},
       .reason = "Q1 gifts"}));
}

// Reserves 0.01 CNY of c1's gift envelope as r-<n>, for each n in [from, to) in order.
inline void ReserveEach(ledger::Ledger& ledger, int from, int to) {
  for (int n = from; n < to; ++n) {
    const absl::StatusOr<ledger::Result> reserved =
        ledger.Reserve(ledger::testing::Ask("r-" + std::to_string(n), "c1", 1));
    ASSERT_TRUE(reserved.ok()) << reserved.status();
  }
}

// Runs `sql` on the book file at `path` with a plain SQLite connection (a user's sqlite3 shell).
inline void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error == nullptr ? "" : error;
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// The first column of the first row of `sql`, as an integer.
inline int64_t SqlInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  const int64_t value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

// The chain hash after each journal entry of the book at `path` (element n: after entry n),
// computed from the entries' bytes; and the first seq of each block, in `first_seqs` if given.
inline std::vector<ledger::Digest> ChainHashes(const std::string& path,
                                               std::vector<int64_t>* first_seqs = nullptr) {
  std::vector<ledger::Digest> hashes;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* read = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT first_seq, entries, bytes, hashes FROM journal_blocks "
                               "ORDER BY first_seq",
                               -1, &read, nullptr),
            SQLITE_OK);
  const auto column = [read](int i) {
    return std::string_view(static_cast<const char*>(sqlite3_column_blob(read, i)),
                            static_cast<size_t>(sqlite3_column_bytes(read, i)));
  };
  ledger::Digest head{};
  JournalBlock block;
  while (sqlite3_step(read) == SQLITE_ROW) {
    const int64_t first_seq = sqlite3_column_int64(read, 0);
    EXPECT_EQ(static_cast<size_t>(first_seq), hashes.size());
    EXPECT_TRUE(ReadJournalBlock(static_cast<uint64_t>(first_seq), column(1), column(2), column(3),
                                 &block));
    for (size_t i = 0; i < block.size(); ++i) {
      head = ledger::ChainHash(head, block.Entry(i));
      hashes.push_back(head);
    }
    if (first_seqs != nullptr) first_seqs->push_back(first_seq);
  }
  sqlite3_finalize(read);
  sqlite3_close(db);
  return hashes;
}

// `digest` in hex, for an SQL blob literal X'...'.
inline std::string HexOf(const ledger::Digest& digest) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

// Rewrites the hashes of every journal block of the book at `path` as books before schema
// version 7 kept them, the whole chain hash after every entry, and marks the book version 6.
inline void WithWholeHashes(const std::string& path) {
  std::vector<int64_t> first_seqs;
  const std::vector<ledger::Digest> hashes = ChainHashes(path, &first_seqs);
  first_seqs.push_back(static_cast<int64_t>(hashes.size()));
  std::string sql;
  for (size_t b = 0; b + 1 < first_seqs.size(); ++b) {
    std::string hex;
    for (auto n = static_cast<size_t>(first_seqs[b]); n < static_cast<size_t>(first_seqs[b + 1]);
         ++n) {
      hex += HexOf(hashes[n]);
    }
    sql += "UPDATE journal_blocks SET hashes = X'" + hex +
           "' WHERE first_seq = " + std::to_string(first_seqs[b]) + "; ";
  }
  Sql(path, sql +
                "DROP VIEW journal_entries; "
                "CREATE VIEW journal_entries AS "
                "  SELECT b.first_seq + e.key AS seq, k.name AS kind, e.value ->> 1 AS size_bytes, "
                "         hex(substr(b.hashes, 32 * e.key + 1, 32)) AS hash "
                "  FROM journal_blocks AS b, json_each(b.entries) AS e "
                "  LEFT JOIN event_kinds AS k ON k.kind = e.value ->> 0; "
                "UPDATE meta SET value = 6 WHERE key = 'schema_version'; PRAGMA user_version = 6");
}

// SQL that turns journal_blocks (with whole hashes: WithWholeHashes) back into the version-4
// journal table, one row per entry, for
// the migration tests (and as an example of reading single entries out of the blocks).
inline constexpr char kJournalOfVersion4[] =
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, bytes BLOB NOT NULL, "
    "  hash BLOB NOT NULL); "
    "INSERT INTO journal SELECT b.first_seq + e.key, e.value ->> 0, "
    "  substr(b.bytes, 1 + (SELECT coalesce(sum(p.value ->> 1), 0) FROM json_each(b.entries) AS p "
    "                       WHERE p.key < e.key), e.value ->> 1), "
    "  substr(b.hashes, 32 * e.key + 1, 32) "
    "  FROM journal_blocks AS b, json_each(b.entries) AS e; "
    "DROP VIEW journal_entries; DROP TABLE journal_blocks; "
    "CREATE VIEW journal_entries AS SELECT j.seq, k.name AS kind, length(j.bytes) AS size_bytes, "
    "  hex(j.hash) AS hash FROM journal AS j LEFT JOIN event_kinds AS k USING (kind); ";

}  // namespace upkeep::store::testing

#endif  // UPKEEP_TESTS_STORE_BOOK_FIXTURE_H_
