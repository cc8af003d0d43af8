// `upkeep effectiveness` and `upkeep propose`: what the money spent brought back, and the
// feedback policy's proposal for the next period: shown beside the current allocation,
// approved or rejected by finance, and applied as the next period's budgets (及时反馈).
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_allocation.h"
#include "book_directory.h"
#include "book_metrics.h"
#include "book_settings.h"
#include "book_view.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "feedback_reports.h"
#include "output.h"
#include "reports.h"
#include "upkeep/next_plan.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace mon = ::upkeep::monitor;

struct EffectivenessArguments {
  ViewArguments view;
  std::string by = "tier";
};

// The facts and the table of `upkeep effectiveness` (and `report effectiveness`).
absl::StatusOr<int> RunEffectiveness(const EffectivenessArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const mon::Dimension by, ParseDimension(args.by));
  UPKEEP_ASSIGN_OR_RETURN(const BookView view, OpenView(args.view));
  UPKEEP_ASSIGN_OR_RETURN(const mon::EffectivenessReport report,
                          BookEffectiveness(view, view.period.id, by));
  const Currency currency = view.book.currency();
  Report out;
  out.facts = {{"book", args.view.book.path},
               {"period", report.period},
               {"customers", absl::StrCat(report.total.customers)},
               {"spent", AmountText(report.total.spent_minor, currency)},
               {"revenue change", AmountText(report.total.revenue_change_minor, currency)},
               {"best return per unit of spend", absl::StrJoin(report.ranking, ", ")}};
  out.tables.push_back(EffectivenessTable(report, currency));
  Print(out, args.view.format, stdout);
  return kExitOk;
}

struct ProposeArguments {
  ViewArguments view;
  std::string metrics;
  std::string next_metrics;
  std::string next;
  std::string actor = kBookAdmin;
  bool approve = false;
  bool reject = false;
  bool apply = false;
  size_t top = 20;
};

// The plan in force for the proposal's period and the next one it proposes.
struct ProposalPlans {
  LoadedPlan current;
  Portfolio next_portfolio;
  PlanOptions options;
};

absl::StatusOr<ProposalPlans> PlansFor(BookView& view, const KeptProposal& kept) {
  ProposalPlans plans;
  UPKEEP_ASSIGN_OR_RETURN(plans.current, PlanFromBook(view.book, view.directory, view.policy,
                                                      kept.metrics, std::nullopt));
  MetricTable metrics;
  if (!kept.next_metrics.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(const std::string text, MetricsText(view.book, kept.next_metrics));
    if (text.empty()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat(view.book.path(), ": no metrics for period ", kept.next_metrics,
                                    " (upkeep import metrics)"));
    }
    UPKEEP_ASSIGN_OR_RETURN(metrics, ParseMetricTable(text));
  }
  UPKEEP_ASSIGN_OR_RETURN(plans.next_portfolio,
                          BookPortfolio(view.directory, metrics, view.book.currency()));
  // Without a sizing section the next period gets the current pool.
  if (view.policy->sizing() == nullptr) plans.options.pool = plans.current.plan.sizing.pool;
  return plans;
}

Report ProposalFacts(const ProposeArguments& args, const KeptProposal& kept) {
  const mon::Proposal& p = kept.proposal;
  Report report;
  report.facts = {{"book", args.view.book.path},
                  {"period assessed", p.period},
                  {"policy", p.policy},
                  {"state", std::string(mon::ProposalStateName(p.state))},
                  {"max change", absl::StrCat(PercentOfBasisPoints(p.max_change_bp), " %")},
                  {"customers changed", absl::StrCat(p.changes.size())},
                  {"tier moves", absl::StrCat(TierMoves(p))}};
  if (!p.decided_by.empty()) report.facts.push_back({"decided by", p.decided_by});
  if (!kept.applied_to.empty()) report.facts.push_back({"applied to", kept.applied_to});
  report.tables.push_back(ProposalTable(p, args.top));
  return report;
}

