// `upkeep import spend FILE.csv`: spend requests (upkeep/io/spend_csv.h) through the book's
// control policies, each stamped with its date and decided as `upkeep spend` / `reserve` would.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_directory.h"
#include "command.h"
#include "decision_output.h"
#include "exit_codes.h"
#include "import_common.h"
#include "spend_request.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/spend_csv.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

constexpr size_t kCommitEveryRows = 10'000;
// At most this many spend rows go to the ledger in one SpendBatch.
constexpr size_t kBatchRows = 1'024;

struct SpendCounts {
  size_t approved = 0;
  size_t warned = 0;
  size_t pending = 0;
  int64_t spent_minor = 0;  // by this import
};

// Who asks: --actor, else the customer's account manager, else the book's admin.
std::string_view Requester(const ImportArguments& args, const BookDirectory& directory,
                           const lg::CustomerInfo& customer) {
  if (!args.actor.empty()) return args.actor;
  if (directory.actors.contains(customer.owner)) return customer.owner;
  return kBookAdmin;
}

// The book's customers by id, for the row loop (the directory's map compares strings).
using CustomerIndex = absl::flat_hash_map<std::string_view, const lg::CustomerInfo*>;

CustomerIndex IndexCustomers(const BookDirectory& directory) {
  CustomerIndex index;
  index.reserve(directory.customers.size());
  for (const auto& [id, customer] : directory.customers) index.emplace(id, &customer);
  return index;
}

// A row's request, checked against the book (customer and period); a row-level problem comes
// back as its status. The request refers to `row` and to the directory.
absl::StatusOr<lg::Request> RequestFor(const ImportArguments& args, const BookDirectory& directory,
                                       const CustomerIndex& customers, const io::SpendRow& row,
                                       Currency currency) {
  const auto found = customers.find(row.customer_id);
  if (found == customers.end()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("customer_id: unknown customer ", row.customer_id));
  }
  const lg::Period* period =
      args.period.empty() ? directory.PeriodAt(row.time_micros) : directory.FindPeriod(args.period);
  if (period == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     args.period.empty()
                         ? absl::StrCat("date: no period of the book holds ",
                                        FormatDay(row.time_micros), " (upkeep allocate --period)")
                         : absl::StrCat("no period ", args.period, " in the book"));
  }
  return RequestOf(row, period->id, Requester(args, directory, *found->second), currency);
}

// Counts the ledger's answer to a row's request (denied rows go to the rejects).
void Count(const ImportArguments& args, const io::SpendRow& row, const lg::Result& result,
           ImportTally& tally, SpendCounts& counts) {
  const lg::Outcome outcome = result.decision.outcome;
  if (outcome == lg::Outcome::kReject) {
    tally.Deny(row.line, absl::StrCat(args.file, ":", row.line, ": ", row.request_id, ": ",
                                      OneLine(result.decision)));
    return;
  }
  ++(result.replayed ? tally.unchanged : tally.imported);
  if (result.replayed) return;
  ++(outcome == lg::Outcome::kApprove              ? counts.approved
     : outcome == lg::Outcome::kApproveWithWarning ? counts.warned
                                                   : counts.pending);
  if (!row.is_reserve && outcome != lg::Outcome::kNeedsApproval) {
    counts.spent_minor += row.amount_minor;
  }
}

// Reports a row's problem in the rejects; a problem that is not the row's stops the import.
absl::Status RejectRow(const ImportArguments& args, const io::SpendRow& row,
                       const absl::Status& problem, ImportTally& tally) {
  if (!IsRowError(problem)) return problem;
  tally.Reject(row.line, problem, args.file);
  return absl::OkStatus();
}

// A reserve row: reserved, then posted for its actual amount when the reservation is open.
absl::Status RunReserveRow(OpenedBook& book, const ImportArguments& args, const io::SpendRow& row,
                           const lg::Request& request, ImportTally& tally, SpendCounts& counts) {
  lg::Ledger& ledger = book.ledger();
  book.SetTime(row.time_micros);
  UPKEEP_ASSIGN_OR_RETURN(const lg::Result result, ledger.Reserve(request));
  Count(args, row, result, tally, counts);
  if (result.decision.outcome == lg::Outcome::kReject ||
      result.decision.outcome == lg::Outcome::kNeedsApproval) {
    return absl::OkStatus();
  }
  UPKEEP_ASSIGN_OR_RETURN(const int64_t posted_minor, PostIfOpen(ledger, row, request.actor));
  counts.spent_minor += posted_minor;
  return absl::OkStatus();
}

