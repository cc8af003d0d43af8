#include "upkeep/io/spend_csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/money.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

Currency Cny() { return *Currency::FromCode("CNY"); }

constexpr const char* kHeader = "request_id,date,customer_id,category,kind,amount,actual_amount\n";

TEST(SpendCsvTest, ReadsRowsInFileOrderWithTheirLines) {
  const std::string text = std::string(kHeader) +
                           "S2,2026-03-31,C2,gift,reserve,500.00,420.50\n"
                           "\n"
                           "S1,2026-01-05,\"C1\",visit,spend,12.5,\n";
  ASSERT_OK_AND_ASSIGN(SpendImport read, ParseSpendCsv(text, Cny(), ImportMode::kStrict, "s.csv"));
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_TRUE(read.rejected.empty());
  const SpendRow& first = read.rows[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.request_id, "S2");
  EXPECT_EQ(first.customer_id, "C2");
  EXPECT_EQ(first.category, "gift");
  EXPECT_TRUE(first.is_reserve);
  EXPECT_EQ(first.amount_minor, 50000);
  EXPECT_EQ(first.actual_minor, 42050);
  EXPECT_EQ(first.month, 3);
  EXPECT_EQ(first.time_micros, int64_t{1774915200} * 1'000'000);  // 2026-03-31 00:00 UTC
  const SpendRow& second = read.rows[1];
  EXPECT_EQ(second.line, 4u);
  EXPECT_FALSE(second.is_reserve);
  EXPECT_EQ(second.amount_minor, 1250);
  EXPECT_EQ(second.actual_minor, 1250);  // an empty actual_amount is the amount
}

TEST(SpendCsvTest, ColumnsInAnyOrderAndActualAmountOptional) {
  const std::string text =
      "amount,kind,category,customer_id,date,request_id\n"
      "7.00,spend,event,C9,2026-12-31,S9\n";
  ASSERT_OK_AND_ASSIGN(SpendImport read, ParseSpendCsv(text, Cny(), ImportMode::kStrict, "s.csv"));
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_EQ(read.rows[0].request_id, "S9");
  EXPECT_EQ(read.rows[0].actual_minor, 700);
  EXPECT_EQ(read.rows[0].month, 12);
}

TEST(SpendCsvTest, StrictModeFailsOnTheFirstBadRowNamingLineAndColumn) {
  const std::string text = std::string(kHeader) + "S1,2026-01-05,C1,gift,spend,1.00,1.00\n" +
                           "S2,2026-01-05,C1,gift,spend,1.001,1.00\n" +
                           "S3,2026-01-05,C1,gift,lend,1.00,1.00\n";
  EXPECT_THAT(ParseSpendCsv(text, Cny(), ImportMode::kStrict, "s.csv"),
              StatusIs(ErrorCode::kPrecision, HasSubstr("s.csv:3: amount:")));
}

