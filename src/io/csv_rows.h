// io/csv_rows.h: what the CSV importers share (not public): columns found by name in a header,
// cells read and checked with errors naming their column, and the loop over data records that
// keeps good rows, refuses duplicate keys, and fails (strict) or lists (skip) bad rows.
#ifndef UPKEEP_IO_CSV_ROWS_H_
#define UPKEEP_IO_CSV_ROWS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "base/zeroed_array.h"
#include "upkeep/currency.h"
#include "upkeep/io/csv.h"
#include "upkeep/status.h"

namespace upkeep::io::internal {

struct ColumnSpec {
  std::string_view name;
  bool optional = false;
};

// Column index per spec (nullopt: an optional column the file does not have).
using Columns = std::vector<std::optional<size_t>>;

// The header of a file: where each spec's column is, and how many fields a record must have.
struct Header {
  Columns columns;
  size_t width = 0;
};

// Reads the header record. kParse naming the source (and line) for no header, a column given
// twice or a required one missing.
absl::StatusOr<Header> ReadHeader(CsvReader& reader, std::span<const ColumnSpec> specs,
                                  std::string_view source);

// The cells of one record; errors name the column (the caller adds source and line).
class CellReader {
 public:
  CellReader(const CsvRecord& record, const Columns& columns, std::span<const ColumnSpec> specs)
      : record_(record), columns_(columns), specs_(specs) {}

  absl::Status Error(ErrorCode code, size_t field, std::string_view what) const;
  // The cell, UTF-8 checked; "" for an absent optional column. Empty is kInvalidArgument
  // unless `may_be_empty`.
  // The view is valid as long as the record's fields are.
  absl::StatusOr<std::string_view> Text(size_t field, bool may_be_empty = false) const;
  // Money in `currency` (Money::Parse's code on error); `positive`: above zero.
  absl::StatusOr<int64_t> Amount(size_t field, std::string_view text, Currency currency,
                                 bool positive) const;
  // An integer within [min, max]; nullopt for an empty cell.
  absl::StatusOr<std::optional<int64_t>> Integer(size_t field, int64_t min, int64_t max) const;

 private:
  const CsvRecord& record_;
  const Columns& columns_;
  std::span<const ColumnSpec> specs_;
};

// Copies of strings that never move: a string_view of a kept copy stays valid until the
// KeptStrings is destroyed (the keys of a file's rows, without a heap string per key).
class KeptStrings {
 public:
  std::string_view Keep(std::string_view text);

 private:
  static constexpr size_t kBlockBytes = size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;      // bytes used in the last block
  size_t capacity_ = 0;  // bytes of the last block
};

// The keys of a file's rows and the line each was first on: an open-addressing table of 8-byte
// slots (a tag of the key's hash and an entry number), at most half full. A million keys take a
// 16 MB table and one cache line per new key, which Prefetch can bring in early; a map of keys
// to lines takes 50 MB and two or three misses per key.
class FirstLines {
 public:
  // Room for `expected` keys (more make it grow).
  explicit FirstLines(size_t expected);

  // Whether it holds 4,294,967,295 keys: no more can be added.
  bool full() const { return entries_.size() >= 0xFFFF'FFFF; }
  // The line `key` was first on (lines count from 1), or 0 for a new key, which is kept with
  // `line`. Not when full().
  size_t Add(std::string_view key, size_t line);
  // Starts bringing in the memory Add(key) will read, so that it arrives while the caller
  // does other work (a row's cells are checked between the two).
  void Prefetch(std::string_view key) const {
    __builtin_prefetch(&slots_[HashOf(key) & mask_], /*rw=*/1);
  }

 private:
  struct Entry {
    std::string_view key;  // in keys_
    size_t line = 0;
  };
  static uint64_t HashOf(std::string_view key);
  static uint64_t Tag(uint64_t hash) { return hash >> 32; }
  // Puts entry `number` (of `hash`) in the first free slot of its probe sequence.
  void Place(uint64_t hash, uint64_t number);
  // Doubles the table.
  void Grow();

  std::vector<Entry> entries_;
  // 0: free; else Tag(hash) << 32 | (entry number + 1). Zero pages, not zeroed up front: a
  // file of a million rows would write 16 MB before its first row; probed at random, it is on
  // huge pages where it is large (base/zeroed_array.h).
  ZeroedArray<uint64_t> slots_;
  size_t mask_ = 0;  // slots_.size() - 1 (a power of two)
  KeptStrings keys_;
};

// The data records after the header, one row at a time. `read(cells, row)` fills a row or
// returns an error naming its column; `key(row)` is its key, unique in the file (a repeat is
// kAlreadyExists naming `key_column` and the first line).
class RowReader {
 public:
  // `reader` is past the header; `specs` and the texts must outlive the RowReader.
  RowReader(CsvReader reader, Header header, std::span<const ColumnSpec> specs,
            std::string_view source, std::string_view key_column);

