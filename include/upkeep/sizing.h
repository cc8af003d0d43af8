// upkeep/sizing.h: a period's budget pool from its drivers (精确预算), with the formula shown.
//
// A SizingPolicy computes the pool for a classified portfolio by one of two methods:
//   "tier_base"     pool = Σ over tiers (customers in the tier × base amount per customer)
//                          × market factor + adjustments
//   "metric_share"  pool = share % × Σ over customers of a money metric (e.g. last year's
//                          revenue) × market factor + adjustments
// Adjustments are named amounts, positive or negative. Everything is exact integer arithmetic;
// the one rounding (the product by the factor and share) uses the policy's RoundingMode. The
// result lists each term with its contribution, and the terms add up to the pool exactly.
//
//   nlohmann::json doc = nlohmann::json::parse(R"({"method": "tier_base",
//       "base_per_customer": {"A": "5000.00", "B": "2000.00", "C": "500.00"},
//       "market_factor": "1.10", "adjustments": [{"name": "trade fair", "amount": "20000.00"}]})");
//   auto policy = upkeep::MakeSizingPolicy(upkeep::PolicyParams(doc, "/sizing"), tier_names);
//   absl::StatusOr<upkeep::Sizing> sizing = (*policy)->Size(portfolio, classification);
//   sizing->pool;       // 12 × 5000 + 40 × 2000 + 300 × 500 = 290000.00, × 1.10 + 20000.00
//   sizing->Explain();  // the formula, then one line per term
//
// Errors: kPolicyInvalid naming the JSON path (unknown key, negative base, missing tier),
// kNotFound (unknown tier or metric), kInvalidArgument (a metric that is not money; a negative
// pool; a classification that does not fit), kPrecision (an amount with more decimals than the
// portfolio's currency), kOverflow (a product or sum beyond 64 bits).
//
// Thread safety: a built policy is immutable; Size may run concurrently.
#ifndef UPKEEP_SIZING_H_
#define UPKEEP_SIZING_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/classification.h"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/portfolio.h"

namespace upkeep {

struct SizingTerm {
  std::string label;     // "strategic", "market factor", "trade fair"
  std::string detail;    // "12 customers × 5000.00", "× 1.10 (rounded half_even)"
  int64_t amount_minor;  // this term's contribution to the pool
};

struct Sizing {
  Money pool;
  std::string formula;  // in words, with the numbers: "pool = Σ tiers (customers × base) × ..."
  std::vector<SizingTerm> terms;  // their amounts add up to pool exactly
  // The formula, then "  <label>: <detail> = <amount>" per term, then "  pool = <amount>".
  std::string Explain() const;
};

class SizingPolicy {
 public:
  virtual ~SizingPolicy() = default;
  virtual absl::StatusOr<Sizing> Size(const Portfolio& portfolio,
                                      const Classification& classification) const = 0;
};

// The sizing section of a policy document (format: docs/policy-document.md).
absl::StatusOr<std::unique_ptr<const SizingPolicy>> MakeSizingPolicy(
    const PolicyParams& section, std::span<const std::string> tier_names);

}  // namespace upkeep

#endif  // UPKEEP_SIZING_H_
