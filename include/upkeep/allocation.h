// upkeep/allocation.h: allocation policies turn a pool into per-customer budgets (合理分配).
//
// An AllocationPolicy splits a pool of money across a classified portfolio, exactly to the minor
// unit and independently of input order (ties go by Portfolio::tie_key). Built-in policies, by
// registered name (parameters: docs/policy-document.md):
//   "tier_shares"     the pool split across tiers by percentages, then within each tier evenly
//                     or in proportion to a metric;
//   "tier_weights"    every customer weighted by its tier's weight;
//   "proportional"    in proportion to a metric;
//   "fixed_per_tier"  a fixed amount per customer of each tier (the rest stays unallocated);
//   "pipeline"        a reserve held back, then a distribution step (any registered policy),
//                     then floor and cap steps ("caps") met exactly by water-filling.
// Custom policies are C++ classes derived from AllocationPolicy, registered by name with a
// factory that reads their parameters through PolicyParams; a pipeline can use them as its
// distribution step. `MakeAllocation` builds a checked result from a custom policy's amounts.
//
//   upkeep::AllocationRegistry registry;  // the built-ins
//   nlohmann::json doc = nlohmann::json::parse(R"({"policy": "proportional", "metric":
//   "revenue"})"); auto policy = upkeep::MakeAllocationPolicy(upkeep::PolicyParams(doc,
//   "/allocation"),
//                                              classification.tier_names, registry);
//   absl::StatusOr<upkeep::Allocation> result =
//       (*policy)->Allocate(portfolio, classification, upkeep::Money::FromMinor(1000000, cny));
//
// A host that allocates every period keeps one Allocation and passes it back, so that its memory
// is reused instead of allocated (and faulted in) again; the answer is the same:
//
//   upkeep::Allocation allocation;  // kept between periods
//   UPKEEP_RETURN_IF_ERROR((*policy)->Allocate(portfolio, classification, pool, allocation));
//
// Errors: kInvalidArgument (negative pool, classification not matching the portfolio or the
// policy's tiers), kCurrencyMismatch, kNotFound (unknown policy or metric), kInfeasible (floors
// above the pool, tier shares with no customers, ...: the message says by how much), kOverflow,
// kPolicyInvalid (a bad parameter; the message names its JSON path), kAlreadyExists (a name
// registered twice), kCallbackFailed (a custom policy returned a result that does not add up).
//
// Thread safety: a built policy is immutable; Allocate may run concurrently from many threads
// (custom policies must keep that promise). AllocationRegistry::Register is not thread-safe;
// register everything before sharing the registry, then its const methods are.
#ifndef UPKEEP_ALLOCATION_H_
#define UPKEEP_ALLOCATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/allocation_result.h"
#include "upkeep/classification.h"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/portfolio.h"

namespace upkeep {

class AllocationPolicy {
 public:
  virtual ~AllocationPolicy() = default;

  // The registered name of the rule, e.g. "tier_shares".
  virtual std::string_view name() const = 0;

  // Allocates `pool` over `portfolio` as classified by `classification`. Checks the inputs
  // (pool >= 0 and in the portfolio's currency, one tier per customer, tiers in range), calls
  // DoAllocate, and checks its result: sizes, amounts >= 0 and the exact sum. Deterministic.
  absl::StatusOr<Allocation> Allocate(const Portfolio& portfolio,
                                      const Classification& classification, Money pool) const;

  // The same into `out`, reusing its memory (arrays and workspace): whatever `out` held before
  // (another portfolio, larger or smaller, another policy's result), on success it holds exactly
  // what the form above returns. On error `out` is left empty (size() == 0, its memory kept),
  // never a partial result. `out` must not be shared with another call running at the same time.
  absl::Status Allocate(const Portfolio& portfolio, const Classification& classification,
                        Money pool, Allocation& out) const;

 protected:
  // The policy itself. Called with checked inputs; must be deterministic and thread-safe.
  virtual absl::StatusOr<Allocation> DoAllocate(const Portfolio& portfolio,
                                                const Classification& classification,
                                                Money pool) const = 0;

  // The policy into `out` (whatever it holds). The built-in policies override this to reuse its
  // memory; by default it moves DoAllocate's result in.
  virtual absl::Status DoAllocateInto(const Portfolio& portfolio,
                                      const Classification& classification, Money pool,
                                      Allocation& out) const;
};

// A complete result from per-customer amounts (portfolio order) and the weights that explain
// them: base_minor = amount_minor, step 0 = `rule`, tier totals summed. kInvalidArgument when the
// sizes differ or an amount is negative; kCallbackFailed when
// sum(amount_minor) + unallocated_minor != pool. For custom policies' DoAllocate.
absl::StatusOr<Allocation> MakeAllocation(const Portfolio& portfolio,
                                          const Classification& classification, Money pool,
                                          std::string rule, std::vector<int64_t> amount_minor,
                                          std::vector<uint64_t> weight,
                                          int64_t unallocated_minor = 0);

class AllocationRegistry;

// What a factory gets besides its parameters.
struct AllocationContext {
  std::span<const std::string> tier_names;  // the classification's tiers, highest first
  const AllocationRegistry* registry;       // for policies made of other policies
};

// Builds a policy from its parameters (the JSON object that names it; it also holds the "policy"
// or "rule" key). Errors name JSON paths via PolicyParams::Error.
using AllocationFactory = std::function<absl::StatusOr<std::unique_ptr<const AllocationPolicy>>(
    const PolicyParams& params, const AllocationContext& context)>;

class AllocationRegistry {
 public:
  // A registry holding the built-in policies.
  AllocationRegistry();

  // Adds `factory` under `name`: kAlreadyExists if taken, kInvalidArgument if empty.
  absl::Status Register(std::string name, AllocationFactory factory);
  bool Contains(std::string_view name) const;
  std::vector<std::string> Names() const;  // sorted

  // The policy `name` built from `params`; kNotFound (naming `params.path()`) if unregistered.
  absl::StatusOr<std::unique_ptr<const AllocationPolicy>> Create(
      std::string_view name, const PolicyParams& params,
      std::span<const std::string> tier_names) const;

 private:
  absl::flat_hash_map<std::string, AllocationFactory> factories_;
};

// The allocation section of a policy document: {"policy": "<name>", ...parameters}.
absl::StatusOr<std::unique_ptr<const AllocationPolicy>> MakeAllocationPolicy(
    const PolicyParams& section, std::span<const std::string> tier_names,
    const AllocationRegistry& registry);

}  // namespace upkeep

#endif  // UPKEEP_ALLOCATION_H_