// Spend rows [begin, end) of one day through Ledger::SpendBatch (one lock for the batch); each
// row is still decided, counted and rejected on its own.
absl::Status RunSpendRows(OpenedBook& book, const ImportArguments& args,
                          std::span<const io::SpendRow* const> rows,
                          std::span<const lg::Request> requests, ImportTally& tally,
                          SpendCounts& counts) {
  if (rows.empty()) return absl::OkStatus();
  book.SetTime(rows.front()->time_micros);
  const std::vector<absl::StatusOr<lg::Result>> results = book.ledger().SpendBatch(requests);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (results[i].ok()) {
      Count(args, *rows[i], *results[i], tally, counts);
    } else {
      UPKEEP_RETURN_IF_ERROR(RejectRow(args, *rows[i], results[i].status(), tally));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ImportSpend(const ImportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, io::ReadFile(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book, Durability::kGroup));
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(
      const io::SpendImport parsed,
      io::ParseSpendCsv(text, book.currency(), io::ImportMode::kSkipBadRows, args.file));
  ImportTally tally;
  tally.rows = parsed.rows.size() + parsed.rejected.size();
  for (const io::RejectedRow& row : parsed.rejected) tally.Reject(row);
  const CustomerIndex customers = IndexCustomers(directory);

  SpendCounts counts;
  Progress progress("import spend", parsed.rows.size(), ProgressStyle(args));
  // Consecutive spend rows of one day wait here and go to the ledger as one batch.
  std::vector<const io::SpendRow*> waiting_rows;
  std::vector<lg::Request> waiting;
  const auto flush = [&]() -> absl::Status {
    absl::Status ran = RunSpendRows(book, args, waiting_rows, waiting, tally, counts);
    waiting_rows.clear();
    waiting.clear();
    return ran;
  };
  // Commits are pipelined: the rows after a commit point are applied while it syncs, and the
  // commit before is awaited there (store.h, StartCommit / AwaitDurable).
  uint64_t committing = 0;
  const auto commit_point = [&]() -> absl::Status {
    UPKEEP_RETURN_IF_ERROR(flush());
    const uint64_t previous = std::exchange(committing, book.book().StartCommit());
    return book.book().AwaitDurable(previous);
  };
  for (size_t k = 0; k < parsed.rows.size(); ++k) {
    progress.Update(k);
    const io::SpendRow& row = parsed.rows[k];
    if (!waiting_rows.empty() &&
        (row.is_reserve || row.time_micros != waiting_rows.front()->time_micros ||
         waiting.size() >= kBatchRows)) {
      UPKEEP_RETURN_IF_ERROR(flush());
    }
    absl::StatusOr<lg::Request> request =
        RequestFor(args, directory, customers, row, book.currency());
    if (!request.ok()) {
      UPKEEP_RETURN_IF_ERROR(RejectRow(args, row, request.status(), tally));
    } else if (row.is_reserve) {
      absl::Status ran = RunReserveRow(book, args, row, *request, tally, counts);
      if (!ran.ok()) UPKEEP_RETURN_IF_ERROR(RejectRow(args, row, ran, tally));
    } else {
      waiting_rows.push_back(&row);
      waiting.push_back(*request);
    }
    if ((k + 1) % kCommitEveryRows == 0) UPKEEP_RETURN_IF_ERROR(commit_point());
  }
  UPKEEP_RETURN_IF_ERROR(flush());
  progress.Finish();
  UPKEEP_RETURN_IF_ERROR(book.Close());
  const Currency currency = book.currency();
  tally.details = {
      {"approved", absl::StrCat(counts.approved)},
      {"approved with a warning", absl::StrCat(counts.warned)},
      {"waiting for approval", absl::StrCat(counts.pending)},
      {"denied by the control policies", absl::StrCat(tally.rejected.size() - tally.bad)},
      {"spent", AmountText(counts.spent_minor, currency)}};
  return FinishImport(args, tally);
}

}  // namespace

void AddImportSpendCommand(CLI::App& group, int* exit_code) {
  auto args = std::make_shared<ImportArguments>();
  CLI::App* spend = group.add_subcommand(
      "spend",
      "run spend requests (request_id, date, customer_id, category, kind spend|reserve, amount, "
      "actual_amount) through the control policies; the request id is the operation id, so a "
      "row is applied at most once");
  AddImportOptions(*spend, *args);
  spend->add_option("--period", args->period,
                    "the budget period of every row (default: the period holding its date)");
  spend->add_option("--actor", args->actor,
                    "who asks (default: the customer's account manager, else admin)");
  spend->footer(
      "Examples:\n"
      "  upkeep import spend examples/data/spend.csv\n"
      "  upkeep import spend march.csv --book fees.db --period FY2026 --rejects march.bad.csv");
  OnRun(*spend, exit_code, [args] { return ImportSpend(*args); });
}

}  // namespace upkeep::cli
