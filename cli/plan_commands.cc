// `upkeep classify|size|allocate --policy FILE --portfolio FILE.csv`: the main job on files;
// `upkeep allocate --book PATH --period P`: the same over a book, applied as its budgets.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_allocation.h"
#include "book_directory.h"
#include "book_settings.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/plan.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

struct PlanArguments {
  PlanInputs inputs;
  Format format = Format::kTable;
  size_t top = 10;
  bool tiers_only = false;
  // allocate over a book
  BookArguments book;
  std::string period;
  std::string metrics_period;
  std::string pool;
  std::string actor = kBookAdmin;
  std::string date;
  bool dry_run = false;
};

absl::StatusOr<LoadedPlan> Load(const PlanInputs& inputs) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = LoadPolicy(inputs.policy_path);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<Portfolio> portfolio = LoadPortfolio(inputs.portfolio_path, (*policy)->currency());
  if (!portfolio.ok()) return portfolio.status();
  absl::StatusOr<PeriodPlan> plan = PlanPeriod(**policy, *portfolio);
  if (!plan.ok()) return plan.status();
  return LoadedPlan{*std::move(policy), *std::move(portfolio), *std::move(plan)};
}

// The indices of the `top` largest values (all when top is 0), largest first, ties by index.
template <typename T>
std::vector<size_t> TopIndices(const std::vector<T>& values, size_t top) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const size_t count = top == 0 ? order.size() : std::min(top, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
      [&](size_t a, size_t b) { return values[a] != values[b] ? values[a] > values[b] : a < b; });
  order.resize(count);
  return order;
}

// In CSV form a command prints one table: the tiers with --tiers, else the customers.
void Finish(Report& report, const PlanArguments& args) {
  if (args.tiers_only) {
    report.tables.resize(1);
  } else if (args.format == Format::kCsv) {
    report.tables.erase(report.tables.begin());
  }
  Print(report, args.format, stdout);
}

absl::StatusOr<int> Classify(const PlanArguments& args) {
  absl::StatusOr<LoadedPlan> loaded = Load(args.inputs);
  if (!loaded.ok()) return loaded.status();
  const Classification& classification = loaded->plan.classification;
  const Portfolio& portfolio = loaded->portfolio;
  Report report;
  report.facts = {{"policy", loaded->policy->name()},
                  {"customers", absl::StrCat(portfolio.size())},
                  {"rule", classification.rule}};
  Table& tiers = report.tables.emplace_back(
      Table{"tiers",
            "Customers by tier",
            {{"tier"}, {"customers", Column::kNumber}, {"share %", Column::kPercent}, {"rule"}}});
  const std::vector<size_t> counts = classification.CountByTier();
  for (size_t t = 0; t < classification.tier_names.size(); ++t) {
    tiers.rows.push_back(
        {classification.tier_names[t], absl::StrCat(counts[t]),
         Percent(static_cast<int64_t>(counts[t]), static_cast<int64_t>(portfolio.size())),
         classification.tier_rules[t]});
  }
  Table& customers = report.tables.emplace_back(
      Table{"customers",
            "Customers, the most valuable tier first",
            {{"customer_id"}, {"name"}, {"tier"}, {"score", Column::kNumber}, {"reason"}}});
  std::vector<int> rank(classification.size());  // larger for a more valuable tier
  for (size_t i = 0; i < rank.size(); ++i) rank[i] = -static_cast<int>(classification.tier[i]);
  for (size_t i : TopIndices(rank, args.top)) {
    customers.rows.push_back({portfolio.customer(i).id, portfolio.customer(i).name,
                              classification.tier_names[classification.tier[i]],
                              absl::StrFormat("%.6g", classification.score[i]),
                              classification.Explain(i)});
  }
  Finish(report, args);
  return kExitOk;
}

