#include "upkeep/money.h"

#include <cstdint>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

Currency Cur(const char* code) { return Currency::FromCode(code).value(); }
Money Cny(int64_t minor) { return Money::FromMinor(minor, Cur("CNY")); }

TEST(MoneyParseTest, AcceptsPlainDecimals) {
  struct Case {
    const char* text;
    const char* code;
    int64_t minor;
  };
  const Case cases[] = {
      {"1234.56", "CNY", 123456},
      {"-0.5", "CNY", -50},
      {"+3", "CNY", 300},
      {"0.10", "CNY", 10},
      {"007", "CNY", 700},
      {"-0", "CNY", 0},
      {"12", "JPY", 12},
      {"1.234", "KWD", 1234},
      {"0.0001", "CLF", 1},
      {"92233720368547758.07", "CNY", INT64_MAX},
      {"-92233720368547758.08", "CNY", INT64_MIN},
      {"9223372036854775807", "JPY", INT64_MAX},
      {"-9223372036854775808", "JPY", INT64_MIN},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(Money m, Money::Parse(c.text, Cur(c.code)));
    EXPECT_EQ(m, Money::FromMinor(c.minor, Cur(c.code))) << c.text << " " << c.code;
  }
}

TEST(MoneyParseTest, MalformedTextIsParseError) {
  for (const char* text : {"", "-", "+", ".5", "5.", "1e2", "1,000.00", "1 000", " 1", "1 ",
                           "1.2.3", "NaN", "nan", "Infinity", "--1", "¥1", "1.0a", "0x1A"}) {
    EXPECT_THAT(Money::Parse(text, Cur("CNY")), StatusIs(ErrorCode::kParse, HasSubstr("amount \"")))
        << text;
  }
}

TEST(MoneyParseTest, ExtraFractionDigitsNeedARoundingMode) {
  EXPECT_THAT(
      Money::Parse("1.005", Cur("CNY")),
      StatusIs(ErrorCode::kPrecision, AllOf(HasSubstr("\"1.005\""), HasSubstr("3 fraction digits"),
                                            HasSubstr("CNY has 2"))));
  EXPECT_THAT(Money::Parse("1.230", Cur("CNY")), StatusIs(ErrorCode::kPrecision));
  EXPECT_THAT(Money::Parse("1.0", Cur("JPY")), StatusIs(ErrorCode::kPrecision));
  EXPECT_THAT(Money::Parse("1.23456", Cur("CLF")), StatusIs(ErrorCode::kPrecision));
}

TEST(MoneyParseTest, RoundsExactlyByTheGivenMode) {
  struct Case {
    const char* text;
    RoundingMode mode;
    int64_t minor;
  };
  const Case cases[] = {
      {"1.005", RoundingMode::kHalfEven, 100},
      {"1.015", RoundingMode::kHalfEven, 102},
      {"1.005", RoundingMode::kHalfUp, 101},
      {"1.0050000000000000000000001", RoundingMode::kHalfEven, 101},  // just above half
      {"1.0049999999999999999999999", RoundingMode::kHalfUp, 100},    // just below half
      {"-1.005", RoundingMode::kHalfUp, -101},
      {"-1.005", RoundingMode::kHalfEven, -100},
      {"-1.001", RoundingMode::kFloor, -101},
      {"-1.009", RoundingMode::kCeiling, -100},
      {"1.009", RoundingMode::kDown, 100},
      {"1.0000000000000001", RoundingMode::kUp, 101},
      {"1.000000", RoundingMode::kUp, 100},  // zeros discarded: exact
      {"-0.004", RoundingMode::kHalfEven, 0},
      {"92233720368547758.074", RoundingMode::kHalfEven, INT64_MAX},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(Money m, Money::Parse(c.text, Cur("CNY"), c.mode));
    EXPECT_EQ(m.amount_minor(), c.minor) << c.text << " " << RoundingModeName(c.mode);
  }
}

