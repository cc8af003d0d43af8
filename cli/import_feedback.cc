// `upkeep import feedback FILE.csv`: outcomes, customer feedback and internal assessments
// (upkeep/io/feedback_csv.h) recorded by the book's monitor and kept in the book
// (book_records.h), for `upkeep effectiveness` and `upkeep propose`.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_monitor.h"
#include "book_records.h"
#include "book_settings.h"
#include "command.h"
#include "import_common.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/feedback_csv.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

absl::StatusOr<int> ImportFeedback(const ImportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, io::ReadFile(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  UPKEEP_ASSIGN_OR_RETURN(const std::shared_ptr<const PolicySet> policy, BookPolicy(book));
  UPKEEP_ASSIGN_OR_RETURN(
      const io::FeedbackImport parsed,
      io::ParseFeedbackCsv(text, book.currency(), io::ImportMode::kSkipBadRows, args.file));
  ImportTally tally;
  tally.rows = parsed.rows.size() + parsed.rejected.size();
  for (const io::RejectedRow& row : parsed.rejected) tally.Reject(row);
  // The monitor knows the book's customers and periods and the feedback it keeps already.
  UPKEEP_ASSIGN_OR_RETURN(const std::unique_ptr<monitor::Monitor> watcher,
                          MonitorBook(book, *policy, NowMicros()));
  Progress progress("import feedback", parsed.rows.size(), ProgressStyle(args));
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<absl::StatusOr<bool>> results,
                          KeepFeedbackRows(book.store(), *watcher, parsed.rows, &progress));
  std::map<std::string_view, size_t> added_by_kind;
  for (size_t k = 0; k < results.size(); ++k) {
    const io::FeedbackRow& row = parsed.rows[k];
    if (!results[k].ok()) {
      if (!IsRowError(results[k].status())) return results[k].status();
      tally.Reject(row.line, results[k].status(), args.file);
    } else if (*results[k]) {
      ++tally.imported;
      ++added_by_kind[FeedbackKind(row)];
    } else {
      ++tally.unchanged;
    }
  }
  UPKEEP_RETURN_IF_ERROR(book.Close());
  for (const char* kind : {"outcome", "customer", "account_manager", "manager"}) {
    tally.details.push_back(
        {absl::StrCat(kind, " records added"), absl::StrCat(added_by_kind[kind])});
  }
  return FinishImport(args, tally);
}

}  // namespace

void AddImportFeedbackCommand(CLI::App& group, int* exit_code) {
  auto args = std::make_shared<ImportArguments>();
  CLI::App* feedback = group.add_subcommand(
      "feedback",
      "record outcomes, customer feedback and internal assessments (id, customer_id, period, "
      "kind outcome|customer|account_manager|manager, revenue, revenue_before, renewal, "
      "satisfaction, recommend, complaints, rating, author, comment) for known customers and "
      "periods; the id makes a row count once");
  AddImportOptions(*feedback, *args);
  feedback->footer(
      "Examples:\n"
      "  upkeep import feedback examples/data/feedback.csv\n"
      "  upkeep import feedback survey.csv --book fees.db --rejects survey.bad.csv\n"
      "  upkeep effectiveness --book fees.db --period FY2026   (what the feedback says)");
  OnRun(*feedback, exit_code, [args] { return ImportFeedback(*args); });
}

}  // namespace upkeep::cli