absl::StatusOr<int> Size(const PlanArguments& args) {
  absl::StatusOr<LoadedPlan> loaded = Load(args.inputs);
  if (!loaded.ok()) return loaded.status();
  const Sizing& sizing = loaded->plan.sizing;
  const Currency currency = sizing.pool.currency();
  Report report;
  report.facts = {{"policy", loaded->policy->name()},
                  {"customers", absl::StrCat(loaded->portfolio.size())},
                  {"formula", sizing.formula},
                  {"pool", sizing.pool.ToDecimalString()},
                  {"currency", std::string(currency.code())}};
  Table& terms = report.tables.emplace_back(
      Table{"terms", "Budget sizing", {{"term"}, {"detail"}, {"amount", Column::kMoney}}});
  for (const SizingTerm& term : sizing.terms) {
    terms.rows.push_back({term.label, term.detail, AmountText(term.amount_minor, currency)});
  }
  terms.rows.push_back({"pool", "", sizing.pool.ToDecimalString()});
  Print(report, args.format, stdout);
  return kExitOk;
}

// The plan of a book's customers, applied as the period's budgets unless --dry-run.
absl::StatusOr<LoadedPlan> AllocateInBook(const PlanArguments& args, std::vector<Fact>* facts) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  if (!args.date.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(const int64_t time_micros, ParseDay(args.date, "--date"));
    book.SetTime(time_micros);
  }
  UPKEEP_ASSIGN_OR_RETURN(BookDirectory directory, book.Directory());
  UPKEEP_ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, BookPolicy(book));
  std::optional<Money> pool;
  if (!args.pool.empty()) {
    absl::StatusOr<Money> parsed = Money::Parse(args.pool, book.currency());
    if (!parsed.ok()) {
      return MakeError(ErrorCodeOf(parsed.status()),
                       absl::StrCat("--pool: ", parsed.status().message()));
    }
    pool = *parsed;
  }
  UPKEEP_ASSIGN_OR_RETURN(LoadedPlan loaded, PlanFromBook(book, directory, std::move(policy),
                                                          args.metrics_period, pool));
  if (!args.dry_run) {
    UPKEEP_RETURN_IF_ERROR(ApplyPlan(book, directory, loaded, args.period, args.actor));
  }
  UPKEEP_RETURN_IF_ERROR(book.Close());
  *facts = {{"book", args.book.path},
            {"period", args.period},
            {"metrics", args.metrics_period.empty() ? "none" : args.metrics_period},
            {"budgets", args.dry_run ? "not applied (--dry-run)"
                                     : "applied: one budget per customer and fee category"}};
  return loaded;
}

absl::StatusOr<int> Allocate(const PlanArguments& args) {
  const bool files = !args.inputs.policy_path.empty() || !args.inputs.portfolio_path.empty();
  if (files == !args.period.empty() ||
      (files && (args.inputs.policy_path.empty() || args.inputs.portfolio_path.empty()))) {
    return ReportUsageError(
        "allocate takes --policy FILE --portfolio FILE.csv, or --book PATH --period P");
  }
  std::vector<Fact> book_facts;
  absl::StatusOr<LoadedPlan> loaded = files ? Load(args.inputs) : AllocateInBook(args, &book_facts);
  if (!loaded.ok()) return loaded.status();
  const Allocation& allocation = loaded->plan.allocation;
  const Portfolio& portfolio = loaded->portfolio;
  const Currency currency = allocation.currency;
  Report report;
  report.facts = {{"policy", loaded->policy->name()},
                  {"customers", absl::StrCat(portfolio.size())},
                  {"currency", std::string(currency.code())},
                  {"pool", AmountText(allocation.pool_minor, currency)},
                  {"reserve", AmountText(allocation.reserve_minor, currency)},
                  {"unallocated", AmountText(allocation.unallocated_minor, currency)},
                  {"steps", absl::StrJoin(allocation.steps, "; ")}};
  report.facts.insert(report.facts.begin() + 1, book_facts.begin(), book_facts.end());
  Table& tiers = report.tables.emplace_back(
      Table{"tiers",
            absl::StrCat("Allocation by tier (", std::string(currency.code()), ")"),
            {{"tier"},
             {"customers", Column::kNumber},
             {"amount", Column::kMoney},
             {"share %", Column::kPercent},
             {"smallest", Column::kMoney},
             {"largest", Column::kMoney}}});
  for (const TierSummary& tier : SummarizeByTier(loaded->plan)) {
    tiers.rows.push_back(
        {tier.tier, absl::StrCat(tier.customers), AmountText(tier.amount_minor, currency),
         Percent(tier.amount_minor, allocation.pool_minor),
         AmountText(tier.smallest_minor, currency), AmountText(tier.largest_minor, currency)});
  }
  Table& customers = report.tables.emplace_back(
      Table{"customers",
            "Largest envelopes",
            {{"customer_id"}, {"name"}, {"tier"}, {"amount", Column::kMoney}, {"reason"}}});
  for (size_t i : TopIndices(allocation.amount_minor, args.top)) {
    customers.rows.push_back({portfolio.customer(i).id, portfolio.customer(i).name,
                              allocation.tier_names[allocation.tier[i]],
                              AmountText(allocation.amount_minor[i], currency),
                              allocation.Explain(i)});
  }
  Finish(report, args);
  return kExitOk;
}

