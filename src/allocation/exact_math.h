// allocation/exact_math.h: exact arithmetic on policy Decimals and minor units (internal).
//
// Policies hold percentages, factors and amounts as exact Decimals (mantissa / 10^scale). These
// helpers turn them into minor units and integer weights without floating point: products are
// formed in 128 bits, checked, and rounded once by an explicit RoundingMode.
//
//   ScaleByDecimals(123456, {pct_2}, 100, RoundingMode::kHalfEven);  // 2 % of 1234.56 -> 2469
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_EXACT_MATH_H_
#define UPKEEP_ALLOCATION_EXACT_MATH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/money.h"
#include "upkeep/rounding.h"

namespace upkeep::allocation_internal {

// amount_minor * factors[0] * factors[1] ... / divisor, rounded once by `mode`. kOverflow when an
// intermediate product does not fit in 128 bits or the result does not fit in int64.
// REQUIRES: divisor > 0.
absl::StatusOr<int64_t> ScaleByDecimals(int64_t amount_minor, std::span<const Decimal> factors,
                                        int64_t divisor, RoundingMode mode);

// `value` in minor units of `currency`, exactly: kPrecision when it has more fraction digits
// than the currency (message "<label>: ..."), kOverflow when it does not fit.
absl::StatusOr<int64_t> DecimalToMinor(Decimal value, Currency currency, std::string_view label);

// -1, 0 or 1 as value <, ==, > n, exactly.
int CompareDecimal(Decimal value, int64_t n);

// Exact integer weights with the same ratios as `values` (all scaled to their largest scale).
// kOverflow when a scaled value does not fit in uint64. REQUIRES: values >= 0.
absl::StatusOr<std::vector<uint64_t>> DecimalsToWeights(std::span<const Decimal> values);

// -1, 0 or 1 as a <, ==, > b, exactly.
int CompareDecimals(Decimal a, Decimal b);

// "1234.56 CNY" for amounts that fit in int64, else "<n> minor units" (for messages).
std::string FormatMinor(absl::int128 minor, Currency currency);

// 10^exponent. REQUIRES: 0 <= exponent <= 38.
absl::int128 PowerOf10(int exponent);

// The sum of `values` in 128 bits (cannot overflow for fewer than 2^64 values).
absl::int128 Sum128(std::span<const int64_t> values);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_EXACT_MATH_H_
