// monitor/params_util.h: reading the monitoring, feedback and rollover sections (not public).
#ifndef UPKEEP_MONITOR_PARAMS_UTIL_H_
#define UPKEEP_MONITOR_PARAMS_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/ledger/types.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor::internal {

// "level": company | tier | customer | owner | region (absent: `fallback`).
absl::StatusOr<ledger::ScopeKind> ReadLevel(const PolicyParams& params, ledger::ScopeKind fallback);
// A percentage (decimal, exact) as basis points, within [min_pct, max_pct]; absent: nullopt.
absl::StatusOr<std::optional<int64_t>> FindPercentBp(const PolicyParams& params,
                                                     std::string_view key, int64_t min_pct,
                                                     int64_t max_pct);
// `pct` as basis points, within [min_pct, max_pct]; errors name `key` of `params`.
absl::StatusOr<int64_t> PercentToBp(const PolicyParams& params, std::string_view key, Decimal pct,
                                    int64_t min_pct, int64_t max_pct);
// An array of strings; absent: empty.
absl::StatusOr<std::vector<std::string>> FindStrings(const PolicyParams& params,
                                                     std::string_view key);
// A required, non-empty "id" that is not in `seen` (which it joins).
absl::StatusOr<std::string> ReadUniqueId(const PolicyParams& params,
                                         std::vector<std::string>* seen);

}  // namespace upkeep::monitor::internal

#endif  // UPKEEP_MONITOR_PARAMS_UTIL_H_
