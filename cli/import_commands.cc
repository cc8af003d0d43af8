// `upkeep import customers|metrics FILE.csv`: customers and their metrics into a book. Spend is
// in import_spend.cc; the shared parts (rejects file, summary) in import_common.h.
#include <algorithm>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_directory.h"
#include "book_metrics.h"
#include "book_settings.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "import_common.h"
#include "upkeep/classification.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

// The file's rows as a portfolio in the book's currency; the bad rows go to `tally`.
absl::StatusOr<io::PortfolioImport> ReadPortfolioRows(std::string_view text, Currency currency,
                                                      const std::string& file, ImportTally& tally) {
  UPKEEP_ASSIGN_OR_RETURN(
      io::PortfolioImport parsed,
      io::ParsePortfolioCsv(text, currency, io::ImportMode::kSkipBadRows, file));
  tally.rows = parsed.rows_imported + parsed.rejected.size();
  for (const io::RejectedRow& row : parsed.rejected) tally.Reject(row);
  return parsed;
}

// Portfolio indices in the order of the file's lines.
std::vector<size_t> FileOrder(const io::PortfolioImport& parsed) {
  std::vector<size_t> order(parsed.portfolio.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return parsed.lines[a] < parsed.lines[b]; });
  return order;
}

// Each customer's tier: the file's tier column, or the book policy's classification of the file.
absl::StatusOr<std::vector<std::string>> TiersOf(const io::PortfolioImport& parsed,
                                                 bool has_tier_column, const PolicySet& policy,
                                                 std::string* source) {
  const Portfolio& portfolio = parsed.portfolio;
  std::vector<std::string> tiers(portfolio.size());
  if (has_tier_column) {
    *source = "the file's tier column";
    for (size_t i = 0; i < portfolio.size(); ++i) {
      for (const auto& [name, value] : portfolio.customer(i).attributes) {
        if (name == "tier") tiers[i] = value;
      }
    }
    return tiers;
  }
  Classification classification;
  absl::Status classified = policy.classifier().Classify(portfolio, classification);
  if (!classified.ok()) {
    return MakeError(ErrorCodeOf(classified),
                     absl::StrCat("the file has no tier column, and the book's policy cannot "
                                  "classify its customers: ",
                                  classified.message()));
  }
  *source = absl::StrCat("classified by the book's policy (", classification.rule, ")");
  for (size_t i = 0; i < portfolio.size(); ++i) {
    tiers[i] = classification.tier_names[classification.tier[i]];
  }
  return tiers;
}

absl::StatusOr<int> ImportCustomers(const ImportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, io::ReadFile(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book, Durability::kGroup));
  UPKEEP_ASSIGN_OR_RETURN(const std::shared_ptr<const PolicySet> policy, BookPolicy(book));
  UPKEEP_ASSIGN_OR_RETURN(BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<std::string> header, CsvHeader(text));
  ImportTally tally;
  UPKEEP_ASSIGN_OR_RETURN(const io::PortfolioImport parsed,
                          ReadPortfolioRows(text, book.currency(), args.file, tally));
  std::string tier_source;
  const bool has_tier_column = std::find(header.begin(), header.end(), "tier") != header.end();
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<std::string> tiers,
                          TiersOf(parsed, has_tier_column, *policy, &tier_source));

  Progress progress("import customers", parsed.portfolio.size(), ProgressStyle(args));
  size_t owners_added = 0;
  size_t done = 0;
  for (const size_t i : FileOrder(parsed)) {
    progress.Update(done++);
    const Customer& customer = parsed.portfolio.customer(i);
    const size_t line = parsed.lines[i];
    const lg::CustomerInfo info{customer.id, tiers[i], customer.owner, customer.region};
    if (const lg::CustomerInfo* known = directory.FindCustomer(customer.id)) {
      if (known->tier == info.tier && known->owner == info.owner && known->region == info.region) {
        ++tally.unchanged;
      } else {
        tally.Reject(
            line,
            MakeError(ErrorCode::kAlreadyExists,
                      absl::StrCat("customer_id: ", customer.id, " is in the book already as tier ",
                                   known->tier, ", owner ", known->owner, ", region ",
                                   known->region, "; the file says tier ", info.tier, ", owner ",
                                   info.owner, ", region ", info.region)),
            args.file);
      }
      continue;
    }
    absl::Status defined;
    if (!info.owner.empty() && !directory.actors.contains(info.owner)) {
      defined = book.ledger().DefineActor(args.actor, {info.owner, lg::Role::kAccountManager});
      if (defined.ok()) {
        directory.actors[info.owner] = lg::Role::kAccountManager;
        ++owners_added;
      }
    }
    if (defined.ok()) defined = book.ledger().DefineCustomer(args.actor, info);
    if (!defined.ok()) {
      if (!IsRowError(defined)) return defined;
      tally.Reject(line, defined, args.file);
      continue;
    }
    directory.customers[info.id] = info;
    ++tally.imported;
  }
  progress.Finish();
  UPKEEP_RETURN_IF_ERROR(book.Close());
  tally.details = {{"tiers", tier_source},
                   {"account managers added", absl::StrCat(owners_added)},
                   {"customers in the book", absl::StrCat(directory.customers.size())}};
  return FinishImport(args, tally);
}