TEST(SpendCsvTest, SkipModeListsEveryBadRowWithItsCode) {
  struct Case {
    const char* row;
    ErrorCode code;
    const char* fragment;
  };
  const Case cases[] = {
      {"S1,2026-01-05,C1,gift,spend,1.001,1.00", ErrorCode::kPrecision, "amount:"},
      {"S1,2026-01-05,C1,gift,spend,lots,1.00", ErrorCode::kParse, "amount:"},
      {"S1,2026-13-05,C1,gift,spend,1.00,1.00", ErrorCode::kParse, "date: not a date"},
      {"S1,2026-1-5,C1,gift,spend,1.00,1.00", ErrorCode::kParse, "date: not a date"},
      {"S1,2026-01-05,C1,gift,lend,1.00,1.00", ErrorCode::kParse, "kind: must be spend or reserve"},
      {"S1,2026-01-05,C1,gift,spend,-5.00,1.00", ErrorCode::kInvalidArgument, "above zero"},
      {"S1,2026-01-05,C1,gift,spend,0.00,0.00", ErrorCode::kInvalidArgument, "above zero"},
      {"S1,2026-01-05,C1,gift,spend,1.00,2.00", ErrorCode::kInvalidArgument, "not exceed"},
      {"S1,2026-01-05,,gift,spend,1.00,1.00", ErrorCode::kInvalidArgument,
       "customer_id: must not be empty"},
      {"S1,2026-01-05,C\xFF,gift,spend,1.00,1.00", ErrorCode::kInvalidUtf8,
       "customer_id: invalid UTF-8 at byte 1"},
      {"S1,2026-01-05,C1,gift,spend,1.00", ErrorCode::kParse, "6 fields, the header has 7"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    const std::string text = std::string(kHeader) + "S0,2026-01-05,C1,gift,spend,1.00,1.00\n" +
                             c.row + "\n" + "S2,2026-01-06,C1,gift,spend,2.00,2.00\n";
    ASSERT_OK_AND_ASSIGN(SpendImport read,
                         ParseSpendCsv(text, Cny(), ImportMode::kSkipBadRows, "s.csv"));
    ASSERT_EQ(read.rows.size(), 2u);
    EXPECT_EQ(read.rows[1].request_id, "S2");
    ASSERT_EQ(read.rejected.size(), 1u);
    EXPECT_EQ(read.rejected[0].line, 3u);
    EXPECT_EQ(read.rejected[0].code, c.code);
    EXPECT_THAT(read.rejected[0].reason, HasSubstr("s.csv:3: "));
    EXPECT_THAT(read.rejected[0].reason, HasSubstr(c.fragment));
  }
}

TEST(SpendCsvTest, ARepeatedRequestIdIsRejectedNamingTheFirstLine) {
  const std::string text = std::string(kHeader) + "S1,2026-01-05,C1,gift,spend,1.00,1.00\n" +
                           "S1,2026-01-06,C1,gift,spend,2.00,2.00\n";
  ASSERT_OK_AND_ASSIGN(SpendImport read,
                       ParseSpendCsv(text, Cny(), ImportMode::kSkipBadRows, "s.csv"));
  ASSERT_EQ(read.rows.size(), 1u);
  ASSERT_EQ(read.rejected.size(), 1u);
  EXPECT_EQ(read.rejected[0].code, ErrorCode::kAlreadyExists);
  EXPECT_THAT(read.rejected[0].reason,
              HasSubstr("s.csv:3: request_id: duplicate S1 (first on line 2)"));
  EXPECT_THAT(ParseSpendCsv(text, Cny(), ImportMode::kStrict, "s.csv"),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("s.csv:3")));
}

TEST(SpendCsvTest, BadHeadersAndQuotingFailInEitherMode) {
  for (ImportMode mode : {ImportMode::kStrict, ImportMode::kSkipBadRows}) {
    EXPECT_THAT(ParseSpendCsv("request_id,date\nS1,2026-01-05\n", Cny(), mode, "s.csv"),
                StatusIs(ErrorCode::kParse, HasSubstr("s.csv:1: missing column customer_id")));
    EXPECT_THAT(ParseSpendCsv("", Cny(), mode, "s.csv"),
                StatusIs(ErrorCode::kParse, HasSubstr("s.csv: no header row")));
    EXPECT_THAT(ParseSpendCsv(std::string(kHeader) + "S1,\"2026-01-05,C1\n", Cny(), mode, "s.csv"),
                StatusIs(ErrorCode::kParse, HasSubstr("s.csv: line 2")));
    EXPECT_THAT(ParseSpendCsv("request_id,date,customer_id,category,kind,amount,amount\n", Cny(),
                              mode, "s.csv"),
                StatusIs(ErrorCode::kParse, HasSubstr("column amount twice")));
  }
}

// Amounts are exact in the currency's minor units: JPY has none, KWD three.
TEST(SpendCsvTest, AmountsFollowTheCurrency) {
  const std::string row = "S1,2026-01-05,C1,gift,spend,1.5,1.5\n";
  EXPECT_THAT(ParseSpendCsv(std::string(kHeader) + row, *Currency::FromCode("JPY"),
                            ImportMode::kStrict, "s.csv"),
              StatusIs(ErrorCode::kPrecision));
  ASSERT_OK_AND_ASSIGN(SpendImport read,
                       ParseSpendCsv(std::string(kHeader) + row, *Currency::FromCode("KWD"),
                                     ImportMode::kStrict, "s.csv"));
  EXPECT_EQ(read.rows[0].amount_minor, 1500);
}

