// Currency: the ISO 4217 table and O(1) lookups by alphabetic and numeric code.
#include "upkeep/currency.h"

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "money/decimal_text.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

struct CurrencyInfo {
  const char* code;  // three upper-case ASCII letters
  int numeric;       // 1..999
  int minor_exponent;
};

constexpr CurrencyInfo kCurrencies[] = {
#include "money/currency_table.inc"
};
constexpr int kCurrencyCount = static_cast<int>(std::size(kCurrencies));
constexpr int64_t kPowersOfTen[] = {1, 10, 100, 1000, 10000};

constexpr bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }

// Three upper-case letters as a number in [0, 26^3); -1 for anything else.
constexpr int AlphaSlot(std::string_view code) {
  if (code.size() != 3) return -1;
  int slot = 0;
  for (char c : code) {
    if (!IsUpperAscii(c)) return -1;
    slot = slot * 26 + (c - 'A');
  }
  return slot;
}

constexpr int kAlphaSlots = 26 * 26 * 26;
constexpr int kNumericSlots = 1000;
constexpr uint8_t kNoCurrency = 0xFF;

// Direct tables from code to table index (kNoCurrency where there is none): 17.6 KB and 1 KB.
constexpr auto kByAlpha = [] {
  std::array<uint8_t, kAlphaSlots> table{};
  table.fill(kNoCurrency);
  for (int i = 0; i < kCurrencyCount; ++i) {
    table[static_cast<size_t>(AlphaSlot(kCurrencies[i].code))] = static_cast<uint8_t>(i);
  }
  return table;
}();

constexpr auto kByNumeric = [] {
  std::array<uint8_t, kNumericSlots> table{};
  table.fill(kNoCurrency);
  for (int i = 0; i < kCurrencyCount; ++i) {
    table[static_cast<size_t>(kCurrencies[i].numeric)] = static_cast<uint8_t>(i);
  }
  return table;
}();

// The table's invariants, checked when compiling.
constexpr bool TableIsWellFormed() {
  for (int i = 0; i < kCurrencyCount; ++i) {
    const CurrencyInfo& c = kCurrencies[i];
    if (AlphaSlot(c.code) < 0) return false;
    if (c.numeric < 1 || c.numeric >= kNumericSlots) return false;
    if (c.minor_exponent < 0 || c.minor_exponent > 4) return false;
    // Strictly ascending codes: sorted and unique.
    if (i > 0 && AlphaSlot(kCurrencies[i - 1].code) >= AlphaSlot(c.code)) return false;
    // Unique numeric codes: each one maps back to its own entry.
    if (kByNumeric[static_cast<size_t>(c.numeric)] != i) return false;
  }
  return true;
}

static_assert(kCurrencyCount > 0 && kCurrencyCount < kNoCurrency);
static_assert(TableIsWellFormed(), "currency_table.inc must be sorted with unique codes");

const CurrencyInfo& InfoAt(uint16_t index) { return kCurrencies[index]; }

}  // namespace

absl::StatusOr<Currency> Currency::FromCode(std::string_view code) {
  const int slot = AlphaSlot(code);
  if (slot >= 0) {
    const uint8_t index = kByAlpha[static_cast<size_t>(slot)];
    if (index != kNoCurrency) return Currency(index);
  }
  return MakeError(ErrorCode::kUnknownCurrency,
                   absl::StrFormat("unknown currency code %s: expected an active ISO 4217 code "
                                   "with a minor unit, such as \"CNY\"",
                                   money_internal::QuoteForMessage(code)));
}

absl::StatusOr<Currency> Currency::FromNumeric(int numeric) {
  if (numeric >= 0 && numeric < kNumericSlots) {
    const uint8_t index = kByNumeric[static_cast<size_t>(numeric)];
    if (index != kNoCurrency) return Currency(index);
  }
  return MakeError(ErrorCode::kUnknownCurrency,
                   absl::StrCat("unknown ISO 4217 numeric currency code ", numeric));
}

std::string_view Currency::code() const { return InfoAt(index_).code; }
int Currency::numeric() const { return InfoAt(index_).numeric; }
int Currency::minor_exponent() const { return InfoAt(index_).minor_exponent; }
int64_t Currency::minor_per_major() const { return kPowersOfTen[InfoAt(index_).minor_exponent]; }

int Currency::count() {
  static_assert(std::string_view(kCurrencies[kCnyIndex].code) == "CNY",
                "Currency::kCnyIndex must be CNY's position in currency_table.inc");
  return kCurrencyCount;
}

Currency Currency::at(int index) {
  assert(index >= 0 && index < kCurrencyCount);
  return Currency(static_cast<uint16_t>(index));
}

}  // namespace upkeep
