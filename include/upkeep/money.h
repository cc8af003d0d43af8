// upkeep/money.h: an exact amount of one currency.
//
// Money is int64 minor units plus a Currency: 1234.56 CNY is {123456, CNY}. It is never a float.
// Arithmetic is checked: overflow gives kOverflow and mixing currencies gives kCurrencyMismatch,
// never a wrap or a silent conversion; messages name both operands.
//
// Parsing accepts plain decimal text: an optional sign, digits, and optionally '.' and digits
// ("1234.56", "-0.5", "+3", "0.10", "007"). A digit is required on both sides of the point, so
// ".5" and "5." are kParse, as are exponents, thousands separators, spaces, NaN, empty text, a
// lone sign and text longer than 100 characters. More fraction digits than the currency has is
// kPrecision, even when they are zeros ("1.230" CNY), unless a rounding mode is given: then the
// exact value is rounded by it, however many digits follow.
//
//   auto cny = upkeep::Currency::FromCode("CNY").value();
//   absl::StatusOr<upkeep::Money> a = upkeep::Money::Parse("1234.56", cny);
//   absl::StatusOr<upkeep::Money> b = a->Add(upkeep::Money::FromMinor(44, cny));  // 1235.00
//   b->ToString();  // "1235.00 CNY"
//
// Thread safety: immutable value type.
#ifndef UPKEEP_MONEY_H_
#define UPKEEP_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/rounding.h"

namespace upkeep {

class Money {
 public:
  constexpr Money() = default;  // 0 CNY
  static constexpr Money FromMinor(int64_t amount_minor, Currency currency) {
    return Money(amount_minor, currency);
  }
  static Money Zero(Currency currency) { return Money(0, currency); }

  // Parses decimal text in `currency`'s minor units. With `rounding`, extra fraction digits are
  // rounded by it; without, they are kPrecision. Out of int64 range is kOverflow.
  static absl::StatusOr<Money> Parse(std::string_view decimal, Currency currency,
                                     std::optional<RoundingMode> rounding = std::nullopt);
  // Parses "1234.56 CNY" (amount, one space, ISO code): the form ToString writes. kParse for
  // any other layout, kUnknownCurrency for the code, then as Parse.
  static absl::StatusOr<Money> ParseWithCode(std::string_view text,
                                             std::optional<RoundingMode> rounding = std::nullopt);

  constexpr int64_t amount_minor() const { return amount_minor_; }
  constexpr Currency currency() const { return currency_; }
  constexpr bool is_zero() const { return amount_minor_ == 0; }
  constexpr bool is_negative() const { return amount_minor_ < 0; }

  absl::StatusOr<Money> Add(Money other) const;       // kCurrencyMismatch, kOverflow
  absl::StatusOr<Money> Subtract(Money other) const;  // kCurrencyMismatch, kOverflow
  absl::StatusOr<Money> Negate() const;               // kOverflow for INT64_MIN
  // this * numerator / denominator, exact then rounded by `mode`; kOverflow if the result does
  // not fit, kInvalidArgument if denominator == 0. Any signs.
  absl::StatusOr<Money> MultiplyRatio(int64_t numerator, int64_t denominator,
                                      RoundingMode mode = RoundingMode::kHalfEven) const;
  // this * `factor` where factor is decimal text ("1.15", "0.02", "-1"), exact then rounded by
  // `mode`. Errors as Decimal::Parse (naming the factor), and kOverflow.
  absl::StatusOr<Money> MultiplyDecimal(std::string_view factor,
                                        RoundingMode mode = RoundingMode::kHalfEven) const;
  // Three-way comparison; kCurrencyMismatch when the currencies differ.
  absl::StatusOr<int> Compare(Money other) const;

  // "1234.56" with exactly minor_exponent() fraction digits ("-0.50", "12" for JPY).
  std::string ToDecimalString() const;
  // "1234.56 CNY".
  std::string ToString() const;

  friend constexpr bool operator==(Money a, Money b) = default;

 private:
  constexpr Money(int64_t amount_minor, Currency currency)
      : amount_minor_(amount_minor), currency_(currency) {}
  int64_t amount_minor_ = 0;
  Currency currency_;
};

// Parses decimal text into an exact rational mantissa / 10^scale ("12.50" -> {1250, 2}).
// Used for ratios, factors and percentages in policies. The grammar is Money::Parse's. kParse on
// malformed text, kOverflow when the mantissa does not fit in int64, kInvalidArgument when scale
// would exceed 18.
struct Decimal {
  int64_t mantissa = 0;
  int32_t scale = 0;  // value = mantissa / 10^scale, 0 <= scale <= 18
  static absl::StatusOr<Decimal> Parse(std::string_view text);
  // Exactly `scale` fraction digits, trailing zeros kept as given: {1250, 2} is "12.50",
  // {-5, 1} is "-0.5". REQUIRES: 0 <= scale <= 18.
  std::string ToString() const;
};

}  // namespace upkeep

#endif  // UPKEEP_MONEY_H_
