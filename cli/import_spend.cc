// `upkeep import spend FILE.csv`: spend requests (upkeep/io/spend_csv.h) through the book's
// control policies, each stamped with its date and decided as `upkeep spend` / `reserve` would.
#include <functional>
#include <memory>
#include <set>
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
#include "io/file_text.h"
#include "io/spend_rows_ahead.h"
#include "spend_request.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/spend_csv.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

// A commit point (group commit) every this many rows of the file. Between commit points the
// store commits on its own (StoreOptions::group_events_max); a commit point waits for the one
// before it, so fewer of them stall less on the disk (1,000,000 rows: 10,000 a point took about
// a tenth longer). A crash loses at most the rows since the last durable one; importing the file
// again applies only those.
constexpr size_t kCommitEveryRows = 50'000;
// A SpendBatch holds the spend rows of at most this many consecutive records of the file.
constexpr size_t kBatchRecords = 1'024;

struct SpendCounts {
  size_t approved = 0;
  size_t warned = 0;
  size_t pending = 0;
  int64_t spent_minor = 0;  // by this import
};

// Who asks for a customer's spends: --actor, else the customer's account manager, else the
// book's admin.
std::string_view Requester(const ImportArguments& args, const BookDirectory& directory,
                           const lg::CustomerInfo& customer) {
  if (!args.actor.empty()) return args.actor;
  if (directory.actors.contains(customer.owner)) return customer.owner;
  return kBookAdmin;
}

// The book's customers by id, each with who asks for its spends (decided once per customer,
// not per row). Compact, because every row looks it up beside the ledger's large state: the ids
// are held in the table (short ones inline), the requesters once each in `requesters`, rather
// than read from the directory's scattered map nodes.
struct CustomerIndex {
  std::set<std::string, std::less<>> requesters;
  absl::flat_hash_map<std::string, std::string_view> requester_of;  // into requesters
};

CustomerIndex IndexCustomers(const ImportArguments& args, const BookDirectory& directory) {
  CustomerIndex index;
  index.requester_of.reserve(directory.customers.size());
  for (const auto& [id, customer] : directory.customers) {
    const std::string_view requester = Requester(args, directory, customer);
    index.requester_of.emplace(id, *index.requesters.emplace(requester).first);
  }
  return index;
}

// How far ahead the reading thread loads a row's customer entry while it looks up the rows
// before (a lookup is a fraction of a microsecond; a miss takes 140-210 ns here).
constexpr size_t kPrefetchRows = 8;

// The period of every row: --period, else the one holding the row's date (the last day asked
// for is remembered: a file in date order looks each day up once).
class PeriodFinder {
 public:
  PeriodFinder(const ImportArguments& args, const BookDirectory& directory)
      : args_(args), directory_(directory) {
    if (!args.period.empty()) fixed_ = directory.FindPeriod(args.period);
  }

  // The period of a row, or kNotFound naming what is missing.
  absl::StatusOr<const lg::Period*> For(const io::SpendRow& row) {
    if (!args_.period.empty()) {
      if (fixed_ == nullptr) {
        return MakeError(ErrorCode::kNotFound,
                         absl::StrCat("no period ", args_.period, " in the book"));
      }
      return fixed_;
    }
    if (!has_last_ || row.time_micros != last_micros_) {
      last_ = directory_.PeriodAt(row.time_micros);
      last_micros_ = row.time_micros;
      has_last_ = true;
    }
    if (last_ == nullptr) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat("date: no period of the book holds ",
                                    FormatDay(row.time_micros), " (upkeep allocate --period)"));
    }
    return last_;
  }

 private:
  const ImportArguments& args_;
  const BookDirectory& directory_;
  const lg::Period* fixed_ = nullptr;
  bool has_last_ = false;
  int64_t last_micros_ = 0;
  const lg::Period* last_ = nullptr;
};

// Where a row goes in the book: who asks for it and in which period, or the row's problem
// (kNotFound: its customer or a period for its date). Worked out from the row alone, on the
// thread that reads the rows (SpendRowsAhead's note), so that the thread applying them does
// not look the customer up. Refers to the directory.
struct RowTarget {
  std::string_view requester;
  const lg::Period* period = nullptr;
  absl::Status problem;  // when not OK, requester and period are unset
};

