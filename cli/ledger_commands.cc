// `upkeep reserve|spend|check|post|void|refund|transfer|approve|reject|approvals`: one ledger
// operation on a book, with the decision and its reasons.
//
// Every operation that changes the book takes --op ID, its idempotency key: run again with the
// same ID and arguments, it answers with the first result and changes nothing; with other
// arguments it is a conflict (exit 6).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_directory.h"
#include "command.h"
#include "commands.h"
#include "decision_output.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/ledger.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

struct OpArguments {
  BookArguments book;
  std::string actor = kBookAdmin;
  std::string op_id;
  std::string period;
  std::string customer;
  std::string category;
  std::string amount;
  std::string date;
  std::string expires;
  std::string reason;
  std::string target;  // a reservation, spend or approval id
  std::string from;
  std::string to;
  bool as_spend = false;
  bool keep_budget = false;
  Format format = Format::kTable;
};

enum class MoneyOp { kReserve, kSpend, kCheck };

absl::StatusOr<Money> ParseAmount(const std::string& text, std::string_view option,
                                  Currency currency) {
  absl::StatusOr<Money> amount = Money::Parse(text, currency);
  if (!amount.ok()) {
    return MakeError(ErrorCodeOf(amount.status()),
                     absl::StrCat(AsAbsl(option), ": ", amount.status().message()));
  }
  return amount;
}

absl::StatusOr<std::optional<Money>> OptionalAmount(const std::string& text,
                                                    std::string_view option, Currency currency) {
  if (text.empty()) return std::optional<Money>();
  UPKEEP_ASSIGN_OR_RETURN(const Money amount, ParseAmount(text, option, currency));
  return std::optional<Money>(amount);
}

// "FY2026/customer:C00001/gift", "FY2026/tier:key/gift", "FY2026/company/gift".
absl::StatusOr<lg::ScopeRef> ParseScope(const std::string& text, std::string_view option) {
  const size_t first = text.find('/');
  const size_t last = text.rfind('/');
  lg::ScopeRef scope;
  if (first != std::string::npos && first < last) {
    scope.period = text.substr(0, first);
    scope.category = text.substr(last + 1);
    const std::string middle = text.substr(first + 1, last - first - 1);
    const size_t colon = middle.find(':');
    const std::string kind = middle.substr(0, colon);
    if (colon != std::string::npos) scope.key = middle.substr(colon + 1);
    for (const lg::ScopeKind candidate :
         {lg::ScopeKind::kCompany, lg::ScopeKind::kTier, lg::ScopeKind::kCustomer,
          lg::ScopeKind::kOwner, lg::ScopeKind::kRegion}) {
      if (lg::ScopeKindName(candidate) != kind) continue;
      scope.kind = candidate;
      const bool keyed = candidate != lg::ScopeKind::kCompany;
      if (keyed == (colon != std::string::npos) && !scope.period.empty() &&
          !scope.category.empty() && (!keyed || !scope.key.empty())) {
        return scope;
      }
    }
  }
  return MakeError(ErrorCode::kParse,
                   absl::StrCat(AsAbsl(option), ": not a scope: \"", text,
                                "\" (PERIOD/company/CATEGORY or PERIOD/KIND:KEY/CATEGORY, KIND "
                                "tier, customer, owner or region)"));
}

// The book, with the ledger's clock at --date when given.
absl::StatusOr<OpenedBook> OpenAt(const OpArguments& args) {
  std::optional<int64_t> time_micros;
  if (!args.date.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(time_micros, ParseDay(args.date, "--date"));
  }
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  if (time_micros) book.SetTime(*time_micros);
  return book;
}

// --period, else the book's period that holds --date (or today).
absl::StatusOr<std::string> PeriodOf(const OpArguments& args, OpenedBook& book) {
  if (!args.period.empty()) return args.period;
  int64_t time_micros = NowMicros();
  if (!args.date.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(time_micros, ParseDay(args.date, "--date"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, book.Directory());
  const lg::Period* period = directory.PeriodAt(time_micros);
  if (period == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period of ", args.book.path, " holds ",
                                  FormatDay(time_micros), "; pass --period or --date"));
  }
  return period->id;
}

