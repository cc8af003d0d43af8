#include "upkeep/io/csv.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
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

// One CsvRecord read into again and again (its strings reused) holds each record exactly,
// whether the record has more fields than the one before or fewer.
TEST(CsvReaderTest, ARecordReadIntoAgainHoldsEachRecordExactly) {
  CsvReader reader("a,bb,ccc\nd\n\"e,\"\"\",,f,g,h\nlast");
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_THAT(record.fields, ElementsAre("a", "bb", "ccc"));
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_THAT(record.fields, ElementsAre("d"));
  EXPECT_EQ(record.line, 2u);
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_THAT(record.fields, ElementsAre("e,\"", "", "f", "g", "h"));
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_THAT(record.fields, ElementsAre("last"));
  EXPECT_FALSE(*reader.Next(record));
}

TEST(CsvReaderTest, LinesLeftCountsTheLinesAfterThePosition) {
  EXPECT_EQ(CsvReader("").LinesLeft(), 0u);
  EXPECT_EQ(CsvReader("h\n").LinesLeft(), 1u);
  EXPECT_EQ(CsvReader("h\n1\n2").LinesLeft(), 3u);
  CsvReader reader("h\n1\n2\n");
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_EQ(reader.LinesLeft(), 2u);
  ASSERT_TRUE(*reader.Next(record));
  ASSERT_TRUE(*reader.Next(record));
  EXPECT_EQ(reader.LinesLeft(), 0u);
}

TEST(CsvReaderTest, CheckQuotingReadsTheWholeText) {
  EXPECT_TRUE(CsvReader::CheckQuoting("a,b\n1,2\n").ok());
  EXPECT_TRUE(CsvReader::CheckQuoting("a,\"b\"\"\"\n1,\"2\n3\"\n").ok());
  EXPECT_THAT(CsvReader::CheckQuoting("a,b\n1,2\n3,\"4\n"),
              StatusIs(ErrorCode::kParse, HasSubstr("line 3: a quoted field is never closed")));
  EXPECT_THAT(CsvReader::CheckQuoting("a\nb\nc\"d\n"),
              StatusIs(ErrorCode::kParse, HasSubstr("line 3: a quote inside an unquoted field")));
}

// Any table of fields, written as CSV (quoted where it must be, with either line ending),
// reads back the same, record by record, with the lines the records start on.
RC_GTEST_PROP(CsvReaderProperties, WrittenFieldsReadBack, ()) {
  const auto records = *rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(
          rc::gen::container<std::string>(rc::gen::element('a', 'b', ',', '"', '\n', '\r')))));
  const std::string line_end = *rc::gen::element<std::string>("\n", "\r\n");
  std::string text;
  std::vector<size_t> lines;
  size_t line = 1;
  for (const std::vector<std::string>& fields : records) {
    lines.push_back(line);
    for (size_t k = 0; k < fields.size(); ++k) {
      const std::string& field = fields[k];
      if (k > 0) text += ',';
      // A lone empty field would make a blank line, which the reader skips: quote it.
      const bool quote = field.find_first_of(",\"\n\r") != std::string::npos ||
                         (field.empty() && fields.size() == 1);
      if (!quote) {
        text += field;
        continue;
      }
      text += '"';
      for (const char c : field) {
        text += c;
        if (c == '"') text += '"';
        if (c == '\n') ++line;
      }
      text += '"';
    }
    text += line_end;
    ++line;
  }
  CsvReader reader(text);
  CsvRecord record;
  for (size_t r = 0; r < records.size(); ++r) {
    const absl::StatusOr<bool> more = reader.Next(record);
    RC_ASSERT(more.ok());
    RC_ASSERT(*more);
    RC_ASSERT(record.fields == records[r]);
    RC_ASSERT(record.line == lines[r]);
  }
  RC_ASSERT(!*reader.Next(record));
  RC_ASSERT(CsvReader::CheckQuoting(text).ok());
}

// LinesLeft counts line feeds in blocks of byte-wide counters: texts longer than a block (8,160
// bytes), with runs of feeds that would overflow a counter that is never emptied, count exactly.
RC_GTEST_PROP(CsvReaderProperties, LinesLeftCountsEveryLineFeed, ()) {
  const auto size = *rc::gen::inRange<size_t>(0, 40'000);
  const int feeds_in_16 = *rc::gen::inRange(0, 17);  // how dense the line feeds are
  std::mt19937 random(*rc::gen::arbitrary<uint32_t>());
  std::string text(size, 'x');
  for (char& c : text) {
    if (static_cast<int>(random() % 16) < feeds_in_16) c = '\n';
  }
  const auto feeds = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  const size_t unended = text.empty() || text.back() == '\n' ? 0 : 1;
  RC_ASSERT(CsvReader(text).LinesLeft() == feeds + unended);
}

TEST(ReadFileTest, ReadsEveryByte) {
  const std::string path = ::testing::TempDir() + "/read_file_test.bin";
  std::string bytes = "a,b\r\n";
  bytes += '\0';
  for (int k = 0; k < 100'000; ++k) bytes += static_cast<char>('0' + k % 10);
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file), bytes.size());
    std::fclose(file);
  }
  ASSERT_OK_AND_ASSIGN(const std::string read, ReadFile(path));
  EXPECT_EQ(read, bytes);
  std::fclose(std::fopen(path.c_str(), "wb"));  // empty now
  ASSERT_OK_AND_ASSIGN(const std::string empty, ReadFile(path));
  EXPECT_EQ(empty, "");
  std::remove(path.c_str());
}

TEST(ReadFileTest, AFolderIsIoError) {
  EXPECT_THAT(ReadFile(::testing::TempDir()), StatusIs(ErrorCode::kIo));
}

TEST(ReadFileTest, MissingFileIsIoError) {
  EXPECT_THAT(ReadFile("/nonexistent/upkeep/file.csv"),
              StatusIs(ErrorCode::kIo, HasSubstr("/nonexistent/upkeep/file.csv")));
}

}  // namespace
}  // namespace upkeep::io
