#include "book_view.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "book_monitor.h"
#include "book_settings.h"
#include "command.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

absl::StatusOr<lg::Period> ChoosePeriod(const BookDirectory& directory, const std::string& id,
                                        int64_t now_micros, const std::string& path) {
  if (!id.empty()) {
    if (const lg::Period* period = directory.FindPeriod(id)) return *period;
    return MakeError(ErrorCode::kNotFound, absl::StrCat("no period ", id, " in ", path));
  }
  if (const lg::Period* period = directory.PeriodAt(now_micros)) return *period;
  const lg::Period* latest = nullptr;
  for (const lg::Period& period : directory.periods) {
    if (period.start_micros <= now_micros &&
        (latest == nullptr || period.start_micros > latest->start_micros)) {
      latest = &period;
    }
  }
  if (latest == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(path, " has no period that started by ", FormatDay(now_micros),
                                  " (upkeep allocate --period; or pass --period, --as-of)"));
  }
  return *latest;
}

}  // namespace

void AddViewOptions(CLI::App& command, ViewArguments& args) {
  AddBookOption(command, args.book);
  command.add_option("--as-of", args.as_of, "look from this day (YYYY-MM-DD, UTC; default today)");
  command.add_option("--period", args.period,
                     "the period (default: the book's period holding --as-of)");
  AddFormatOption(command, args.format);
}

void BookView::ReadFacts(absl::FunctionRef<void(const monitor::Facts&)> read) const {
  if (monitor != nullptr) {
    monitor->ReadFacts(read);
  } else {
    read(*facts);
  }
}

absl::StatusOr<BookView> OpenView(const ViewArguments& args, ViewNeeds needs) {
  int64_t now_micros = NowMicros();
  if (!args.as_of.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(now_micros, ParseDay(args.as_of, "--as-of"));
  }
  // A view of the facts alone reads the follower the book keeps, without its ledger.
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, needs == ViewNeeds::kFacts ? OpenBookToRead(args.book)
                                                                      : OpenBook(args.book));
  return ViewOf(std::move(book), now_micros, args.period, needs);
}

absl::StatusOr<BookView> ViewOf(OpenedBook book, int64_t now_micros, const std::string& id,
                                ViewNeeds needs) {
  UPKEEP_ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, BookPolicy(book));
  UPKEEP_ASSIGN_OR_RETURN(BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(const lg::Period period,
                          ChoosePeriod(directory, id, now_micros, book.path()));
  std::unique_ptr<monitor::Monitor> monitor;
  const monitor::Facts* facts = nullptr;
  if (needs == ViewNeeds::kMonitor) {
    UPKEEP_ASSIGN_OR_RETURN(monitor, MonitorBook(book, *policy, now_micros));
  } else {
    UPKEEP_ASSIGN_OR_RETURN(facts, book.Facts());
  }
  return BookView{std::move(book),
                  std::move(policy),
                  std::move(directory),
                  std::move(monitor),
                  facts,
                  now_micros,
                  period};
}

std::string PercentOfBasisPoints(int64_t basis_points) {
  return absl::StrFormat("%.1f", static_cast<double>(basis_points) / 100.0);
}

}  // namespace upkeep::cli
