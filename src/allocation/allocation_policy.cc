// AllocationPolicy::Allocate: the checks every policy gets, before and after it runs.
#include <cstddef>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/exact_math.h"
#include "allocation/rule_support.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/allocation.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

absl::Status CheckInputs(const Portfolio& portfolio, const Classification& classification,
                         Money pool) {
  if (pool.currency() != portfolio.currency()) {
    return MakeError(
        ErrorCode::kCurrencyMismatch,
        absl::StrCat("pool is in ", AsAbsl(pool.currency().code()), " but the portfolio is in ",
                     AsAbsl(portfolio.currency().code())));
  }
  if (pool.is_negative()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("pool must not be negative, got ", pool.ToString()));
  }
  if (classification.size() != portfolio.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("classification has ", classification.size(),
                                  " customers but the portfolio has ", portfolio.size()));
  }
  for (size_t i = 0; i < classification.size(); ++i) {
    if (classification.tier[i] >= classification.tier_names.size()) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          absl::StrCat("customer ", portfolio.customer(i).id, ": tier ", classification.tier[i],
                       " is not one of the ", classification.tier_names.size(), " tiers"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckResult(const Allocation& result, size_t customers, Money pool,
                         std::string_view policy) {
  const auto broken = [&](std::string_view what) {
    return MakeError(ErrorCode::kCallbackFailed,
                     absl::StrCat("allocation policy ", AsAbsl(policy), ": ", AsAbsl(what)));
  };
  if (result.amount_minor.size() != customers || result.base_minor.size() != customers ||
      result.weight.size() != customers || result.bound_minor.size() != customers ||
      result.tier.size() != customers || result.step.size() != customers ||
      result.flags.size() != customers) {
    return broken(absl::StrCat("result does not have one entry per customer (", customers, ")"));
  }
  if (result.currency != pool.currency() || result.pool_minor != pool.amount_minor()) {
    return broken("result is for a different pool");
  }
  for (int64_t amount : result.amount_minor) {
    if (amount < 0) return broken(absl::StrCat("negative amount ", amount));
  }
  const absl::int128 placed = allocation_internal::Sum128(result.amount_minor) +
                              result.reserve_minor + result.unallocated_minor;
  if (placed != pool.amount_minor() || result.reserve_minor < 0 || result.unallocated_minor < 0) {
    return broken(absl::StrCat("amounts, reserve and unallocated do not add up to the pool ",
                               pool.ToString()));
  }
  return absl::OkStatus();
}

// What a failed Allocate leaves: nothing of the answer, the memory kept.
void Empty(Allocation& out) {
  out.currency = Currency();
  out.pool_minor = 0;
  out.reserve_minor = 0;
  out.unallocated_minor = 0;
  out.steps.clear();
  out.tier_names.clear();
  out.tier_amount_minor.clear();
  out.tier_flags.clear();
  out.tier_bound_minor.clear();
  out.amount_minor.clear();
  out.base_minor.clear();
  out.weight.clear();
  out.bound_minor.clear();
  out.tier.clear();
  out.step.clear();
  out.flags.clear();
}

}  // namespace

absl::StatusOr<Allocation> AllocationPolicy::Allocate(const Portfolio& portfolio,
                                                      const Classification& classification,
                                                      Money pool) const {
  Allocation result;
  UPKEEP_RETURN_IF_ERROR(Allocate(portfolio, classification, pool, result));
  result.workspace.Release();  // a result handed out by value keeps no working memory
  return result;
}

absl::Status AllocationPolicy::Allocate(const Portfolio& portfolio,
                                        const Classification& classification, Money pool,
                                        Allocation& out) const {
  absl::Status status = CheckInputs(portfolio, classification, pool);
  if (status.ok()) status = DoAllocateInto(portfolio, classification, pool, out);
  if (status.ok()) status = CheckResult(out, portfolio.size(), pool, name());
  if (!status.ok()) Empty(out);
  return status;
}

absl::Status AllocationPolicy::DoAllocateInto(const Portfolio& portfolio,
                                              const Classification& classification, Money pool,
                                              Allocation& out) const {
  UPKEEP_ASSIGN_OR_RETURN(Allocation result, DoAllocate(portfolio, classification, pool));
  AllocationWorkspace workspace = std::move(out.workspace);
  out = std::move(result);
  out.workspace = std::move(workspace);
  return absl::OkStatus();
}

absl::StatusOr<Allocation> MakeAllocation(const Portfolio& portfolio,
                                          const Classification& classification, Money pool,
                                          std::string rule, std::vector<int64_t> amount_minor,
                                          std::vector<uint64_t> weight, int64_t unallocated_minor) {
  const size_t n = portfolio.size();
  if (amount_minor.size() != n || weight.size() != n || classification.size() != n) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("MakeAllocation needs one amount, weight and tier for each of ",
                                  n, " customers"));
  }
  const size_t tiers = classification.tier_names.size();
  std::vector<absl::int128> tier_total(tiers, 0);
  for (size_t i = 0; i < n; ++i) {
    if (amount_minor[i] < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("customer ", portfolio.customer(i).id,
                                    ": amount must not be negative, got ", amount_minor[i]));
    }
    tier_total[classification.tier[i]] += amount_minor[i];
  }
  const absl::int128 placed = allocation_internal::Sum128(amount_minor) + unallocated_minor;
  if (unallocated_minor < 0 || placed != pool.amount_minor()) {
    return MakeError(
        ErrorCode::kCallbackFailed,
        absl::StrCat("allocation ", rule, ": amounts plus unallocated do not add up to the pool ",
                     pool.ToString()));
  }
  Allocation result;
  allocation_internal::StartAllocation(portfolio, classification, pool, rule, result);
  result.unallocated_minor = unallocated_minor;
  for (size_t t = 0; t < tiers; ++t) {
    result.tier_amount_minor[t] = static_cast<int64_t>(tier_total[t]);  // <= pool
  }
  result.base_minor = amount_minor;
  result.amount_minor = std::move(amount_minor);
  result.weight = std::move(weight);
  return result;
}

}  // namespace upkeep
