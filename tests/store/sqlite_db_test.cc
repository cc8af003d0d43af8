// SqliteDb: blobs read and overwritten in place.
#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        db_, SqliteDb::Open(dir_.File("t.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    ASSERT_THAT(db_->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, small BLOB, large BLOB);"
                          "INSERT INTO t VALUES(7, x'00000000', zeroblob(100000));",
                          "create"),
                IsOk());
  }
  std::string Read(const char* column, int64_t rowid) {
    std::string out;
    EXPECT_THAT(db_->ReadBlob("t", column, rowid, &out), IsOk());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteDbTest, OverwriteBlobReplacesTheBytesInPlace) {
  ASSERT_THAT(db_->OverwriteBlob("t", "small", 7, "abcd"), IsOk());
  EXPECT_EQ(Read("small", 7), "abcd");
  EXPECT_EQ(Read("large", 7), std::string(100000, '\0'));  // the row's other blob untouched
}

TEST_F(SqliteDbTest, OverwriteBlobOfAnotherSizeChangesNothing) {
  EXPECT_THAT(db_->OverwriteBlob("t", "small", 7, "abc"),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("3 bytes into 4")));
  EXPECT_THAT(db_->OverwriteBlob("t", "small", 7, "abcde"),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("5 bytes into 4")));
  EXPECT_EQ(Read("small", 7), std::string(4, '\0'));
}

TEST_F(SqliteDbTest, OverwriteBlobOfAMissingRowIsAnError) {
  const absl::Status missing_row = db_->OverwriteBlob("t", "small", 8, "abcd");
  EXPECT_FALSE(missing_row.ok());
  EXPECT_THAT(std::string(missing_row.message()), HasSubstr("write t.small"));
  EXPECT_FALSE(db_->OverwriteBlob("t", "nothing", 7, "abcd").ok());
  EXPECT_EQ(Read("small", 7), std::string(4, '\0'));
}

}  // namespace
}  // namespace upkeep::store
