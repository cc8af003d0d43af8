// capi/policy_tests_plan.cc: a plan case: portfolio in, tiers and amounts compared.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/policy_tests.h"
#include "upkeep/plan.h"

namespace upkeep::capi {
namespace {

constexpr const char* kNumberMetrics[] = {"growth",       "tenure_months", "order_count",
                                          "recency_days", "satisfaction",  "churn_risk"};

std::optional<Portfolio> BuildPortfolio(const nlohmann::json& rows, Currency currency,
                                        std::vector<std::string>* failures) {
  if (!rows.is_array()) {
    failures->push_back("portfolio: must be an array of customers");
    return std::nullopt;
  }
  PortfolioBuilder builder(currency);
  for (size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json& row = rows[i];
    const std::string where = absl::StrCat("portfolio[", i, "]");
    if (!row.is_object() || !row.contains("id") || !row["id"].is_string()) {
      failures->push_back(absl::StrCat(where, ": needs a string \"id\""));
      return std::nullopt;
    }
    Customer customer{.id = row["id"].get<std::string>(),
                      .name = row.value("name", ""),
                      .owner = row.value("owner", ""),
                      .region = row.value("region", ""),
                      .attributes = {}};
    CustomerMetrics metrics;
    std::optional<int64_t> revenue = ParseAmount(row.value("revenue", nlohmann::json("0")),
                                                 currency, where + "/revenue", failures);
    std::optional<int64_t> margin = ParseAmount(row.value("gross_margin", nlohmann::json("0")),
                                                currency, where + "/gross_margin", failures);
    if (!revenue || !margin) return std::nullopt;
    metrics.revenue_minor = *revenue;
    metrics.gross_margin_minor = *margin;
    double* number_fields[] = {&metrics.growth,       &metrics.tenure_months, &metrics.order_count,
                               &metrics.recency_days, &metrics.satisfaction,  &metrics.churn_risk};
    for (size_t k = 0; k < std::size(kNumberMetrics); ++k) {
      *number_fields[k] = row.value(kNumberMetrics[k], 0.0);
    }
    std::vector<std::pair<std::string, double>> custom;
    // Named: a range-for over value(...).items() would iterate a destroyed temporary.
    const nlohmann::json metrics_json = row.value("metrics", nlohmann::json::object());
    for (const auto& [name, value] : metrics_json.items()) {
      custom.emplace_back(name, value.get<double>());
    }
    absl::Status added = builder.Add(std::move(customer), metrics, std::move(custom));
    if (!added.ok()) {
      failures->push_back(absl::StrCat(where, ": ", added.message()));
      return std::nullopt;
    }
  }
  absl::StatusOr<Portfolio> built = std::move(builder).Build();
  if (!built.ok()) {
    failures->push_back(absl::StrCat("portfolio: ", built.status().message()));
    return std::nullopt;
  }
  return *std::move(built);
}

void CompareTiers(const PeriodPlan& plan, const Portfolio& portfolio,
                  const nlohmann::json& expected, std::vector<std::string>* failures) {
  for (const auto& [id, tier] : expected.items()) {
    const std::optional<size_t> i = portfolio.Find(id);
    if (!i) {
      failures->push_back(absl::StrCat("expect/tiers: no customer ", id));
      continue;
    }
    const Classification& c = plan.classification;
    const std::string& got = c.tier_names[c.tier[*i]];
    if (got != tier.get<std::string>()) {
      failures->push_back(absl::StrCat(id, ": expected tier ", tier.get<std::string>(), ", got ",
                                       got, " (", c.Explain(*i), ")"));
    }
  }
}

void CompareAmounts(const PeriodPlan& plan, const Portfolio& portfolio,
                    const nlohmann::json& expected, std::vector<std::string>* failures) {
  const Allocation& a = plan.allocation;
  for (const auto& [id, amount] : expected.items()) {
    const std::optional<size_t> i = portfolio.Find(id);
    if (!i) {
      failures->push_back(absl::StrCat("expect/amounts: no customer ", id));
      continue;
    }
    std::optional<int64_t> want = ParseAmount(amount, a.currency, "expect/amounts/" + id, failures);
    if (want && *want != a.amount_minor[*i]) {
      failures->push_back(absl::StrCat(id, ": expected ", amount.get<std::string>(), ", got ",
                                       a.amount(*i).ToDecimalString(), " (", a.Explain(*i), ")"));
    }
  }
}

}  // namespace

void RunPlanCase(const nlohmann::json& policy, const nlohmann::json& test_case,
                 const CaseContext& context, std::vector<std::string>* failures) {
  const nlohmann::json expect = test_case.value("expect", nlohmann::json::object());
  absl::StatusOr<std::shared_ptr<const PolicySet>> set =
      PolicySet::Compile(policy.dump(), *context.policies);
  if (!set.ok()) {
    ExpectStatus(set.status(), expect, "policy", failures);
    return;
  }
  std::optional<Portfolio> portfolio =
      BuildPortfolio(test_case["portfolio"], (*set)->currency(), failures);
  if (!portfolio) return;
  PlanOptions options;
  if (test_case.contains("pool")) {
    std::optional<int64_t> pool =
        ParseAmount(test_case["pool"], (*set)->currency(), "pool", failures);
    if (!pool) return;
    options.pool = Money::FromMinor(*pool, (*set)->currency());
  }
  absl::StatusOr<PeriodPlan> plan = PlanPeriod(**set, *portfolio, options);
  if (!ExpectStatus(plan.status(), expect, "plan", failures)) return;
  CompareTiers(*plan, *portfolio, expect.value("tiers", nlohmann::json::object()), failures);
  CompareAmounts(*plan, *portfolio, expect.value("amounts", nlohmann::json::object()), failures);
  if (expect.contains("pool")) {
    std::optional<int64_t> want =
        ParseAmount(expect["pool"], (*set)->currency(), "expect/pool", failures);
    if (want && *want != plan->allocation.pool_minor) {
      failures->push_back(absl::StrCat("expected pool ", expect["pool"].get<std::string>(),
                                       ", got ", plan->sizing.pool.ToDecimalString()));
    }
  }
}

}  // namespace upkeep::capi
