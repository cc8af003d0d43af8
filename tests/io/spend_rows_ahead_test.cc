// SpendRowsAhead hands out what SpendCsvReader reads, in order, from a thread of its own.
#include "io/spend_rows_ahead.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using upkeep::testing::IsOk;

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

std::string Describe(const SpendRowsAhead::Record& record) {
  static const SpendRow kNoRow;
  static const RejectedRow kNoBad;
  return Describe(record.read, record.row != nullptr ? *record.row : kNoRow,
                  record.bad != nullptr ? *record.bad : kNoBad);
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
  size_t bad_rows = 0;
  // One record filled again and again, as the importer does: each call sets every field.
  SpendRowsAhead::Record record;
  for (const std::string& expected : direct) {
    ASSERT_THAT(ahead.Next(record), IsOk());
    EXPECT_EQ(Describe(record), expected);
    EXPECT_EQ(record.row != nullptr, record.read == RowRead::kRow);
    EXPECT_EQ(record.bad != nullptr, record.read == RowRead::kBad);
    if (record.read == RowRead::kBad) ++bad_rows;
  }
  EXPECT_GT(bad_rows, 40u);
  // The end stays the end.
  SpendRowsAhead::Record again;
  ASSERT_THAT(ahead.Next(again), IsOk());
  EXPECT_EQ(again.read, RowRead::kEnd);
}

// A record handed out still reads as it did after kChunkRows more records, whichever place in
// its chunk it had: a caller may hold a batch of records smaller than a chunk.
TEST(SpendRowsAheadTest, ARecordStaysValidForAChunkOfRecordsMore) {
  constexpr size_t kHeld = SpendRowsAhead::kChunkRows;
  const std::string text = Spends(static_cast<int>(4 * SpendRowsAhead::kChunkRows + 7));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  SpendRowsAhead ahead(std::move(reader));
  std::deque<SpendRowsAhead::Record> held;  // the last kHeld + 1 records handed out
  std::deque<std::string> described;        // each as it read when handed out
  size_t checked = 0;
  for (;;) {
    SpendRowsAhead::Record record;
    ASSERT_THAT(ahead.Next(record), IsOk());
    if (record.read == RowRead::kEnd) break;
    held.push_back(record);
    described.push_back(Describe(record));
    if (held.size() > kHeld) {
      // Handed out kHeld records ago: its chunk must not have been read into again.
      ASSERT_EQ(Describe(held.front()), described.front()) << checked;
      held.pop_front();
      described.pop_front();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3 * SpendRowsAhead::kChunkRows + 7);
}

// Peek(k) shows the good row the k-th next call will hand out, within the chunk at hand; a bad
// row, one past the chunk, and anything before the first call show as nullptr.
TEST(SpendRowsAheadTest, PeekShowsARowAheadWithinTheChunkAtHand) {
  constexpr size_t kAhead = 8;
  const int rows = static_cast<int>(2 * SpendRowsAhead::kChunkRows + 50);
  const std::string text = Spends(rows);  // the reader reads it in place
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  SpendRowsAhead ahead(std::move(reader));
  EXPECT_EQ(ahead.Peek(0), nullptr);                                        // no chunk at hand yet
  std::vector<std::string> peeked(static_cast<size_t>(rows) + kAhead + 1);  // by record number
  std::vector<std::string> handed;
  size_t shown = 0;
  for (size_t record = 0;; ++record) {
    SpendRowsAhead::Record read;
    ASSERT_THAT(ahead.Next(read), IsOk());
    if (read.read == RowRead::kEnd) break;
    handed.push_back(read.read == RowRead::kRow ? read.row->request_id : "");
    // Next has handed out `record`: Peek(k) is record + 1 + k.
    if (const SpendRow* next = ahead.Peek(kAhead)) {
      peeked[record + 1 + kAhead] = next->request_id;
      ++shown;
    }
  }
  ASSERT_EQ(handed.size(), static_cast<size_t>(rows));
  for (size_t record = 0; record < handed.size(); ++record) {
    if (!peeked[record].empty()) {
      EXPECT_EQ(peeked[record], handed[record]) << record;
    }
    if (handed[record].empty()) {
      EXPECT_TRUE(peeked[record].empty()) << record;  // a bad row
    }
  }
  // Every good row was shown ahead but the first kAhead + 1 of each of the three chunks.
  const auto bad_rows = static_cast<size_t>(std::count(handed.begin(), handed.end(), ""));
  EXPECT_GT(bad_rows, 40u);
  EXPECT_GE(shown + bad_rows + 3 * (kAhead + 1), handed.size());
}

TEST(SpendRowsAheadTest, AnEmptyFileEndsAtOnce) {
  ASSERT_OK_AND_ASSIGN(
      SpendCsvReader reader,
      SpendCsvReader::Open("request_id,date,customer_id,category,kind,amount\n", Cny(), "s.csv"));
  SpendRowsAhead ahead(std::move(reader));
  // Every field is set, whatever the record held before.
  const SpendRow row;
  const RejectedRow bad;
  SpendRowsAhead::Record record{.read = RowRead::kRow, .row = &row, .bad = &bad};
  ASSERT_THAT(ahead.Next(record), IsOk());
  EXPECT_EQ(record.read, RowRead::kEnd);
  EXPECT_EQ(record.row, nullptr);
  EXPECT_EQ(record.bad, nullptr);
}

TEST(SpendRowsAheadTest, StoppingBeforeTheEndStopsTheReadingThread) {
  const std::string text = Spends(static_cast<int>(10 * SpendRowsAhead::kChunkRows));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  auto ahead = std::make_unique<SpendRowsAhead>(std::move(reader));
  SpendRowsAhead::Record record;
  ASSERT_THAT(ahead->Next(record), IsOk());
  ASSERT_EQ(record.read, RowRead::kRow);
  EXPECT_EQ(record.row->request_id, "S0");
  ahead.reset();  // joins the thread, which waits for a free chunk: it must not hang
}

}  // namespace
}  // namespace upkeep::io
