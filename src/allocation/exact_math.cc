#include "allocation/exact_math.h"

#include <algorithm>
#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

absl::uint128 Magnitude(absl::int128 v) {
  return v < 0 ? absl::uint128(-(v + 1)) + 1 : absl::uint128(v);
}

// a * b, or false when the exact product does not fit in int128.
bool MultiplyChecked(absl::int128 a, absl::int128 b, absl::int128& out) {
  const absl::uint128 ma = Magnitude(a);
  const absl::uint128 mb = Magnitude(b);
  const absl::uint128 limit = absl::uint128(std::numeric_limits<absl::int128>::max());
  if (ma != 0 && mb > limit / ma) return false;
  out = a * b;
  return true;
}

absl::Status OverflowError(int64_t amount_minor) {
  return MakeError(ErrorCode::kOverflow,
                   absl::StrCat("overflow: scaling ", amount_minor, " by the policy's factors"));
}

}  // namespace

absl::StatusOr<int64_t> ScaleByDecimals(int64_t amount_minor, std::span<const Decimal> factors,
                                        int64_t divisor, RoundingMode mode) {
  absl::int128 numerator = amount_minor;
  absl::int128 denominator = divisor;
  for (const Decimal& factor : factors) {
    if (!MultiplyChecked(numerator, factor.mantissa, numerator) ||
        !MultiplyChecked(denominator, PowerOf10(factor.scale), denominator)) {
      return OverflowError(amount_minor);
    }
  }
  absl::StatusOr<int64_t> result = DivideRoundedToInt64(numerator, denominator, mode);
  if (!result.ok()) return OverflowError(amount_minor);
  return result;
}

absl::StatusOr<int64_t> DecimalToMinor(Decimal value, Currency currency, std::string_view label) {
  const int exponent = currency.minor_exponent();
  absl::int128 minor = value.mantissa;
  if (value.scale > exponent) {
    const absl::int128 unit = PowerOf10(value.scale - exponent);
    if (minor % unit != 0) {
      return MakeError(
          ErrorCode::kPrecision,
          absl::StrCat(AsAbsl(label), ": ", value.ToString(), " has more decimals than ",
                       AsAbsl(currency.code()), " allows (", exponent, ")"));
    }
    minor /= unit;
  } else {
    minor *= PowerOf10(exponent - value.scale);
  }
  if (minor > std::numeric_limits<int64_t>::max() || minor < std::numeric_limits<int64_t>::min()) {
    return MakeError(ErrorCode::kOverflow, absl::StrCat(AsAbsl(label), ": ", value.ToString(),
                                                        " does not fit in 64 bits"));
  }
  return static_cast<int64_t>(minor);
}

int CompareDecimal(Decimal value, int64_t n) {
  const absl::int128 lhs = value.mantissa;
  const absl::int128 rhs = absl::int128(n) * PowerOf10(value.scale);
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

int CompareDecimals(Decimal a, Decimal b) {
  const int32_t scale = std::max(a.scale, b.scale);
  const absl::int128 lhs = absl::int128(a.mantissa) * PowerOf10(scale - a.scale);
  const absl::int128 rhs = absl::int128(b.mantissa) * PowerOf10(scale - b.scale);
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

std::string FormatMinor(absl::int128 minor, Currency currency) {
  if (minor <= std::numeric_limits<int64_t>::max() &&
      minor >= std::numeric_limits<int64_t>::min()) {
    return Money::FromMinor(static_cast<int64_t>(minor), currency).ToString();
  }
  const bool negative = minor < 0;
  const absl::uint128 magnitude = Magnitude(minor);
  // Beyond int64: print the digits of the 128-bit magnitude.
  std::string digits;
  absl::uint128 rest = magnitude;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(rest % 10)));
    rest /= 10;
  } while (rest != 0);
  return absl::StrCat(negative ? "-" : "", digits, " minor units of ", AsAbsl(currency.code()));
}

absl::StatusOr<std::vector<uint64_t>> DecimalsToWeights(std::span<const Decimal> values) {
  int32_t scale = 0;
  for (const Decimal& v : values) scale = std::max(scale, v.scale);
  std::vector<uint64_t> weights;
  weights.reserve(values.size());
  for (const Decimal& v : values) {
    const absl::int128 scaled = absl::int128(v.mantissa) * PowerOf10(scale - v.scale);
    if (scaled > absl::int128(std::numeric_limits<uint64_t>::max())) {
      return MakeError(ErrorCode::kOverflow,
                       absl::StrCat("overflow: weight ", v.ToString(), " at scale ", scale));
    }
    weights.push_back(static_cast<uint64_t>(scaled));
  }
  return weights;
}

absl::int128 PowerOf10(int exponent) {
  absl::int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

absl::int128 Sum128(std::span<const int64_t> values) {
  absl::int128 total = 0;
  for (int64_t v : values) total += v;
  return total;
}

}  // namespace upkeep::allocation_internal
