#include "monitor/params_util.h"

#include <algorithm>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace upkeep::monitor::internal {

absl::StatusOr<ledger::ScopeKind> ReadLevel(const PolicyParams& params,
                                            ledger::ScopeKind fallback) {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<std::string> level, params.FindString("level"));
  if (!level) return fallback;
  for (int k = 0; k <= static_cast<int>(ledger::ScopeKind::kRegion); ++k) {
    const auto kind = static_cast<ledger::ScopeKind>(k);
    if (ledger::ScopeKindName(kind) == *level) return kind;
  }
  return params.Error("level", "must be one of company, tier, customer, owner, region");
}

absl::StatusOr<int64_t> PercentToBp(const PolicyParams& params, std::string_view key, Decimal pct,
                                    int64_t min_pct, int64_t max_pct) {
  absl::int128 scale = 1;
  for (int i = 0; i < pct.scale; ++i) scale *= 10;
  const absl::int128 bp_scaled = absl::int128(pct.mantissa) * 100;
  if (bp_scaled % scale != 0) return params.Error(key, "has more than 2 decimals");
  const absl::int128 bp = bp_scaled / scale;
  if (bp < absl::int128(min_pct) * 100 || bp > absl::int128(max_pct) * 100) {
    return params.Error(key, absl::StrCat("must be between ", min_pct, " and ", max_pct));
  }
  return static_cast<int64_t>(bp);
}

absl::StatusOr<std::optional<int64_t>> FindPercentBp(const PolicyParams& params,
                                                     std::string_view key, int64_t min_pct,
                                                     int64_t max_pct) {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<Decimal> pct, params.FindDecimal(key));
  if (!pct) return std::optional<int64_t>();
  UPKEEP_ASSIGN_OR_RETURN(const int64_t bp, PercentToBp(params, key, *pct, min_pct, max_pct));
  return std::optional<int64_t>(bp);
}

absl::StatusOr<std::vector<std::string>> FindStrings(const PolicyParams& params,
                                                     std::string_view key) {
  std::vector<std::string> out;
  const std::optional<PolicyParams> list = params.OptionalChild(key);
  if (!list) return out;
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<PolicyParams> items, list->Elements());
  for (const PolicyParams& item : items) {
    UPKEEP_ASSIGN_OR_RETURN(std::string value, item.AsString());
    if (value.empty()) return item.Error("", "must not be empty");
    out.push_back(std::move(value));
  }
  return out;
}

absl::StatusOr<std::string> ReadUniqueId(const PolicyParams& params,
                                         std::vector<std::string>* seen) {
  UPKEEP_ASSIGN_OR_RETURN(std::string id, params.GetString("id"));
  if (id.empty()) return params.Error("id", "must not be empty");
  if (std::find(seen->begin(), seen->end(), id) != seen->end()) {
    return params.Error("id", absl::StrCat("repeats the id \"", id, "\""));
  }
  seen->push_back(id);
  return id;
}

}  // namespace upkeep::monitor::internal
