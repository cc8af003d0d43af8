#include "allocation/policy_reading.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocation/exact_math.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

absl::Status CheckRange(const PolicyParams& params, std::string_view key, Decimal value,
                        Range range) {
  switch (range) {
    case Range::kNonNegative:
      if (value.mantissa < 0) return params.Error(key, "must not be negative");
      break;
    case Range::kPercent:
      if (value.mantissa < 0 || CompareDecimal(value, 100) > 0) {
        return params.Error(key, "must be between 0 and 100");
      }
      break;
  }
  return absl::OkStatus();
}

// The tier called `name`, or kNotFound at "<params.path>/<name>".
absl::StatusOr<size_t> TierIndexOf(const PolicyParams& params, std::string_view name,
                                   std::span<const std::string> tier_names) {
  const auto it = std::find(tier_names.begin(), tier_names.end(), name);
  if (it != tier_names.end()) return static_cast<size_t>(it - tier_names.begin());
  return MakeError(ErrorCode::kNotFound,
                   absl::StrCat(params.path(), "/", AsAbsl(name), ": unknown tier; the tiers are ",
                                TierList(tier_names)));
}

// Calls read(params_of_value, key_in_it, tier) for a value for all tiers or each tier listed.
template <typename Read>
absl::Status ForEachTierValue(const PolicyParams& params, std::string_view key,
                              std::span<const std::string> tier_names, Read read) {
  if (!params.Has(key)) return absl::OkStatus();
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, params.Child(key));
  if (!child.IsObject()) {
    for (size_t t = 0; t < tier_names.size(); ++t) UPKEEP_RETURN_IF_ERROR(read(params, key, t));
    return absl::OkStatus();
  }
  UPKEEP_ASSIGN_OR_RETURN(auto members, child.Members());
  for (const auto& [name, value] : members) {
    UPKEEP_ASSIGN_OR_RETURN(size_t t, TierIndexOf(child, name, tier_names));
    UPKEEP_RETURN_IF_ERROR(read(child, name, t));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Decimal> ReadDecimal(const PolicyParams& params, std::string_view key, Range range) {
  UPKEEP_ASSIGN_OR_RETURN(Decimal value, params.GetDecimal(key));
  UPKEEP_RETURN_IF_ERROR(CheckRange(params, key, value, range));
  return value;
}

absl::StatusOr<std::optional<Decimal>> FindDecimal(const PolicyParams& params, std::string_view key,
                                                   Range range) {
  if (!params.Has(key)) return std::optional<Decimal>();
  return ReadDecimal(params, key, range);
}

absl::StatusOr<int64_t> AmountParam::ToMinor(Currency currency) const {
  return DecimalToMinor(value, currency, path);
}

absl::StatusOr<std::optional<AmountParam>> FindAmount(const PolicyParams& params,
                                                      std::string_view key) {
  UPKEEP_ASSIGN_OR_RETURN(std::optional<Decimal> value,
                          FindDecimal(params, key, Range::kNonNegative));
  if (!value) return std::optional<AmountParam>();
  return AmountParam{*value, absl::StrCat(params.path(), "/", AsAbsl(key))};
}

absl::StatusOr<std::vector<Decimal>> ReadPerTier(const PolicyParams& params, std::string_view key,
                                                 std::span<const std::string> tier_names,
                                                 Range range) {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, params.Child(key));
  if (!child.IsObject()) return params.Error(key, "must be an object keyed by tier name");
  UPKEEP_ASSIGN_OR_RETURN(auto found, FindDecimalPerTier(params, key, tier_names, range));
  std::vector<Decimal> values;
  for (size_t t = 0; t < tier_names.size(); ++t) {
    if (!found[t]) return child.Error(tier_names[t], "is required (one value per tier)");
    values.push_back(*found[t]);
  }
  return values;
}

absl::StatusOr<std::vector<std::optional<AmountParam>>> FindAmountPerTier(
    const PolicyParams& params, std::string_view key, std::span<const std::string> tier_names) {
  std::vector<std::optional<AmountParam>> values(tier_names.size());
  UPKEEP_RETURN_IF_ERROR(ForEachTierValue(
      params, key, tier_names,
      [&](const PolicyParams& holder, std::string_view k, size_t t) -> absl::Status {
        UPKEEP_ASSIGN_OR_RETURN(values[t], FindAmount(holder, k));
        return absl::OkStatus();
      }));
  return values;
}

absl::StatusOr<std::vector<std::optional<Decimal>>> FindDecimalPerTier(
    const PolicyParams& params, std::string_view key, std::span<const std::string> tier_names,
    Range range) {
  std::vector<std::optional<Decimal>> values(tier_names.size());
  UPKEEP_RETURN_IF_ERROR(ForEachTierValue(
      params, key, tier_names,
      [&](const PolicyParams& holder, std::string_view k, size_t t) -> absl::Status {
        UPKEEP_ASSIGN_OR_RETURN(values[t], FindDecimal(holder, k, range));
        return absl::OkStatus();
      }));
  return values;
}

absl::StatusOr<size_t> ReadChoice(const PolicyParams& params, std::string_view key,
                                  std::initializer_list<std::string_view> choices,
                                  size_t fallback) {
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> word, params.FindString(key));
  if (!word) return fallback;
  const auto it = std::find(choices.begin(), choices.end(), *word);
  if (it == choices.end()) {
    std::string listed;
    for (std::string_view choice : choices) {
      absl::StrAppend(&listed, listed.empty() ? "" : ", ", AsAbsl(choice));
    }
    return params.Error(key, absl::StrCat("must be one of ", listed));
  }
  return static_cast<size_t>(it - choices.begin());
}

absl::StatusOr<RoundingMode> ReadRounding(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> word, params.FindString("rounding"));
  if (!word) return RoundingMode::kHalfEven;
  absl::StatusOr<RoundingMode> mode = ParseRoundingMode(*word);
  if (!mode.ok()) {
    return params.Error("rounding", "must be one of half_even, half_up, down, up, floor, ceiling");
  }
  return *mode;
}

std::string TierList(std::span<const std::string> tier_names) {
  return absl::StrJoin(tier_names, ", ");
}

}  // namespace upkeep::allocation_internal
