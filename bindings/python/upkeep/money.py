"""Money helpers: amounts are int minor units of an ISO 4217 currency, or decimal.Decimal."""

import ctypes
from decimal import Decimal

from . import _lib
from .errors import check


def exponent(currency):
    """The minor-unit exponent of `currency` (CNY 2, JPY 0, KWD 3)."""
    keep = _lib.Keep()
    out = ctypes.c_int32()
    check(_lib.lib.upk_currency_exponent(ctypes.byref(out), keep.s(currency)))
    return out.value


def parse(text, currency):
    """Exact decimal text ("1234.56") as int minor units; never goes through a float."""
    keep = _lib.Keep()
    out = _lib.Money()
    check(_lib.lib.upk_money_parse(ctypes.byref(out), keep.s(str(text)), keep.s(currency)))
    return out.amount_minor


def format(amount_minor, currency):  # noqa: A001 - mirrors upk_money_format
    """Int minor units as decimal text ("1234.56")."""
    out = ctypes.c_void_p()
    check(_lib.lib.upk_money_format(ctypes.byref(out), _lib.money(amount_minor, currency)))
    return _lib.take_string(out)


def to_decimal(amount_minor, currency):
    """Int minor units as an exact decimal.Decimal."""
    return Decimal(format(amount_minor, currency))


def to_minor(amount, currency):
    """An int (already minor units) or a decimal.Decimal / str as minor units. Floats are refused.
    A Decimal's trailing zeros do not count ("1.500" CNY is 150); more decimals than the
    currency has are PrecisionError, never rounded."""
    if isinstance(amount, bool) or isinstance(amount, float):
        raise TypeError("money is int minor units or decimal.Decimal, never float")
    if isinstance(amount, int):
        return amount
    if isinstance(amount, Decimal):
        return parse(f"{amount.normalize():f}", currency)
    return parse(str(amount), currency)
