#include "customer/decimal_math.h"

#include <cstdint>

namespace upkeep::customer_internal {

absl::int128 Pow10(int exponent) {
  absl::int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

int CompareDecimal(Decimal a, Decimal b) {
  // |mantissa| < 2^63 and 10^18 < 2^60, so both products fit in 128 bits.
  const absl::int128 left = absl::int128(a.mantissa) * Pow10(b.scale);
  const absl::int128 right = absl::int128(b.mantissa) * Pow10(a.scale);
  return left < right ? -1 : (left > right ? 1 : 0);
}

double DecimalToDouble(Decimal value) {
  return static_cast<double>(value.mantissa) / static_cast<double>(Pow10(value.scale));
}

absl::int128 CeilScaled(Decimal value, int exponent) {
  const absl::int128 scaled = absl::int128(value.mantissa) * Pow10(exponent);
  const absl::int128 divisor = Pow10(value.scale);
  absl::int128 quotient = scaled / divisor;  // truncates toward zero
  if (scaled % divisor != 0 && scaled > 0) quotient += 1;
  return quotient;
}

Decimal Normalized(Decimal value) {
  while (value.scale > 0 && value.mantissa % 10 == 0) {
    value.mantissa /= 10;
    --value.scale;
  }
  return value;
}

}  // namespace upkeep::customer_internal