  // kRow: `row` is filled and line() is its line; kBad: `bad` says why (`row` is left
  // half-filled); kEnd: no record is left. Malformed quoting is an error naming the source
  // (the record boundaries are lost).
  template <typename Row, typename Read, typename Key>
  absl::StatusOr<RowRead> Next(Read read, Key key, Row& row, RejectedRow& bad) {
    UPKEEP_ASSIGN_OR_RETURN(const bool more, NextRecord());
    if (!more) return RowRead::kEnd;
    absl::Status problem = CheckWidth();
    if (problem.ok()) problem = read(CellReader(record_, header_.columns, specs_), row);
    if (problem.ok()) problem = KeepKey(key(row));
    if (problem.ok()) return RowRead::kRow;
    bad = Rejected(problem);
    return RowRead::kBad;
  }
  size_t line() const { return record_.line; }
  // About the rows left (CsvReader::LinesLeft; before the first Next, exactly it, counted once).
  size_t LinesLeft() const { return started_ ? reader_.LinesLeft() : lines_at_start_; }

 private:
  // Records are read kAhead before they are handed out, and the memory their keys will be
  // looked up in is prefetched then (FirstLines::Prefetch): a key's cache miss overlaps the
  // work on the rows before it instead of stalling its own.
  static constexpr size_t kAhead = 8;
  struct Ahead {
    CsvRecord record;
    absl::StatusOr<bool> more = false;  // what reading it gave
  };

  // The next record into record_: true, false at the end, or the reader's error.
  absl::StatusOr<bool> NextRecord();
  void ReadAhead(Ahead& slot);
  absl::Status CheckWidth() const;
  // OK and kept, or kAlreadyExists for a key seen before.
  absl::Status KeepKey(std::string_view key);
  RejectedRow Rejected(const absl::Status& problem) const;

  CsvReader reader_;
  Header header_;
  std::span<const ColumnSpec> specs_;
  std::string_view source_;
  std::string_view key_column_;
  std::optional<size_t> key_field_;  // the record field of the key column (to prefetch)
  CsvRecord record_;                 // the record handed out
  std::array<Ahead, kAhead> ahead_;  // the records after it, from ahead_[next_] on
  size_t next_ = 0;
  bool started_ = false;
  bool ended_ = false;     // the reader gave its last record (or an error)
  size_t lines_at_start_;  // CsvReader::LinesLeft before the first record
  FirstLines lines_;
};

// Reads every row left with `next(row, bad)` (a RowReader's Next, or one built on it): good
// rows go to `out`; in kStrict mode the first bad row fails the whole read, in kSkipBadRows it
// joins `rejected`. Rows are filled in place, in `out` sized for `lines_left` more.
template <typename Row, typename Next>
absl::Status ReadAllRows(size_t lines_left, ImportMode mode, Next next, std::vector<Row>& out,
                         std::vector<RejectedRow>& rejected) {
  out.reserve(out.size() + lines_left);
  RejectedRow bad;
  while (true) {
    Row& row = out.emplace_back();
    UPKEEP_ASSIGN_OR_RETURN(const RowRead got, next(row, bad));
    if (got == RowRead::kRow) continue;
    out.pop_back();
    if (got == RowRead::kEnd) return absl::OkStatus();
    if (mode == ImportMode::kStrict) return MakeError(bad.code, bad.reason);
    rejected.push_back(std::move(bad));
  }
}

}  // namespace upkeep::io::internal

#endif  // UPKEEP_IO_CSV_ROWS_H_
