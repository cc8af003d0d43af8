// The readable tables of a SQLite book: what they hold, when they are brought up to date, and
// that refreshing them piecemeal gives the same rows as deriving them from the whole journal.
#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "store/book_fixture.h"
#include "upkeep/policy_params.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Ask;
using ledger::testing::Cny;
using ::testing::HasSubstr;
using testing::Options;
using testing::Populate;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

// Every row of `sql` as "a|b|c\n" lines.
std::string SqlRows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string out;
  sqlite3_exec(
      db, sql.c_str(),
      +[](void* text, int columns, char** values, char**) {
        auto* rows = static_cast<std::string*>(text);
        for (int i = 0; i < columns; ++i) {
          if (i > 0) *rows += '|';
          *rows += values[i] == nullptr ? "NULL" : values[i];
        }
        *rows += '\n';
        return 0;
      },
      &out, nullptr);
  sqlite3_close(db);
  return out;
}

// The readable tables in a canonical order.
std::string TablesDump(const std::string& path) {
  std::string out;
  for (const char* table : {"customers ORDER BY id", "policy_versions ORDER BY version",
                            "balances ORDER BY scope_id", "reservations ORDER BY op_id",
                            "approvals ORDER BY approval_id", "decisions ORDER BY seq"}) {
    out += std::string(table) + ":\n" + SqlRows(path, std::string("SELECT * FROM ") + table);
  }
  return out;
}

// Empties the readable tables of the closed book at `path`, lets the book derive them again
// from entry 0 and returns them (TablesDump).
std::string TablesDerivedAgain(const std::string& path) {
  Sql(path,
      "DELETE FROM customers; DELETE FROM policy_versions; DELETE FROM balances; "
      "DELETE FROM reservations; DELETE FROM approvals; DELETE FROM decisions; "
      "UPDATE meta SET value = 0 WHERE key = 'tables_seq'");
  absl::StatusOr<std::unique_ptr<Book>> book = Book::Open(path, Options());
  EXPECT_THAT(book, IsOk());
  if (book.ok()) {
    EXPECT_THAT((*book)->Close(), IsOk());
  }
  return TablesDump(path);
}

ledger::ControlPolicySet NeedApprovalAbove(int64_t amount_minor) {
  const nlohmann::json document = nlohmann::json::parse(
      R"({"limits": [{"id": "big", "per_request_max": ")" + std::to_string(amount_minor / 100) +
      R"(.00", "action": "require_approval"}]})");
  return ledger::ParseControlPolicies(PolicyParams(document, ""), Cny(), {}).value();
}

// Some of everything the tables show: policies, reservations posted, voided and open, a spend,
// a refund, approvals granted and rejected.
void Exercise(ledger::Ledger& ledger) {
  const auto ok = [](const absl::Status& status) { ASSERT_TRUE(status.ok()) << status; };
  ok(ledger.SetPolicies("admin", NeedApprovalAbove(20000)));
  ok(ledger.Reserve(Ask("r-1", "c1", 1000)).status());
  ok(ledger.Post({.op_id = "p-1", .actor = "mgr", .reservation_id = "r-1", .amount = Cny(800)}));
  ok(ledger.Reserve(Ask("r-2", "c2", 2000)).status());
  ok(ledger.Void({.op_id = "v-2", .actor = "mgr", .reservation_id = "r-2"}));
  ok(ledger.Reserve(Ask("r-3", "c3", 3000)).status());
  ok(ledger.Spend(Ask("s-1", "c3", 500)).status());
  ok(ledger.Refund({.op_id = "f-1", .actor = "mgr", .target_id = "r-1", .amount = Cny(100)}));
  ok(ledger.Reserve(Ask("r-big", "c1", 60000)).status());  // needs approval
  ok(ledger.Approve({.actor = "fin", .approval_id = "r-big", .reason = "ok"}).status());
  ok(ledger.Reserve(Ask("r-no", "c1", 30000, "amy")).status());  // needs approval
  ok(ledger.RejectApproval({.actor = "mgr", .approval_id = "r-no", .reason = "too much"}));
}

TEST(TablesTest, AClosedBookCanBeQueriedFromTheShell) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string scopes;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    Populate(book->ledger());
    Exercise(book->ledger());
    ASSERT_THAT(book->Close(), IsOk());
    for (const ledger::ScopeSnapshot& scope : book->ledger().Scopes()) {
      const ledger::Balance& b = scope.balance;
      scopes += scope.scope.period + "|" + std::string(ledger::ScopeKindName(scope.scope.kind)) +
                "|" + scope.scope.key + "|" + scope.scope.category + "|" +
                std::to_string(b.budget_minor) + "|" + std::to_string(b.reserved_minor) + "|" +
                std::to_string(b.spent_minor) + "|" + std::to_string(b.available_minor) + "|" +
                std::to_string(b.budget_version) + "\n";
    }
  }
  EXPECT_EQ(SqlRows(path, "SELECT * FROM customers ORDER BY id"),
            "c1|A|amy|north|8\nc2|B|amy|south|9\nc3|B||north|10\n");
  EXPECT_EQ(SqlRows(path, "SELECT version, set_by FROM policy_versions"), "1|admin\n");
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM policy_versions WHERE json_valid(document)"), 1);
  EXPECT_EQ(SqlRows(path,
                    "SELECT op_id, customer, amount_minor, status, posted_minor, refunded_minor "
                    "FROM reservations ORDER BY op_id"),
            "r-1|c1|1000|posted|800|100\nr-2|c2|2000|voided|0|0\nr-3|c3|3000|open|0|0\n"
            "r-big|c1|60000|open|0|0\n");
  EXPECT_EQ(
      SqlRows(path,
              "SELECT approval_id, request, amount_minor, status, requester, decided_by, "
              "reason FROM approvals ORDER BY approval_id"),
      "r-big|reserve|60000|granted|mgr|fin|ok\nr-no|reserve|30000|rejected|amy|mgr|too much\n");
  EXPECT_EQ(SqlRows(path, "SELECT op_id, request, outcome FROM decisions ORDER BY seq"),
            "r-big|reserve|needs approval\nr-big|reserve|approve with warning\n"
            "r-no|reserve|needs approval\n");
  EXPECT_EQ(SqlInt(path,
                   "SELECT count(*) FROM decisions, json_each(decisions.reasons) "
                   "WHERE json_extract(json_each.value, '$.rule') = 'big'"),
            3);
  EXPECT_EQ(SqlRows(path,
                    "SELECT period, level, key, category, budget_minor, reserved_minor, "
                    "spent_minor, available_minor, budget_version FROM balances ORDER BY scope_id"),
            scopes);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'tables_seq'"),
            SqlInt(path, "SELECT value FROM meta WHERE key = 'head_count'"));
}

