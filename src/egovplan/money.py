"""Exact, currency-aware amounts of money.

:class:`Money` holds a :class:`~decimal.Decimal` amount and an ISO 4217 currency code.
Arithmetic is exact, never touches a ``float`` and never mixes currencies silently;
rounding to the currency's minor unit happens only when asked for. An amount splits into
parts that add up to it exactly (:meth:`Money.allocate`, by the largest-remainder method
of :func:`allocate_units` and :func:`shares`, which :mod:`egovplan.allocation` documents
and exports).

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
egovplan.money.MoneyTypeError: cannot multiply Money by float; pass Decimal or str ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import TYPE_CHECKING, Final, TypeAlias, overload

import attrs

from egovplan import _decimal
from egovplan.errors import CurrencyMismatchError, EgovplanError

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = [
    "DEFAULT_ROUNDING",
    "MAX_AMOUNT_DIGITS",
    "MAX_EXPONENT",
    "MAX_PLACES",
    "MAX_WRITTEN_DIGITS",
    "AllocationError",
    "Money",
    "MoneyError",
    "MoneyTypeError",
    "MoneyZeroDivisionError",
    "Weight",
    "allocate_units",
    "check_rounding",
    "minor_digits",
    "shares",
]

#: The rounding mode of :meth:`Money.rounded` when none is given: half away from zero,
#: as amounts are rounded by hand in public-finance documents (0.5 đồng -> 1 đồng).
DEFAULT_ROUNDING: Final = ROUND_HALF_UP

#: The most significant digits an amount given to :class:`Money` as ``int`` or ``str``
#: may have.
MAX_AMOUNT_DIGITS: Final = 40

#: The largest decimal exponent (either sign) an amount may have: amounts lie between
#: ``1E-60`` and ``1E+60`` in magnitude, or are zero.
MAX_EXPONENT: Final = 60

#: The most digits an amount may have written out in full, as files hold it
#: (``0.001`` has 4): what plan files may hold by default (``Limits.max_digits``), so
#: that every amount Money accepts is written and read back. An ``int`` or ``str``
#: amount never has more; a ``Decimal`` (a sum of 1E+60 and 1E-60, say) may.
MAX_WRITTEN_DIGITS: Final = 100
_ONE: Final = Decimal(1)

_ROUNDING_MODES: Final = frozenset(
    {
        ROUND_05UP,
        ROUND_CEILING,
        ROUND_DOWN,
        ROUND_FLOOR,
        ROUND_HALF_DOWN,
        ROUND_HALF_EVEN,
        ROUND_HALF_UP,
        ROUND_UP,
    }
)

# Addition, subtraction and multiplication run in this context, never the ambient one:
# a result that would need rounding raises instead (``Inexact`` is trapped).
_EXACT: Final = _decimal.context(
    200, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
# Division (which cannot always be exact) rounds half to even at 80 significant digits;
# so does rounding to the minor unit, with the mode asked for.
_DIVISION_PRECISION: Final = 80
_DIVISION: Final = _decimal.context(
    _DIVISION_PRECISION,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_ROUNDING: Final = _decimal.context(200, traps=[InvalidOperation, DivisionByZero, Overflow])

_FLOAT_HINT: Final = "pass Decimal or str (e.g. Decimal('0.5'), not 0.5)"


class MoneyError(EgovplanError, ValueError):
    """A value that cannot be an amount of money: not finite, out of range, unknown currency.

    >>> Money("NaN", "VND")
    Traceback (most recent call last):
    ...
    egovplan.money.MoneyError: a Money amount must be finite, not NaN
    """


class MoneyTypeError(EgovplanError, TypeError):
    """A value of the wrong type was used as an amount, a factor or a weight (a float, say).

    >>> Money(0.5, "USD")
    Traceback (most recent call last):
    ...
    egovplan.money.MoneyTypeError: a Money amount cannot be a float (0.5); pass Decimal or str ...
    """


class MoneyZeroDivisionError(MoneyError, ZeroDivisionError):
    """An amount was divided by zero (it is also a ``ZeroDivisionError``).

    >>> Money(10, "VND") / 0
    Traceback (most recent call last):
    ...
    egovplan.money.MoneyZeroDivisionError: cannot divide Money('10', 'VND') by zero
    """


def minor_digits(currency: str) -> int:
    """The number of decimal digits of ``currency``'s minor unit, from babel's data.

    Args:
        currency: an ISO 4217 code in capitals (``"VND"``, ``"USD"``).

    Raises:
        MoneyError: ``currency`` is not an ISO 4217 code babel knows.

    >>> minor_digits("VND"), minor_digits("USD"), minor_digits("BHD")
    (0, 2, 3)
    """
    if not isinstance(currency, str):
        raise MoneyTypeError(f"a currency must be a str like 'VND', not {type(currency).__name__}")
    return _minor_digits(currency)


@functools.cache
def _minor_digits(currency: str) -> int:
    from babel.numbers import get_currency_precision, is_currency

    if not is_currency(currency):
        hint = f" (did you mean {currency.upper()!r}?)" if is_currency(currency.upper()) else ""
        raise MoneyError(
            f"unknown currency {currency!r}{hint}; expected an ISO 4217 code like 'VND' or 'USD'"
        )
    return int(get_currency_precision(currency))


def check_rounding(mode: object) -> str:
    """``mode`` if it is a :mod:`decimal` rounding mode; else a MoneyError naming it.

    >>> check_rounding("ROUND_HALF_EVEN")
    'ROUND_HALF_EVEN'
    """
    if not isinstance(mode, str) or mode not in _ROUNDING_MODES:
        raise MoneyError(
            f"unknown rounding mode {mode!r}; use one of the decimal module's ROUND_*"
            f" constants: {', '.join(sorted(_ROUNDING_MODES))}"
        )
    return mode


def _check_range(amount: Decimal, what: str) -> Decimal:
    if not amount.is_finite():
        raise MoneyError(f"{what} must be finite, not {amount}")
    if not amount.is_zero() and abs(amount.adjusted()) > MAX_EXPONENT:
        raise MoneyError(
            f"{what} {amount:.6E} is out of range (its magnitude must lie between"
            f" 1E-{MAX_EXPONENT} and 1E+{MAX_EXPONENT})"
        )
    return amount


def _to_amount(value: object) -> Decimal:
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, bool):
        raise MoneyTypeError("a Money amount cannot be a bool; pass Decimal, int or str")
    elif isinstance(value, int):
        if value.bit_length() > 4 * MAX_AMOUNT_DIGITS:
            raise MoneyError(f"amount has too many digits (at most {MAX_AMOUNT_DIGITS})")
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_AMOUNT_DIGITS + 8:
            raise MoneyError(f"amount text is too long ({len(text)} characters)")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(
                f"{value!r} is not a decimal number; write it like '901000000000' or '1.5'"
                " (to read '901.000.000.000' or '1,5 tỷ', use egovplan.parse_amount)"
            ) from None
    elif isinstance(value, float):
        raise MoneyTypeError(f"a Money amount cannot be a float ({value!r}); {_FLOAT_HINT}")
    else:
        raise MoneyTypeError(
            f"a Money amount must be Decimal, int or str, not {type(value).__name__}"
        )
    if (
        not isinstance(value, Decimal)
        and amount.is_finite()
        and len(amount.as_tuple().digits) > MAX_AMOUNT_DIGITS
    ):
        raise MoneyError(f"amount has too many digits (at most {MAX_AMOUNT_DIGITS})")
    amount = _check_range(amount, "a Money amount")
    return _writable(amount)


def _writable(amount: Decimal) -> Decimal:
    """``amount`` as files write it: no exponent above 0, a zero within range and unsigned.

    ``1E+3`` becomes ``1000`` (what a file holds), ``-0`` becomes ``0``, and a zero with
    more decimals than an amount can have (``0E-101``) gets ``1E-60``'s places (a file
    would otherwise hold a hundred zeros, or fifty million). Other amounts whose digits,
    written out, are more than :data:`MAX_WRITTEN_DIGITS` are refused.
    """
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: checked before
    if amount.is_zero():
        if exponent > 0 or exponent < -MAX_EXPONENT or amount.is_signed():
            return Decimal((0, (0,), min(max(exponent, -MAX_EXPONENT), 0)))
        return amount
    if exponent > 0:
        return amount.quantize(_ONE, context=_EXACT)
    written = max(amount.adjusted() + 1, 1) - exponent
    if written > MAX_WRITTEN_DIGITS:
        raise MoneyError(
            f"a Money amount {amount:.6E} has {written} digits written out in full, more than"
            f" a plan file holds ({MAX_WRITTEN_DIGITS}); round it first"
        )
    return amount


def _check_currency(_: object, __: attrs.Attribute[str], value: str) -> None:
    minor_digits(value)


def _operand(value: object, operation: str) -> Decimal:
    if isinstance(value, Decimal):
        return _check_range(value, f"a number to {operation} Money by")
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 4 * (MAX_EXPONENT + 1):  # surely out of range: do not convert
            raise MoneyError(f"a number to {operation} Money by is out of range")
        return _check_range(Decimal(value), f"a number to {operation} Money by")
    if isinstance(value, float):
        raise MoneyTypeError(f"cannot {operation} Money by float; {_FLOAT_HINT}")
    raise MoneyTypeError(f"cannot {operation} Money by {type(value).__name__}; pass int or Decimal")


def _exactly(operation: Callable[[Decimal, Decimal], Decimal], a: Decimal, b: Decimal) -> Decimal:
    try:
        return operation(a, b)
    except Inexact:
        raise MoneyError(
            f"the result of {a} and {b} has too many digits to be exact; round the operands first"
        ) from None


def _refuse(other: object, verb: str) -> None:
    """Raise a helpful error for numbers that were mixed with Money where Money is needed."""
    if isinstance(other, float):
        raise MoneyTypeError(f"cannot {verb} Money and float; use Money (amounts: {_FLOAT_HINT})")
    if isinstance(other, int | Decimal):
        raise MoneyTypeError(
            f"cannot {verb} Money and {type(other).__name__}; use Money of the same currency"
        )


@functools.total_ordering
@attrs.frozen(eq=True, order=False, repr=False)
class Money:
    """An exact amount in one currency.

    Args:
        amount: a ``Decimal``, ``int`` or decimal string (``"901000000000"``,
            ``"1.5"``). A ``float`` is a :class:`MoneyTypeError` (a ``TypeError``); NaN,
            infinities and magnitudes beyond ``1E±60`` are a :class:`MoneyError` (a
            ``ValueError``). An ``int`` or ``str`` has at most :data:`MAX_AMOUNT_DIGITS`
            significant digits. The amount is kept as files write it, so that every
            Money reads back from a file equal and alike: an exponent above zero is
            written out (``1E+3`` is ``1000``), a zero has at most 60 decimals, and an
            amount with more than :data:`MAX_WRITTEN_DIGITS` digits written out in full
            is refused.
        currency: an ISO 4217 code babel knows (``"VND"``, ``"USD"``, ...).

    Amounts may be negative (a difference, a correction); whether a negative amount is
    allowed in a plan is for validation to say, not the constructor.

    ``+``, ``-`` and comparisons need the same currency (else
    :class:`~egovplan.errors.CurrencyMismatchError`); ``*`` and ``/`` take an ``int`` or
    ``Decimal``. Addition, subtraction and multiplication are exact (a result that could
    not be represented exactly raises); division rounds half to even at 80 significant
    digits. Nothing is ever rounded to the minor unit except by :meth:`rounded`.

    >>> Money(5, "VND") + Money("10", "VND")
    Money('15', 'VND')
    >>> -Money("2.50", "USD"), abs(Money("-3", "VND"))
    (Money('-2.50', 'USD'), Money('3', 'VND'))
    >>> Money(10, "VND") / 4
    Money('2.5', 'VND')
    >>> Money(10, "VND") / Money(4, "VND")
    Decimal('2.5')
    >>> Money(1, "VND") < Money(2, "VND")
    True
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
            mode: a :mod:`decimal` rounding mode (``decimal.ROUND_HALF_EVEN``, ...);
                :data:`DEFAULT_ROUNDING` (``ROUND_HALF_UP``, half away from zero) unless
                given.

        Raises:
            MoneyError: ``mode`` is not a :mod:`decimal` rounding mode.

        >>> from decimal import ROUND_HALF_EVEN
        >>> Money("2.5", "VND").rounded(), Money("2.5", "VND").rounded(ROUND_HALF_EVEN)
        (Money('3', 'VND'), Money('2', 'VND'))
        >>> Money("-10.005", "USD").rounded()
        Money('-10.01', 'USD')
        """
        mode = check_rounding(mode)
        exponent = Decimal((0, (1,), -self.minor_digits))
        rounded = self.amount.quantize(exponent, rounding=mode, context=_ROUNDING)
        return Money(rounded, self.currency)

    @property
    def minor_units(self) -> int:
        """The amount as a whole number of minor units (cents, đồng).

        Raises:
            MoneyError: the amount has more decimals than the currency's minor unit;
                call :meth:`rounded` first.

        >>> Money("12.34", "USD").minor_units
        1234
        """
        from fractions import Fraction  # (not needed to load a plan: imported on first use)

        scale: int = 10**self.minor_digits
        scaled = Fraction(self.amount) * scale
        if scaled.denominator != 1:
            raise MoneyError(
                f"{self!r} is not a whole number of {self.currency} minor units;"
                " call .rounded() first"
            )
        return scaled.numerator

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """The amount of ``units`` minor units of ``currency``, exactly.

        >>> Money.from_minor_units(1234, "USD")
        Money('12.34', 'USD')
        """
        if isinstance(units, bool) or not isinstance(units, int):
            raise MoneyTypeError(f"units must be int, not {type(units).__name__}")
        digits = Decimal(abs(units)).as_tuple().digits
        return cls(Decimal((int(units < 0), digits, -minor_digits(currency))), currency)

    def allocate(self, weights: Iterable[Weight]) -> list[Money]:
        """Split this amount into parts proportional to ``weights`` that sum to it exactly.

        Uses :func:`egovplan.allocation.allocate_units` on minor units (largest
        remainder; ties to the larger weight, then the earlier position, so the result does
        not depend on the order of the weights). Zero weights get zero.

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
        except MoneyError as error:
            raise AllocationError(str(error)) from None
        return [Money.from_minor_units(u, self.currency) for u in allocate_units(units, weights)]

    def _same_currency(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {verb} {self.currency} and {other.currency} amounts; convert one first"
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            _refuse(other, "add")
            return NotImplemented
        self._same_currency(other, "add")
        return Money(_exactly(_EXACT.add, self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # Lets sum() start from the int 0; zero is zero in every currency.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        _refuse(other, "add")
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            _refuse(other, "subtract")
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money(_exactly(_EXACT.subtract, self.amount, other.amount), self.currency)

    def __rsub__(self, other: object) -> Money:
        _refuse(other, "subtract")
        return NotImplemented

    def __mul__(self, other: object) -> Money:
        factor = _operand(other, "multiply")
        return Money(_exactly(_EXACT.multiply, self.amount, factor), self.currency)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Money) -> Decimal: ...
    @overload
    def __truediv__(self, other: int | Decimal) -> Money: ...
    def __truediv__(self, other: object) -> Money | Decimal:
        if isinstance(other, Money):
            self._same_currency(other, "divide")
            divisor = other.amount
        else:
            divisor = _operand(other, "divide")
        if divisor.is_zero():
            raise MoneyZeroDivisionError(f"cannot divide {self!r} by zero")
        quotient = _DIVISION.divide(self.amount, divisor)
        if isinstance(other, Money):
            return quotient
        return Money(quotient, self.currency)

    def __rtruediv__(self, other: object) -> Money:
        _refuse(other, "divide")
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            _refuse(other, "compare")
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount < other.amount

    def __repr__(self) -> str:
        return f"Money('{_decimal.text(self.amount)}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{_decimal.text(self.amount)} {self.currency}"


# ---------------------------------------------------------------------------------------
# Splitting a whole into parts that add up exactly (egovplan.allocation documents and
# exports these; they live here, beside Money, because Money.allocate is one of them).

#: What may serve as a weight or a value to share: whole numbers, decimals or amounts.
Weight: TypeAlias = int | Decimal | Money

#: The most decimal places :func:`shares` gives.
MAX_PLACES: Final = 30

# Decimal weights lie between 1E-1000 and 1E+1000 in magnitude (or are zero), so that
# the exact fractions stay small.
_MAX_EXPONENT: Final = 1000


class AllocationError(EgovplanError, ValueError):
    """Weights or values that cannot be shared out (negative, all zero, none, not finite)."""


def _as_fractions(weights: Iterable[Weight], what: str) -> list[Fraction]:
    from fractions import Fraction

    if isinstance(weights, str | bytes | Money) or not isinstance(weights, Iterable):
        raise MoneyTypeError(f"{what} must be a sequence of numbers, not {type(weights).__name__}")
    result: list[Fraction] = []
    currency: str | None = None
    numbers = False
    for index, weight in enumerate(weights):
        if isinstance(weight, Money):
            if currency is not None and weight.currency != currency:
                raise CurrencyMismatchError(
                    f"{what}[{index}] is in {weight.currency} but the {what} before it are in"
                    f" {currency}"
                )
            currency = weight.currency
            value = Fraction(weight.amount)
        elif isinstance(weight, bool) or not isinstance(weight, int | Decimal):
            raise MoneyTypeError(
                f"{what}[{index}] is {type(weight).__name__}; pass int, Decimal or Money"
                + (" (not float: pass Decimal or str)" if isinstance(weight, float) else "")
            )
        elif isinstance(weight, Decimal) and not weight.is_finite():
            raise AllocationError(f"{what}[{index}] is {weight}; {what} must be finite")
        elif isinstance(weight, Decimal) and weight and abs(weight.adjusted()) > _MAX_EXPONENT:
            raise AllocationError(
                f"{what}[{index}] ({weight:.3E}) is out of range; {what} must lie between"
                f" 1E-{_MAX_EXPONENT} and 1E+{_MAX_EXPONENT} (or be zero)"
            )
        else:
            numbers = True
            value = Fraction(weight)
        if numbers and currency is not None:
            raise MoneyTypeError(
                f"{what}[{index}]: do not mix Money and plain numbers in one list of {what}"
            )
        if value < 0:
            raise AllocationError(f"{what}[{index}] is negative ({weight}); {what} must be >= 0")
        result.append(value)
    if not result:
        raise AllocationError(f"no {what} given; at least one is needed")
    if not any(result):
        raise AllocationError(f"all {what} are zero; at least one must be positive")
    return result


def _largest_remainder(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Split ``total >= 0`` units in proportion to ``weights`` (not all zero)."""
    from fractions import Fraction

    weight_sum = sum(weights, Fraction(0))
    exact = [total * w / weight_sum for w in weights]
    parts = [int(e) for e in exact]  # floor: every e >= 0
    left = total - sum(parts)
    order = sorted(
        range(len(weights)),
        key=lambda i: (-(exact[i] - parts[i]), -weights[i], i),
    )
    for i in order[:left]:
        parts[i] += 1
    return parts


@_decimal.in_own_context
def allocate_units(total: int, weights: Iterable[Weight]) -> list[int]:
    """Split a whole number of units in proportion to ``weights``, exactly.

    Args:
        total: the number of units to split (may be negative: the parts are then the
            negated split of ``-total``).
        weights: non-negative ``int``, ``Decimal`` or ``Money`` values (one currency),
            not all zero.

    Returns:
        One whole number per weight; they sum to ``total`` and each is within one unit
        of its exact share. A zero weight gets zero.

    Raises:
        AllocationError: a weight is negative or not finite, or all are zero (it is a
            ``ValueError``).
        CurrencyMismatchError: ``Money`` weights in different currencies.
        MoneyTypeError: a weight is a float, bool or something else (a ``TypeError``).

    >>> allocate_units(10, [0, 1, 1])
    [0, 5, 5]
    >>> allocate_units(-5, [1, 1])
    [-3, -2]
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise MoneyTypeError(f"total must be int, not {type(total).__name__}")
    fractions = _as_fractions(weights, "weights")
    if total < 0:
        return [-part for part in _largest_remainder(-total, fractions)]
    return _largest_remainder(total, fractions)


@_decimal.in_own_context
def shares(values: Iterable[Weight], places: int = 2) -> list[Decimal]:
    """Give each value's percentage of the total, rounded so the shares sum to exactly 100.

    Args:
        values: non-negative ``int``, ``Decimal`` or ``Money`` values (one currency),
            not all zero.
        places: decimal places of each share, from 0 to :data:`MAX_PLACES`.

    Returns:
        One ``Decimal`` per value with exactly ``places`` decimals; they sum to
        ``100`` exactly, and each is within one last-place unit of the exact share.

    Raises:
        AllocationError: a value is negative or not finite, all are zero, or ``places``
            is out of range.
        CurrencyMismatchError: ``Money`` values in different currencies.
        MoneyTypeError: a value is a float, bool or something else.

    >>> shares([1, 2], places=1)
    [Decimal('33.3'), Decimal('66.7')]
    >>> shares([5], places=0)
    [Decimal('100')]
    """
    if isinstance(places, bool) or not isinstance(places, int):
        raise MoneyTypeError(f"places must be an int, not {type(places).__name__}")
    if not 0 <= places <= MAX_PLACES:
        raise AllocationError(f"places must be between 0 and {MAX_PLACES}, not {places}")
    fractions = _as_fractions(values, "values")
    units = _largest_remainder(100 * 10**places, fractions)
    # Built from the digits, so no decimal context can round them.
    return [Decimal((0, Decimal(unit).as_tuple().digits, -places)) for unit in units]