// Draft (or show) the proposal and its simulation.
absl::StatusOr<int> Draft(const ProposeArguments& args, BookView& view,
                          std::optional<KeptProposal> kept) {
  const std::string& period = view.period.id;
  if (!kept.has_value() || kept->proposal.state == mon::ProposalState::kDraft) {
    UPKEEP_ASSIGN_OR_RETURN(mon::Proposal proposal, BookProposal(view, period));
    // Drafting again keeps the draft's metrics unless others are given.
    std::string metrics = args.metrics;
    std::string next_metrics = args.next_metrics;
    if (metrics.empty() && kept.has_value()) metrics = kept->metrics;
    if (next_metrics.empty() && kept.has_value() && args.metrics.empty()) {
      next_metrics = kept->next_metrics;
    }
    if (next_metrics.empty()) next_metrics = metrics;
    kept = KeptProposal{std::move(proposal), std::move(metrics), std::move(next_metrics), ""};
  }
  Report report = ProposalFacts(args, *kept);
  if (kept->proposal.state == mon::ProposalState::kDraft ||
      kept->proposal.state == mon::ProposalState::kApproved) {
    UPKEEP_ASSIGN_OR_RETURN(const ProposalPlans plans, PlansFor(view, *kept));
    UPKEEP_ASSIGN_OR_RETURN(
        const ProposalSimulation simulation,
        SimulateProposal(*view.policy, {plans.current.portfolio, plans.current.plan},
                         plans.next_portfolio, kept->proposal, plans.options));
    const Currency currency = view.book.currency();
    report.facts.push_back(
        {"allocated now", AmountText(AllocatedMinor(plans.current.plan.allocation), currency)});
    report.facts.push_back(
        {"allocated next", AmountText(AllocatedMinor(simulation.next.allocation), currency)});
    report.tables.push_back(SimulationTable(simulation, currency, args.top));
  }
  if (kept->proposal.state == mon::ProposalState::kDraft) {
    UPKEEP_RETURN_IF_ERROR(RecordProposal(view.book, *kept));
  }
  UPKEEP_RETURN_IF_ERROR(view.book.Close());
  Print(report, args.view.format, stdout);
  return kExitOk;
}

// Approve, reject or apply the kept proposal.
absl::StatusOr<int> Decide(const ProposeArguments& args, BookView& view,
                           std::optional<KeptProposal> kept) {
  const std::string& period = view.period.id;
  if (!kept.has_value()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(args.view.book.path, ": no proposal for ", period,
                                  " (upkeep propose --period ", period, " drafts one)"));
  }
  // Finance decides how the money moves: the same right as setting budgets.
  const auto actor = view.directory.actors.find(args.actor);
  if (actor == view.directory.actors.end() ||
      (actor->second != ledger::Role::kFinance && actor->second != ledger::Role::kAdmin)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     absl::StrCat(args.actor,
                                  " may not decide a feedback proposal: finance or an admin of "
                                  "the book does"));
  }
  mon::Proposal& proposal = kept->proposal;
  if (args.approve) UPKEEP_RETURN_IF_ERROR(mon::Approve(proposal, args.actor));
  if (args.reject) UPKEEP_RETURN_IF_ERROR(mon::Reject(proposal, args.actor));
  if (args.apply) {
    if (proposal.state != mon::ProposalState::kApproved) {
      return MakeError(ErrorCode::kInvalidState,
                       absl::StrCat("the proposal for ", period, " is ",
                                    std::string(mon::ProposalStateName(proposal.state)),
                                    ", not approved (upkeep propose --approve)"));
    }
    std::string next = args.next;
    if (next.empty()) {
      UPKEEP_ASSIGN_OR_RETURN(next, CalendarNext(view.book, period, "--next"));
    }
    UPKEEP_ASSIGN_OR_RETURN(ProposalPlans plans, PlansFor(view, *kept));
    UPKEEP_ASSIGN_OR_RETURN(
        PeriodPlan plan,
        PlanFromProposal(*view.policy, {plans.current.portfolio, plans.current.plan},
                         plans.next_portfolio, proposal, plans.options));
    const LoadedPlan loaded{view.policy, std::move(plans.next_portfolio), std::move(plan)};
    UPKEEP_RETURN_IF_ERROR(ApplyPlan(view.book, view.directory, loaded, next, args.actor));
    UPKEEP_RETURN_IF_ERROR(mon::MarkApplied(proposal));
    kept->applied_to = next;
  }
  UPKEEP_RETURN_IF_ERROR(RecordProposal(view.book, *kept));
  UPKEEP_RETURN_IF_ERROR(view.book.Close());
  Print(ProposalFacts(args, *kept), args.view.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> Propose(const ProposeArguments& args) {
  if (static_cast<int>(args.approve) + static_cast<int>(args.reject) +
          static_cast<int>(args.apply) >
      1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "give one of --approve, --reject and --apply at a time");
  }
  UPKEEP_ASSIGN_OR_RETURN(BookView view, OpenView(args.view));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<KeptProposal> kept,
                          ProposalKept(view.book, view.period.id));
  if (args.approve || args.reject || args.apply) return Decide(args, view, std::move(kept));
  return Draft(args, view, std::move(kept));
}

}  // namespace

