// Rounding modes and exact rounded division of 128-bit integers.
#include "upkeep/rounding.h"

#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "money/decimal_text.h"
#include "money/rounding_internal.h"
#include "upkeep/status.h"

namespace upkeep {
namespace money_internal {

bool RoundsAwayFromZero(Discarded discarded, bool negative, bool truncated_is_odd,
                        RoundingMode mode) {
  if (discarded == Discarded::kZero) return false;
  switch (mode) {
    case RoundingMode::kHalfEven:
      return discarded == Discarded::kAboveHalf ||
             (discarded == Discarded::kHalf && truncated_is_odd);
    case RoundingMode::kHalfUp:
      return discarded != Discarded::kBelowHalf;
    case RoundingMode::kDown:
      return false;
    case RoundingMode::kUp:
      return true;
    case RoundingMode::kFloor:
      return negative;
    case RoundingMode::kCeiling:
      return !negative;
  }
  return false;  // Not reached: every mode is handled above.
}

}  // namespace money_internal

namespace {

struct ModeName {
  RoundingMode mode;
  std::string_view name;
};

constexpr ModeName kModeNames[] = {
    {RoundingMode::kHalfEven, "half_even"}, {RoundingMode::kHalfUp, "half_up"},
    {RoundingMode::kDown, "down"},          {RoundingMode::kUp, "up"},
    {RoundingMode::kFloor, "floor"},        {RoundingMode::kCeiling, "ceiling"},
};

absl::uint128 Magnitude(absl::int128 value) {
  const auto bits = static_cast<absl::uint128>(value);
  return value < 0 ? -bits : bits;
}

}  // namespace

std::string_view RoundingModeName(RoundingMode mode) {
  for (const ModeName& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "unknown";
}

absl::StatusOr<RoundingMode> ParseRoundingMode(std::string_view name) {
  for (const ModeName& entry : kModeNames) {
    if (entry.name == name) return entry.mode;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   absl::StrFormat("unknown rounding mode %s: expected half_even, half_up, down, "
                                   "up, floor or ceiling",
                                   money_internal::QuoteForMessage(name)));
}

absl::int128 DivideRounded(absl::int128 numerator, absl::int128 denominator, RoundingMode mode) {
  const absl::int128 quotient = numerator / denominator;
  const absl::int128 remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  using money_internal::Discarded;
  // |remainder| < |denominator|; compare |remainder| with the rest of |denominator| to learn
  // where the fraction |remainder| / |denominator| lies against one half, without overflow.
  const absl::uint128 below = Magnitude(remainder);
  const absl::uint128 above = Magnitude(denominator) - below;
  const Discarded discarded = below < above    ? Discarded::kBelowHalf
                              : below == above ? Discarded::kHalf
                                               : Discarded::kAboveHalf;
  const bool negative = (numerator < 0) != (denominator < 0);
  const bool odd = (absl::Uint128Low64(Magnitude(quotient)) & 1) != 0;
  if (!money_internal::RoundsAwayFromZero(discarded, negative, odd, mode)) return quotient;
  return negative ? quotient - 1 : quotient + 1;
}

absl::StatusOr<int64_t> DivideRoundedToInt64(absl::int128 numerator, absl::int128 denominator,
                                             RoundingMode mode) {
  if (denominator == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrFormat("division by zero: %d / 0", numerator));
  }
  // The only quotient that does not fit in int128 itself: MIN / -1.
  const bool too_big = denominator == -1 && numerator == absl::Int128Min();
  if (!too_big) {
    const absl::int128 quotient = DivideRounded(numerator, denominator, mode);
    if (quotient >= INT64_MIN && quotient <= INT64_MAX) return static_cast<int64_t>(quotient);
  }
  return MakeError(ErrorCode::kOverflow,
                   absl::StrFormat("overflow: %d / %d rounded %s does not fit in 64 bits",
                                   numerator, denominator, RoundingModeName(mode)));
}

}  // namespace upkeep
