// upkeep/io/csv.h: a strict RFC 4180 CSV reader for imports.
//
// Reads one record at a time from text in memory: fields separated by commas, records by LF or
// CRLF, fields optionally quoted with '"' (a quote inside a quoted field is written twice).
// Each record knows the line it started on, so import errors can name "file:line". A quote in
// the middle of an unquoted field, or a quoted field that never closes, is kParse naming the
// line. Text must be UTF-8 (checked per field by the importers, which name the column).
//
//   upkeep::io::CsvReader reader(text);
//   upkeep::io::CsvRecord record;
//   while (true) {
//     absl::StatusOr<bool> more = reader.Next(record);
//     if (!more.ok() || !*more) break;
//     ... record.fields, record.line ...
//   }
//
// The importers built on it (portfolio_csv.h, spend_csv.h) share ImportMode and RejectedRow: in
// kStrict mode the first bad row fails the whole import; in kSkipBadRows mode each bad row is
// listed with its line and the reason, and the rest is imported.
//
// Ownership: the reader refers to `text`, which must outlive it. Thread safety: not thread-safe.
#ifndef UPKEEP_IO_CSV_H_
#define UPKEEP_IO_CSV_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/status.h"

namespace upkeep::io {

enum class ImportMode { kStrict, kSkipBadRows };

// A row an importer left out, and why.
struct RejectedRow {
  size_t line = 0;
  ErrorCode code = ErrorCode::kInvalidArgument;  // what kind of problem (status.h)
  std::string reason;                            // "<source>:<line>: <column>: <what is wrong>"
};

// What a reader of rows one at a time read (spend_csv.h, SpendCsvReader): a row, a bad row
// (RejectedRow), or the end of the text.
enum class RowRead : uint8_t { kRow, kBad, kEnd };

struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;  // 1-based line where the record starts
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // Reads the next record into `record`: true if one was read, false at the end of the text.
  // Blank lines are skipped. kParse "line <n>: ..." on malformed quoting. The strings of
  // `record` are reused (a loop that reads every record into one CsvRecord allocates nothing
  // for short fields).
  absl::StatusOr<bool> Next(CsvRecord& record);
  // The lines after the records read so far (line breaks, and a last line without one):
  // about the records left (quoted line breaks and blank lines count too), for sizing.
  size_t LinesLeft() const;

  // Reads every record of `text`: OK, or Next's kParse error for malformed quoting (at once
  // for a text without quotes). For a caller that acts on each record as it reads it and must
  // act on none when the text is malformed.
  static absl::Status CheckQuoting(std::string_view text);

 private:
  // The quoted field at position_ into `field`; position_ ends after its closing quote.
  absl::Status ReadQuoted(std::string& field);

  std::string_view text_;
  size_t position_ = 0;
  size_t line_ = 1;
};

// The whole of the file at `path`, or kIo naming the path and the system's reason.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace upkeep::io

#endif  // UPKEEP_IO_CSV_H_
