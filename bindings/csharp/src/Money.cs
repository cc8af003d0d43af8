// Money.cs: money helpers: amounts are long minor units of an ISO 4217 currency (CNY 2 decimals,
// JPY 0, KWD 3), or System.Decimal (exact base 10). Never double. Conversions are exact: text or
// a decimal with more decimals than the currency has is PrecisionException, never rounded.
using System;
using System.Globalization;
using Upkeep.Interop;

namespace Upkeep {

  public static class Money {
    // The number of decimals of the currency's minor unit (CNY 2, JPY 0, KWD 3).
    public static int Exponent(string currency) {
      using (var t = new Utf8Scope()) {
        int exponent;
        Status.Check(Native.upk_currency_exponent(out exponent, t.S(currency)));
        return exponent;
      }
    }

    // Exact decimal text ("1234.56") as minor units (123456 for CNY).
    public static long Parse(string text, string currency) {
      using (var t = new Utf8Scope()) {
        MoneyC money;
        Status.Check(Native.upk_money_parse(out money, t.S(text), t.S(currency)));
        return money.AmountMinor;
      }
    }

    // Minor units as decimal text with the currency's decimals ("1234.56").
    public static string Format(long amountMinor, string currency) {
      IntPtr text;
      Status.Check(Native.upk_money_format(
          out text,
          new MoneyC { AmountMinor = amountMinor, Currency = Text.CurrencyCode(currency) }));
      return Text.Take(text);
    }

    // Minor units as an exact decimal (123456 CNY is 1234.56m).
    public static decimal ToDecimal(long amountMinor, string currency) {
      return decimal.Parse(Format(amountMinor, currency),
                           NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                           CultureInfo.InvariantCulture);
    }

    // An exact decimal as minor units. Trailing zeros do not count (1.500m CNY is 150); more
    // decimals than the currency has is PrecisionException.
    public static long ToMinor(decimal amount, string currency) {
      decimal normalized = amount / 1.000000000000000000000000000000000m;  // drops trailing zeros
      return Parse(normalized.ToString(CultureInfo.InvariantCulture), currency);
    }
  }

}  // namespace Upkeep
