// money/rounding_internal.h: the one rounding decision shared by division and decimal parsing.
//
// A value is split into a truncated magnitude and a discarded fraction of one unit. Knowing only
// how that fraction compares with one half, its sign and the parity of the truncated magnitude,
// every RoundingMode decides whether the magnitude moves one unit away from zero.
//
//   // 2.5 -> truncated 2, discarded exactly half: half-even keeps 2, half-up gives 3.
//   RoundsAwayFromZero(Discarded::kHalf, /*negative=*/false, /*truncated_is_odd=*/false, mode);
//
// Thread safety: pure function.
#ifndef UPKEEP_MONEY_ROUNDING_INTERNAL_H_
#define UPKEEP_MONEY_ROUNDING_INTERNAL_H_

#include <cstdint>

#include "upkeep/rounding.h"

namespace upkeep::money_internal {

// How the discarded fraction compares with one half of a unit.
enum class Discarded : uint8_t { kZero, kBelowHalf, kHalf, kAboveHalf };

// True when the truncated magnitude must grow by one unit (away from zero).
bool RoundsAwayFromZero(Discarded discarded, bool negative, bool truncated_is_odd,
                        RoundingMode mode);

}  // namespace upkeep::money_internal

#endif  // UPKEEP_MONEY_ROUNDING_INTERNAL_H_
