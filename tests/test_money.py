"""Money: exact amounts, currencies from babel, no floats, explicit rounding."""

from __future__ import annotations

import decimal
import operator
import pickle
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.allocation import AllocationError
from egovplan.errors import CurrencyMismatchError, EgovplanError
from egovplan.money import (
    DEFAULT_ROUNDING,
    MAX_AMOUNT_DIGITS,
    Money,
    MoneyError,
    MoneyTypeError,
    MoneyZeroDivisionError,
    minor_digits,
)

CURRENCIES = ("VND", "USD", "EUR", "JPY", "BHD", "KWD")


def decimals(max_digits: int = 30, places: int = 6) -> st.SearchStrategy[Decimal]:
    """Finite decimals with at most ``places`` decimals and ``max_digits`` digits."""
    return st.integers(min_value=-(10**max_digits) + 1, max_value=10**max_digits - 1).map(
        lambda n: Decimal(n).scaleb(-places, context=decimal.Context(prec=max_digits + 2))
    )


def money(currency: str | None = None) -> st.SearchStrategy[Money]:
    codes = st.just(currency) if currency else st.sampled_from(CURRENCIES)
    return st.builds(Money, decimals(), codes)


# --- construction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("901000000000"), Decimal("901000000000")),
        (901000000000, Decimal("901000000000")),
        ("901000000000", Decimal("901000000000")),
        (" 1.50 ", Decimal("1.50")),
        ("-2.5", Decimal("-2.5")),
        (0, Decimal(0)),
    ],
)
def test_amount_is_a_decimal_from_decimal_int_or_str(value: object, expected: Decimal) -> None:
    amount = Money(value, "USD").amount
    assert isinstance(amount, Decimal)
    assert amount == expected
    assert str(amount) == str(expected)


def test_repr_and_str() -> None:
    assert repr(Money("10.50", "USD")) == "Money('10.50', 'USD')"
    assert str(Money("901000000000", "VND")) == "901000000000 VND"
    assert eval(repr(Money("-3.25", "EUR"))) == Money("-3.25", "EUR")


def test_negative_zero_is_zero() -> None:
    zero = Money("-0.00", "USD")
    assert not zero.amount.is_signed()
    assert zero == Money.zero("USD")
    assert repr(zero) == "Money('0.00', 'USD')"


@pytest.mark.parametrize("value", [0.5, 1.0, float("nan"), float("inf")])
def test_float_amount_is_a_type_error_saying_decimal_or_str(value: float) -> None:
    with pytest.raises(TypeError, match=r"float.*pass Decimal or str") as info:
        Money(value, "VND")
    assert isinstance(info.value, EgovplanError)
    assert isinstance(info.value, MoneyTypeError)


@pytest.mark.parametrize("value", [True, None, [1], b"12", object()])
def test_other_amount_types_are_type_errors(value: object) -> None:
    with pytest.raises(MoneyTypeError, match="amount"):
        Money(value, "VND")


@pytest.mark.parametrize(
    "value",
    ["NaN", "-nan", "sNaN", "Infinity", "-Infinity", "inf", Decimal("NaN"), Decimal("-Infinity")],
)
def test_nan_and_infinities_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="finite") as info:
        Money(value, "VND")
    assert isinstance(info.value, MoneyError)


@pytest.mark.parametrize("text", ["", "abc", "901.000.000.000", "1,5", "12 tỷ", "1e", "--1"])
def test_malformed_text_is_an_error_quoting_it(text: str) -> None:
    with pytest.raises(MoneyError) as info:
        Money(text, "VND")
    assert repr(text) in str(info.value)


def test_too_many_digits_or_out_of_range_is_an_error() -> None:
    Money("9" * MAX_AMOUNT_DIGITS, "VND")
    Money(10**MAX_AMOUNT_DIGITS - 1, "VND")
    with pytest.raises(MoneyError, match="digits"):
        Money("9" * (MAX_AMOUNT_DIGITS + 1), "VND")
    with pytest.raises(MoneyError, match="digits"):
        Money(10 ** (MAX_AMOUNT_DIGITS + 1), "VND")
    with pytest.raises(MoneyError, match="out of range"):
        Money(Decimal("1E+61"), "VND")
    with pytest.raises(MoneyError, match="out of range"):
        Money("1E-61", "USD")
    with pytest.raises(MoneyError, match="too long"):
        Money("0" * 100 + "1", "VND")


def test_money_is_immutable_and_hashable() -> None:
    amount = Money("1.0", "USD")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        amount.amount = Decimal(2)  # type: ignore[misc]
    assert amount == Money("1.00", "USD")
    assert hash(amount) == hash(Money("1", "USD"))
    assert len({Money("1", "USD"), Money("1.00", "USD"), Money("1", "EUR")}) == 2
    assert pickle.loads(pickle.dumps(amount)) == amount


