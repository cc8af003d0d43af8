// upkeep/currency.h: ISO 4217 currencies and their minor-unit exponents.
//
// A Currency is a small value (two bytes) naming one entry of the built-in ISO 4217 table: the
// active codes with their numeric code and minor-unit exponent (CNY 2, JPY 0, KWD 3, CLF 4, ...).
// Codes without a defined minor unit (XAU, XDR, ...) are not money that upkeep moves and are
// rejected, and so are withdrawn codes (HRK, ANG, ...). Lookup is case-sensitive: ISO codes are
// three upper-case ASCII letters. Lookups are O(1) (direct tables), without allocation.
//
//   absl::StatusOr<upkeep::Currency> cny = upkeep::Currency::FromCode("CNY");
//   cny->minor_exponent();   // 2
//
// Thread safety: immutable value type; the table is constant.
#ifndef UPKEEP_CURRENCY_H_
#define UPKEEP_CURRENCY_H_

#include <compare>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace upkeep {

class Currency {
 public:
  // The currency with alphabetic code `code` ("CNY"), or kUnknownCurrency naming the code.
  static absl::StatusOr<Currency> FromCode(std::string_view code);
  // The currency with ISO numeric code `numeric` (156 for CNY), or kUnknownCurrency.
  static absl::StatusOr<Currency> FromNumeric(int numeric);

  // Default-constructed: CNY, the product's home currency. Prefer FromCode.
  constexpr Currency() = default;

  std::string_view code() const;    // "CNY"
  int numeric() const;              // 156
  int minor_exponent() const;       // 2: one major unit is 10^2 minor units
  int64_t minor_per_major() const;  // 100

  // The number of currencies in the table, and the i-th one (for listing; stable order by code).
  // REQUIRES: 0 <= index < count().
  static int count();
  static Currency at(int index);

  friend bool operator==(Currency a, Currency b) = default;
  friend auto operator<=>(Currency a, Currency b) = default;

 private:
  constexpr explicit Currency(uint16_t index) : index_(index) {}
  // The position of CNY in the table; currency.cc asserts it at compile time.
  static constexpr uint16_t kCnyIndex = 32;
  uint16_t index_ = kCnyIndex;
};

}  // namespace upkeep

#endif  // UPKEEP_CURRENCY_H_