void AddEffectivenessCommand(CLI::App& parent, int* exit_code) {
  auto args = std::make_shared<EffectivenessArguments>();
  CLI::App* effectiveness = parent.add_subcommand(
      "effectiveness",
      "is the money working? per group: spent, revenue change, return and ROI on spend, cost to "
      "serve, retention, satisfaction, NPS, complaints and the internal rating, from the "
      "feedback the book keeps (upkeep import feedback)");
  AddViewOptions(*effectiveness, args->view);
  effectiveness->add_option("--by", args->by, "tier, customer, owner, region, category or company")
      ->check(CLI::IsMember({"company", "tier", "customer", "owner", "region", "category"}))
      ->capture_default_str();
  effectiveness->footer(
      "Examples:\n"
      "  upkeep effectiveness --book upkeep.db --period FY2026\n"
      "  upkeep report effectiveness --book upkeep.db --period FY2026 --by category --format csv");
  OnRun(*effectiveness, exit_code, [args] { return RunEffectiveness(*args); });
}

void AddProposeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ProposeArguments>();
  CLI::App* propose = app.add_subcommand(
      "propose",
      "the policy's feedback proposal for the period after --period: tier moves and weight "
      "multipliers with their reasons, and the next allocation beside the current one; "
      "--approve or --reject it, then --apply it as the next period's budgets");
  AddViewOptions(*propose, args->view);
  propose->add_option("--metrics", args->metrics,
                      "the metrics period the current plan was allocated from (as allocate "
                      "--metrics; default: the kept draft's, else none)");
  propose->add_option("--next-metrics", args->next_metrics,
                      "the metrics period the next plan is allocated from (default: the kept "
                      "draft's, else --metrics)");
  propose->add_flag("--approve", args->approve, "approve the drafted proposal (as --actor)");
  propose->add_flag("--reject", args->reject, "reject the drafted proposal (as --actor)");
  propose->add_flag("--apply", args->apply,
                    "apply the approved proposal: its plan becomes the budgets of --next");
  propose->add_option("--next", args->next,
                      "--apply: the period to budget (default: the next of the calendar)");
  propose->add_option("--actor", args->actor, "who approves, rejects or applies (finance)")
      ->capture_default_str();
  propose->add_option("--top", args->top, "list at most N customers (0: all)")
      ->capture_default_str();
  propose->footer(
      "Examples:\n"
      "  upkeep propose --book upkeep.db --period FY2026 --metrics FY2025 --next-metrics FY2026\n"
      "  upkeep propose --book upkeep.db --period FY2026 --reject       (as admin)\n"
      "  upkeep propose --book upkeep-demo.db --period FY2026           (the demo's draft)\n"
      "  upkeep propose --book upkeep-demo.db --period FY2026 --approve --actor finance\n"
      "  upkeep propose --book upkeep-demo.db --period FY2026 --apply --actor finance");
  OnRun(*propose, exit_code, [args] { return Propose(*args); });
}

}  // namespace upkeep::cli