# --- currencies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "digits"), [("VND", 0), ("USD", 2), ("EUR", 2), ("JPY", 0), ("BHD", 3), ("KWD", 3)]
)
def test_minor_digits_come_from_babel(code: str, digits: int) -> None:
    from babel.numbers import get_currency_precision

    assert minor_digits(code) == digits == get_currency_precision(code)
    assert Money(1, code).minor_digits == digits


@pytest.mark.parametrize("code", ["XYZ", "ABC", "", "VN", "dong", "₫"])
def test_unknown_currency_is_an_error(code: str) -> None:
    with pytest.raises(ValueError, match="unknown currency") as info:
        Money(1, code)
    assert isinstance(info.value, MoneyError)
    assert repr(code) in str(info.value)


def test_lower_case_code_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(MoneyError, match=r"did you mean 'VND'"):
        Money(1, "vnd")


@pytest.mark.parametrize("code", [None, 704, ["VND"]])
def test_currency_must_be_a_string(code: object) -> None:
    with pytest.raises(MoneyTypeError, match="currency"):
        Money(1, code)  # type: ignore[arg-type]


# --- arithmetic ---------------------------------------------------------------------------


def test_add_and_subtract_same_currency() -> None:
    assert Money("1.10", "USD") + Money("2.20", "USD") == Money("3.30", "USD")
    assert Money(5, "VND") - Money(8, "VND") == Money(-3, "VND")


@pytest.mark.parametrize(
    ("operation", "verb"),
    [
        (operator.add, "add"),
        (operator.sub, "subtract"),
        (operator.lt, "compare"),
        (operator.le, "compare"),
        (operator.gt, "compare"),
        (operator.ge, "compare"),
        (operator.truediv, "divide"),
    ],
)
def test_currency_mismatch_names_both_currencies(
    operation: Callable[[Any, Any], Any], verb: str
) -> None:
    with pytest.raises(CurrencyMismatchError, match=verb) as info:
        operation(Money(1, "VND"), Money(1, "USD"))
    assert "VND" in str(info.value)
    assert "USD" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_different_currencies_are_unequal_not_an_error() -> None:
    assert Money(1, "VND") != Money(1, "USD")


def test_multiply_and_divide_by_int_or_decimal() -> None:
    assert Money("2.50", "USD") * 3 == Money("7.50", "USD")
    assert 3 * Money("2.50", "USD") == Money("7.50", "USD")
    assert Money(100, "VND") * Decimal("0.015") == Money("1.5", "VND")
    assert Decimal("0.5") * Money(3, "VND") == Money("1.5", "VND")
    assert Money(10, "VND") / 4 == Money("2.5", "VND")
    assert Money(10, "VND") / Decimal("2.5") == Money(4, "VND")
    assert Money(901, "VND") / Money(100, "VND") == Decimal("9.01")


def test_division_rounds_at_eighty_significant_digits() -> None:
    third = Money(1, "USD") / 3
    assert third.amount == Decimal("0." + "3" * 80)
    assert (Money(2, "USD") / 3).amount.as_tuple().digits[-1] == 7  # half to even


def test_division_by_zero() -> None:
    for divisor in (0, Decimal(0), Decimal("0.00"), Money(0, "VND")):
        with pytest.raises(ZeroDivisionError, match="by zero") as info:
            Money(5, "VND") / divisor
        assert isinstance(info.value, MoneyZeroDivisionError)
        assert isinstance(info.value, EgovplanError)


@pytest.mark.parametrize(
    "operation",
    [
        lambda m: m * 0.5,
        lambda m: 0.5 * m,
        lambda m: m / 2.0,
        lambda m: 2.0 / m,
        lambda m: m + 0.5,
        lambda m: 0.5 + m,
        lambda m: m - 0.5,
        lambda m: 0.5 - m,
        lambda m: m < 0.5,
        lambda m: 0.5 >= m,  # noqa: SIM300
    ],
)
def test_float_in_arithmetic_is_a_type_error_saying_decimal_or_str(
    operation: Callable[[Money], object],
) -> None:
    with pytest.raises(TypeError, match=r"float.*pass Decimal or str") as info:
        operation(Money(1, "VND"))
    assert isinstance(info.value, MoneyTypeError)


@pytest.mark.parametrize(
    "operation",
    [
        lambda m: m * m,
        lambda m: m * True,
        lambda m: m / "2",
        lambda m: m + 1,
        lambda m: 1 + m,
        lambda m: m - Decimal(1),
        lambda m: 1 - m,
        lambda m: 1 / m,
    ],
)
def test_numbers_where_money_is_needed_are_type_errors(
    operation: Callable[[Money], object],
) -> None:
    with pytest.raises(TypeError) as info:
        operation(Money(1, "VND"))
    assert isinstance(info.value, MoneyTypeError)


