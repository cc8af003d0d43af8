// capi/portfolio.cc: building portfolios from C structs or CSV, and reading them.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "nlohmann/json.hpp"
#include "upkeep/io/portfolio_csv.h"

namespace upkeep::capi {
namespace {

upk_status AddCustomer(PortfolioBuilder& builder, const upk_customer* c) {
  if (upk_status s = CheckStruct(c, "customer"); s != UPK_OK) return s;
  std::string_view id, name, owner, region;
  if (upk_status s = Text(c->id, "customer id", &id); s != UPK_OK) return s;
  if (upk_status s = Text(c->name, "customer name", &name); s != UPK_OK) return s;
  if (upk_status s = Text(c->owner, "customer owner", &owner); s != UPK_OK) return s;
  if (upk_status s = Text(c->region, "customer region", &region); s != UPK_OK) return s;
  if (c->attribute_count > 0 && c->attributes == nullptr) {
    return NotNull(c->attributes, "customer attributes");
  }
  if (c->custom_metric_count > 0 && c->custom_metrics == nullptr) {
    return NotNull(c->custom_metrics, "customer custom_metrics");
  }
  Customer customer{.id = std::string(id),
                    .name = std::string(name),
                    .owner = std::string(owner),
                    .region = std::string(region),
                    .attributes = {}};
  customer.attributes.reserve(c->attribute_count);
  for (size_t k = 0; k < c->attribute_count; ++k) {
    std::string_view key, value;
    if (upk_status s = Text(c->attributes[k].key, "attribute key", &key); s != UPK_OK) return s;
    if (upk_status s = Text(c->attributes[k].value, "attribute value", &value); s != UPK_OK) {
      return s;
    }
    customer.attributes.emplace_back(std::string(key), std::string(value));
  }
  std::vector<std::pair<std::string, double>> custom;
  custom.reserve(c->custom_metric_count);
  for (size_t k = 0; k < c->custom_metric_count; ++k) {
    std::string_view metric;
    if (upk_status s = Text(c->custom_metrics[k].name, "custom metric name", &metric);
        s != UPK_OK) {
      return s;
    }
    custom.emplace_back(std::string(metric), c->custom_metrics[k].value);
  }
  const CustomerMetrics metrics{.revenue_minor = c->revenue_minor,
                                .gross_margin_minor = c->gross_margin_minor,
                                .growth = c->growth,
                                .tenure_months = c->tenure_months,
                                .order_count = c->order_count,
                                .recency_days = c->recency_days,
                                .satisfaction = c->satisfaction,
                                .churn_risk = c->churn_risk};
  return FromStatus(builder.Add(std::move(customer), metrics, std::move(custom)));
}

upk_status CheckIndex(const upk_portfolio* portfolio, size_t index) {
  if (upk_status s = NotNull(portfolio, "portfolio"); s != UPK_OK) return s;
  if (index >= portfolio->portfolio->size()) {
    return Fail(UPK_NOT_FOUND, absl::StrCat("customer index ", index, " out of range (",
                                            portfolio->portfolio->size(), " customers)"));
  }
  return UPK_OK;
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Fail;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_portfolio_builder_new(upk_portfolio_builder** out, upk_str currency) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::Currency c;
    if (upk_status s = upkeep::capi::CurrencyOf(currency, "currency", &c); s != UPK_OK) return s;
    *out = new upk_portfolio_builder(c);
    return UPK_OK;
  });
}

void upk_portfolio_builder_free(upk_portfolio_builder* builder) {
  upkeep::capi::GuardVoid([&] { delete builder; });
}

upk_status upk_portfolio_builder_add(upk_portfolio_builder* builder, const upk_customer* customer) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(builder, "builder"); s != UPK_OK) return s;
    return upkeep::capi::AddCustomer(builder->builder, customer);
  });
}

upk_status upk_portfolio_builder_add_many(size_t* out, upk_portfolio_builder* builder,
                                          const upk_customer* customers, size_t count) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(builder, "builder"); s != UPK_OK) return s;
    if (count > 0 && customers == nullptr) return NotNull(customers, "customers");
    builder->builder.Reserve(count);
    size_t added = 0;
    for (; added < count; ++added) {
      const upk_status s = upkeep::capi::AddCustomer(builder->builder, &customers[added]);
      if (s != UPK_OK) {
        *out = added;
        return Fail(s, absl::StrCat("customers[", added, "]: ", upkeep::capi::LastError()));
      }
    }
    *out = added;
    return UPK_OK;
  });
}

