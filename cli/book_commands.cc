// `upkeep status` and `upkeep verify`: read a book (e.g. the one `upkeep demo` wrote).
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "book_access.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/ledger.h"
#include "upkeep/status.h"
#include "upkeep/store.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

struct StatusArguments {
  BookArguments book;
  std::string level = "company";
  std::string period;
  std::string key;
  std::string category;
  Format format = Format::kTable;
};

absl::StatusOr<int> Verify(const StatusArguments& args) {
  absl::StatusOr<OpenedBook> book = OpenBook(args.book);
  if (!book.ok()) return book.status();
  absl::Status verified = book->book().Verify();
  if (!verified.ok()) return verified;
  std::printf("ok: %s: %llu journal entries; hash chain and snapshots verified\n",
              args.book.path.c_str(), static_cast<unsigned long long>(book->store().size()));
  return kExitOk;
}

absl::StatusOr<int> Status(const StatusArguments& args) {
  absl::StatusOr<OpenedBook> book = OpenBook(args.book);
  if (!book.ok()) return book.status();
  const lg::Ledger& ledger = book->ledger();
  const Currency currency = ledger.currency();
  Report report;
  report.facts = {{"book", args.book.path}, {"currency", std::string(currency.code())}};
  Table& table = report.tables.emplace_back(Table{"scopes",
                                                  absl::StrCat("Balances (", args.level, ")"),
                                                  {{"scope"},
                                                   {"budget", Column::kMoney},
                                                   {"reserved", Column::kMoney},
                                                   {"spent", Column::kMoney},
                                                   {"available", Column::kMoney},
                                                   {"used %", Column::kPercent}}});
  std::map<std::string, lg::Balance> rows;  // sorted by scope name
  for (const lg::ScopeSnapshot& scope : ledger.Scopes()) {
    if (lg::ScopeKindName(scope.scope.kind) != args.level) continue;
    if (!args.period.empty() && scope.scope.period != args.period) continue;
    if (!args.key.empty() && scope.scope.key != args.key) continue;
    if (!args.category.empty() && scope.scope.category != args.category) continue;
    rows[scope.scope.ToString()] = scope.balance;
  }
  if (rows.empty() && (!args.key.empty() || !args.category.empty() || !args.period.empty())) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no ", args.level, " scope matches in ", args.book.path));
  }
  for (const auto& [name, balance] : rows) {
    table.rows.push_back({name, AmountText(balance.budget_minor, currency),
                          AmountText(balance.reserved_minor, currency),
                          AmountText(balance.spent_minor, currency),
                          AmountText(balance.available_minor, currency),
                          Percent(balance.spent_minor, balance.budget_minor)});
  }
  Print(report, args.format, stdout);
  return kExitOk;
}

}  // namespace

void AddBookCommands(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<StatusArguments>();
  CLI::App* status = app.add_subcommand(
      "status", "balances of a book's scopes: budget, reserved, spent, available, used %");
  AddBookOption(*status, args->book);
  status->add_option("--level", args->level, "company, tier, customer, owner or region")
      ->check(CLI::IsMember({"company", "tier", "customer", "owner", "region"}))
      ->capture_default_str();
  status->add_option("--period", args->period, "only this period");
  status->add_option("--key", args->key, "only this tier, customer, owner or region");
  status->add_option("--category", args->category, "only this fee category");
  AddFormatOption(*status, args->format);
  status->footer(
      "Examples:\n"
      "  upkeep status --book upkeep-demo.db --level tier\n"
      "  upkeep status --book upkeep-demo.db --level customer --key C00001 --format json");
  OnRun(*status, exit_code, [args] { return Status(*args); });

  CLI::App* verify =
      app.add_subcommand("verify",
                         "check a book's audit trail: the journal's hash chain and its snapshots "
                         "(exit 8 when damaged)");
  AddBookOption(*verify, args->book);
  verify->footer("Example:\n  upkeep verify --book upkeep-demo.db");
  OnRun(*verify, exit_code, [args] { return Verify(*args); });
}

}  // namespace upkeep::cli
