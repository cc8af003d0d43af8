// io/csv_rows.h: FirstLines (the keys of a file's rows and their first lines) and RowReader
// (rows one at a time, read ahead of the one handed out).
#include "io/csv_rows.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io::internal {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

TEST(FirstLinesTest, ARepeatedKeyGivesItsFirstLine) {
  FirstLines lines(4);
  EXPECT_EQ(lines.Add("S1", 2), 0u);
  EXPECT_EQ(lines.Add("S2", 3), 0u);
  EXPECT_EQ(lines.Add("S1", 4), 2u);
  EXPECT_EQ(lines.Add("S1", 9), 2u);
  EXPECT_EQ(lines.Add("", 10), 0u);  // the empty key is a key like any other
  EXPECT_EQ(lines.Add("", 11), 10u);
  EXPECT_FALSE(lines.full());
}

// Whatever the keys and however many more than expected (the table grows), Add answers as a
// map of each key to the line it was first added on.
RC_GTEST_PROP(FirstLinesProperties, AnswersAsAMapOfFirstLines, ()) {
  const auto keys = *rc::gen::container<std::vector<std::string>>(
      rc::gen::container<std::string>(rc::gen::element('a', 'b', 'c', '\0')));
  FirstLines lines(*rc::gen::inRange<size_t>(0, 8));
  std::map<std::string, size_t> model;
  for (size_t k = 0; k < keys.size(); ++k) {
    const size_t line = k + 1;
    const auto [first, inserted] = model.try_emplace(keys[k], line);
    RC_ASSERT(lines.Add(keys[k], line) == (inserted ? 0 : first->second));
  }
}

constexpr ColumnSpec kSpecs[] = {{"id"}, {"value"}};

RowReader ReaderOf(std::string_view text) {
  CsvReader reader(text);
  Header header = ReadHeader(reader, kSpecs, "t.csv").value();
  return RowReader(reader, std::move(header), kSpecs, "t.csv", "id");
}

struct Row {
  std::string id, value;
};

absl::StatusOr<RowRead> Next(RowReader& rows, Row& row, RejectedRow& bad) {
  return rows.Next(
      [](const CellReader& cells, Row& out) -> absl::Status {
        UPKEEP_ASSIGN_OR_RETURN(const std::string_view id, cells.Text(0));
        UPKEEP_ASSIGN_OR_RETURN(const std::string_view value, cells.Text(1));
        out.id = id;
        out.value = value;
        return absl::OkStatus();
      },
      [](const Row& out) -> std::string_view { return out.id; }, row, bad);
}

// More rows than it reads ahead, bad ones among them: each comes in file order with its line.
TEST(RowReaderTest, RowsComeInFileOrderWithTheirLines) {
  std::string text = "id,value\n";
  for (int k = 0; k < 20; ++k) text += "r" + std::to_string(k) + ",v" + std::to_string(k) + "\n";
  text += "r3,again\n";  // line 22: repeats line 5's id
  text += "r30,\n";      // line 23: an empty value
  RowReader rows = ReaderOf(text);
  Row row;
  RejectedRow bad;
  for (int k = 0; k < 20; ++k) {
    ASSERT_OK_AND_ASSIGN(const RowRead read, Next(rows, row, bad));
    ASSERT_EQ(read, RowRead::kRow);
    EXPECT_EQ(row.id, "r" + std::to_string(k));
    EXPECT_EQ(row.value, "v" + std::to_string(k));
    EXPECT_EQ(rows.line(), static_cast<size_t>(k) + 2);
  }
  ASSERT_OK_AND_ASSIGN(RowRead read, Next(rows, row, bad));
  ASSERT_EQ(read, RowRead::kBad);
  EXPECT_EQ(bad.line, 22u);
  EXPECT_EQ(bad.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(bad.reason, "t.csv:22: id: duplicate r3 (first on line 5)");
  ASSERT_OK_AND_ASSIGN(read, Next(rows, row, bad));
  ASSERT_EQ(read, RowRead::kBad);
  EXPECT_EQ(bad.code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad.reason, HasSubstr("t.csv:23: value: must not be empty"));
  ASSERT_OK_AND_ASSIGN(read, Next(rows, row, bad));
  EXPECT_EQ(read, RowRead::kEnd);
  ASSERT_OK_AND_ASSIGN(read, Next(rows, row, bad));
  EXPECT_EQ(read, RowRead::kEnd);
}

// A record read ahead with broken quoting stops the reader when its turn comes, not before:
// the rows before it are handed out first.
TEST(RowReaderTest, BrokenQuotingStopsTheReaderWhenItsRowComes) {
  RowReader rows = ReaderOf("id,value\na,1\nb,2\nc,\"3\n");
  Row row;
  RejectedRow bad;
  for (const char* id : {"a", "b"}) {
    ASSERT_OK_AND_ASSIGN(const RowRead read, Next(rows, row, bad));
    ASSERT_EQ(read, RowRead::kRow);
    EXPECT_EQ(row.id, id);
  }
  EXPECT_THAT(Next(rows, row, bad),
              StatusIs(ErrorCode::kParse, HasSubstr("t.csv: line 4: a quoted field is never")));
}

}  // namespace
}  // namespace upkeep::io::internal
