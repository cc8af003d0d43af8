// Money: checked arithmetic, exact parsing with optional rounding, and formatting.
#include "upkeep/money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "money/decimal_text.h"
#include "money/rounding_internal.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using money_internal::Discarded;
using money_internal::QuoteForMessage;

constexpr uint64_t kInt64MinMagnitude = uint64_t{1} << 63;
// Beyond this a magnitude has left int64 for good: later digits only make it larger.
constexpr absl::uint128 kMagnitudeCap = absl::MakeUint128(8, 0);  // 2^67

// How the digits cut off after the currency's exponent compare with half a minor unit.
Discarded ClassifyDiscarded(std::string_view cut_digits) {
  if (cut_digits.empty()) return Discarded::kZero;
  const bool rest_is_zero = cut_digits.substr(1).find_first_not_of('0') == std::string_view::npos;
  const char first = cut_digits[0];
  if (first > '5') return Discarded::kAboveHalf;
  if (first == '5') return rest_is_zero ? Discarded::kHalf : Discarded::kAboveHalf;
  if (first == '0' && rest_is_zero) return Discarded::kZero;
  return Discarded::kBelowHalf;
}

absl::Status CurrencyMismatch(std::string_view what) {
  return MakeError(ErrorCode::kCurrencyMismatch, absl::StrFormat("%s: currencies differ", what));
}

absl::Status Overflow(std::string_view expression) {
  return MakeError(ErrorCode::kOverflow,
                   absl::StrFormat("overflow: %s does not fit in 64-bit minor units", expression));
}

}  // namespace

absl::StatusOr<Money> Money::Parse(std::string_view decimal, Currency currency,
                                   std::optional<RoundingMode> rounding) {
  absl::StatusOr<money_internal::DecimalText> scanned =
      money_internal::ScanDecimalText(decimal, "amount");
  if (!scanned.ok()) return scanned.status();
  const auto exponent = static_cast<size_t>(currency.minor_exponent());
  const std::string_view fraction = scanned->fraction_digits;
  if (fraction.size() > exponent && !rounding.has_value()) {
    return MakeError(
        ErrorCode::kPrecision,
        absl::StrFormat("amount %s has %d fraction digits but %s has %d; give a "
                        "rounding mode to round it",
                        QuoteForMessage(decimal), fraction.size(), currency.code(), exponent));
  }
  // The magnitude in minor units, truncated: integer digits, then `exponent` fraction digits
  // padded with zeros.
  absl::uint128 magnitude = 0;
  auto append_digit = [&magnitude](char c) {
    if (magnitude < kMagnitudeCap) magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  };
  for (char c : scanned->integer_digits) append_digit(c);
  for (size_t i = 0; i < exponent; ++i) append_digit(i < fraction.size() ? fraction[i] : '0');
  const Discarded discarded =
      ClassifyDiscarded(fraction.size() > exponent ? fraction.substr(exponent) : "");
  const bool odd = (absl::Uint128Low64(magnitude) & 1) != 0;
  if (rounding.has_value() &&
      money_internal::RoundsAwayFromZero(discarded, scanned->negative, odd, *rounding)) {
    magnitude += 1;
  }
  const uint64_t limit = scanned->negative ? kInt64MinMagnitude : kInt64MinMagnitude - 1;
  if (magnitude > limit) {
    return Overflow(absl::StrFormat("amount %s %s", QuoteForMessage(decimal), currency.code()));
  }
  const uint64_t bits = absl::Uint128Low64(magnitude);
  return Money(static_cast<int64_t>(scanned->negative ? 0 - bits : bits), currency);
}

absl::StatusOr<Money> Money::ParseWithCode(std::string_view text,
                                           std::optional<RoundingMode> rounding) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
    return MakeError(ErrorCode::kParse,
                     absl::StrCat("money ", QuoteForMessage(text),
                                  ": expected an amount, one space and an ISO code, like "
                                  "\"1234.56 CNY\""));
  }
  absl::StatusOr<Currency> currency = Currency::FromCode(text.substr(space + 1));
  if (!currency.ok()) return currency.status();
  return Parse(text.substr(0, space), *currency, rounding);
}

absl::StatusOr<Money> Money::Add(Money other) const {
  if (other.currency_ != currency_)
    return CurrencyMismatch(absl::StrCat("cannot add ", other.ToString(), " to ", ToString()));
  int64_t sum_minor;
  if (__builtin_add_overflow(amount_minor_, other.amount_minor_, &sum_minor)) {
    return Overflow(absl::StrCat(ToString(), " + ", other.ToString()));
  }
  return Money(sum_minor, currency_);
}

absl::StatusOr<Money> Money::Subtract(Money other) const {
  if (other.currency_ != currency_)
    return CurrencyMismatch(
        absl::StrCat("cannot subtract ", other.ToString(), " from ", ToString()));
  int64_t difference_minor;
  if (__builtin_sub_overflow(amount_minor_, other.amount_minor_, &difference_minor)) {
    return Overflow(absl::StrCat(ToString(), " - ", other.ToString()));
  }
  return Money(difference_minor, currency_);
}

absl::StatusOr<Money> Money::Negate() const {
  if (amount_minor_ == INT64_MIN) return Overflow(absl::StrCat("-(", ToString(), ")"));
  return Money(-amount_minor_, currency_);
}

absl::StatusOr<Money> Money::MultiplyRatio(int64_t numerator, int64_t denominator,
                                           RoundingMode mode) const {
  if (denominator == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("division by zero: ", ToString(), " * ", numerator, " / 0"));
  }
  const absl::int128 product = absl::int128(amount_minor_) * numerator;
  absl::StatusOr<int64_t> result_minor = DivideRoundedToInt64(product, denominator, mode);
  if (!result_minor.ok()) {
    return Overflow(absl::StrFormat("%s * %d / %d rounded %s", ToString(), numerator, denominator,
                                    RoundingModeName(mode)));
  }
  return Money(*result_minor, currency_);
}

absl::StatusOr<Money> Money::MultiplyDecimal(std::string_view factor, RoundingMode mode) const {
  absl::StatusOr<Decimal> parsed = money_internal::ParseDecimalNamed(factor, "factor");
  if (!parsed.ok()) return parsed.status();
  absl::int128 denominator = 1;
  for (int32_t i = 0; i < parsed->scale; ++i) denominator *= 10;
  const absl::int128 product = absl::int128(amount_minor_) * parsed->mantissa;
  absl::StatusOr<int64_t> result_minor = DivideRoundedToInt64(product, denominator, mode);
  if (!result_minor.ok()) {
    return Overflow(absl::StrFormat("%s * %s rounded %s", ToString(), QuoteForMessage(factor),
                                    RoundingModeName(mode)));
  }
  return Money(*result_minor, currency_);
}

absl::StatusOr<int> Money::Compare(Money other) const {
  if (other.currency_ != currency_)
    return CurrencyMismatch(
        absl::StrCat("cannot compare ", ToString(), " with ", other.ToString()));
  if (amount_minor_ < other.amount_minor_) return -1;
  return amount_minor_ > other.amount_minor_ ? 1 : 0;
}

std::string Money::ToDecimalString() const {
  return money_internal::FormatFixedPoint(amount_minor_, currency_.minor_exponent());
}

std::string Money::ToString() const {
  return absl::StrFormat("%s %s", ToDecimalString(), currency_.code());
}

}  // namespace upkeep