TEST(MoneyParseTest, OutOfRangeIsOverflow) {
  EXPECT_THAT(Money::Parse("92233720368547758.08", Cur("CNY")),
              StatusIs(ErrorCode::kOverflow, HasSubstr("\"92233720368547758.08\" CNY")));
  EXPECT_THAT(Money::Parse("-92233720368547758.09", Cur("CNY")), StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(Money::Parse("92233720368547758.075", Cur("CNY"), RoundingMode::kHalfUp),
              StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(Money::Parse("9223372036854775808", Cur("JPY")), StatusIs(ErrorCode::kOverflow));
  EXPECT_THAT(Money::Parse(std::string(99, '9'), Cur("JPY")), StatusIs(ErrorCode::kOverflow));
  // Leading zeros are not magnitude.
  EXPECT_THAT(Money::Parse(std::string(80, '0') + "1", Cur("JPY")), IsOk());
}

TEST(MoneyParseTest, WithCodeNeedsExactlyOneSpaceAndAKnownCode) {
  ASSERT_OK_AND_ASSIGN(Money m, Money::ParseWithCode("1234.56 CNY"));
  EXPECT_EQ(m, Cny(123456));
  ASSERT_OK_AND_ASSIGN(Money yen, Money::ParseWithCode("-5 JPY"));
  EXPECT_EQ(yen, Money::FromMinor(-5, Cur("JPY")));
  ASSERT_OK_AND_ASSIGN(Money rounded, Money::ParseWithCode("1.005 USD", RoundingMode::kUp));
  EXPECT_EQ(rounded, Money::FromMinor(101, Cur("USD")));
  for (const char* text : {"1234.56", "1234.56  CNY", " 1234.56 CNY", "1234.56 CNY ", "", "CNY"}) {
    EXPECT_THAT(Money::ParseWithCode(text),
                StatusIs(ErrorCode::kParse, HasSubstr("one space and an ISO code")))
        << text;
  }
  EXPECT_THAT(Money::ParseWithCode("1.00 XAU"),
              StatusIs(ErrorCode::kUnknownCurrency, HasSubstr("\"XAU\"")));
  EXPECT_THAT(Money::ParseWithCode("1.00 cny"), StatusIs(ErrorCode::kUnknownCurrency));
  EXPECT_THAT(Money::ParseWithCode(" CNY"), StatusIs(ErrorCode::kParse, HasSubstr("empty")));
  EXPECT_THAT(Money::ParseWithCode("1.001 CNY"), StatusIs(ErrorCode::kPrecision));
}

TEST(MoneyFormatTest, WritesExactlyTheCurrencyDigits) {
  EXPECT_EQ(Cny(123456).ToDecimalString(), "1234.56");
  EXPECT_EQ(Cny(-50).ToDecimalString(), "-0.50");
  EXPECT_EQ(Cny(5).ToDecimalString(), "0.05");
  EXPECT_EQ(Cny(0).ToString(), "0.00 CNY");
  EXPECT_EQ(Money::FromMinor(12, Cur("JPY")).ToString(), "12 JPY");
  EXPECT_EQ(Money::FromMinor(-1, Cur("KWD")).ToString(), "-0.001 KWD");
  EXPECT_EQ(Money::FromMinor(12345, Cur("CLF")).ToString(), "1.2345 CLF");
  EXPECT_EQ(Cny(INT64_MIN).ToDecimalString(), "-92233720368547758.08");
  EXPECT_EQ(Cny(INT64_MAX).ToDecimalString(), "92233720368547758.07");
  EXPECT_EQ(Money().ToString(), "0.00 CNY");
}

TEST(MoneyArithmeticTest, AddSubtractNegateAreExact) {
  EXPECT_EQ(*Cny(123456).Add(Cny(44)), Cny(123500));
  EXPECT_EQ(*Cny(1).Subtract(Cny(3)), Cny(-2));
  EXPECT_EQ(*Cny(7).Negate(), Cny(-7));
  EXPECT_EQ(*Cny(INT64_MAX).Negate(), Cny(-INT64_MAX));
  EXPECT_EQ(*Cny(INT64_MAX).Add(Cny(INT64_MIN)), Cny(-1));
  EXPECT_TRUE(Cny(0).is_zero());
  EXPECT_TRUE(Cny(-1).is_negative());
  EXPECT_FALSE(Cny(1).is_negative());
}

TEST(MoneyArithmeticTest, OverflowIsAnErrorNamingTheOperands) {
  EXPECT_THAT(Cny(INT64_MAX).Add(Cny(1)),
              StatusIs(ErrorCode::kOverflow,
                       HasSubstr("92233720368547758.07 CNY + 0.01 CNY does not fit")));
  EXPECT_THAT(Cny(INT64_MIN).Subtract(Cny(1)),
              StatusIs(ErrorCode::kOverflow, HasSubstr("-92233720368547758.08 CNY - 0.01 CNY")));
  EXPECT_THAT(Cny(INT64_MIN).Negate(),
              StatusIs(ErrorCode::kOverflow, HasSubstr("-(-92233720368547758.08 CNY)")));
}

TEST(MoneyArithmeticTest, MixingCurrenciesIsAMismatchNamingBoth) {
  const Money usd = Money::FromMinor(100, Cur("USD"));
  EXPECT_THAT(Cny(200).Add(usd),
              StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("cannot add 1.00 USD to 2.00 CNY")));
  EXPECT_THAT(
      Cny(200).Subtract(usd),
      StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("cannot subtract 1.00 USD from 2.00 CNY")));
  EXPECT_THAT(Cny(200).Compare(usd), StatusIs(ErrorCode::kCurrencyMismatch,
                                              HasSubstr("cannot compare 2.00 CNY with 1.00 USD")));
  // Same digits, different currency: still a mismatch.
  EXPECT_THAT(Cny(0).Add(Money::FromMinor(0, Cur("EUR"))), StatusIs(ErrorCode::kCurrencyMismatch));
}