TEST(TablesTest, TheTablesFollowSnapshotsNotEachOperation) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  Populate(book->ledger());
  ASSERT_OK_AND_ASSIGN(const uint64_t covered, book->Snapshot());
  ASSERT_THAT(book->ledger().Reserve(Ask("r-1", "c1", 1000)), IsOk());
  // Durable in the journal, not yet in the tables.
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM journal_entries"),
            static_cast<int64_t>(covered) + 1);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM reservations"), 0);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'tables_seq'"),
            static_cast<int64_t>(covered));
  ASSERT_THAT(book->Snapshot(), IsOk());
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM reservations"), 1);
  EXPECT_EQ(SqlInt(path,
                   "SELECT reserved_minor FROM balances WHERE level = 'customer' AND "
                   "key = 'c1'"),
            1000);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'tables_seq'"),
            static_cast<int64_t>(covered) + 1);
}

TEST(TablesTest, RefreshedPiecemealTheyEqualTablesDerivedFromTheWholeJournal) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit, 5)));
    Populate(book->ledger());
    Exercise(book->ledger());
    ASSERT_THAT(book->Snapshot(), IsOk());
    for (int n = 0; n < 40; ++n) {
      ASSERT_THAT(book->ledger().Reserve(Ask("k-" + std::to_string(n), "c2", 10)), IsOk());
      if (n % 3 == 0) {
        ASSERT_THAT(book->ledger().Post({.op_id = "q-" + std::to_string(n),
                                         .actor = "mgr",
                                         .reservation_id = "k-" + std::to_string(n)}),
                    IsOk());
      }
      // Plain spends give no row (the refresh skips them), one approved after a request does.
      ASSERT_THAT(book->ledger().Spend(Ask("t-" + std::to_string(n), "c3", 5)), IsOk());
      if (n == 20) {
        ASSERT_THAT(book->ledger().Spend(Ask("t-big", "c3", 25000)), IsOk());
        ASSERT_THAT(book->ledger().Approve({.actor = "fin", .approval_id = "t-big"}), IsOk());
      }
    }
    ASSERT_THAT(book->Close(), IsOk());
  }
  const std::string piecemeal = TablesDump(path);
  ASSERT_THAT(piecemeal, HasSubstr("k-38|Q1|c2|gift|10|open"));
  ASSERT_THAT(piecemeal, HasSubstr("|t-big|spend|approve with warning|"));
  EXPECT_EQ(TablesDerivedAgain(path), piecemeal);
}

// The entries a refresh wants lie thousands of plain spends apart (more than a journal block):
// the refresh reads the stretches that hold them and skips the blocks between.
TEST(TablesTest, EntriesWantedFarApartAreEachApplied) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    Populate(book->ledger());
    ASSERT_THAT(book->Snapshot(), IsOk());
    for (int n = 0; n < 3; ++n) {
      for (int k = 0; k < 2500; ++k) {
        ASSERT_THAT(book->ledger().Spend(Ask(absl::StrCat("t-", n, "-", k), "c3", 1)), IsOk());
      }
      ASSERT_THAT(book->ledger().Reserve(Ask(absl::StrCat("far-", n), "c2", 10)), IsOk());
    }
    ASSERT_THAT(book->Close(), IsOk());
  }
  const std::string piecemeal = TablesDump(path);
  for (const char* reserved : {"far-0|", "far-1|", "far-2|"}) {
    EXPECT_THAT(piecemeal, HasSubstr(reserved));
  }
  EXPECT_EQ(TablesDerivedAgain(path), piecemeal);
}

TEST(TablesTest, ARefreshBehindTheTablesOrAheadOfTheJournalIsRefused) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  Populate(book->ledger());
  ASSERT_THAT(book->Snapshot(), IsOk());
  Store& store = book->store();
  EXPECT_THAT(store.RefreshTables(1, {}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("the tables are at entry")));
  EXPECT_THAT(store.RefreshTables(store.size() + 1, {}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("await entry")));
  EXPECT_EQ(store.TablesSeq().value(), store.size());
}

}  // namespace
}  // namespace upkeep::store
