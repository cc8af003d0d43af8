// cli/import_common.h: what every `upkeep import` command shares: its options, the tally of
// rows, the rejects file and the summary.
//
// A row that does not make it into the book is listed in the rejects file (CSV, default
// FILE.rejects.csv beside FILE, or --rejects PATH) with its line, a code and the reason:
//   line,code,reason
//   7,precision,"spend.csv:7: amount: 3 fraction digits, CNY has 2: ""1.001"""
// The code is the upkeep error code name for a bad row (docs/error-codes.md), or "denied" for a
// spend request the control policies rejected. When no row is rejected, a rejects file left at
// that path by an earlier import is removed.
//
// Exit status: 0 when no row was bad (denied requests are outcomes, not errors); 3 when some
// were, with one line on stderr naming the count and the rejects file (the summary still goes
// to stdout). Errors that stop the import (an unreadable file or book) are reported as usual.
//
// Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_IMPORT_COMMON_H_
#define UPKEEP_CLI_IMPORT_COMMON_H_

#include <cstddef>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "book_access.h"
#include "output.h"
#include "progress.h"
#include "upkeep/io/csv.h"

namespace upkeep::cli {

struct ImportArguments {
  BookArguments book;
  std::string file;
  std::string rejects_path;  // empty: DefaultRejectsPath(file)
  std::string period;
  std::string actor;
  bool quiet = false;
  Format format = Format::kTable;
};

// Adds FILE, --book, --rejects, --quiet and --format to `command`.
void AddImportOptions(CLI::App& command, ImportArguments& args);

// "data/spend.csv" -> "data/spend.rejects.csv"; "x" -> "x.rejects.csv".
std::string DefaultRejectsPath(const std::string& file);

struct RejectLine {
  size_t line = 0;
  std::string code;  // an ErrorCodeName, or "denied"
  std::string reason;
};

struct ImportTally {
  size_t rows = 0;       // data rows in the file
  size_t imported = 0;   // rows that changed the book
  size_t unchanged = 0;  // rows the book already had (an earlier import of the same rows)
  size_t bad = 0;        // rejected as bad input
  std::vector<RejectLine> rejected;  // bad rows and denied requests
  std::vector<Fact> details;         // what the command adds to the summary

  void Reject(const io::RejectedRow& row);
  void Reject(size_t line, const absl::Status& status, std::string_view source);
  void Deny(size_t line, std::string reason);
};

Progress::Style ProgressStyle(const ImportArguments& args);

// A row-level problem (bad input, denied, not found, conflict) rather than one that stops the
// whole import (the book or the disk failing).
bool IsRowError(const absl::Status& status);

// `import spend` (import_spend.cc), registered under the `import` group.
void AddImportSpendCommand(CLI::App& group, int* exit_code);
// `import feedback` (import_feedback.cc), registered under the `import` group.
void AddImportFeedbackCommand(CLI::App& group, int* exit_code);

// Writes (or clears) the rejects file, prints the summary and returns the exit status.
absl::StatusOr<int> FinishImport(const ImportArguments& args, ImportTally& tally);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_IMPORT_COMMON_H_