CLI::App* AddPlanCommand(CLI::App& app, PlanArguments& args, const char* name,
                         const char* description, const char* example, bool files_required = true) {
  CLI::App* command = app.add_subcommand(name, description);
  AddPlanInputOptions(*command, args.inputs, files_required);
  AddFormatOption(*command, args.format);
  command->footer(std::string("Example:\n  ") + example);
  return command;
}

void AddListOptions(CLI::App& command, PlanArguments& args) {
  command.add_option("--top", args.top, "customers to list, largest first (0: all; default 10)");
  command.add_flag("--tiers", args.tiers_only, "only the summary by tier");
}

}  // namespace

void AddPlanCommands(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<PlanArguments>();
  CLI::App* classify = AddPlanCommand(
      app, *args, "classify", "classify customers into tiers; show the tiers and top scores",
      "upkeep classify --policy examples/policy.json --portfolio examples/data/portfolio.csv "
      "--top 5");
  AddListOptions(*classify, *args);
  OnRun(*classify, exit_code, [args] { return Classify(*args); });

  CLI::App* size = AddPlanCommand(
      app, *args, "size", "size the period's pool from its drivers, with the formula",
      "upkeep size --policy examples/policy.json --portfolio examples/data/portfolio.csv");
  OnRun(*size, exit_code, [args] { return Size(*args); });

  CLI::App* allocate = AddPlanCommand(
      app, *args, "allocate",
      "classify, size and allocate the pool; show it by tier and the largest envelopes with "
      "the reason for each. Over a book (--book, --period): the book's customers keep their "
      "tiers, and the envelopes become the period's budgets, split over the fee categories",
      "upkeep allocate --policy examples/policy.json --portfolio examples/data/portfolio.csv\n"
      "  upkeep allocate ... --format csv --top 0   (every customer's envelope, as CSV)\n"
      "  upkeep allocate --book upkeep.db --period FY2026 --metrics FY2025 --dry-run\n"
      "  upkeep allocate --book upkeep.db --period FY2026 --metrics FY2025",
      /*files_required=*/false);
  AddListOptions(*allocate, *args);
  AddBookOption(*allocate, args->book);
  allocate->add_option("--period", args->period,
                       "over the book: the period to budget (defined from the book's fiscal "
                       "calendar if new: FY2026, FY2026-Q1, FY2026-M01)");
  allocate->add_option("--metrics", args->metrics_period,
                       "over the book: the period whose imported metrics size and split the pool");
  allocate->add_option("--pool", args->pool,
                       "over the book: the pool to allocate (default: sized by the policy)");
  allocate->add_option("--actor", args->actor, "over the book: who sets the budgets (finance)")
      ->capture_default_str();
  allocate->add_option("--date", args->date,
                       "over the book: when the budgets are set (YYYY-MM-DD; default now)");
  allocate->add_flag("--dry-run", args->dry_run, "over the book: show the plan, change nothing");
  OnRun(*allocate, exit_code, [args] { return Allocate(*args); });
}

}  // namespace upkeep::cli
