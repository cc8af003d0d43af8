// money/decimal_text.h: the one grammar for decimal text in upkeep, shared by Money and Decimal.
//
// Accepted: an optional sign, one or more ASCII digits, and optionally a '.' followed by one or
// more digits: "12", "-0.5", "+3", "0.10", "007.25". Rejected with kParse and a message naming
// the field and the text: empty text, a lone sign, ".5" and "5." (a digit is required on both
// sides of the point), exponents ("1e5"), separators ("1,000", "1_000"), spaces anywhere,
// "NaN"/"inf", and text longer than kMaxDecimalTextLength characters.
//
//   absl::StatusOr<DecimalText> t = ScanDecimalText("-12.50", "amount");
//   // t->negative == true, t->integer_digits == "12", t->fraction_digits == "50"
//
// Thread safety: pure functions.
#ifndef UPKEEP_MONEY_DECIMAL_TEXT_H_
#define UPKEEP_MONEY_DECIMAL_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "upkeep/money.h"

namespace upkeep::money_internal {

inline constexpr size_t kMaxDecimalTextLength = 100;

struct DecimalText {
  bool negative = false;
  std::string_view integer_digits;   // one or more digits, views into the scanned text
  std::string_view fraction_digits;  // zero or more digits
};

// Splits `text` by the grammar above. `what` names the field in messages ("amount", "ratio 2").
absl::StatusOr<DecimalText> ScanDecimalText(std::string_view text, std::string_view what);

// `text` quoted and C-escaped for an error message, cut to kMaxDecimalTextLength characters.
std::string QuoteForMessage(std::string_view text);

// `value` / 10^fraction_digits as text with exactly that many fraction digits: (-5, 2) gives
// "-0.05", (1234, 0) gives "1234". REQUIRES: 0 <= fraction_digits <= 18.
std::string FormatFixedPoint(int64_t value, int fraction_digits);

// Decimal::Parse with `what` naming the field in messages ("factor", "ratio 3").
absl::StatusOr<Decimal> ParseDecimalNamed(std::string_view text, std::string_view what);

}  // namespace upkeep::money_internal

#endif  // UPKEEP_MONEY_DECIMAL_TEXT_H_
