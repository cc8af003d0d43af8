#include "book_allocation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "book_metrics.h"
#include "book_settings.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

// The tiers the book gave its customers, as a classification of `portfolio`.
absl::StatusOr<Classification> BookTiers(const Portfolio& portfolio, const BookDirectory& directory,
                                         const PolicySet& policy) {
  Classification classification;
  classification.classifier = "book";
  classification.rule = "the tiers the customers were defined with in the book";
  classification.tier_names = policy.tier_names();
  classification.tier_rules.assign(classification.tier_names.size(), "defined in the book");
  for (size_t i = 0; i < portfolio.size(); ++i) {
    const lg::CustomerInfo* customer = directory.FindCustomer(portfolio.customer(i).id);
    size_t t = 0;
    while (t < classification.tier_names.size() &&
           (customer == nullptr || classification.tier_names[t] != customer->tier)) {
      ++t;
    }
    if (t == classification.tier_names.size()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat("customer ", portfolio.customer(i).id, " is in tier ",
                                    customer == nullptr ? "?" : customer->tier,
                                    ", which the book's policy does not name"));
    }
    const auto tier = static_cast<TierIndex>(t);
    classification.tier.push_back(tier);
    classification.rule_tier.push_back(tier);
    classification.score.push_back(0.0);
    classification.reason.push_back(TierReason::kRule);
    classification.periods_below.push_back(0);
  }
  return classification;
}

}  // namespace

absl::StatusOr<LoadedPlan> PlanFromBook(OpenedBook& book, const BookDirectory& directory,
                                        std::shared_ptr<const PolicySet> policy,
                                        std::string_view metrics_period,
                                        std::optional<Money> pool) {
  MetricTable metrics;
  if (!metrics_period.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(const std::string text, MetricsText(book, metrics_period));
    if (text.empty()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat(book.path(), ": no metrics for period ", AsAbsl(metrics_period),
                                    " (upkeep import metrics)"));
    }
    UPKEEP_ASSIGN_OR_RETURN(metrics, ParseMetricTable(text));
  }
  LoadedPlan loaded;
  UPKEEP_ASSIGN_OR_RETURN(loaded.portfolio, BookPortfolio(directory, metrics, book.currency()));
  if (loaded.portfolio.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     book.path() + ": the book has no customers (upkeep import customers)");
  }
  PeriodPlan& plan = loaded.plan;
  UPKEEP_ASSIGN_OR_RETURN(plan.classification, BookTiers(loaded.portfolio, directory, *policy));
  if (pool.has_value()) {
    plan.sizing.pool = *pool;
    plan.sizing.formula = "pool = " + pool->ToDecimalString() + " (--pool)";
    plan.sizing.terms.push_back({"given", "--pool", pool->amount_minor()});
  } else if (policy->sizing() != nullptr) {
    UPKEEP_ASSIGN_OR_RETURN(plan.sizing,
                            policy->sizing()->Size(loaded.portfolio, plan.classification));
  } else {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the book's policy has no sizing section: give the pool with --pool");
  }
  UPKEEP_ASSIGN_OR_RETURN(
      plan.allocation,
      policy->allocation().Allocate(loaded.portfolio, plan.classification, plan.sizing.pool));
  loaded.policy = std::move(policy);
  return loaded;
}

absl::StatusOr<lg::Period> EnsurePeriod(OpenedBook& book, BookDirectory& directory,
                                        std::string_view id, std::string_view actor) {
  if (const lg::Period* known = directory.FindPeriod(id)) return *known;
  UPKEEP_ASSIGN_OR_RETURN(const monitor::Calendar calendar, BookCalendar(book));
  absl::StatusOr<monitor::CalendarPeriod> found = calendar.Find(id);
  if (!found.ok()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("period ", AsAbsl(id),
                                  " is neither in the book nor a fiscal period of its calendar "
                                  "(FY2027, FY2027-Q1, FY2027-M01): ",
                                  found.status().message()));
  }
  const lg::Period period = found->ToLedger();
  UPKEEP_RETURN_IF_ERROR(book.ledger().DefinePeriod(actor, period));
  directory.periods.push_back(period);
  return period;
}

absl::StatusOr<std::string> CalendarNext(OpenedBook& book, std::string_view period,
                                         std::string_view hint) {
  UPKEEP_ASSIGN_OR_RETURN(const monitor::Calendar calendar, BookCalendar(book));
  absl::StatusOr<monitor::CalendarPeriod> current = calendar.Find(period);
  if (!current.ok()) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat(AsAbsl(period), " is not a period of the book's fiscal calendar: ", "pass ",
                     AsAbsl(hint)));
  }
  UPKEEP_ASSIGN_OR_RETURN(const monitor::CalendarPeriod after, calendar.Next(*current));
  return after.id;
}

absl::Status ApplyPlan(OpenedBook& book, BookDirectory& directory, const LoadedPlan& plan,
                       std::string_view period, std::string_view actor) {
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<CategoryShare> shares, BookCategories(book));
  UPKEEP_RETURN_IF_ERROR(EnsurePeriod(book, directory, period, actor).status());
  const Allocation& allocation = plan.plan.allocation;
  std::vector<std::vector<lg::EnvelopeBudget>> envelopes(shares.size());
  for (size_t i = 0; i < allocation.size(); ++i) {
    UPKEEP_ASSIGN_OR_RETURN(const std::vector<int64_t> parts_minor,
                            SplitOverCategories(allocation.amount_minor[i], shares));
    for (size_t k = 0; k < shares.size(); ++k) {
      envelopes[k].push_back({plan.portfolio.customer(i).id, "", parts_minor[k]});
    }
  }
  for (size_t k = 0; k < shares.size(); ++k) {
    const std::string op_id = absl::StrCat("allocate-", AsAbsl(period), "-", shares[k].category);
    UPKEEP_RETURN_IF_ERROR(book.ledger().ApplyAllocation(
        {.op_id = op_id,
         .actor = actor,
         .period = period,
         .category = shares[k].category,
         .envelopes = std::move(envelopes[k]),
         .reason = absl::StrCat("the period's allocation (", shares[k].share_pct,
                                " % of each envelope)")}));
  }
  return absl::OkStatus();
}

}  // namespace upkeep::cli
