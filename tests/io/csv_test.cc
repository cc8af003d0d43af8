#include "upkeep/io/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

std::vector<CsvRecord> ReadAll(std::string_view text) {
  CsvReader reader(text);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    records.push_back(record);
  }
  return records;
}

TEST(CsvReaderTest, ReadsPlainAndQuotedFields) {
  std::vector<CsvRecord> records =
      ReadAll("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",,end");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(records[1].fields, ElementsAre("1", "x, y", "say \"hi\""));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_THAT(records[2].fields, ElementsAre("multi\nline", "", "end"));
  EXPECT_EQ(records[2].line, 4u);
}

TEST(CsvReaderTest, SkipsByteOrderMark) {
  std::vector<CsvRecord> records = ReadAll("\xEF\xBB\xBFid\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("id"));
}

TEST(CsvReaderTest, EmptyTextHasNoRecords) { EXPECT_TRUE(ReadAll("").empty()); }

TEST(CsvReaderTest, MalformedQuotingNamesTheLine) {
  CsvRecord record;
  CsvReader unclosed("a\nb,\"never closed\n");
  ASSERT_TRUE(*unclosed.Next(record));
  EXPECT_THAT(unclosed.Next(record),
              StatusIs(ErrorCode::kParse, HasSubstr("line 2: a quoted field is never closed")));

  CsvReader inner("ab\"c\n");
  EXPECT_THAT(inner.Next(record), StatusIs(ErrorCode::kParse, HasSubstr("line 1")));

  CsvReader trailing("\"ab\"c\n");
  EXPECT_THAT(trailing.Next(record),
              StatusIs(ErrorCode::kParse, HasSubstr("text after a closing quote")));
}

TEST(ReadFileTest, MissingFileIsIoError) {
  EXPECT_THAT(ReadFile("/nonexistent/upkeep/file.csv"),
              StatusIs(ErrorCode::kIo, HasSubstr("/nonexistent/upkeep/file.csv")));
}

}  // namespace
}  // namespace upkeep::io