// Sets `target` (as an earlier row left it) for `row`, checked against the book.
void FindTarget(const CustomerIndex& customers, PeriodFinder& periods, const io::SpendRow& row,
                RowTarget& target) {
  target = RowTarget{};
  const auto found = customers.requester_of.find(row.customer_id);
  if (found == customers.requester_of.end()) {
    target.problem = MakeError(ErrorCode::kNotFound,
                               absl::StrCat("customer_id: unknown customer ", row.customer_id));
    return;
  }
  absl::StatusOr<const lg::Period*> period = periods.For(row);
  if (!period.ok()) {
    target.problem = std::move(period).status();
    return;
  }
  target.requester = found->second;
  target.period = *period;
}

// Fills a default-constructed `request` with the request of `row`, whose target is `target`; a
// row-level problem comes back as its status. The request refers to `row` and to the directory.
absl::Status RequestFor(const io::SpendRow& row, const RowTarget& target, Currency currency,
                        lg::Request& request) {
  UPKEEP_RETURN_IF_ERROR(target.problem);
  FillRequest(row, target.period->id, target.requester, currency, request);
  return absl::OkStatus();
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

// Runs the rows of a file as they are read. Consecutive spend rows of one day wait and go to
// the ledger as one batch (Ledger::SpendBatch: one lock for the batch); every row is still
// decided, counted and rejected on its own. The rows are used where the reader put them
// (SpendRowsAhead keeps them long enough for a batch): the file's rows are never all held.
class SpendImporter {
 public:
  SpendImporter(OpenedBook& book, const ImportArguments& args, const BookDirectory& directory)
      : book_(book),
        args_(args),
        currency_(book.currency()),
        directory_(directory),
        customers_(IndexCustomers(args, directory)) {}

  // What the thread reading the rows works out from each (SpendRowsAhead's note): its target.
  // The importer must outlive the reader it is given to.
  io::SpendRowsAhead<RowTarget>::NoteRows TargetFinder() const {
    return [this, periods = PeriodFinder(args_, directory_)](std::span<const io::SpendRow> rows,
                                                             std::span<const io::RowRead> reads,
                                                             std::span<RowTarget> targets) mutable {
      for (size_t i = 0; i < rows.size(); ++i) {
        // A random customer's entry is a cache miss: it loads while the rows before it are
        // looked up.
        if (const size_t ahead = i + kPrefetchRows;
            ahead < rows.size() && reads[ahead] == io::RowRead::kRow) {
          customers_.requester_of.prefetch(rows[ahead].customer_id);
        }
        if (reads[i] == io::RowRead::kRow) FindTarget(customers_, periods, rows[i], targets[i]);
      }
    };
  }

  // Reads and runs every row of `reader`; a problem that is not a row's stops the import.
  absl::Status Run(io::SpendRowsAhead<RowTarget>& reader, Progress& progress) {
    io::SpendRowsAhead<RowTarget>::Record record;
    for (size_t records = 0;; ++records) {
      // The waiting rows stay where the reader put them only for so many records more, and not
      // every record after them joins the batch (bad rows, rows of unknown customers): the batch
      // runs once kBatchRecords records were handed out since its first row.
      if (!waiting_.empty() && records - first_waiting_record_ >= kBatchRecords) {
        UPKEEP_RETURN_IF_ERROR(Flush());
      }
      UPKEEP_RETURN_IF_ERROR(reader.Next(record));
      if (record.read == io::RowRead::kEnd) {
        tally_.rows = records;
        return Flush();
      }
      progress.Update(records);
      if (record.read == io::RowRead::kBad) {
        tally_.Reject(*record.bad);
      } else {
        UPKEEP_RETURN_IF_ERROR(Take(*record.row, *record.note, records));
      }
      if ((records + 1) % kCommitEveryRows == 0) UPKEEP_RETURN_IF_ERROR(CommitPoint());
    }
  }

  ImportTally& tally() { return tally_; }
  const SpendCounts& counts() const { return counts_; }

 private:
  // A batch's rows are held no longer than the reader keeps them (SpendRowsAhead::Record).
  static_assert(kBatchRecords <= io::SpendRowsAhead<RowTarget>::kChunkRows);

  // The row just read, record `record` of the file, going to `target`: waits for its day's
  // batch, or runs now.
  absl::Status Take(const io::SpendRow& row, const RowTarget& target, size_t record) {
    if (!waiting_.empty() && (row.is_reserve || row.time_micros != waiting_rows_[0]->time_micros)) {
      UPKEEP_RETURN_IF_ERROR(Flush());
    }
    if (row.is_reserve) {
      lg::Request request;
      absl::Status ran = RequestFor(row, target, currency_, request);
      if (ran.ok()) ran = RunReserveRow(book_, args_, row, request, tally_, counts_);
      return ran.ok() ? ran : RejectRow(args_, row, ran, tally_);
    }
    // Filled in the batch, not copied there.
    lg::Request& request = waiting_.emplace_back();
    if (absl::Status found = RequestFor(row, target, currency_, request); !found.ok()) {
      waiting_.pop_back();
      return RejectRow(args_, row, found, tally_);
    }
    if (waiting_.size() == 1) first_waiting_record_ = record;
    waiting_rows_.push_back(&row);
    return absl::OkStatus();
  }

  // Runs the rows that wait.
  absl::Status Flush() {
    if (waiting_.empty()) return absl::OkStatus();
    book_.SetTime(waiting_rows_[0]->time_micros);
    const std::vector<absl::StatusOr<lg::Result>> results = book_.ledger().SpendBatch(waiting_);
    absl::Status counted;
    for (size_t i = 0; i < results.size() && counted.ok(); ++i) {
      const io::SpendRow& row = *waiting_rows_[i];
      if (results[i].ok()) {
        Count(args_, row, *results[i], tally_, counts_);
      } else {
        counted = RejectRow(args_, row, results[i].status(), tally_);
      }
    }
    waiting_.clear();
    waiting_rows_.clear();
    return counted;
  }

  // Commits are pipelined: the rows after a commit point are applied while it syncs, and the
  // commit before is awaited there (store.h, StartCommit / AwaitDurable). A long file is
  // snapshotted on the way (OpenedBook::SnapshotIfDue).
  absl::Status CommitPoint() {
    UPKEEP_RETURN_IF_ERROR(Flush());
    const uint64_t previous = std::exchange(committing_, book_.book().StartCommit());
    UPKEEP_RETURN_IF_ERROR(book_.book().AwaitDurable(previous));
    return book_.SnapshotIfDue();
  }

  OpenedBook& book_;
  const ImportArguments& args_;
  const Currency currency_;
  const BookDirectory& directory_;
  const CustomerIndex customers_;  // read by the thread reading the rows (TargetFinder)
  std::vector<const io::SpendRow*> waiting_rows_;  // the rows that wait, in the reader's chunks
  std::vector<lg::Request> waiting_;               // their requests (referring to their strings)
  size_t first_waiting_record_ = 0;                // the record of the first waiting row
  uint64_t committing_ = 0;
  ImportTally tally_;
  SpendCounts counts_;
};

absl::StatusOr<int> ImportSpend(const ImportArguments& args) {
  // The file first: one that cannot be read is reported before the book is opened (and so
  // left as it was). A large one is mapped, not read (io/file_text.h): a million rows, 40 MB,
  // are read ahead from the disk while the book opens.
  UPKEEP_ASSIGN_OR_RETURN(const io::FileText file, io::FileText::Open(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book, Durability::kGroup));
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(io::SpendCsvReader reader,
                          io::SpendCsvReader::Open(file.view(), book.currency(), args.file));
  const size_t lines = reader.LinesLeft();
  book.ExpectOperations(lines);  // about an operation per row (a reserve row is two)
  SpendImporter importer(book, args, directory);
  Progress progress("import spend", lines, ProgressStyle(args));
  // The rows are read and checked, and their customers and periods found, on a second thread
  // while the ledger applies the ones before.
  io::SpendRowsAhead<RowTarget> rows(std::move(reader), importer.TargetFinder());
  UPKEEP_RETURN_IF_ERROR(importer.Run(rows, progress));
  ImportTally& tally = importer.tally();
  progress.Finish(tally.rows);
  UPKEEP_RETURN_IF_ERROR(book.Close());
  const SpendCounts& counts = importer.counts();
  tally.details = {
      {"approved", absl::StrCat(counts.approved)},
      {"approved with a warning", absl::StrCat(counts.warned)},
      {"waiting for approval", absl::StrCat(counts.pending)},
      {"denied by the control policies", absl::StrCat(tally.rejected.size() - tally.bad)},
      {"spent", AmountText(counts.spent_minor, book.currency())}};
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
