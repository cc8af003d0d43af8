// `upkeep init --policy FILE [--book PATH]`: a new book with its policy document.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_settings.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

struct InitArguments {
  std::string policy_path;
  std::string book = "upkeep.db";
  std::string currency;
  std::string categories = kDefaultCategoryShares;
  int fiscal_year_start_month = 1;
  Format format = Format::kTable;
};

constexpr const char* kMonthNames[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};

// Everything a new book records, once the file exists.
absl::Status Fill(OpenedBook& book, const InitArguments& args, const PolicyFile& file,
                  const std::vector<CategoryShare>& shares) {
  UPKEEP_RETURN_IF_ERROR(RecordFiscalYearStart(book, args.fiscal_year_start_month));
  UPKEEP_RETURN_IF_ERROR(RecordCategories(book, shares, kBookAdmin));
  UPKEEP_RETURN_IF_ERROR(RecordPolicy(book, *file.policy, file.text, kBookAdmin).status());
  return book.Close();
}

absl::StatusOr<int> Init(const InitArguments& args) {
  // Everything is checked before the file is created: bad input leaves no book behind.
  UPKEEP_ASSIGN_OR_RETURN(const PolicyFile file, LoadPolicyFile(args.policy_path));
  const Currency currency = file.policy->currency();
  if (!args.currency.empty() && args.currency != currency.code()) {
    UPKEEP_RETURN_IF_ERROR(Currency::FromCode(args.currency).status());
    return MakeError(ErrorCode::kCurrencyMismatch,
                     absl::StrCat("--currency ", args.currency, ", but ", args.policy_path,
                                  " is in ", std::string(currency.code())));
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<CategoryShare> shares,
                          ParseCategoryShares(args.categories));
  if (args.fiscal_year_start_month < 1 || args.fiscal_year_start_month > 12) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat("--fiscal-year-start: a month 1..12, not ", args.fiscal_year_start_month));
  }
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, CreateBook(args.book, currency));
  absl::Status filled = Fill(book, args, file, shares);
  if (!filled.ok()) {
    book.Close().IgnoreError();
    RemoveBookFiles(args.book).IgnoreError();
    return filled;
  }
  std::vector<std::string> categories;
  for (const CategoryShare& share : shares) {
    categories.push_back(absl::StrCat(share.category, " ", share.share_pct, " %"));
  }
  Report report;
  report.facts = {{"book", args.book},
                  {"currency", std::string(currency.code())},
                  {"policy", absl::StrCat("version 1, ", file.policy->name())},
                  {"tiers", absl::StrJoin(file.policy->tier_names(), ", ")},
                  {"categories", absl::StrJoin(categories, ", ")},
                  {"fiscal years start", kMonthNames[args.fiscal_year_start_month - 1]},
                  {"actor", absl::StrCat(kBookAdmin, " (admin)")}};
  Print(report, args.format, stdout);
  return kExitOk;
}

}  // namespace

void AddInitCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<InitArguments>();
  CLI::App* init = app.add_subcommand(
      "init",
      "create a book (a SQLite file) with a policy document, fee categories and a fiscal "
      "calendar");
  init->add_option("--policy", args->policy_path, "the policy document (JSON)")->required();
  init->add_option("--book", args->book, "the book to create; an existing file is kept (exit 6)")
      ->capture_default_str();
  init->add_option("--currency", args->currency,
                   "the book's currency; must be the policy's (default: the policy's)");
  init->add_option("--categories", args->categories,
                   "fee categories and their share of each envelope, in percent (adding up to "
                   "100)")
      ->capture_default_str();
  init->add_option("--fiscal-year-start", args->fiscal_year_start_month,
                   "the month (1..12) fiscal years start: periods FY2026, FY2026-Q1, FY2026-M01")
      ->capture_default_str();
  AddFormatOption(*init, args->format);
  init->footer(
      "Examples:\n"
      "  upkeep init --policy examples/policy.json\n"
      "  upkeep init --policy examples/policy.json --book /data/fees.db --currency CNY \\\n"
      "      --categories visit=40,gift=30,event=30 --fiscal-year-start 4");
  OnRun(*init, exit_code, [args] { return Init(*args); });
}

}  // namespace upkeep::cli
