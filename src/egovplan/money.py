"""Exact, currency-aware amounts of money.

:class:`Money` holds a :class:`~decimal.Decimal` amount and an ISO 4217 currency code.
Arithmetic is exact, never touches a ``float`` and never mixes currencies silently;
rounding to the currency's minor unit happens only when asked for.

>>> from decimal import Decimal
>>> total = Money("901000000000", "VND")
>>> total.currency, total.minor_digits
('VND', 0)
>>> parts = total.allocate([200, 150, 81, 320, 20, 30, 100])
>>> sum(parts, Money.zero("VND")) == total
True
>>> Money("10.005", "USD").rounded()
Money('10.01', 'USD')
>>> Money("1", "VND") * 0.5
Traceback (most recent call last):
...
TypeError: cannot multiply Money by float; pass Decimal or str (e.g. Decimal('0.5'))
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final, overload

import attrs

from egovplan.allocation import AllocationError, Weight, allocate_units
from egovplan.errors import CurrencyMismatchError

__all__ = ["DEFAULT_ROUNDING", "MAX_AMOUNT_DIGITS", "Money", "minor_digits"]

#: The rounding mode of :meth:`Money.rounded` when none is given: half away from zero,
#: as amounts are rounded by hand in public-finance documents (0.5 đồng -> 1 đồng).
DEFAULT_ROUNDING: Final = ROUND_HALF_UP

#: The most significant digits an amount given to :class:`Money` may have.
MAX_AMOUNT_DIGITS: Final = 40

# Arithmetic on amounts runs in this context, never the ambient one: wide enough that
# adding or multiplying bounded amounts is exact, and every failure is raised.
_CONTEXT: Final = Context(prec=80, traps=[InvalidOperation, DivisionByZero, Overflow])

_FLOAT_HINT: Final = "pass Decimal or str (e.g. Decimal('0.5'))"


@functools.cache
def minor_digits(currency: str) -> int:
    """The number of decimal digits of ``currency``'s minor unit, from babel's data.

    Raises:
        ValueError: ``currency`` is not an ISO 4217 code babel knows.

    >>> minor_digits("VND"), minor_digits("USD"), minor_digits("BHD")
    (0, 2, 3)
    """
    from babel.numbers import get_currency_precision, is_currency

    if not isinstance(currency, str) or not is_currency(currency):
        raise ValueError(f"unknown currency {currency!r}; expected an ISO 4217 code like 'VND'")
    return int(get_currency_precision(currency))


def _to_amount(value: object) -> Decimal:
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, bool):
        raise TypeError("a Money amount cannot be a bool; pass Decimal, int or str")
    elif isinstance(value, int):
        if value.bit_length() > 4 * MAX_AMOUNT_DIGITS:
            raise ValueError(f"amount has too many digits (at most {MAX_AMOUNT_DIGITS})")
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_AMOUNT_DIGITS + 8:
            raise ValueError(f"amount text is too long ({len(text)} characters)")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"{value!r} is not a decimal number; write it like '901000000000' or '1.5'"
                " (to read '901.000.000.000' or '1,5 tỷ', use egovplan.parse_amount)"
            ) from None
    elif isinstance(value, float):
        raise TypeError(f"a Money amount cannot be a float ({value!r}); {_FLOAT_HINT}")
    else:
        raise TypeError(f"a Money amount must be Decimal, int or str, not {type(value).__name__}")
    if not amount.is_finite():
        raise ValueError(f"a Money amount must be finite, not {amount}")
    if abs(amount.adjusted()) > 60 or (
        not isinstance(value, Decimal) and len(amount.as_tuple().digits) > MAX_AMOUNT_DIGITS
    ):
        raise ValueError(
            f"amount {amount:.6E} is out of range (at most {MAX_AMOUNT_DIGITS} digits,"
            " magnitude between 1E-60 and 1E+60)"
        )
    if amount.is_zero() and amount.is_signed():
        amount = abs(amount)  # -0 and 0 are the same amount
    return amount


def _check_currency(_: object, __: attrs.Attribute[str], value: str) -> None:
    minor_digits(value)


def _operand(value: object, operation: str) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError(f"cannot {operation} Money by float; {_FLOAT_HINT}")
    raise TypeError(f"cannot {operation} Money by {type(value).__name__}; pass int or Decimal")


@functools.total_ordering
@attrs.frozen(eq=True, order=False, repr=False)
class Money:
    """An exact amount in one currency.

    Args:
        amount: a ``Decimal``, ``int`` or decimal string (``"901000000000"``,
            ``"1.5"``). A ``float`` is a ``TypeError``; NaN and infinities are a
            ``ValueError``. At most :data:`MAX_AMOUNT_DIGITS` significant digits.
        currency: an ISO 4217 code babel knows (``"VND"``, ``"USD"``, ...).

    Amounts may be negative (a difference, a correction); whether a negative amount is
    allowed in a plan is for validation to say, not the constructor.

    >>> Money(5, "VND") + Money("10", "VND")
    Money('15', 'VND')
    >>> -Money("2.50", "USD"), abs(Money("-3", "VND"))
    (Money('-2.50', 'USD'), Money('3', 'VND'))
    >>> Money(10, "VND") / 4
    Money('2.5', 'VND')
    >>> Money(10, "VND") / Money(4, "VND")
    Decimal('2.5')
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(validator=_check_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """The zero amount of ``currency``: the start value for ``sum()``.

        >>> sum([Money(1, "VND"), Money(2, "VND")], Money.zero("VND"))
        Money('3', 'VND')
        """
        return cls(Decimal(0), currency)

    @property
    def minor_digits(self) -> int:
        """Decimal digits of this currency's minor unit (VND 0, USD 2)."""
        return minor_digits(self.currency)

    def rounded(self, mode: str = DEFAULT_ROUNDING) -> Money:
        """This amount rounded to the currency's minor unit.

        Args:
            mode: a :mod:`decimal` rounding mode; :data:`DEFAULT_ROUNDING`
                (``ROUND_HALF_UP``, half away from zero) unless given.

        >>> from decimal import ROUND_HALF_EVEN
        >>> Money("2.5", "VND").rounded(), Money("2.5", "VND").rounded(ROUND_HALF_EVEN)
        (Money('3', 'VND'), Money('2', 'VND'))
        """
        exponent = Decimal(1).scaleb(-self.minor_digits)
        return Money(self.amount.quantize(exponent, rounding=mode, context=_CONTEXT), self.currency)

    @property
    def minor_units(self) -> int:
        """The amount as a whole number of minor units (cents, đồng).

        Raises:
            ValueError: the amount has more decimals than the currency's minor unit;
                call :meth:`rounded` first.

        >>> Money("12.34", "USD").minor_units
        1234
        """
        scaled = self.amount.scaleb(self.minor_digits, context=_CONTEXT)
        if scaled != scaled.to_integral_value(context=_CONTEXT):
            raise ValueError(
                f"{self!r} is not a whole number of {self.currency} minor units;"
                " call .rounded() first"
            )
        return int(scaled)

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """The amount of ``units`` minor units of ``currency``.

        >>> Money.from_minor_units(1234, "USD")
        Money('12.34', 'USD')
        """
        if isinstance(units, bool) or not isinstance(units, int):
            raise TypeError(f"units must be int, not {type(units).__name__}")
        return cls(Decimal(units).scaleb(-minor_digits(currency)), currency)

    def allocate(self, weights: Iterable[Weight]) -> list[Money]:
        """Split this amount into parts proportional to ``weights`` that sum to it exactly.

        Uses :func:`egovplan.allocation.allocate_units` on minor units (largest
        remainder; ties to the larger weight, then the earlier position).

        Args:
            weights: non-negative ``int``, ``Decimal`` or ``Money``, not all zero.

        Raises:
            AllocationError: bad weights, or an amount that is not a whole number of
                minor units (round it first: nothing is rounded silently).

        >>> Money(100, "VND").allocate([1, 1, 1])
        [Money('34', 'VND'), Money('33', 'VND'), Money('33', 'VND')]
        >>> Money("0.05", "USD").allocate([Decimal("0.3"), Decimal("0.7")])
        [Money('0.01', 'USD'), Money('0.04', 'USD')]
        """
        try:
            units = self.minor_units
        except ValueError as error:
            raise AllocationError(str(error)) from None
        return [Money.from_minor_units(u, self.currency) for u in allocate_units(units, weights)]

    def _same_currency(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {verb} {self.currency} and {other.currency} amounts; convert one first"
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add")
        return Money(_CONTEXT.add(self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # Lets sum() start from the int 0; zero is zero in every currency.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money(_CONTEXT.subtract(self.amount, other.amount), self.currency)

    def __mul__(self, other: object) -> Money:
        return Money(_CONTEXT.multiply(self.amount, _operand(other, "multiply")), self.currency)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Money) -> Decimal: ...
    @overload
    def __truediv__(self, other: int | Decimal) -> Money: ...
    def __truediv__(self, other: object) -> Money | Decimal:
        if isinstance(other, Money):
            self._same_currency(other, "divide")
            return _CONTEXT.divide(self.amount, other.amount)
        divisor = _operand(other, "divide")
        return Money(_CONTEXT.divide(self.amount, divisor), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount < other.amount

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