TEST(MoneyArithmeticTest, CompareIsThreeWay) {
  EXPECT_EQ(*Cny(1).Compare(Cny(2)), -1);
  EXPECT_EQ(*Cny(2).Compare(Cny(2)), 0);
  EXPECT_EQ(*Cny(3).Compare(Cny(2)), 1);
  EXPECT_EQ(*Cny(INT64_MIN).Compare(Cny(INT64_MAX)), -1);
}

TEST(MoneyArithmeticTest, MultiplyRatioRoundsExactly) {
  EXPECT_EQ(*Cny(100).MultiplyRatio(1, 3), Cny(33));
  EXPECT_EQ(*Cny(100).MultiplyRatio(2, 3), Cny(67));
  EXPECT_EQ(*Cny(5).MultiplyRatio(1, 2), Cny(2));  // 2.5 -> 2 (half-even)
  EXPECT_EQ(*Cny(5).MultiplyRatio(1, 2, RoundingMode::kHalfUp), Cny(3));
  EXPECT_EQ(*Cny(-5).MultiplyRatio(1, 2, RoundingMode::kFloor), Cny(-3));
  EXPECT_EQ(*Cny(7).MultiplyRatio(-1, 2, RoundingMode::kCeiling), Cny(-3));
  // The intermediate product exceeds 64 bits; the result does not.
  EXPECT_EQ(*Cny(INT64_MAX).MultiplyRatio(INT64_MAX, INT64_MAX), Cny(INT64_MAX));
  EXPECT_EQ(*Cny(INT64_MIN).MultiplyRatio(3, 4), Cny(INT64_MIN / 4 * 3));
}

TEST(MoneyArithmeticTest, MultiplyRatioErrors) {
  EXPECT_THAT(
      Cny(100).MultiplyRatio(1, 0),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("division by zero: 1.00 CNY * 1 / 0")));
  EXPECT_THAT(Cny(INT64_MAX).MultiplyRatio(2, 1),
              StatusIs(ErrorCode::kOverflow, HasSubstr("92233720368547758.07 CNY * 2 / 1")));
  EXPECT_THAT(Cny(INT64_MIN).MultiplyRatio(-1, 1), StatusIs(ErrorCode::kOverflow));
}

TEST(MoneyArithmeticTest, MultiplyDecimalRoundsExactly) {
  EXPECT_EQ(*Cny(10000).MultiplyDecimal("1.15"), Cny(11500));
  EXPECT_EQ(*Cny(333).MultiplyDecimal("0.5"), Cny(166));  // 166.5 -> 166
  EXPECT_EQ(*Cny(333).MultiplyDecimal("0.5", RoundingMode::kHalfUp), Cny(167));
  EXPECT_EQ(*Cny(100).MultiplyDecimal("-0.02"), Cny(-2));
  EXPECT_EQ(*Cny(1).MultiplyDecimal("0.000000000000000001", RoundingMode::kUp), Cny(1));
  EXPECT_EQ(*Cny(INT64_MAX).MultiplyDecimal("1"), Cny(INT64_MAX));
}

TEST(MoneyArithmeticTest, MultiplyDecimalErrorsNameTheFactor) {
  EXPECT_THAT(Cny(100).MultiplyDecimal("1e2"),
              StatusIs(ErrorCode::kParse, HasSubstr("factor \"1e2\"")));
  EXPECT_THAT(Cny(100).MultiplyDecimal("99999999999999999999"),
              StatusIs(ErrorCode::kOverflow, HasSubstr("factor \"99999999999999999999\"")));
  EXPECT_THAT(Cny(100).MultiplyDecimal("0.0000000000000000001"),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("factor")));
  EXPECT_THAT(Cny(INT64_MAX).MultiplyDecimal("1.01"),
              StatusIs(ErrorCode::kOverflow, HasSubstr("* \"1.01\" rounded half_even")));
}

}  // namespace
}  // namespace upkeep
