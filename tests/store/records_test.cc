// Feedback and alert records kept beside the journal (Store::PutRecords / ForEachRecord), in
// both stores: idempotent by id, all or nothing, durable, and the version-4 migration.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "store/schema.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Options;
using testing::Sql;
using testing::SqlInt;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

KeptRecord Feedback(std::string id, std::string body = R"({"outcomes":[]})") {
  return KeptRecord{std::move(id), "customer", "C1", "FY2026", std::move(body)};
}

std::vector<std::string> Ids(const Store& store, RecordTable table) {
  std::vector<std::string> ids;
  EXPECT_THAT(store.ForEachRecord(table,
                                  [&](const KeptRecord& record) {
                                    ids.push_back(record.id);
                                    return absl::OkStatus();
                                  }),
              IsOk());
  return ids;
}

class RecordsTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    uri_ = GetParam() ? "sqlite:" + dir_.File("book.db") : "memory:";
    ASSERT_OK_AND_ASSIGN(store_, OpenStore(uri_, {}));
  }
  TempDir dir_;
  std::string uri_;
  std::unique_ptr<Store> store_;
};

TEST_P(RecordsTest, TheSameRecordAgainChangesNothing) {
  const std::vector<KeptRecord> batch = {Feedback("f-1"), Feedback("f-2")};
  ASSERT_OK_AND_ASSIGN(const PutCounts first, store_->PutRecords(RecordTable::kFeedback, batch));
  EXPECT_EQ(first.added, 2u);
  EXPECT_EQ(first.unchanged, 0u);
  ASSERT_OK_AND_ASSIGN(const PutCounts again, store_->PutRecords(RecordTable::kFeedback, batch));
  EXPECT_EQ(again.added, 0u);
  EXPECT_EQ(again.unchanged, 2u);
  EXPECT_THAT(Ids(*store_, RecordTable::kFeedback), ElementsAre("f-1", "f-2"));
  EXPECT_THAT(Ids(*store_, RecordTable::kAlerts), ElementsAre());
}

TEST_P(RecordsTest, ADifferentRecordUnderAKeptIdIsAConflictAndKeepsNothing) {
  const std::vector<KeptRecord> first = {Feedback("f-1")};
  ASSERT_THAT(store_->PutRecords(RecordTable::kFeedback, first), IsOk());
  const std::vector<KeptRecord> batch = {Feedback("f-2"), Feedback("f-1", R"({"x":1})")};
  EXPECT_THAT(store_->PutRecords(RecordTable::kFeedback, batch),
              StatusIs(ErrorCode::kIdempotencyConflict, HasSubstr("feedback record f-1")));
  EXPECT_THAT(Ids(*store_, RecordTable::kFeedback), ElementsAre("f-1"));
  // The same id in the other table is another record.
  ASSERT_OK_AND_ASSIGN(
      const PutCounts alerts,
      store_->PutRecords(RecordTable::kAlerts, std::vector{Feedback("f-1", "{}")}));
  EXPECT_EQ(alerts.added, 1u);
}

TEST_P(RecordsTest, BadBatchesAreRefused) {
  EXPECT_THAT(store_->PutRecords(RecordTable::kFeedback, std::vector{Feedback("")}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("without an id")));
  EXPECT_THAT(
      store_->PutRecords(RecordTable::kAlerts, std::vector{Feedback("a-1"), Feedback("a-1", "{}")}),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("alerts record a-1 is given twice")));
  // An exact repeat inside a batch is kept once.
  ASSERT_OK_AND_ASSIGN(
      const PutCounts counts,
      store_->PutRecords(RecordTable::kAlerts, std::vector{Feedback("a-1"), Feedback("a-1")}));
  EXPECT_EQ(counts.added, 1u);
  EXPECT_THAT(Ids(*store_, RecordTable::kAlerts), ElementsAre("a-1"));
}

TEST_P(RecordsTest, ReadingStopsAtTheFirstError) {
  ASSERT_THAT(
      store_->PutRecords(RecordTable::kFeedback, std::vector{Feedback("f-1"), Feedback("f-2")}),
      IsOk());
  int seen = 0;
  EXPECT_THAT(store_->ForEachRecord(RecordTable::kFeedback,
                                    [&](const KeptRecord&) {
                                      ++seen;
                                      return MakeError(ErrorCode::kParse, "stop");
                                    }),
              StatusIs(ErrorCode::kParse));
  EXPECT_EQ(seen, 1);
}

INSTANTIATE_TEST_SUITE_P(BothStores, RecordsTest, ::testing::Bool(), [](const auto& param_info) {
  return param_info.param ? "Sqlite" : "Memory";
});

TEST(SqliteRecordsTest, RecordsAreDurableAndReadableFromTheShell) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    const KeptRecord alert{"alert-1", "threshold", "FY2026/customer:C1/gift", "FY2026", "{}"};
    ASSERT_THAT(book->store().PutRecords(RecordTable::kFeedback, std::vector{Feedback("f-1")}),
                IsOk());
    ASSERT_THAT(book->store().PutRecords(RecordTable::kAlerts, std::vector{alert}), IsOk());
    // No Commit, no Close: kept records are durable on their own.
    EXPECT_EQ(SqlInt(path,
                     "SELECT count(*) FROM feedback WHERE id = 'f-1' AND customer = 'C1' "
                     "AND period = 'FY2026' AND kind = 'customer'"),
              1);
    EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM alerts WHERE scope = 'FY2026/customer:C1/gift'"),
              1);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(path, {}));
  EXPECT_THAT(Ids(*store, RecordTable::kFeedback), ElementsAre("f-1"));
  EXPECT_THAT(Ids(*store, RecordTable::kAlerts), ElementsAre("alert-1"));
}

TEST(SqliteRecordsTest, AVersion3BookIsUpgradedWithItsJournal) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string dump;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    testing::Populate(book->ledger());
    dump = book->ledger().DumpState();
    ASSERT_THAT(book->Close(), IsOk());
  }
  // Turn it into a version-3 book: feedback and alerts were the version-2 placeholders.
  testing::WithWholeHashes(path);
  Sql(path, std::string(testing::kJournalOfVersion4) +
                "DROP TABLE feedback; DROP TABLE alerts; "
                "CREATE TABLE feedback(id TEXT PRIMARY KEY, customer TEXT, body TEXT, seq INTEGER) "
                "  WITHOUT ROWID; "
                "CREATE TABLE alerts(id TEXT PRIMARY KEY, scope TEXT, body TEXT, seq INTEGER) "
                "WITHOUT ROWID; "
                "UPDATE meta SET value = 3 WHERE key = 'schema_version'; PRAGMA user_version = 3");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    EXPECT_EQ(book->ledger().DumpState(), dump);
    ASSERT_THAT(book->store().PutRecords(RecordTable::kFeedback, std::vector{Feedback("f-1")}),
                IsOk());
    ASSERT_THAT(book->Close(), IsOk());
  }
  EXPECT_EQ(SqlInt(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT value FROM meta WHERE key = 'schema_version'"), kSchemaVersion);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM feedback WHERE kind = 'customer'"), 1);
  EXPECT_EQ(SqlInt(path, "SELECT count(*) FROM customers"), 3);
}

}  // namespace
}  // namespace upkeep::store