Table BalanceTable(const std::string& title) {
  return Table{"balances",
               title,
               {{"scope"},
                {"budget", Column::kMoney},
                {"reserved", Column::kMoney},
                {"spent", Column::kMoney},
                {"available", Column::kMoney}}};
}

// Adds the balance of `scope` now to `table`.
absl::Status AddBalance(const lg::Ledger& ledger, const lg::ScopeRef& scope, Table& table) {
  UPKEEP_ASSIGN_OR_RETURN(const lg::Balance balance, ledger.GetBalance(scope));
  std::vector<std::string> row = {scope.ToString()};
  for (std::string& cell : BalanceCells(balance, ledger.currency())) row.push_back(cell);
  table.rows.push_back(std::move(row));
  return absl::OkStatus();
}

std::string_view StatusName(lg::ReservationStatus status) {
  switch (status) {
    case lg::ReservationStatus::kOpen:
      return "open";
    case lg::ReservationStatus::kPosted:
      return "posted";
    case lg::ReservationStatus::kVoided:
      return "voided";
    case lg::ReservationStatus::kExpired:
      return "expired";
    case lg::ReservationStatus::kPending:
      return "waiting for approval";
  }
  return "unknown";
}

// The reservation `id` as facts, and its envelope's balance.
absl::Status AddReservation(const lg::Ledger& ledger, const std::string& id, Report& report) {
  UPKEEP_ASSIGN_OR_RETURN(const lg::ReservationInfo info, ledger.GetReservation(id));
  const Currency currency = ledger.currency();
  report.facts.push_back({"reservation", id});
  report.facts.push_back({"status", std::string(StatusName(info.status))});
  report.facts.push_back({"reserved", AmountText(info.amount_minor, currency)});
  report.facts.push_back({"posted", AmountText(info.posted_minor, currency)});
  report.facts.push_back({"refunded", AmountText(info.refunded_minor, currency)});
  if (info.expiry_micros != 0) report.facts.push_back({"expires", FormatDay(info.expiry_micros)});
  Table& table = report.tables.emplace_back(BalanceTable("Envelope after"));
  return AddBalance(ledger, info.envelope, table);
}

absl::StatusOr<int> RunMoneyOp(const OpArguments& args, MoneyOp op) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenAt(args));
  UPKEEP_ASSIGN_OR_RETURN(const std::string period, PeriodOf(args, book));
  lg::Ledger& ledger = book.ledger();
  UPKEEP_ASSIGN_OR_RETURN(const Money amount,
                          ParseAmount(args.amount, "--amount", book.currency()));
  int64_t expiry_micros = 0;
  if (!args.expires.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(expiry_micros, ParseDay(args.expires, "--expires"));
  }
  const std::string op_id = args.op_id.empty() ? "check" : args.op_id;
  const lg::Request request{.op_id = op_id,
                            .actor = args.actor,
                            .period = period,
                            .customer = args.customer,
                            .category = args.category,
                            .amount = amount,
                            .expiry_micros = expiry_micros,
                            .reason = args.reason,
                            .explain = true};
  absl::StatusOr<lg::Result> result = op == MoneyOp::kReserve ? ledger.Reserve(request)
                                      : op == MoneyOp::kSpend
                                          ? ledger.Spend(request)
                                          : ledger.Check(request, args.as_spend);
  if (!result.ok()) return result.status();
  Report report;
  report.facts = {{"book", args.book.path}};
  if (op != MoneyOp::kCheck) report.facts.push_back({"op", op_id});
  report.facts.push_back({"actor", args.actor});
  report.facts.push_back(
      {"envelope",
       lg::ScopeRef{period, lg::ScopeKind::kCustomer, args.customer, args.category}.ToString()});
  report.facts.push_back({"amount", amount.ToDecimalString()});
  if (op == MoneyOp::kCheck) {
    report.facts.push_back({"dry run", args.as_spend ? "as a spend; nothing changed"
                                                     : "as a reservation; nothing "
                                                       "changed"});
  } else {
    report.facts.push_back({"replayed", result->replayed ? "yes: this op was applied before; "
                                                           "its first result"
                                                         : "no"});
  }
  AddDecision(result->decision, book.currency(), report);
  if (result->decision.outcome == lg::Outcome::kNeedsApproval && op != MoneyOp::kCheck) {
    report.facts.push_back({"next", absl::StrCat("waiting for approval: upkeep approve --approval ",
                                                 op_id, " --actor <approver>")});
  }
  Table& balances = report.tables.emplace_back(
      BalanceTable(op == MoneyOp::kCheck ? "Envelope now" : "Envelope after"));
  UPKEEP_RETURN_IF_ERROR(AddBalance(
      ledger, {period, lg::ScopeKind::kCustomer, args.customer, args.category}, balances));
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return DecisionExit(result->decision);
}

