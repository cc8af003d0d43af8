#include "upkeep/portfolio.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep {
namespace {

double StandardValue(const CustomerMetrics& m, StandardMetric metric) {
  switch (metric) {
    case StandardMetric::kRevenue:
      return static_cast<double>(m.revenue_minor);
    case StandardMetric::kGrossMargin:
      return static_cast<double>(m.gross_margin_minor);
    case StandardMetric::kGrowth:
      return m.growth;
    case StandardMetric::kTenureMonths:
      return m.tenure_months;
    case StandardMetric::kOrderCount:
      return m.order_count;
    case StandardMetric::kRecencyDays:
      return m.recency_days;
    case StandardMetric::kSatisfaction:
      return m.satisfaction;
    case StandardMetric::kChurnRisk:
      return m.churn_risk;
  }
  return 0;
}

absl::Status CheckFinite(double value, std::string_view id, std::string_view metric) {
  if (std::isfinite(value)) return absl::OkStatus();
  return MakeError(ErrorCode::kInvalidArgument,
                   absl::StrCat("customer ", AsAbsl(id), ": metric ", AsAbsl(metric),
                                " must be a finite number"));
}

absl::Status CheckCustomer(const Customer& customer, const CustomerMetrics& metrics) {
  if (customer.id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "customer id: must not be empty");
  }
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(customer.id, "customer id"));
  const std::string who = absl::StrCat("customer ", customer.id);
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(customer.name, absl::StrCat(who, ": name")));
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(customer.owner, absl::StrCat(who, ": owner")));
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(customer.region, absl::StrCat(who, ": region")));
  for (const auto& [key, value] : customer.attributes) {
    UPKEEP_RETURN_IF_ERROR(CheckUtf8(key, absl::StrCat(who, ": attribute name")));
    UPKEEP_RETURN_IF_ERROR(CheckUtf8(value, absl::StrCat(who, ": attribute ", key)));
  }
  if (metrics.revenue_minor < 0) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat(who, ": revenue must not be negative, got ", metrics.revenue_minor));
  }
  for (int k = 0; k < kStandardMetricCount; ++k) {
    const auto metric = static_cast<StandardMetric>(k);
    UPKEEP_RETURN_IF_ERROR(
        CheckFinite(StandardValue(metrics, metric), customer.id, StandardMetricName(metric)));
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<size_t> Portfolio::Find(std::string_view id) const {
  auto it = std::lower_bound(customers_.begin(), customers_.end(), id,
                             [](const Customer& c, std::string_view key) { return c.id < key; });
  if (it == customers_.end() || it->id != id) return std::nullopt;
  return static_cast<size_t>(it - customers_.begin());
}

absl::StatusOr<MetricRef> Portfolio::ResolveMetric(std::string_view name) const {
  if (std::optional<StandardMetric> standard = FindStandardMetric(name)) {
    return MetricRef{static_cast<uint16_t>(*standard)};
  }
  for (size_t k = 0; k < custom_names_.size(); ++k) {
    if (custom_names_[k] == name) {
      return MetricRef{static_cast<uint16_t>(kStandardMetricCount + k)};
    }
  }
  return MakeError(ErrorCode::kNotFound, absl::StrCat("unknown metric \"", AsAbsl(name), "\""));
}

std::string_view Portfolio::MetricName(MetricRef metric) const {
  if (metric.index < kStandardMetricCount) {
    return StandardMetricName(static_cast<StandardMetric>(metric.index));
  }
  return custom_names_[metric.index - kStandardMetricCount];
}

bool Portfolio::IsMoneyMetric(MetricRef metric) const {
  return metric.index < kStandardMetricCount &&
         upkeep::IsMoneyMetric(static_cast<StandardMetric>(metric.index));
}

double Portfolio::MetricValue(MetricRef metric, size_t i) const {
  if (metric.index < kStandardMetricCount) {
    return StandardValue(metrics_[i], static_cast<StandardMetric>(metric.index));
  }
  return custom_values_[metric.index - kStandardMetricCount][i];
}

PortfolioBuilder::PortfolioBuilder(Currency currency) { portfolio_.currency_ = currency; }

void PortfolioBuilder::Reserve(size_t customers) {
  portfolio_.customers_.reserve(customers);
  portfolio_.metrics_.reserve(customers);
}

absl::Status PortfolioBuilder::Add(Customer customer, CustomerMetrics metrics,
                                   std::vector<std::pair<std::string, double>> custom_metrics) {
  UPKEEP_RETURN_IF_ERROR(CheckCustomer(customer, metrics));
  for (const auto& [name, value] : custom_metrics) {
    if (name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("customer ", customer.id, ": custom metric name is empty"));
    }
    UPKEEP_RETURN_IF_ERROR(CheckUtf8(name, absl::StrCat("customer ", customer.id, ": metric")));
    if (FindStandardMetric(name).has_value()) {
      return MakeError(ErrorCode::kAlreadyExists,
                       absl::StrCat("customer ", customer.id, ": custom metric \"", name,
                                    "\" is a standard metric; set it in CustomerMetrics"));
    }
    UPKEEP_RETURN_IF_ERROR(CheckFinite(value, customer.id, name));
  }
  const size_t row = portfolio_.customers_.size();
  for (const auto& [name, value] : custom_metrics) {
    auto [it, inserted] = custom_index_.try_emplace(name, portfolio_.custom_names_.size());
    if (inserted) {
      portfolio_.custom_names_.push_back(name);
      portfolio_.custom_values_.emplace_back(row, 0.0);
    }
    std::vector<double>& column = portfolio_.custom_values_[it->second];
    column.resize(row + 1, 0.0);
    column[row] = value;
  }
  portfolio_.customers_.push_back(std::move(customer));
  portfolio_.metrics_.push_back(metrics);
  return absl::OkStatus();
}

absl::StatusOr<Portfolio> PortfolioBuilder::Build() && {
  Portfolio& p = portfolio_;
  const size_t n = p.customers_.size();
  for (std::vector<double>& column : p.custom_values_) column.resize(n, 0.0);

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return p.customers_[a].id < p.customers_[b].id; });
  for (size_t k = 1; k < n; ++k) {
    if (p.customers_[order[k - 1]].id == p.customers_[order[k]].id) {
      return MakeError(ErrorCode::kAlreadyExists,
                       absl::StrCat("duplicate customer id \"", p.customers_[order[k]].id, "\""));
    }
  }

  Portfolio sorted;
  sorted.currency_ = p.currency_;
  sorted.custom_names_ = std::move(p.custom_names_);
  sorted.customers_.reserve(n);
  sorted.metrics_.reserve(n);
  for (size_t k : order) {
    sorted.customers_.push_back(std::move(p.customers_[k]));
    sorted.metrics_.push_back(p.metrics_[k]);
  }
  sorted.custom_values_.reserve(p.custom_values_.size());
  for (const std::vector<double>& column : p.custom_values_) {
    std::vector<double> reordered(n);
    for (size_t k = 0; k < n; ++k) reordered[k] = column[order[k]];
    sorted.custom_values_.push_back(std::move(reordered));
  }
  p = Portfolio();
  p.currency_ = sorted.currency_;
  custom_index_.clear();
  return sorted;
}

}  // namespace upkeep
