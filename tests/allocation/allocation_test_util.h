// Small hand-made books (portfolio + classification) and policies from JSON text, for the
// allocation tests.
#ifndef UPKEEP_TESTS_ALLOCATION_ALLOCATION_TEST_UTIL_H_
#define UPKEEP_TESTS_ALLOCATION_ALLOCATION_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/allocation.h"
#include "upkeep/classification.h"
#include "upkeep/portfolio.h"
#include "upkeep/sizing.h"

namespace upkeep::testing {

struct Row {
  std::string id;
  int64_t revenue_minor;
  TierIndex tier;
};

struct Book {
  Portfolio portfolio;
  Classification classification;
  Money Minor(int64_t minor) const { return Money::FromMinor(minor, portfolio.currency()); }
};

inline Customer NamedCustomer(const std::string& id) {
  Customer customer;
  customer.id = id;
  customer.name = id;
  return customer;
}

inline CustomerMetrics WithRevenue(int64_t revenue_minor) {
  CustomerMetrics metrics;
  metrics.revenue_minor = revenue_minor;
  return metrics;
}

// A CNY book; aborts on bad rows (test data).
inline Book MakeBook(const std::vector<Row>& rows,
                     std::vector<std::string> tiers = {"A", "B", "C"}) {
  PortfolioBuilder builder(Currency::FromCode("CNY").value());
  for (const Row& row : rows) {
    if (!builder.Add(NamedCustomer(row.id), WithRevenue(row.revenue_minor)).ok()) {
      std::abort();
    }
  }
  Book book{std::move(builder).Build().value(), {}};
  book.classification.classifier = "test";
  book.classification.tier_names = std::move(tiers);
  book.classification.tier.resize(rows.size());
  for (const Row& row : rows) {
    book.classification.tier[*book.portfolio.Find(row.id)] = row.tier;
  }
  return book;
}

// a1 600.00 A, a2 200.00 A, b1 300.00 B, b2 100.00 B, c1 0 C, c2 50.00 C.
inline Book SmallBook() {
  return MakeBook({{"a1", 60000, 0},
                   {"a2", 20000, 0},
                   {"b1", 30000, 1},
                   {"b2", 10000, 1},
                   {"c1", 0, 2},
                   {"c2", 5000, 2}});
}

inline absl::StatusOr<std::unique_ptr<const AllocationPolicy>> PolicyFromJson(
    std::string_view json, const std::vector<std::string>& tiers = {"A", "B", "C"},
    const AllocationRegistry& registry = AllocationRegistry()) {
  const nlohmann::json doc = nlohmann::json::parse(json);
  return MakeAllocationPolicy(PolicyParams(doc, "/allocation"), tiers, registry);
}

inline absl::StatusOr<std::unique_ptr<const SizingPolicy>> SizingFromJson(
    std::string_view json, const std::vector<std::string>& tiers = {"A", "B", "C"}) {
  const nlohmann::json doc = nlohmann::json::parse(json);
  return MakeSizingPolicy(PolicyParams(doc, "/sizing"), tiers);
}

// Allocates with the policy in `json`; the error of either step, or the result.
inline absl::StatusOr<Allocation> AllocateJson(std::string_view json, const Book& book,
                                               int64_t pool_minor) {
  absl::StatusOr<std::unique_ptr<const AllocationPolicy>> policy =
      PolicyFromJson(json, book.classification.tier_names);
  if (!policy.ok()) return policy.status();
  return (*policy)->Allocate(book.portfolio, book.classification, book.Minor(pool_minor));
}

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTS_ALLOCATION_ALLOCATION_TEST_UTIL_H_
