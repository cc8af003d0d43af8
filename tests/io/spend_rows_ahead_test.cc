// SpendRowsAhead hands out what SpendCsvReader reads, in order, from a thread of its own.
#include "io/spend_rows_ahead.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

Currency Cny() { return *Currency::FromCode("CNY"); }

// `rows` rows over several chunks; every 97th has a bad amount, every 1000th repeats a request
// id (both rejected by the reader).
std::string Spends(int rows) {
  std::string text = "request_id,date,customer_id,category,kind,amount,actual_amount\n";
  for (int i = 0; i < rows; ++i) {
    const int id = i % 1000 == 999 ? i - 1 : i;
    text += "S" + std::to_string(id) + ",2026-03-0" + std::to_string(1 + i % 9) + ",C" +
            std::to_string(i % 50) + ",gift,spend," + (i % 97 == 5 ? "1.001" : "2.50") + ",\n";
  }
  return text;
}

// One record as read: its kind and what identifies it.
std::string Describe(RowRead read, const SpendRow& row, const RejectedRow& bad) {
  switch (read) {
    case RowRead::kRow:
      return "row " + std::to_string(row.line) + " " + row.request_id + " " +
             std::to_string(row.time_micros) + " " + row.customer_id + " " +
             std::to_string(row.amount_minor);
    case RowRead::kBad:
      return "bad " + std::to_string(bad.line) + " " + bad.reason;
    case RowRead::kEnd:
      return "end";
  }
  return "?";
}

TEST(SpendRowsAheadTest, HandsOutWhatTheReaderReadsInOrder) {
  const int rows = static_cast<int>(3 * SpendRowsAhead::kChunkRows + 123);
  const std::string text = Spends(rows);
  std::vector<std::string> direct;
  {
    ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
    SpendRow row;
    RejectedRow bad;
    for (;;) {
      ASSERT_OK_AND_ASSIGN(const RowRead read, reader.Next(row, bad));
      direct.push_back(Describe(read, row, bad));
      if (read == RowRead::kEnd) break;
    }
  }
  ASSERT_EQ(direct.size(), static_cast<size_t>(rows) + 1);
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  SpendRowsAhead ahead(std::move(reader));
  SpendRow row;
  RejectedRow bad;
  size_t bad_rows = 0;
  for (const std::string& expected : direct) {
    ASSERT_OK_AND_ASSIGN(const RowRead read, ahead.Next(row, bad));
    EXPECT_EQ(Describe(read, row, bad), expected);
    if (read == RowRead::kBad) ++bad_rows;
  }
  EXPECT_GT(bad_rows, 40u);
  // The end stays the end.
  ASSERT_OK_AND_ASSIGN(const RowRead again, ahead.Next(row, bad));
  EXPECT_EQ(again, RowRead::kEnd);
}

TEST(SpendRowsAheadTest, AnEmptyFileEndsAtOnce) {
  ASSERT_OK_AND_ASSIGN(
      SpendCsvReader reader,
      SpendCsvReader::Open("request_id,date,customer_id,category,kind,amount\n", Cny(), "s.csv"));
  SpendRowsAhead ahead(std::move(reader));
  SpendRow row;
  RejectedRow bad;
  ASSERT_OK_AND_ASSIGN(const RowRead read, ahead.Next(row, bad));
  EXPECT_EQ(read, RowRead::kEnd);
}

TEST(SpendRowsAheadTest, StoppingBeforeTheEndStopsTheReadingThread) {
  const std::string text = Spends(static_cast<int>(10 * SpendRowsAhead::kChunkRows));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  auto ahead = std::make_unique<SpendRowsAhead>(std::move(reader));
  SpendRow row;
  RejectedRow bad;
  ASSERT_OK_AND_ASSIGN(const RowRead read, ahead->Next(row, bad));
  EXPECT_EQ(read, RowRead::kRow);
  EXPECT_EQ(row.request_id, "S0");
  ahead.reset();  // joins the thread, which waits for a free chunk: it must not hang
}

}  // namespace
}  // namespace upkeep::io