absl::StatusOr<int> RunPost(const OpArguments& args, bool is_void) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenAt(args));
  lg::Ledger& ledger = book.ledger();
  if (is_void) {
    UPKEEP_RETURN_IF_ERROR(ledger.Void({.op_id = args.op_id,
                                        .actor = args.actor,
                                        .reservation_id = args.target,
                                        .reason = args.reason}));
  } else {
    UPKEEP_ASSIGN_OR_RETURN(const std::optional<Money> amount,
                            OptionalAmount(args.amount, "--amount", book.currency()));
    UPKEEP_RETURN_IF_ERROR(ledger.Post({.op_id = args.op_id,
                                        .actor = args.actor,
                                        .reservation_id = args.target,
                                        .amount = amount,
                                        .reason = args.reason}));
  }
  Report report;
  report.facts = {{"book", args.book.path}, {"op", args.op_id}, {"actor", args.actor}};
  UPKEEP_RETURN_IF_ERROR(AddReservation(ledger, args.target, report));
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> RunRefund(const OpArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenAt(args));
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<Money> amount,
                          OptionalAmount(args.amount, "--amount", book.currency()));
  std::optional<bool> return_to_budget;
  if (args.keep_budget) return_to_budget = false;
  UPKEEP_RETURN_IF_ERROR(book.ledger().Refund({.op_id = args.op_id,
                                               .actor = args.actor,
                                               .target_id = args.target,
                                               .amount = amount,
                                               .return_to_budget = return_to_budget,
                                               .reason = args.reason}));
  Report report;
  report.facts = {{"book", args.book.path},
                  {"op", args.op_id},
                  {"actor", args.actor},
                  {"refunded", args.target},
                  {"amount", amount ? amount->ToDecimalString() : "all that was not refunded"},
                  {"budget", args.keep_budget ? "not restored (--keep-budget)"
                                              : "restored by the book's refund policy"}};
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> RunTransfer(const OpArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const lg::ScopeRef from, ParseScope(args.from, "--from"));
  UPKEEP_ASSIGN_OR_RETURN(const lg::ScopeRef to, ParseScope(args.to, "--to"));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenAt(args));
  UPKEEP_ASSIGN_OR_RETURN(const Money amount,
                          ParseAmount(args.amount, "--amount", book.currency()));
  lg::Ledger& ledger = book.ledger();
  UPKEEP_RETURN_IF_ERROR(ledger.Transfer({.op_id = args.op_id,
                                          .actor = args.actor,
                                          .from = from,
                                          .to = to,
                                          .amount = amount,
                                          .reason = args.reason}));
  Report report;
  report.facts = {{"book", args.book.path},
                  {"op", args.op_id},
                  {"actor", args.actor},
                  {"amount", amount.ToDecimalString()},
                  {"reason", args.reason}};
  Table& table = report.tables.emplace_back(BalanceTable("Balances after"));
  UPKEEP_RETURN_IF_ERROR(AddBalance(ledger, from, table));
  UPKEEP_RETURN_IF_ERROR(AddBalance(ledger, to, table));
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> RunApproval(const OpArguments& args, bool approve) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenAt(args));
  lg::Ledger& ledger = book.ledger();
  const lg::ApprovalRequest request{
      .actor = args.actor, .approval_id = args.target, .reason = args.reason};
  Report report;
  report.facts = {{"book", args.book.path}, {"approval", args.target}, {"approver", args.actor}};
  int exit_code = kExitOk;
  if (approve) {
    UPKEEP_ASSIGN_OR_RETURN(const lg::Decision decision, ledger.Approve(request));
    AddDecision(decision, book.currency(), report);
    exit_code = DecisionExit(decision);
  } else {
    UPKEEP_RETURN_IF_ERROR(ledger.RejectApproval(request));
    report.facts.push_back({"outcome", "rejected by the approver; the request changes nothing"});
  }
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return exit_code;
}

