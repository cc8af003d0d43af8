// Property tests of Money: format/parse round trips in every currency, and parsing with
// rounding against exact division.
#include <cstdint>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/money.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

constexpr RoundingMode kAllModes[] = {RoundingMode::kHalfEven, RoundingMode::kHalfUp,
                                      RoundingMode::kDown,     RoundingMode::kUp,
                                      RoundingMode::kFloor,    RoundingMode::kCeiling};

TEST(MoneyRoundTripTest, EveryCurrencyAtTheEdges) {
  for (int i = 0; i < Currency::count(); ++i) {
    const Currency c = Currency::at(i);
    for (int64_t minor : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{9}, int64_t{10},
                          int64_t{-123456789}, INT64_MAX, INT64_MIN}) {
      const Money m = Money::FromMinor(minor, c);
      ASSERT_OK_AND_ASSIGN(Money parsed, Money::Parse(m.ToDecimalString(), c));
      EXPECT_EQ(parsed, m) << m.ToString();
      ASSERT_OK_AND_ASSIGN(Money with_code, Money::ParseWithCode(m.ToString()));
      EXPECT_EQ(with_code, m) << m.ToString();
    }
  }
}

rc::Gen<Currency> AnyCurrency() {
  return rc::gen::map(rc::gen::inRange(0, Currency::count()), &Currency::at);
}

RC_GTEST_PROP(MoneyProperty, FormatThenParseIsIdentity, (int64_t minor)) {
  const Currency c = *AnyCurrency();
  const Money m = Money::FromMinor(minor, c);
  const std::string text = m.ToDecimalString();
  const auto point = text.find('.');
  RC_ASSERT((point == std::string::npos ? 0 : text.size() - point - 1) ==
            static_cast<size_t>(c.minor_exponent()));
  const absl::StatusOr<Money> parsed = Money::ParseWithCode(m.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == m);
}

// Parsing digits with k extra fraction digits equals dividing the whole digit string by 10^k.
RC_GTEST_PROP(MoneyProperty, ParseRoundsLikeExactDivision, (int64_t minor)) {
  const Currency c = *AnyCurrency();
  const int extra = *rc::gen::inRange(1, 12);
  std::string extra_digits;
  for (int i = 0; i < extra; ++i) {
    extra_digits += *rc::gen::oneOf(rc::gen::element('0', '5', '9'), rc::gen::inRange('0', ':'));
  }
  const std::string text = Money::FromMinor(minor, c).ToDecimalString();
  const std::string longer = absl::StrCat(text, c.minor_exponent() == 0 ? "." : "", extra_digits);
  absl::int128 whole = minor;
  absl::int128 scale = 1;
  for (char digit : extra_digits) {
    whole = whole * 10 + (minor < 0 ? -(digit - '0') : digit - '0');
    scale *= 10;
  }
  RC_TAG(extra);
  for (RoundingMode mode : kAllModes) {
    const absl::StatusOr<Money> parsed = Money::Parse(longer, c, mode);
    const absl::int128 want = DivideRounded(whole, scale, mode);
    if (want > INT64_MAX || want < INT64_MIN) {
      RC_ASSERT(ErrorCodeOf(parsed.status()) == ErrorCode::kOverflow);
    } else {
      RC_ASSERT(parsed.ok());
      RC_ASSERT(absl::int128(parsed->amount_minor()) == want);
    }
  }
  RC_ASSERT(ErrorCodeOf(Money::Parse(longer, c).status()) == ErrorCode::kPrecision);
}

RC_GTEST_PROP(MoneyProperty, AddThenSubtractIsIdentityOrOverflow, (int64_t a, int64_t b)) {
  const Currency c = *AnyCurrency();
  const absl::StatusOr<Money> sum = Money::FromMinor(a, c).Add(Money::FromMinor(b, c));
  const absl::int128 exact = absl::int128(a) + b;
  if (exact > INT64_MAX || exact < INT64_MIN) {
    RC_ASSERT(ErrorCodeOf(sum.status()) == ErrorCode::kOverflow);
  } else {
    RC_ASSERT(sum.ok());
    RC_ASSERT(*sum->Subtract(Money::FromMinor(b, c)) == Money::FromMinor(a, c));
  }
}

}  // namespace
}  // namespace upkeep
