// Decimal: exact decimal ratios and factors, mantissa / 10^scale.
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"
#include "money/decimal_text.h"
#include "upkeep/money.h"
#include "upkeep/status.h"

namespace upkeep {
namespace money_internal {
namespace {

constexpr int32_t kMaxDecimalScale = 18;
constexpr uint64_t kInt64MinMagnitude = uint64_t{1} << 63;

}  // namespace

absl::StatusOr<Decimal> ParseDecimalNamed(std::string_view text, std::string_view what) {
  absl::StatusOr<DecimalText> scanned = ScanDecimalText(text, what);
  if (!scanned.ok()) return scanned.status();
  if (scanned->fraction_digits.size() > kMaxDecimalScale) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrFormat("%s %s: %d fraction digits; at most %d are supported", what,
                        QuoteForMessage(text), scanned->fraction_digits.size(), kMaxDecimalScale));
  }
  // The magnitude of the mantissa, with int64's range: up to 2^63 when negative.
  const uint64_t limit = scanned->negative ? kInt64MinMagnitude : kInt64MinMagnitude - 1;
  uint64_t magnitude = 0;
  for (std::string_view digits : {scanned->integer_digits, scanned->fraction_digits}) {
    for (char c : digits) {
      const auto digit = static_cast<uint64_t>(c - '0');
      if (magnitude > (limit - digit) / 10) {
        return MakeError(ErrorCode::kOverflow,
                         absl::StrFormat("%s %s: more significant digits than fit in 64 bits", what,
                                         QuoteForMessage(text)));
      }
      magnitude = magnitude * 10 + digit;
    }
  }
  Decimal out;
  out.mantissa = static_cast<int64_t>(scanned->negative ? 0 - magnitude : magnitude);
  out.scale = static_cast<int32_t>(scanned->fraction_digits.size());
  return out;
}

}  // namespace money_internal

absl::StatusOr<Decimal> Decimal::Parse(std::string_view text) {
  return money_internal::ParseDecimalNamed(text, "decimal");
}

std::string Decimal::ToString() const { return money_internal::FormatFixedPoint(mantissa, scale); }

}  // namespace upkeep