// The reader gives the rows ParseSpendCsv gives, one at a time into one SpendRow, and the bad
// rows as they come; malformed quoting anywhere is refused when it opens, before any row.
TEST(SpendCsvReaderTest, RowsOneAtATimeAsParseSpendCsvReadsThem) {
  const std::string text = std::string(kHeader) +
                           "S1,2026-01-05,C1,gift,spend,1.00,1.00\n"
                           "S2,2026-01-05,C2,gift,reserve,5.00,\n"
                           "S1,2026-01-06,C1,gift,spend,2.00,2.00\n"
                           "S3,2026-02-30,C1,gift,spend,2.00,2.00\n"
                           "S4,2026-01-06,\"C\"\"4\",gift,spend,3.00,3.00\n";
  ASSERT_OK_AND_ASSIGN(const SpendImport all,
                       ParseSpendCsv(text, Cny(), ImportMode::kSkipBadRows, "s.csv"));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  EXPECT_EQ(reader.LinesLeft(), 5u);
  SpendRow row;
  RejectedRow bad;
  std::vector<SpendRow> rows;
  std::vector<RejectedRow> rejected;
  while (true) {
    ASSERT_OK_AND_ASSIGN(const RowRead read, reader.Next(row, bad));
    if (read == RowRead::kEnd) break;
    if (read == RowRead::kRow) rows.push_back(row);
    if (read == RowRead::kBad) rejected.push_back(bad);
  }
  EXPECT_EQ(reader.LinesLeft(), 0u);  // counted from where the reader is, once it started
  ASSERT_EQ(rows.size(), 3u);
  ASSERT_EQ(rows.size(), all.rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    EXPECT_EQ(rows[k].line, all.rows[k].line);
    EXPECT_EQ(rows[k].request_id, all.rows[k].request_id);
    EXPECT_EQ(rows[k].customer_id, all.rows[k].customer_id);
    EXPECT_EQ(rows[k].time_micros, all.rows[k].time_micros);
    EXPECT_EQ(rows[k].month, all.rows[k].month);
    EXPECT_EQ(rows[k].is_reserve, all.rows[k].is_reserve);
    EXPECT_EQ(rows[k].amount_minor, all.rows[k].amount_minor);
    EXPECT_EQ(rows[k].actual_minor, all.rows[k].actual_minor);
  }
  EXPECT_EQ(rows[2].customer_id, "C\"4");
  EXPECT_EQ(rows[2].time_micros, all.rows[0].time_micros + 86'400'000'000);
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].line, 4u);
  EXPECT_EQ(rejected[0].code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(rejected[1].line, 5u);
  EXPECT_EQ(rejected[1].code, ErrorCode::kParse);  // no February 30th
  EXPECT_EQ(rejected[1].reason, all.rejected[1].reason);

  EXPECT_THAT(
      SpendCsvReader::Open(text + "S5,2026-01-07,\"C5,gift,spend,1.00,1.00\n", Cny(), "s.csv"),
      StatusIs(ErrorCode::kParse, HasSubstr("s.csv: line 7: a quoted field is never")));
  EXPECT_THAT(SpendCsvReader::Open("request_id,date\n", Cny(), "s.csv"),
              StatusIs(ErrorCode::kParse, HasSubstr("s.csv:1: missing column customer_id")));
}

// A file of several megabytes (its quoting checked on a second thread while its lines are
// counted): the count is its rows', and malformed quoting at its very end is still refused.
TEST(SpendCsvReaderTest, ALargeFileIsCountedAndItsQuotingChecked) {
  constexpr size_t kRows = 120'000;  // about 5 MB
  std::string text = kHeader;
  for (size_t i = 0; i < kRows; ++i) {
    text += "S" + std::to_string(i) + ",2026-01-05,\"C1\",gift,spend,1.00,1.00\n";
  }
  ASSERT_GE(text.size(), size_t{4} << 20);
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "big.csv"));
  EXPECT_EQ(reader.LinesLeft(), kRows);
  SpendRow row;
  RejectedRow bad;
  ASSERT_OK_AND_ASSIGN(const RowRead read, reader.Next(row, bad));
  ASSERT_EQ(read, RowRead::kRow);
  EXPECT_EQ(row.customer_id, "C1");

  EXPECT_THAT(
      SpendCsvReader::Open(text + "S,2026-01-07,\"C5,gift,spend,1.00,1.00\n", Cny(), "big.csv"),
      StatusIs(ErrorCode::kParse, HasSubstr("big.csv: line " + std::to_string(kRows + 2) +
                                            ": a quoted field is never")));
}

}  // namespace
}  // namespace upkeep::io
