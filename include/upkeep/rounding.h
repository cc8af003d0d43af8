// upkeep/rounding.h: rounding modes and exact rounded division.
//
// Used wherever an exact rational amount must become whole minor units: parsing a decimal with
// more digits than the currency has, scaling by a factor or a percentage, converting a ratio.
//
//   upkeep::DivideRounded(7, 2, upkeep::RoundingMode::kHalfEven);   // 4
//   upkeep::DivideRounded(-5, 2, upkeep::RoundingMode::kHalfEven);  // -2
//
// Thread safety: pure functions.
#ifndef UPKEEP_ROUNDING_H_
#define UPKEEP_ROUNDING_H_

#include <cstdint>
#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"

namespace upkeep {

enum class RoundingMode : uint8_t {
  kHalfEven = 0,  // to nearest, ties to even (banker's rounding); the default everywhere
  kHalfUp = 1,    // to nearest, ties away from zero
  kDown = 2,      // toward zero (truncate)
  kUp = 3,        // away from zero
  kFloor = 4,     // toward negative infinity
  kCeiling = 5,   // toward positive infinity
};

// "half_even", "half_up", "down", "up", "floor", "ceiling".
std::string_view RoundingModeName(RoundingMode mode);
// The mode named `name` (as above), or kInvalidArgument naming it.
absl::StatusOr<RoundingMode> ParseRoundingMode(std::string_view name);

// numerator / denominator rounded by `mode`, exactly.
// REQUIRES: denominator != 0, and not Int128Min() / -1 (the one quotient beyond int128).
absl::int128 DivideRounded(absl::int128 numerator, absl::int128 denominator, RoundingMode mode);

// The same for any input, narrowed to int64: kOverflow if the rounded quotient does not fit,
// kInvalidArgument if denominator == 0. Messages name the operands and the mode.
absl::StatusOr<int64_t> DivideRoundedToInt64(absl::int128 numerator, absl::int128 denominator,
                                             RoundingMode mode);

}  // namespace upkeep

#endif  // UPKEEP_ROUNDING_H_