absl::StatusOr<int> ListApprovals(const OpArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  const Currency currency = book.currency();
  Report report;
  report.facts = {{"book", args.book.path}};
  Table& table = report.tables.emplace_back(
      Table{"approvals",
            "Waiting for approval",
            {{"approval"}, {"requester"}, {"envelope"}, {"kind"}, {"amount", Column::kMoney}}});
  for (const lg::PendingApproval& pending : book.ledger().PendingApprovals()) {
    table.rows.push_back({pending.approval_id, pending.requester, pending.envelope.ToString(),
                          pending.is_spend ? "spend" : "reserve",
                          AmountText(pending.amount_minor, currency)});
  }
  report.facts.push_back({"waiting", absl::StrCat(table.rows.size())});
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Print(report, args.format, stdout);
  return kExitOk;
}

// The options every operation has.
CLI::App* AddOp(CLI::App& app, const char* name, const char* description, const char* example,
                OpArguments& args, bool op_id_required) {
  CLI::App* command = app.add_subcommand(name, description);
  AddBookOption(*command, args.book);
  command->add_option("--actor", args.actor, "who acts (an actor of the book)")
      ->capture_default_str();
  if (op_id_required) {
    command->add_option("--op", args.op_id, "the operation id: applied at most once")->required();
  }
  command->add_option("--date", args.date, "when it happens (YYYY-MM-DD, UTC; default now)");
  command->add_option("--reason", args.reason, "why, in words (journaled)");
  AddFormatOption(*command, args.format);
  command->footer(std::string("Example:\n  ") + example);
  return command;
}

void AddRequestOptions(CLI::App& command, OpArguments& args) {
  command.add_option("--customer", args.customer, "the customer")->required();
  command.add_option("--category", args.category, "the fee category")->required();
  command.add_option("--amount", args.amount, "the amount (decimal, the book's currency)")
      ->required();
  command.add_option("--period", args.period,
                     "the budget period (default: the book's period holding --date or today)");
}

}  // namespace

