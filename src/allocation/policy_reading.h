// allocation/policy_reading.h: reading allocation and sizing parameters (internal).
//
// Thin helpers over PolicyParams shared by every built-in rule, so that each kind of value is
// checked, and each error worded, in one place: ranges of decimals ("must be between 0 and 100"),
// values per tier (keys must be tier names: kNotFound naming the path and the tiers), choices
// among words, and money amounts kept as exact Decimals with their path until the currency is
// known (at Allocate, from the portfolio).
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_POLICY_READING_H_
#define UPKEEP_ALLOCATION_POLICY_READING_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/rounding.h"

namespace upkeep::allocation_internal {

enum class Range : uint8_t {
  kNonNegative,  // >= 0: "must not be negative"
  kPercent,      // 0..100: "must be between 0 and 100"
};

// The decimal at `key`, required, checked against `range`.
absl::StatusOr<Decimal> ReadDecimal(const PolicyParams& params, std::string_view key, Range range);
// The same, optional.
absl::StatusOr<std::optional<Decimal>> FindDecimal(const PolicyParams& params, std::string_view key,
                                                   Range range);

// An amount of money from the document, kept exact with its JSON path for later messages.
struct AmountParam {
  Decimal value;
  std::string path;
  // In minor units of `currency`: kPrecision / kOverflow naming the path.
  absl::StatusOr<int64_t> ToMinor(Currency currency) const;
};
absl::StatusOr<std::optional<AmountParam>> FindAmount(const PolicyParams& params,
                                                      std::string_view key);

// An object at `key` with a value for every tier: {"strategic": 40, "key": 30, ...}.
absl::StatusOr<std::vector<Decimal>> ReadPerTier(const PolicyParams& params, std::string_view key,
                                                 std::span<const std::string> tier_names,
                                                 Range range);
// An optional amount for all tiers ("500.00") or per tier ({"strategic": "2000.00"}); one entry
// per tier, nullopt where none applies (also when `key` is absent).
absl::StatusOr<std::vector<std::optional<AmountParam>>> FindAmountPerTier(
    const PolicyParams& params, std::string_view key, std::span<const std::string> tier_names);
// The same for a decimal in `range` ("10" or {"basic": 5}).
absl::StatusOr<std::vector<std::optional<Decimal>>> FindDecimalPerTier(
    const PolicyParams& params, std::string_view key, std::span<const std::string> tier_names,
    Range range);

// The index of the word at `key` among `choices`; `fallback` when absent.
absl::StatusOr<size_t> ReadChoice(const PolicyParams& params, std::string_view key,
                                  std::initializer_list<std::string_view> choices, size_t fallback);
// "rounding": one of RoundingModeName's names; half_even when absent.
absl::StatusOr<RoundingMode> ReadRounding(const PolicyParams& params);

// "strategic, key, growth, basic".
std::string TierList(std::span<const std::string> tier_names);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_POLICY_READING_H_