def test_other_types_fall_back_to_python_type_errors() -> None:
    with pytest.raises(TypeError):
        Money(1, "VND") + "1"  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1, "VND") < "1"  # type: ignore[operator]  # noqa: B015


@pytest.mark.parametrize(
    "factor", [Decimal("NaN"), Decimal("Infinity"), Decimal("1E+999999"), 10**61, 10**1000]
)
def test_non_finite_or_huge_factors_are_value_errors(factor: Decimal | int) -> None:
    with pytest.raises(MoneyError, match="Money by"):
        Money(1, "VND") * factor
    with pytest.raises(MoneyError, match="Money by"):
        Money(1, "VND") / factor


def test_comparisons() -> None:
    small, big = Money("1.00", "USD"), Money("1.01", "USD")
    assert small < big
    assert small <= big
    assert big > small
    assert big >= small
    assert small <= Money(1, "USD")
    assert small >= Money(1, "USD")
    assert not small > big
    assert max([small, big]) is big
    assert sorted([big, small]) == [small, big]


def test_sum_with_a_zero_start_and_with_the_default_start() -> None:
    amounts = [Money(200, "VND"), Money(150, "VND"), Money(81, "VND")]
    assert sum(amounts, Money.zero("VND")) == Money(431, "VND")
    assert sum(amounts) == Money(431, "VND")
    assert sum([], Money.zero("USD")) == Money(0, "USD")
    with pytest.raises(CurrencyMismatchError):
        sum([Money(1, "VND"), Money(1, "USD")], Money.zero("VND"))


def test_negation_absolute_value_and_truth() -> None:
    assert -Money("2.50", "USD") == Money("-2.50", "USD")
    assert abs(Money("-3", "VND")) == Money(3, "VND")
    assert abs(Money("3", "VND")) == Money(3, "VND")
    assert +Money(7, "VND") == Money(7, "VND")
    assert not Money(0, "VND")
    assert Money("0.01", "USD")


def test_arithmetic_on_many_digits_is_exact() -> None:
    big = Money("1234567890123456789012345678901234567890", "VND")
    assert (-big).amount == Decimal("-1234567890123456789012345678901234567890")
    assert abs(-big) == big
    assert (big + Money(1, "VND")).amount == Decimal("1234567890123456789012345678901234567891")
    assert (big * 1000).amount == Decimal("1234567890123456789012345678901234567890000")
    assert Money.from_minor_units(10**39 + 1, "USD").amount == Decimal(f"{10**39 + 1}E-2")
    assert Money.from_minor_units(10**39 + 1, "USD").minor_units == 10**39 + 1


def test_a_result_that_cannot_be_exact_is_an_error_not_rounded() -> None:
    fine = Money(Decimal("1E+59"), "VND")
    with pytest.raises(MoneyError, match="written out in full"):  # no file could hold it
        Money(Decimal("1." + "1" * 150), "VND")
    tiny = Money(Decimal("1." + "1" * 60), "VND")
    with pytest.raises(MoneyError, match="written out in full"):  # 120 digits: not rounded
        fine + tiny
    with pytest.raises(MoneyError, match="exact"):  # 211 digits: beyond exact arithmetic
        Money(Decimal("0." + "9" * 60), "VND") * Decimal("1." + "1" * 150)


def test_ambient_decimal_context_is_not_used() -> None:
    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        total = Money("123456.789", "USD") + Money("0.001", "USD")
        assert total.amount == Decimal("123456.790")
        assert (-total).amount == Decimal("-123456.790")
        assert Money("123456.785", "USD").rounded() == Money("123456.79", "USD")


# --- rounding and minor units -------------------------------------------------------------


def test_default_rounding_is_half_up_and_documented() -> None:
    assert DEFAULT_ROUNDING == decimal.ROUND_HALF_UP
    assert "ROUND_HALF_UP" in (Money.rounded.__doc__ or "")
    assert Money("2.5", "VND").rounded() == Money(3, "VND")
    assert Money("-2.5", "VND").rounded() == Money(-3, "VND")
    assert Money("10.005", "USD").rounded() == Money("10.01", "USD")
    assert Money("1.0005", "BHD").rounded() == Money("1.001", "BHD")


