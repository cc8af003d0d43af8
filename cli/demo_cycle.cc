#include "demo_cycle.h"

#include <memory>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "book_allocation.h"
#include "book_directory.h"
#include "book_settings.h"
#include "categories.h"
#include "spend_request.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

constexpr const char* kFinance = "finance";
constexpr const char* kManager = "manager";

int64_t DayMicros(int year, int month, int day) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone()));
}

absl::Status DefineBook(OpenedBook& book, const DemoInputs& inputs,
                        const Classification& classification) {
  lg::Ledger& ledger = book.ledger();
  UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kBookAdmin, {kFinance, lg::Role::kFinance}));
  UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kBookAdmin, {kManager, lg::Role::kManager}));
  std::set<std::string> owners;
  for (size_t i = 0; i < inputs.portfolio.size(); ++i) {
    owners.insert(inputs.portfolio.customer(i).owner);
  }
  owners.erase("");
  for (const std::string& owner : owners) {
    UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kBookAdmin, {owner, lg::Role::kAccountManager}));
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<CategoryShare> shares,
                          ParseCategoryShares(kDefaultCategoryShares));
  UPKEEP_RETURN_IF_ERROR(RecordCategories(book, shares, kBookAdmin));
  UPKEEP_RETURN_IF_ERROR(
      RecordPolicy(book, *inputs.policy, inputs.policy_text, kBookAdmin).status());
  for (size_t i = 0; i < inputs.portfolio.size(); ++i) {
    const Customer& customer = inputs.portfolio.customer(i);
    UPKEEP_RETURN_IF_ERROR(ledger.DefineCustomer(
        kBookAdmin, {customer.id, classification.tier_names[classification.tier[i]], customer.owner,
                     customer.region}));
  }
  return absl::OkStatus();
}

absl::Status RunRequest(lg::Ledger& ledger, const io::SpendRow& row, const std::string& actor,
                        MonthCounts& month) {
  lg::Request request;
  FillRequest(row, kDemoPeriod, actor, ledger.currency(), request);
  UPKEEP_ASSIGN_OR_RETURN(lg::Result result,
                          row.is_reserve ? ledger.Reserve(request) : ledger.Spend(request));
  ++month.requests;
  ++month.by_outcome[static_cast<size_t>(result.decision.outcome)];
  lg::Outcome outcome = result.decision.outcome;
  if (outcome == lg::Outcome::kNeedsApproval) {
    const lg::ApprovalRequest approval{
        .actor = kManager, .approval_id = row.request_id, .reason = "within the manager's limit"};
    if (row.amount_minor <= kManagerApprovalLimitMinor) {
      UPKEEP_ASSIGN_OR_RETURN(lg::Decision decision, ledger.Approve(approval));
      outcome = decision.outcome;
      ++(outcome == lg::Outcome::kReject ? month.rejected_by_manager : month.approved_by_manager);
    } else {
      UPKEEP_RETURN_IF_ERROR(ledger.RejectApproval({.actor = kManager,
                                                    .approval_id = row.request_id,
                                                    .reason = "above the manager's limit"}));
      ++month.rejected_by_manager;
      outcome = lg::Outcome::kReject;
    }
  }
  if (outcome == lg::Outcome::kReject) return absl::OkStatus();
  if (row.is_reserve) {
    UPKEEP_ASSIGN_OR_RETURN(const int64_t posted_minor, PostIfOpen(ledger, row, actor));
    month.spent_minor += posted_minor;
    return absl::OkStatus();
  }
  month.spent_minor += row.amount_minor;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DemoResult> RunDemoCycle(const DemoInputs& inputs, OpenedBook& book) {
  DemoResult result;
  UPKEEP_ASSIGN_OR_RETURN(result.plan, PlanPeriod(*inputs.policy, inputs.portfolio));
  book.SetTime(DayMicros(2026, 1, 1));
  lg::Ledger& ledger = book.ledger();
  UPKEEP_RETURN_IF_ERROR(DefineBook(book, inputs, result.plan.classification));
  BookDirectory directory;  // a new book: the period is defined by ApplyPlan
  UPKEEP_RETURN_IF_ERROR(ApplyPlan(book, directory, {inputs.policy, inputs.portfolio, result.plan},
                                   kDemoPeriod, kFinance));
  UPKEEP_RETURN_IF_ERROR(book.book().Commit());

  int month_open = 1;
  for (const io::SpendRow& row : inputs.requests) {
    const std::optional<size_t> customer = inputs.portfolio.Find(row.customer_id);
    if (!customer) {
      return MakeError(ErrorCode::kNotFound, absl::StrCat("request ", row.request_id,
                                                          ": unknown customer ", row.customer_id));
    }
    if (row.month != month_open) {
      UPKEEP_RETURN_IF_ERROR(book.book().Commit());
      month_open = row.month;
    }
    book.SetTime(row.time_micros);
    const std::string& owner = inputs.portfolio.customer(*customer).owner;
    UPKEEP_RETURN_IF_ERROR(RunRequest(ledger, row, owner.empty() ? std::string(kManager) : owner,
                                      result.months[static_cast<size_t>(row.month - 1)]));
  }
  UPKEEP_RETURN_IF_ERROR(book.book().Commit());
  UPKEEP_RETURN_IF_ERROR(book.book().Verify());
  result.scopes = ledger.Scopes();
  result.journal_entries = book.store().size();
  return result;
}

}  // namespace upkeep::cli
