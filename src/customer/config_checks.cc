#include "customer/config_checks.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "customer/decimal_math.h"
#include "upkeep/classification.h"
#include "upkeep/utf8.h"

namespace upkeep::customer_internal {

absl::Status CheckTierNames(std::span<const std::string> tier_names, const ConfigErrors& errors) {
  if (tier_names.empty() || tier_names.size() > kMaxTiers) {
    return errors.At(
        "", absl::StrCat("tiers: must list 1 to ", kMaxTiers, " tiers, got ", tier_names.size()));
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < tier_names.size(); ++i) {
    const std::string& name = tier_names[i];
    if (name.empty()) return errors.At("", absl::StrCat("tiers: tier ", i, " has an empty name"));
    if (!IsValidUtf8(name)) {
      return errors.At("", absl::StrCat("tiers: tier ", i, " is not valid UTF-8"));
    }
    if (!seen.insert(name).second) {
      return errors.At("", absl::StrCat("tiers: \"", name, "\" is listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBoundCount(std::string_view field, size_t count, size_t tiers,
                             const ConfigErrors& errors) {
  if (count + 1 == tiers) return absl::OkStatus();
  return errors.At(field, absl::StrCat("needs one value per tier but the last: ", tiers - 1,
                                       " for ", tiers, " tiers, got ", count));
}

absl::Status CheckStrictlyMonotone(std::string_view field, std::span<const Decimal> values,
                                   Direction direction, std::string_view what,
                                   const ConfigErrors& errors) {
  for (size_t i = 1; i < values.size(); ++i) {
    const int order = CompareDecimal(values[i], values[i - 1]);
    if (direction == Direction::kIncreasing && order <= 0) {
      return errors.At(absl::StrCat(AsAbsl(field), "/", i),
                       absl::StrCat("must be greater than the previous ", AsAbsl(what)));
    }
    if (direction == Direction::kDecreasing && order >= 0) {
      return errors.At(absl::StrCat(AsAbsl(field), "/", i),
                       absl::StrCat("must be less than the previous ", AsAbsl(what)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMetricName(std::string_view field, std::string_view metric,
                             const ConfigErrors& errors) {
  if (metric.empty()) return errors.At(field, "must name a metric");
  if (!IsValidUtf8(metric)) return errors.At(field, "is not valid UTF-8");
  return absl::OkStatus();
}

absl::Status CheckWeight(std::string_view field, double weight, bool zero_allowed,
                         const ConfigErrors& errors) {
  if (!std::isfinite(weight) || weight < 0 || (weight == 0 && !zero_allowed)) {
    return errors.At(field,
                     zero_allowed ? "must be a finite number >= 0" : "must be a finite number > 0");
  }
  return absl::OkStatus();
}

}  // namespace upkeep::customer_internal
