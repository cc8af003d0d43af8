// customer/decimal_math.h: exact comparisons and conversions of Decimal bounds (internal).
//
// Classifier thresholds and percentages are exact Decimals (mantissa / 10^scale, scale <= 18).
// These helpers compare them exactly in 128-bit integers and convert them for comparison with
// minor units or doubles.
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_DECIMAL_MATH_H_
#define UPKEEP_CUSTOMER_DECIMAL_MATH_H_

#include "absl/numeric/int128.h"
#include "upkeep/money.h"

namespace upkeep::customer_internal {

// 10^exponent. REQUIRES: 0 <= exponent <= 36.
absl::int128 Pow10(int exponent);
// -1, 0 or 1 as a < b, a == b, a > b, exactly.
int CompareDecimal(Decimal a, Decimal b);
// The nearest double (by one division; deterministic).
double DecimalToDouble(Decimal value);
// The smallest integer >= value * 10^exponent. REQUIRES: 0 <= exponent <= 18.
absl::int128 CeilScaled(Decimal value, int exponent);
// `value` with trailing fraction zeros removed ("80.50" -> "80.5"), same value.
Decimal Normalized(Decimal value);

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_DECIMAL_MATH_H_
