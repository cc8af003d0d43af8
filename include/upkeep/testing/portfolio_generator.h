// upkeep/testing/portfolio_generator.h: seeded random portfolios for tests and benchmarks.
//
// Part of the upkeep test kit. The same options and seed give the same portfolio on every
// machine (own integer transforms over std::mt19937_64; no std:: distributions, whose output
// differs between standard libraries). Revenue is heavy-tailed (a few large customers), like a
// real customer base. `RebuildShuffled` builds the same customers from a shuffled input order,
// for order-independence checks.
//
//   upkeep::testing::PortfolioOptions options{.customers = 1000, .seed = 7};
//   upkeep::Portfolio portfolio = upkeep::testing::GeneratePortfolio(options);
//
// Thread safety: pure functions.
#ifndef UPKEEP_TESTING_PORTFOLIO_GENERATOR_H_
#define UPKEEP_TESTING_PORTFOLIO_GENERATOR_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "upkeep/currency.h"
#include "upkeep/portfolio.h"

namespace upkeep::testing {

struct PortfolioOptions {
  size_t customers = 100;
  uint64_t seed = 1;
  Currency currency;                           // CNY by default
  int64_t revenue_minor_max = 100'000'000'00;  // the largest customer's revenue, about
  int owners = 20;
  int regions = 6;
  bool with_custom_metric = false;  // adds "visits" as a custom metric
};

namespace internal {

// A uniform integer in [0, bound) from one 64-bit draw (bound > 0), portable across libraries.
inline uint64_t Below(std::mt19937_64& rng, uint64_t bound) { return rng() % bound; }

// A uniform double in [0, 1) from the top 53 bits of one draw.
inline double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

inline void Fail(const absl::Status& status) {
  std::fprintf(stderr, "portfolio generator: %s\n", status.ToString().c_str());
  std::abort();
}

}  // namespace internal

// The customers and metrics of a generated portfolio, in generation order.
inline std::vector<std::pair<Customer, CustomerMetrics>> GenerateCustomers(
    const PortfolioOptions& options) {
  std::mt19937_64 rng(options.seed);
  std::vector<std::pair<Customer, CustomerMetrics>> rows;
  rows.reserve(options.customers);
  for (size_t i = 0; i < options.customers; ++i) {
    Customer customer;
    char id[32];
    std::snprintf(id, sizeof(id), "C%08zu", i);
    customer.id = id;
    customer.name = "Customer " + customer.id;
    customer.owner = "am-" + std::to_string(internal::Below(rng, uint64_t(options.owners)));
    customer.region = "region-" + std::to_string(internal::Below(rng, uint64_t(options.regions)));
    CustomerMetrics m;
    // Pareto-like revenue: max * u^3 puts most revenue in few customers.
    const double u = internal::Unit(rng);
    m.revenue_minor =
        static_cast<int64_t>(static_cast<double>(options.revenue_minor_max) * u * u * u);
    m.gross_margin_minor =
        m.revenue_minor / 100 * static_cast<int64_t>(10 + internal::Below(rng, 30));
    m.growth = internal::Unit(rng) * 0.6 - 0.2;
    m.tenure_months = static_cast<double>(internal::Below(rng, 120));
    m.order_count = static_cast<double>(internal::Below(rng, 60));
    m.recency_days = static_cast<double>(internal::Below(rng, 365));
    m.satisfaction = static_cast<double>(internal::Below(rng, 11));
    m.churn_risk = internal::Unit(rng);
    rows.emplace_back(std::move(customer), m);
  }
  return rows;
}

// Builds a portfolio from `rows` added in the order given. Aborts on error (test-kit use only).
inline Portfolio BuildPortfolio(Currency currency,
                                std::vector<std::pair<Customer, CustomerMetrics>> rows,
                                bool with_custom_metric) {
  PortfolioBuilder builder(currency);
  builder.Reserve(rows.size());
  for (auto& [customer, metrics] : rows) {
    std::vector<std::pair<std::string, double>> custom;
    if (with_custom_metric) custom.emplace_back("visits", metrics.order_count / 2);
    absl::Status added = builder.Add(std::move(customer), metrics, std::move(custom));
    if (!added.ok()) internal::Fail(added);
  }
  absl::StatusOr<Portfolio> portfolio = std::move(builder).Build();
  if (!portfolio.ok()) internal::Fail(portfolio.status());
  return *std::move(portfolio);
}

inline Portfolio GeneratePortfolio(const PortfolioOptions& options) {
  return BuildPortfolio(options.currency, GenerateCustomers(options), options.with_custom_metric);
}

// The same customers as GeneratePortfolio(options), added in an order shuffled by `shuffle_seed`.
inline Portfolio RebuildShuffled(const PortfolioOptions& options, uint64_t shuffle_seed) {
  std::vector<std::pair<Customer, CustomerMetrics>> rows = GenerateCustomers(options);
  std::mt19937_64 rng(shuffle_seed);
  for (size_t i = rows.size(); i > 1; --i) {
    std::swap(rows[i - 1], rows[internal::Below(rng, i)]);
  }
  return BuildPortfolio(options.currency, std::move(rows), options.with_custom_metric);
}

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTING_PORTFOLIO_GENERATOR_H_
