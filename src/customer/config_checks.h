// customer/config_checks.h: validation shared by the built-in classifier configs (internal).
//
// Each check names the offending field through ConfigErrors, so that one validation serves both
// C++ config structs and policy documents.
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_CONFIG_CHECKS_H_
#define UPKEEP_CUSTOMER_CONFIG_CHECKS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "customer/config_errors.h"
#include "upkeep/money.h"

namespace upkeep::customer_internal {

// 1..kMaxTiers tiers, names non-empty, valid UTF-8 and unique.
absl::Status CheckTierNames(std::span<const std::string> tier_names, const ConfigErrors& errors);

// `count` bounds in `field` for `tiers` tiers: needs tiers - 1.
absl::Status CheckBoundCount(std::string_view field, size_t count, size_t tiers,
                             const ConfigErrors& errors);

enum class Direction { kIncreasing, kDecreasing };
// Each element of `field` strictly above (kIncreasing) or below (kDecreasing) the previous one;
// `what` names an element in the message ("bound", "threshold").
absl::Status CheckStrictlyMonotone(std::string_view field, std::span<const Decimal> values,
                                   Direction direction, std::string_view what,
                                   const ConfigErrors& errors);

// A metric name: non-empty, valid UTF-8.
absl::Status CheckMetricName(std::string_view field, std::string_view metric,
                             const ConfigErrors& errors);

// A finite weight, > 0 (or >= 0 when `zero_allowed`).
absl::Status CheckWeight(std::string_view field, double weight, bool zero_allowed,
                         const ConfigErrors& errors);

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_CONFIG_CHECKS_H_