absl::StatusOr<int> ImportMetrics(const ImportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, io::ReadFile(args.file));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<std::string> header, CsvHeader(text));
  const std::vector<std::string> columns = MetricColumns(header);
  if (columns.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat(args.file,
                                  ":1: no metric columns (revenue, gross_margin, "
                                  "growth, ..., metric:<name>)"));
  }
  ImportTally tally;
  UPKEEP_ASSIGN_OR_RETURN(const io::PortfolioImport parsed,
                          ReadPortfolioRows(text, book.currency(), args.file, tally));
  UPKEEP_ASSIGN_OR_RETURN(const std::string stored, MetricsText(book, args.period));
  UPKEEP_ASSIGN_OR_RETURN(MetricTable table, ParseMetricTable(stored));

  Progress progress("import metrics", parsed.portfolio.size(), ProgressStyle(args));
  size_t done = 0;
  for (const size_t i : FileOrder(parsed)) {
    progress.Update(done++);
    const std::string& id = parsed.portfolio.customer(i).id;
    if (directory.FindCustomer(id) == nullptr) {
      tally.Reject(parsed.lines[i],
                   MakeError(ErrorCode::kNotFound, absl::StrCat("customer_id: unknown customer ",
                                                                id, " (import customers first)")),
                   args.file);
      continue;
    }
    std::map<std::string, std::string>& cells = table[id];
    bool changed = false;
    for (const std::string& column : columns) {
      std::string cell = MetricCell(parsed.portfolio, column, i);
      std::string& stored_cell = cells[column];
      changed = changed || stored_cell != cell;
      stored_cell = std::move(cell);
    }
    ++(changed ? tally.imported : tally.unchanged);
  }
  progress.Finish();
  if (tally.imported > 0) {
    UPKEEP_RETURN_IF_ERROR(RecordMetrics(book, args.period, FormatMetricTable(table)));
  }
  UPKEEP_RETURN_IF_ERROR(book.Close());
  tally.details = {{"period", args.period},
                   {"metrics", absl::StrJoin(columns, ", ")},
                   {"customers with metrics", absl::StrCat(table.size())}};
  return FinishImport(args, tally);
}

}  // namespace

void AddImportCommands(CLI::App& app, int* exit_code) {
  CLI::App* group = app.add_subcommand(
      "import",
      "import customers, their metrics, spend or feedback from CSV into a book; a rejects file "
      "lists every row left out and why; importing a file again changes nothing");
  group->require_subcommand(1);
  auto args = std::make_shared<ImportArguments>();
  args->actor = kBookAdmin;

  CLI::App* customers = group->add_subcommand(
      "customers",
      "define customers (customer_id, owner, region; tier from a tier column, else classified "
      "by the book's policy from the file's metrics); owners become account managers");
  AddImportOptions(*customers, *args);
  customers->add_option("--actor", args->actor, "who defines them (an admin)")
      ->capture_default_str();
  customers->footer(
      "Examples:\n"
      "  upkeep import customers examples/data/portfolio.csv\n"
      "  upkeep import customers customers.csv --book fees.db --rejects /tmp/bad-customers.csv");
  OnRun(*customers, exit_code, [args] { return ImportCustomers(*args); });

  CLI::App* metrics = group->add_subcommand(
      "metrics",
      "record customers' metrics for a period (revenue, gross_margin, growth, ..., "
      "metric:<name>), merged customer by customer");
  AddImportOptions(*metrics, *args);
  metrics->add_option("--period", args->period, "the period the metrics describe")->required();
  metrics->footer(
      "Example:\n"
      "  upkeep import metrics examples/data/portfolio.csv --period FY2025");
  OnRun(*metrics, exit_code, [args] { return ImportMetrics(*args); });

  AddImportSpendCommand(*group, exit_code);
  AddImportFeedbackCommand(*group, exit_code);
}

}  // namespace upkeep::cli
