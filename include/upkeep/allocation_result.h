// upkeep/allocation_result.h: what an allocation policy gave each customer, and why.
//
// An Allocation is the outcome of AllocationPolicy::Allocate (see allocation.h) for one portfolio
// and pool. Money is in whole minor units of `currency`, and it always adds up exactly:
//     sum(amount_minor) + reserve_minor + unallocated_minor == pool_minor
// Per-customer data is kept as parallel arrays in portfolio order (struct of arrays, no strings
// per customer): 35 bytes per customer (plus a reused result's workspace, below). Per tier: the
// total and whether a tier floor or cap held.
//
// Each customer's amount is explained by the numbers that gave it: `base_minor` is what the
// distribution rule (step 0) gave, from `weight` (the customer's integer weight under that rule:
// its metric in minor units or micro-units, its tier's weight, 1 for even); `flags` say whether a
// floor or cap step then held it at `bound_minor`, or moved it to absorb others' bounds; `step`
// is the index into `steps` of the step that last set it.
//
//   upkeep::Allocation result = policy->Allocate(portfolio, classification, pool).value();
//   result.amount(7);   // 1234.56 CNY
//   result.Explain(7);  // "key: 1234.56 (base 1300.00 by step 0, weight 130000; capped at
//                       //  1234.56 by step 1)"
//
// A result can be passed back to AllocationPolicy::Allocate(..., out) period after period: its
// arrays are then reused, not allocated again, and `workspace` keeps the policies' working
// memory between the calls.
//
// Thread safety: plain value; const methods are safe to call concurrently.
#ifndef UPKEEP_ALLOCATION_RESULT_H_
#define UPKEEP_ALLOCATION_RESULT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "upkeep/classification.h"
#include "upkeep/currency.h"
#include "upkeep/money.h"

namespace upkeep {

// Bits of Allocation::flags (per customer) and Allocation::tier_flags (per tier).
enum AllocationFlag : uint8_t {
  kAllocFloored = 1,     // held at its floor (bound_minor)
  kAllocCapped = 2,      // held at its cap (bound_minor)
  kAllocRebalanced = 4,  // scaled from its base to absorb other customers' floors and caps
  kAllocReweighted = 8,  // moved by a later step's own weights (a feedback proposal's multipliers)
};

// Working memory the built-in policies keep in the result they write, so that a result passed
// back to AllocationPolicy::Allocate(..., out) allocates nothing new (custom policies may use it
// too). It holds no part of the answer: its contents are unspecified between calls, and a copy of
// an Allocation starts with an empty workspace (a copy assignment keeps the target's own).
class AllocationWorkspace {
 public:
  AllocationWorkspace() = default;
  AllocationWorkspace(const AllocationWorkspace&) noexcept {}
  AllocationWorkspace& operator=(const AllocationWorkspace&) noexcept { return *this; }
  AllocationWorkspace(AllocationWorkspace&&) noexcept = default;
  AllocationWorkspace& operator=(AllocationWorkspace&&) noexcept = default;
  ~AllocationWorkspace() = default;

  // Bytes held (capacity).
  size_t bytes() const;
  // Gives the memory back.
  void Release();

  std::vector<int64_t> minor_a;  // e.g. bases in the order a step works in
  std::vector<int64_t> minor_b;
  std::vector<int64_t> minor_c;
  std::vector<uint32_t> index;   // e.g. the customers a step still works on
  std::vector<uint8_t> mark;     // e.g. what a step decided for each customer
  std::vector<uint16_t> bucket;  // e.g. each part's remainder bucket in a split
};

struct Allocation {
  Currency currency;
  int64_t pool_minor = 0;         // the pool the policy was given
  int64_t reserve_minor = 0;      // held back on purpose (the pipeline's reserve)
  int64_t unallocated_minor = 0;  // could not be placed under the rules (see the policy's doc)

  // One line per step of the policy, e.g. "tier_shares: strategic 40 %, ..., within tier by
  // revenue". A plain policy has one step.
  std::vector<std::string> steps;

  // Per tier (index TierIndex), highest first.
  std::vector<std::string> tier_names;
  std::vector<int64_t> tier_amount_minor;
  std::vector<uint8_t> tier_flags;        // AllocationFlag bits: a tier floor or cap held
  std::vector<int64_t> tier_bound_minor;  // that floor or cap, else 0

  // Per customer, in portfolio order.
  std::vector<int64_t> amount_minor;  // the answer
  std::vector<int64_t> base_minor;    // what step 0 gave
  std::vector<uint64_t> weight;       // the customer's weight under step 0
  std::vector<int64_t> bound_minor;   // the floor or cap that held it, else 0
  std::vector<TierIndex> tier;
  std::vector<uint8_t> step;   // index into `steps`
  std::vector<uint8_t> flags;  // AllocationFlag bits

  AllocationWorkspace workspace;  // not part of the answer (see above)

  size_t size() const { return amount_minor.size(); }
  Money amount(size_t customer) const { return Money::FromMinor(amount_minor[customer], currency); }
  Money tier_amount(size_t t) const { return Money::FromMinor(tier_amount_minor[t], currency); }
  // One line saying how customer `customer` got its amount. REQUIRES: customer < size().
  std::string Explain(size_t customer) const;
  // Bytes held per customer by the per-customer arrays and the workspace (capacity, not size).
  size_t BytesPerCustomer() const;
};

}  // namespace upkeep

#endif  // UPKEEP_ALLOCATION_RESULT_H_