@pytest.mark.parametrize(
    ("mode", "positive", "negative"),
    [
        (decimal.ROUND_HALF_UP, "3", "-3"),
        (decimal.ROUND_HALF_EVEN, "2", "-2"),
        (decimal.ROUND_HALF_DOWN, "2", "-2"),
        (decimal.ROUND_UP, "3", "-3"),
        (decimal.ROUND_DOWN, "2", "-2"),
        (decimal.ROUND_CEILING, "3", "-2"),
        (decimal.ROUND_FLOOR, "2", "-3"),
    ],
)
def test_rounding_modes(mode: str, positive: str, negative: str) -> None:
    assert Money("2.5", "VND").rounded(mode) == Money(positive, "VND")
    assert Money("-2.5", "VND").rounded(mode) == Money(negative, "VND")


def test_rounded_has_exactly_the_minor_digits() -> None:
    assert str(Money("7", "USD").rounded().amount) == "7.00"
    assert str(Money("7.1", "BHD").rounded().amount) == "7.100"
    assert str(Money("7.9", "VND").rounded().amount) == "8"


def test_unknown_rounding_mode_is_an_error() -> None:
    with pytest.raises(MoneyError, match="rounding mode 'HALF_UP'"):
        Money(1, "VND").rounded("HALF_UP")


def test_nothing_rounds_implicitly() -> None:
    amount = Money("10.005", "USD")
    assert str(amount) == "10.005 USD"
    assert (amount * 1).amount == Decimal("10.005")
    with pytest.raises(MoneyError, match=r"rounded\(\)"):
        _ = amount.minor_units
    with pytest.raises(AllocationError, match=r"rounded\(\)"):
        amount.allocate([1, 1])


def test_minor_units() -> None:
    assert Money("12.34", "USD").minor_units == 1234
    assert Money("12.3", "USD").minor_units == 1230
    assert Money("901000000000", "VND").minor_units == 901000000000
    assert Money("-1.5", "KWD").minor_units == -1500
    assert Money.from_minor_units(-1500, "KWD") == Money("-1.5", "KWD")
    assert str(Money.from_minor_units(5, "USD").amount) == "0.05"
    assert str(Money.from_minor_units(0, "USD").amount) == "0.00"
    with pytest.raises(MoneyTypeError):
        Money.from_minor_units(True, "USD")
    with pytest.raises(MoneyTypeError):
        Money.from_minor_units(Decimal(1), "USD")  # type: ignore[arg-type]


def test_allocate_on_money() -> None:
    parts = Money("100.00", "USD").allocate([1, 1, 1])
    assert parts == [Money("33.34", "USD"), Money("33.33", "USD"), Money("33.33", "USD")]
    # 2.5 and 7.5: the remainders tie, so the larger weight gets the extra unit.
    assert Money(10, "VND").allocate([Money(1, "USD"), Money(3, "USD")]) == [
        Money(2, "VND"),
        Money(8, "VND"),
    ]


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200)
@given(a=money("USD"), b=money("USD"), c=money("USD"))
def test_addition_is_exact_commutative_and_associative(a: Money, b: Money, c: Money) -> None:
    assert Fraction((a + b).amount) == Fraction(a.amount) + Fraction(b.amount)
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)
    assert (a + b) - b == a
    assert a - a == Money.zero("USD")
    assert sum([a, b, c], Money.zero("USD")) == a + b + c


@given(a=money(), b=decimals())
def test_multiplication_matches_decimal_and_division_undoes_it(a: Money, b: Decimal) -> None:
    product = a * b
    assert product.currency == a.currency
    assert Fraction(product.amount) == Fraction(a.amount) * Fraction(b)
    if b:
        assert product / b == a


@given(a=money(), b=money())
def test_ordering_matches_the_amounts(a: Money, b: Money) -> None:
    b = Money(b.amount, a.currency)
    assert (a < b) == (a.amount < b.amount)
    assert (a <= b) == (a.amount <= b.amount)
    assert (a == b) == (a.amount == b.amount)
    assert (a > b) == (a.amount > b.amount)


@given(a=money())
def test_negation_and_abs(a: Money) -> None:
    assert -a == a * -1
    assert (-a).amount == -Fraction(a.amount)
    assert -(-a) == a  # noqa: B002
    assert abs(a) >= Money.zero(a.currency)
    assert abs(a) in (a, -a)
    assert a + (-a) == Money.zero(a.currency)


@given(
    units=st.integers(min_value=-(10**30), max_value=10**30), currency=st.sampled_from(CURRENCIES)
)
def test_minor_units_round_trip(units: int, currency: str) -> None:
    assert Money.from_minor_units(units, currency).minor_units == units


@given(a=money())
def test_rounded_is_within_one_minor_unit_and_idempotent(a: Money) -> None:
    for rounding in (
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_CEILING,
    ):
        rounded = a.rounded(rounding)
        step = Decimal(1).scaleb(-a.minor_digits)
        assert abs(rounded.amount - a.amount) < step
        assert rounded.rounded(rounding) == rounded
        assert isinstance(rounded.minor_units, int)
