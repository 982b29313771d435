"""Splitting a whole into parts that add up exactly: allocation and percentage shares.

Both use the *largest-remainder method*: every part first gets the whole number of units
its exact share contains, then the units left over go, one each, to the parts whose exact
shares lost most in that step.  Ties are broken by the larger weight first, then by the
earlier position; so the result does not depend on the order of the input (permuting the
weights permutes the parts) and scaling every weight by the same factor changes nothing.

>>> allocate_units(100, [1, 1, 1])
[34, 33, 33]
>>> [str(s) for s in shares([200, 150, 81, 320, 20, 30, 100])]
['22.20', '16.65', '8.99', '35.51', '2.22', '3.33', '11.10']
>>> sum(shares([1, 1, 1]))
Decimal('100.00')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, TypeAlias

from egovplan._decimal import in_own_context
from egovplan.errors import CurrencyMismatchError, EgovplanError
from egovplan.money import Money, MoneyTypeError

__all__ = ["MAX_PLACES", "AllocationError", "Weight", "allocate_units", "shares"]

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


@in_own_context
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


@in_own_context
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