upk_status upk_portfolio_build(upk_portfolio** out, upk_portfolio_builder* builder) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(builder, "builder"); s != UPK_OK) return s;
    absl::StatusOr<upkeep::Portfolio> built = std::move(builder->builder).Build();
    if (!built.ok()) return upkeep::capi::FromStatus(built.status());
    *out = new upk_portfolio{std::make_shared<const upkeep::Portfolio>(*std::move(built))};
    return UPK_OK;
  });
}

upk_status upk_portfolio_from_csv(upk_portfolio** out, char** out_rejected_json, upk_str csv_text,
                                  const upk_csv_options* options) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckStruct(options, "options"); s != UPK_OK) return s;
    upkeep::Currency currency;
    if (upk_status s = upkeep::capi::CurrencyOf(options->currency, "currency", &currency);
        s != UPK_OK) {
      return s;
    }
    std::string_view text, source;
    if (upk_status s = upkeep::capi::Text(csv_text, "csv_text", &text); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::Text(options->source, "source", &source); s != UPK_OK) {
      return s;
    }
    const auto mode = options->skip_bad_rows != 0 ? upkeep::io::ImportMode::kSkipBadRows
                                                  : upkeep::io::ImportMode::kStrict;
    absl::StatusOr<upkeep::io::PortfolioImport> imported =
        upkeep::io::ParsePortfolioCsv(text, currency, mode, source);
    if (!imported.ok()) return upkeep::capi::FromStatus(imported.status());
    char* rejected = nullptr;
    if (out_rejected_json != nullptr) {
      nlohmann::json rows = nlohmann::json::array();
      for (const upkeep::io::RejectedRow& row : imported->rejected) {
        rows.push_back({{"line", row.line}, {"reason", row.reason}});
      }
      if (upk_status s = upkeep::capi::Emit(rows.dump(), &rejected); s != UPK_OK) return s;
    }
    *out = new upk_portfolio{
        std::make_shared<const upkeep::Portfolio>(std::move(imported->portfolio))};
    if (out_rejected_json != nullptr) *out_rejected_json = rejected;
    return UPK_OK;
  });
}

void upk_portfolio_free(upk_portfolio* portfolio) {
  upkeep::capi::GuardVoid([&] { delete portfolio; });
}

upk_status upk_portfolio_count(size_t* out, const upk_portfolio* portfolio) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(portfolio, "portfolio"); s != UPK_OK) return s;
    *out = portfolio->portfolio->size();
    return UPK_OK;
  });
}

upk_status upk_portfolio_customer(upk_customer* out, const upk_portfolio* portfolio, size_t index) {
  using upkeep::capi::Borrow;
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckIndex(portfolio, index); s != UPK_OK) return s;
    const upkeep::Customer& c = portfolio->portfolio->customer(index);
    const upkeep::CustomerMetrics& m = portfolio->portfolio->metrics(index);
    *out = upk_customer{sizeof(upk_customer),
                        Borrow(c.id),
                        Borrow(c.name),
                        Borrow(c.owner),
                        Borrow(c.region),
                        m.revenue_minor,
                        m.gross_margin_minor,
                        m.growth,
                        m.tenure_months,
                        m.order_count,
                        m.recency_days,
                        m.satisfaction,
                        m.churn_risk,
                        nullptr,
                        0,
                        nullptr,
                        0};
    return UPK_OK;
  });
}

upk_status upk_portfolio_find(size_t* out, const upk_portfolio* portfolio, upk_str id) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(portfolio, "portfolio"); s != UPK_OK) return s;
    std::string_view text;
    if (upk_status s = upkeep::capi::Text(id, "id", &text); s != UPK_OK) return s;
    std::optional<size_t> index = portfolio->portfolio->Find(text);
    if (!index) {
      return Fail(UPK_NOT_FOUND, absl::StrCat("no customer \"", upkeep::AsAbsl(text), "\""));
    }
    *out = *index;
    return UPK_OK;
  });
}

upk_status upk_portfolio_metric(double* out, const upk_portfolio* portfolio, upk_str metric,
                                size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckIndex(portfolio, index); s != UPK_OK) return s;
    std::string_view name;
    if (upk_status s = upkeep::capi::Text(metric, "metric", &name); s != UPK_OK) return s;
    absl::StatusOr<upkeep::MetricRef> ref = portfolio->portfolio->ResolveMetric(name);
    if (!ref.ok()) return upkeep::capi::FromStatus(ref.status());
    *out = portfolio->portfolio->MetricValue(*ref, index);
    return UPK_OK;
  });
}

}  // extern "C"
