"""What is written reads back (issue #24): every amount Money accepts survives every file
format, equal and alike; what no file can hold is normalised or refused when made.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from egovplan import serialization
from egovplan.document import PlanMetadata
from egovplan.files import dumps, loads
from egovplan.funding import Funding
from egovplan.money import MAX_WRITTEN_DIGITS, Money, MoneyError
from egovplan.period import Period
from egovplan.plan import Plan

FORMATS = ("yaml", "json", "toml")
CURRENCIES = ("VND", "USD", "BHD", "JPY")


def _accepted(value: object, currency: str) -> Money:
    try:
        return Money(value, currency)  # type: ignore[arg-type]
    except MoneyError:
        assume(False)
        raise


def _decimals() -> st.SearchStrategy[Decimal]:
    """Any finite Decimal, of any digits and exponent, as callers may pass."""
    return st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(map(int, str(digits))), exponent)),
        st.integers(0, 1),
        st.one_of(st.integers(0, 10**6), st.integers(0, 10**130)),
        st.one_of(st.integers(-120, 70), st.integers(-(10**8), 10**8)),
    )


def _texts() -> st.SearchStrategy[str]:
    return st.builds(
        lambda digits, exponent: f"{digits}E{exponent}",
        st.integers(-(10**40), 10**40),
        st.integers(-200, 200),
    )


MONEY_VALUES = st.one_of(_decimals(), _texts(), st.integers(-(10**40), 10**40))


def _plan(total: Money) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="T"),
        period=Period.year(2025),
        funding=Funding(total=total),
    )


@settings(max_examples=300, deadline=None)
@given(MONEY_VALUES, st.sampled_from(CURRENCIES))
def test_every_accepted_amount_round_trips_through_every_format(
    value: object, currency: str
) -> None:
    money = abs(_accepted(value, currency))  # a plan's amounts are not negative
    plan = _plan(money)
    for format in FORMATS:
        again = loads(dumps(plan, format), format).funding.total
        assert again == money, format
        assert repr(again) == repr(money), format  # alike: the same digits and places


@settings(max_examples=300, deadline=None)
@given(MONEY_VALUES, st.sampled_from(CURRENCIES))
def test_every_accepted_amount_round_trips_through_the_converter(
    value: object, currency: str
) -> None:
    money = _accepted(value, currency)  # negative ones too
    converter = serialization.converter()
    again = converter.structure(converter.unstructure(money), Money)
    assert again == money
    assert repr(again) == repr(money)


def test_the_written_limit_is_what_files_hold_by_default() -> None:
    assert serialization.DEFAULT_MAX_DIGITS >= MAX_WRITTEN_DIGITS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0E-101", "0E-60"),
        ("0E-50000000", "0E-60"),
        ("-0E-50000000", "0E-60"),
        ("0E+5", "0"),
        ("-0.00", "0.00"),
        ("1E+3", "1000"),
        ("1.5E+2", "150"),
        ("1E+60", "1" + "0" * 60),
    ],
)
def test_what_files_write_otherwise_is_normalised(value: str, expected: str) -> None:
    money = Money(value, "VND")
    assert str(money.amount) == expected
    assert money.amount == Decimal(expected)
    for format in FORMATS:
        text = dumps(_plan(money), format)
        assert len(text) < 1000  # not fifty megabytes of zeros
        assert repr(loads(text, format).funding.total) == repr(money)


def test_an_amount_too_long_to_write_is_refused() -> None:
    with localcontext() as context:
        context.prec = 200
        long = Decimal("1E+60") + Decimal("1E-60")
    with pytest.raises(MoneyError, match="digits written out in full"):
        Money(long, "VND")
    with pytest.raises(MoneyError, match="digits written out in full"):
        Money("1E+60", "VND") + Money("1E-60", "VND")
