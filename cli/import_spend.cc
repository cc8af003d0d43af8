// `upkeep import spend FILE.csv`: spend requests (upkeep/io/spend_csv.h) through the book's
// control policies, each stamped with its date and decided as `upkeep spend` / `reserve` would.
#include <memory>
#include <string>

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

struct SpendCounts {
  size_t approved = 0;
  size_t warned = 0;
  size_t pending = 0;
  int64_t spent_minor = 0;  // by this import
};

// Who asks: --actor, else the customer's account manager, else the book's admin.
std::string Requester(const ImportArguments& args, const BookDirectory& directory,
                      const lg::CustomerInfo& customer) {
  if (!args.actor.empty()) return args.actor;
  if (directory.actors.contains(customer.owner)) return customer.owner;
  return kBookAdmin;
}

// Runs one row through the ledger; a row-level problem comes back as its status.
absl::Status RunRow(OpenedBook& book, const ImportArguments& args, const BookDirectory& directory,
                    const io::SpendRow& row, ImportTally& tally, SpendCounts& counts) {
  const lg::CustomerInfo* customer = directory.FindCustomer(row.customer_id);
  if (customer == nullptr) {
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
  const std::string actor = Requester(args, directory, *customer);
  lg::Ledger& ledger = book.ledger();
  book.SetTime(row.time_micros);
  const lg::Request request = RequestOf(row, period->id, actor, ledger.currency());
  UPKEEP_ASSIGN_OR_RETURN(const lg::Result result,
                          row.is_reserve ? ledger.Reserve(request) : ledger.Spend(request));
  const lg::Outcome outcome = result.decision.outcome;
  if (outcome == lg::Outcome::kReject) {
    tally.Deny(row.line, absl::StrCat(args.file, ":", row.line, ": ", row.request_id, ": ",
                                      OneLine(result.decision)));
    return absl::OkStatus();
  }
  ++(result.replayed ? tally.unchanged : tally.imported);
  if (!result.replayed) {
    ++(outcome == lg::Outcome::kApprove              ? counts.approved
       : outcome == lg::Outcome::kApproveWithWarning ? counts.warned
                                                     : counts.pending);
    if (!row.is_reserve && outcome != lg::Outcome::kNeedsApproval) {
      counts.spent_minor += row.amount_minor;
    }
  }
  if (row.is_reserve && outcome != lg::Outcome::kNeedsApproval) {
    UPKEEP_ASSIGN_OR_RETURN(const int64_t posted_minor, PostIfOpen(ledger, row, actor));
    counts.spent_minor += posted_minor;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ImportSpend(const ImportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, io::ReadFile(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book, Durability::kGroup));
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, ReadDirectory(book.store()));
  UPKEEP_ASSIGN_OR_RETURN(
      const io::SpendImport parsed,
      io::ParseSpendCsv(text, book.currency(), io::ImportMode::kSkipBadRows, args.file));
  ImportTally tally;
  tally.rows = parsed.rows.size() + parsed.rejected.size();
  for (const io::RejectedRow& row : parsed.rejected) tally.Reject(row);

  SpendCounts counts;
  Progress progress("import spend", parsed.rows.size(), ProgressStyle(args));
  for (size_t k = 0; k < parsed.rows.size(); ++k) {
    progress.Update(k);
    const io::SpendRow& row = parsed.rows[k];
    absl::Status ran = RunRow(book, args, directory, row, tally, counts);
    if (!ran.ok()) {
      if (!IsRowError(ran)) return ran;
      tally.Reject(row.line, ran, args.file);
    }
    if ((k + 1) % kCommitEveryRows == 0) UPKEEP_RETURN_IF_ERROR(book.book().Commit());
  }
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