void AddLedgerCommands(CLI::App& app, int* exit_code) {
  auto reserve_args = std::make_shared<OpArguments>();
  CLI::App* reserve =
      AddOp(app, "reserve",
            "hold money for a customer's envelope (预占) through the control policies; prints the "
            "decision and its reasons (exit 4 when rejected)",
            "upkeep reserve --op R-17 --actor am-01 --customer C00001 --category gift --amount 800 "
            "--date 2026-03-02",
            *reserve_args, true);
  AddRequestOptions(*reserve, *reserve_args);
  reserve->add_option("--expires", reserve_args->expires,
                      "release it unless posted by then (YYYY-MM-DD)");
  OnRun(*reserve, exit_code,
        [reserve_args] { return RunMoneyOp(*reserve_args, MoneyOp::kReserve); });

  auto spend_args = std::make_shared<OpArguments>();
  CLI::App* spend = AddOp(
      app, "spend",
      "record money spent from a customer's envelope, through the control policies; prints the "
      "decision and its reasons (exit 4 when rejected)",
      "upkeep spend --op S-88 --actor am-01 --customer C00001 --category visit --amount 120.50",
      *spend_args, true);
  AddRequestOptions(*spend, *spend_args);
  OnRun(*spend, exit_code, [spend_args] { return RunMoneyOp(*spend_args, MoneyOp::kSpend); });

  auto check_args = std::make_shared<OpArguments>();
  CLI::App* check = AddOp(
      app, "check",
      "dry run: the decision a reservation (or with --spend, a spend) would get now, with its "
      "reasons; changes nothing (exit 4 when it would be rejected)",
      "upkeep check --customer C00001 --category gift --amount 5000 --actor am-01", *check_args,
      false);
  AddRequestOptions(*check, *check_args);
  check->add_flag("--spend", check_args->as_spend, "check a spend rather than a reservation");
  OnRun(*check, exit_code, [check_args] { return RunMoneyOp(*check_args, MoneyOp::kCheck); });

  auto post_args = std::make_shared<OpArguments>();
  CLI::App* post =
      AddOp(app, "post", "spend a reservation, fully or in part (--amount; the rest is released)",
            "upkeep post --op R-17-post --reservation R-17 --amount 640.00", *post_args, true);
  post->add_option("--reservation", post_args->target, "the reservation's op id")->required();
  post->add_option("--amount", post_args->amount, "how much was spent (default: all of it)");
  OnRun(*post, exit_code, [post_args] { return RunPost(*post_args, false); });

  auto void_args = std::make_shared<OpArguments>();
  CLI::App* void_command =
      AddOp(app, "void", "release a reservation unspent",
            "upkeep void --op R-17-void --reservation R-17 --reason \"visit cancelled\"",
            *void_args, true);
  void_command->add_option("--reservation", void_args->target, "the reservation's op id")
      ->required();
  OnRun(*void_command, exit_code, [void_args] { return RunPost(*void_args, true); });

  auto refund_args = std::make_shared<OpArguments>();
  CLI::App* refund = AddOp(
      app, "refund",
      "give back money spent (a spend or a posted reservation), fully or in part; the budget is "
      "restored unless --keep-budget",
      "upkeep refund --op F-1 --target S-88 --amount 20.50 --reason \"returned gift\"",
      *refund_args, true);
  refund->add_option("--target", refund_args->target, "the spend's or reservation's op id")
      ->required();
  refund->add_option("--amount", refund_args->amount,
                     "how much (default: all that is not refunded yet)");
  refund->add_flag("--keep-budget", refund_args->keep_budget,
                   "the money does not go back to the budget");
  OnRun(*refund, exit_code, [refund_args] { return RunRefund(*refund_args); });

  auto transfer_args = std::make_shared<OpArguments>();
  CLI::App* transfer =
      AddOp(app, "transfer", "move budget between two scopes, with a reason (finance)",
            "upkeep transfer --op T-3 --actor finance --from FY2026/customer:C00002/gift "
            "--to FY2026/customer:C00001/gift --amount 500 --reason \"trade fair\"",
            *transfer_args, true);
  transfer->add_option("--from", transfer_args->from, "PERIOD/KIND:KEY/CATEGORY")->required();
  transfer->add_option("--to", transfer_args->to, "PERIOD/KIND:KEY/CATEGORY")->required();
  transfer->add_option("--amount", transfer_args->amount, "how much")->required();
  transfer->get_option("--reason")->required();
  OnRun(*transfer, exit_code, [transfer_args] { return RunTransfer(*transfer_args); });

  auto approve_args = std::make_shared<OpArguments>();
  CLI::App* approve =
      AddOp(app, "approve",
            "approve a request that waits for approval (never the requester's own); it is decided "
            "again with approval granted",
            "upkeep approve --approval R-17 --actor manager --reason \"key account\"",
            *approve_args, false);
  approve->add_option("--approval", approve_args->target, "the request's op id")->required();
  OnRun(*approve, exit_code, [approve_args] { return RunApproval(*approve_args, true); });

  auto reject_args = std::make_shared<OpArguments>();
  CLI::App* reject = AddOp(app, "reject", "reject a request that waits for approval",
                           "upkeep reject --approval R-17 --actor manager --reason \"too much\"",
                           *reject_args, false);
  reject->add_option("--approval", reject_args->target, "the request's op id")->required();
  OnRun(*reject, exit_code, [reject_args] { return RunApproval(*reject_args, false); });

  auto list_args = std::make_shared<OpArguments>();
  CLI::App* approvals =
      app.add_subcommand("approvals", "the requests that wait for approval in a book");
  AddBookOption(*approvals, list_args->book);
  AddFormatOption(*approvals, list_args->format);
  approvals->footer("Example:\n  upkeep approvals --book upkeep.db --format csv");
  OnRun(*approvals, exit_code, [list_args] { return ListApprovals(*list_args); });
}

}  // namespace upkeep::cli
