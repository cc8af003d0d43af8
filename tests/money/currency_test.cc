#include "upkeep/currency.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

TEST(CurrencyTest, TableHoldsTheActiveIsoCodesInOrder) {
  EXPECT_GE(Currency::count(), 155);
  EXPECT_LE(Currency::count(), 180);
  std::set<int> numerics;
  for (int i = 0; i < Currency::count(); ++i) {
    const Currency c = Currency::at(i);
    if (i > 0) {
      EXPECT_LT(Currency::at(i - 1).code(), c.code()) << "at " << i;
    }
    EXPECT_TRUE(numerics.insert(c.numeric()).second) << c.code() << " repeats its numeric code";
    EXPECT_GE(c.minor_exponent(), 0) << c.code();
    EXPECT_LE(c.minor_exponent(), 4) << c.code();
  }
}

TEST(CurrencyTest, EveryEntryIsFoundByBothCodes) {
  for (int i = 0; i < Currency::count(); ++i) {
    const Currency c = Currency::at(i);
    ASSERT_OK_AND_ASSIGN(Currency by_code, Currency::FromCode(c.code()));
    EXPECT_EQ(by_code, c);
    ASSERT_OK_AND_ASSIGN(Currency by_numeric, Currency::FromNumeric(c.numeric()));
    EXPECT_EQ(by_numeric, c);
  }
}

struct Expected {
  const char* code;
  int numeric;
  int minor_exponent;
  int64_t minor_per_major;
};

class KnownCurrencyTest : public ::testing::TestWithParam<Expected> {};

TEST_P(KnownCurrencyTest, HasIsoNumericAndExponent) {
  const Expected& want = GetParam();
  ASSERT_OK_AND_ASSIGN(Currency c, Currency::FromCode(want.code));
  EXPECT_EQ(c.code(), want.code);
  EXPECT_EQ(c.numeric(), want.numeric);
  EXPECT_EQ(c.minor_exponent(), want.minor_exponent);
  EXPECT_EQ(c.minor_per_major(), want.minor_per_major);
}

INSTANTIATE_TEST_SUITE_P(
    Iso4217, KnownCurrencyTest,
    ::testing::Values(
        Expected{"CNY", 156, 2, 100}, Expected{"USD", 840, 2, 100}, Expected{"EUR", 978, 2, 100},
        Expected{"JPY", 392, 0, 1}, Expected{"KRW", 410, 0, 1}, Expected{"KWD", 414, 3, 1000},
        Expected{"BHD", 48, 3, 1000}, Expected{"TND", 788, 3, 1000}, Expected{"CLF", 990, 4, 10000},
        Expected{"UYW", 927, 4, 10000}, Expected{"UYI", 940, 0, 1}, Expected{"XOF", 952, 0, 1},
        Expected{"ALL", 8, 2, 100}, Expected{"AED", 784, 2, 100}, Expected{"ZWG", 924, 2, 100}));

TEST(CurrencyTest, DefaultIsCny) {
  const Currency c;
  EXPECT_EQ(c.code(), "CNY");
  EXPECT_EQ(c, *Currency::FromCode("CNY"));
}

TEST(CurrencyTest, CodesWithoutMinorUnitOrWithdrawnAreUnknown) {
  for (const char* code : {"XAU", "XAG", "XPD", "XPT", "XDR", "XSU", "XUA", "XBA", "XTS", "XXX",
                           "HRK", "ANG", "CUC", "SLL", "ZWL", "VEF", "MRO"}) {
    EXPECT_THAT(Currency::FromCode(code),
                StatusIs(ErrorCode::kUnknownCurrency, HasSubstr(std::string("\"") + code)))
        << code;
  }
}

TEST(CurrencyTest, MalformedCodesAreUnknownAndQuoted) {
  for (const char* code : {"", "cny", "Cny", "CN", "CNYY", "C1Y", " CNY", "CN\xff"}) {
    EXPECT_THAT(Currency::FromCode(code), StatusIs(ErrorCode::kUnknownCurrency)) << code;
  }
  EXPECT_THAT(Currency::FromCode("cny"),
              StatusIs(ErrorCode::kUnknownCurrency, HasSubstr("unknown currency code \"cny\"")));
  EXPECT_THAT(Currency::FromCode("CN\xff"),
              StatusIs(ErrorCode::kUnknownCurrency, HasSubstr("\"CN\\xff\"")));
}

TEST(CurrencyTest, UnknownNumericCodesAreNamed) {
  for (int numeric : {0, -1, 1, 959 /* XAU */, 999 /* XXX */, 1000, 191 /* HRK */}) {
    EXPECT_THAT(Currency::FromNumeric(numeric),
                StatusIs(ErrorCode::kUnknownCurrency, HasSubstr(std::to_string(numeric))));
  }
}

TEST(CurrencyTest, OrderFollowsTheTable) {
  const Currency aed = *Currency::FromCode("AED");
  const Currency zwg = *Currency::FromCode("ZWG");
  EXPECT_LT(aed, zwg);
  EXPECT_EQ(Currency::at(0), aed);
  EXPECT_EQ(Currency::at(Currency::count() - 1), zwg);
}

}  // namespace
}  // namespace upkeep
