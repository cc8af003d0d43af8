// SpendRowsAhead hands out what SpendCsvReader reads, in order, from a thread of its own.
#include "io/spend_rows_ahead.h"

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <thread>
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

std::string Describe(const SpendRowsAhead<>::Record& record) {
  static const SpendRow kNoRow;
  static const RejectedRow kNoBad;
  return Describe(record.read, record.row != nullptr ? *record.row : kNoRow,
                  record.bad != nullptr ? *record.bad : kNoBad);
}

TEST(SpendRowsAheadTest, HandsOutWhatTheReaderReadsInOrder) {
  const int rows = static_cast<int>(3 * SpendRowsAhead<>::kChunkRows + 123);
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
  SpendRowsAhead<> ahead(std::move(reader));
  size_t bad_rows = 0;
  // One record filled again and again, as the importer does: each call sets every field.
  SpendRowsAhead<>::Record record;
  for (const std::string& expected : direct) {
    ASSERT_THAT(ahead.Next(record), IsOk());
    EXPECT_EQ(Describe(record), expected);
    EXPECT_EQ(record.row != nullptr, record.read == RowRead::kRow);
    EXPECT_EQ(record.note != nullptr, record.read == RowRead::kRow);
    EXPECT_EQ(record.bad != nullptr, record.read == RowRead::kBad);
    if (record.read == RowRead::kBad) ++bad_rows;
  }
  EXPECT_GT(bad_rows, 40u);
  // The end stays the end.
  SpendRowsAhead<>::Record again;
  ASSERT_THAT(ahead.Next(again), IsOk());
  EXPECT_EQ(again.read, RowRead::kEnd);
}

// A record handed out still reads as it did after kChunkRows more records, whichever place in
// its chunk it had: a caller may hold a batch of records smaller than a chunk.
TEST(SpendRowsAheadTest, ARecordStaysValidForAChunkOfRecordsMore) {
  constexpr size_t kHeld = SpendRowsAhead<>::kChunkRows;
  const std::string text = Spends(static_cast<int>(4 * SpendRowsAhead<>::kChunkRows + 7));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  SpendRowsAhead<> ahead(std::move(reader));
  std::deque<SpendRowsAhead<>::Record> held;  // the last kHeld + 1 records handed out
  std::deque<std::string> described;          // each as it read when handed out
  size_t checked = 0;
  for (;;) {
    SpendRowsAhead<>::Record record;
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
  EXPECT_EQ(checked, 3 * SpendRowsAhead<>::kChunkRows + 7);
}

TEST(SpendRowsAheadTest, AnEmptyFileEndsAtOnce) {
  ASSERT_OK_AND_ASSIGN(
      SpendCsvReader reader,
      SpendCsvReader::Open("request_id,date,customer_id,category,kind,amount\n", Cny(), "s.csv"));
  SpendRowsAhead<> ahead(std::move(reader));
  // Every field is set, whatever the record held before.
  const SpendRow row;
  const RejectedRow bad;
  SpendRowsAhead<>::Record record{.read = RowRead::kRow, .row = &row, .bad = &bad};
  ASSERT_THAT(ahead.Next(record), IsOk());
  EXPECT_EQ(record.read, RowRead::kEnd);
  EXPECT_EQ(record.row, nullptr);
  EXPECT_EQ(record.note, nullptr);
  EXPECT_EQ(record.bad, nullptr);
}

// What the reading thread worked out from a row comes with that row, good rows only, and was
// worked out there, not on the thread that takes the rows.
struct SeenRow {
  std::string request_id;
  std::thread::id thread;
};

TEST(SpendRowsAheadTest, ARowComesWithTheNoteWorkedOutFromItOnTheReadingThread) {
  const std::string text = Spends(static_cast<int>(3 * SpendRowsAhead<SeenRow>::kChunkRows + 11));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  size_t noted = 0;  // the reading thread's, read here once it is done
  auto ahead = std::make_unique<SpendRowsAhead<SeenRow>>(
      std::move(reader), [&noted](std::span<const SpendRow> rows, std::span<const RowRead> reads,
                                  std::span<SeenRow> notes) {
        EXPECT_EQ(reads.size(), rows.size());
        EXPECT_EQ(notes.size(), rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
          if (reads[i] != RowRead::kRow) continue;
          notes[i].request_id = rows[i].request_id;
          notes[i].thread = std::this_thread::get_id();
          ++noted;
        }
      });
  size_t good = 0;
  for (;;) {
    SpendRowsAhead<SeenRow>::Record record;
    ASSERT_THAT(ahead->Next(record), IsOk());
    if (record.read == RowRead::kEnd) break;
    if (record.read != RowRead::kRow) {
      EXPECT_EQ(record.note, nullptr);  // a bad row comes with no note
      continue;
    }
    ++good;
    ASSERT_NE(record.note, nullptr);
    EXPECT_EQ(record.note->request_id, record.row->request_id);
    EXPECT_NE(record.note->thread, std::this_thread::get_id());
  }
  ahead.reset();  // the reading thread is done: `noted` is final
  EXPECT_GT(good, 2 * SpendRowsAhead<SeenRow>::kChunkRows);  // over several chunks
  EXPECT_EQ(noted, good);  // each chunk noted once, and the notes handed out all its rows
}

TEST(SpendRowsAheadTest, StoppingBeforeTheEndStopsTheReadingThread) {
  const std::string text = Spends(static_cast<int>(10 * SpendRowsAhead<>::kChunkRows));
  ASSERT_OK_AND_ASSIGN(SpendCsvReader reader, SpendCsvReader::Open(text, Cny(), "s.csv"));
  auto ahead = std::make_unique<SpendRowsAhead<>>(std::move(reader));
  SpendRowsAhead<>::Record record;
  ASSERT_THAT(ahead->Next(record), IsOk());
  ASSERT_EQ(record.read, RowRead::kRow);
  EXPECT_EQ(record.row->request_id, "S0");
  ahead.reset();  // joins the thread, which waits for a free chunk: it must not hang
}

}  // namespace
}  // namespace upkeep::io
