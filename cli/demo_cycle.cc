#include "demo_cycle.h"

#include <memory>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "upkeep/split.h"
#include "upkeep/status.h"
#include "upkeep/store.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

// How each customer's envelope is split over the fee categories, in percent.
struct CategoryShare {
  std::string_view category;
  std::string_view share_pct;
};
constexpr std::array<CategoryShare, 6> kCategoryShares = {{{"visit", "20"},
                                                           {"gift", "20"},
                                                           {"entertainment", "15"},
                                                           {"training", "10"},
                                                           {"support", "15"},
                                                           {"event", "20"}}};
constexpr const char* kAdmin = "admin";
constexpr const char* kFinance = "finance";
constexpr const char* kManager = "manager";

int64_t DayMicros(int year, int month, int day) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone()));
}

absl::Status DefineBook(lg::Ledger& ledger, const DemoInputs& inputs,
                        const Classification& classification) {
  UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kAdmin, {kFinance, lg::Role::kFinance}));
  UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kAdmin, {kManager, lg::Role::kManager}));
  std::set<std::string> owners;
  for (size_t i = 0; i < inputs.portfolio.size(); ++i) {
    owners.insert(inputs.portfolio.customer(i).owner);
  }
  owners.erase("");
  for (const std::string& owner : owners) {
    UPKEEP_RETURN_IF_ERROR(ledger.DefineActor(kAdmin, {owner, lg::Role::kAccountManager}));
  }
  for (const CategoryShare& share : kCategoryShares) {
    UPKEEP_RETURN_IF_ERROR(ledger.DefineCategory(kAdmin, share.category));
  }
  for (const std::string& tier : classification.tier_names) {
    UPKEEP_RETURN_IF_ERROR(ledger.DefineTier(kAdmin, tier));
  }
  for (size_t i = 0; i < inputs.portfolio.size(); ++i) {
    const Customer& customer = inputs.portfolio.customer(i);
    UPKEEP_RETURN_IF_ERROR(ledger.DefineCustomer(
        kAdmin, {customer.id, classification.tier_names[classification.tier[i]], customer.owner,
                 customer.region}));
  }
  UPKEEP_RETURN_IF_ERROR(
      ledger.DefinePeriod(kAdmin, {kDemoPeriod, DayMicros(2026, 1, 1), DayMicros(2027, 1, 1)}));
  return ledger.SetPolicies(kAdmin, inputs.control);
}

// Every customer's envelope split exactly over the categories, one allocation per category.
absl::Status Budget(lg::Ledger& ledger, const Portfolio& portfolio, const Allocation& allocation) {
  std::vector<std::string_view> ratios;
  std::vector<uint64_t> tie_keys;
  for (const CategoryShare& share : kCategoryShares) {
    ratios.push_back(share.share_pct);
    tie_keys.push_back(tie_keys.size());
  }
  std::vector<std::vector<lg::EnvelopeBudget>> envelopes(kCategoryShares.size());
  std::vector<int64_t> parts_minor;
  for (size_t i = 0; i < allocation.size(); ++i) {
    UPKEEP_RETURN_IF_ERROR(
        SplitByDecimalRatios(allocation.amount_minor[i], ratios, tie_keys, parts_minor));
    for (size_t k = 0; k < kCategoryShares.size(); ++k) {
      envelopes[k].push_back({portfolio.customer(i).id, "", parts_minor[k]});
    }
  }
  for (size_t k = 0; k < kCategoryShares.size(); ++k) {
    const std::string op_id = absl::StrCat("budget-", std::string(kCategoryShares[k].category));
    UPKEEP_RETURN_IF_ERROR(ledger.ApplyAllocation({.op_id = op_id,
                                                   .actor = kFinance,
                                                   .period = kDemoPeriod,
                                                   .category = kCategoryShares[k].category,
                                                   .envelopes = std::move(envelopes[k]),
                                                   .reason = "the period's allocation"}));
  }
  return absl::OkStatus();
}

// Posts an open reservation for what was actually spent.
absl::Status PostIfOpen(lg::Ledger& ledger, const io::SpendRow& row, const std::string& actor,
                        MonthCounts& month) {
  UPKEEP_ASSIGN_OR_RETURN(lg::ReservationInfo reservation, ledger.GetReservation(row.request_id));
  if (reservation.status != lg::ReservationStatus::kOpen) return absl::OkStatus();
  const std::string op_id = absl::StrCat(row.request_id, "-post");
  UPKEEP_RETURN_IF_ERROR(
      ledger.Post({.op_id = op_id,
                   .actor = actor,
                   .reservation_id = row.request_id,
                   .amount = Money::FromMinor(row.actual_minor, ledger.currency())}));
  month.spent_minor += row.actual_minor;
  return absl::OkStatus();
}

absl::Status RunRequest(lg::Ledger& ledger, const io::SpendRow& row, const std::string& actor,
                        MonthCounts& month) {
  const lg::Request request{.op_id = row.request_id,
                            .actor = actor,
                            .period = kDemoPeriod,
                            .customer = row.customer_id,
                            .category = row.category,
                            .amount = Money::FromMinor(row.amount_minor, ledger.currency())};
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
  if (row.is_reserve) return PostIfOpen(ledger, row, actor, month);
  month.spent_minor += row.amount_minor;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DemoResult> RunDemoCycle(const DemoInputs& inputs, const std::string& book_uri) {
  DemoResult result;
  UPKEEP_ASSIGN_OR_RETURN(result.plan, PlanPeriod(*inputs.policy, inputs.portfolio));

  auto now_micros = std::make_shared<int64_t>(DayMicros(2026, 1, 1));
  store::BookOptions options;
  options.store.durability = store::Durability::kGroupCommit;
  options.ledger.currency = inputs.policy->currency();
  options.ledger.bootstrap_admin = kAdmin;
  options.ledger.clock_micros = [now_micros] { return *now_micros; };
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Book> book,
                          store::Book::Open(book_uri, std::move(options)));
  lg::Ledger& ledger = book->ledger();
  UPKEEP_RETURN_IF_ERROR(DefineBook(ledger, inputs, result.plan.classification));
  UPKEEP_RETURN_IF_ERROR(Budget(ledger, inputs.portfolio, result.plan.allocation));
  UPKEEP_RETURN_IF_ERROR(book->Commit());

  int month_open = 1;
  for (const io::SpendRow& row : inputs.requests) {
    const std::optional<size_t> customer = inputs.portfolio.Find(row.customer_id);
    if (!customer) {
      return MakeError(ErrorCode::kNotFound, absl::StrCat("request ", row.request_id,
                                                          ": unknown customer ", row.customer_id));
    }
    if (row.month != month_open) {
      UPKEEP_RETURN_IF_ERROR(book->Commit());
      month_open = row.month;
    }
    *now_micros = row.time_micros;
    const std::string& owner = inputs.portfolio.customer(*customer).owner;
    UPKEEP_RETURN_IF_ERROR(RunRequest(ledger, row, owner.empty() ? std::string(kManager) : owner,
                                      result.months[static_cast<size_t>(row.month - 1)]));
  }
  UPKEEP_RETURN_IF_ERROR(book->Commit());
  UPKEEP_RETURN_IF_ERROR(book->Verify());
  result.scopes = ledger.Scopes();
  result.journal_entries = book->store().size();
  UPKEEP_RETURN_IF_ERROR(book->Close());
  return result;
}

}  // namespace upkeep::cli
