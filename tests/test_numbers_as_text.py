"""Numbers as text (issue #24): what is written in any locale reads back, and plan files
read numbers exactly as their JSON Schema says.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel import localedata
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.amounts import format_money, parse_amount
from egovplan.errors import LoadError
from egovplan.files import dumps, load, loads
from egovplan.money import Money
from egovplan.plan import Plan
from egovplan.schema import json_schema
from egovplan.words import words_to_amount

PLANS = Path(__file__).parent / "data" / "plans"
LOCALES = tuple(sorted(localedata.locale_identifiers()))
BIDI_MARKS = ("\u200e", "\u200f", "\u061c")

# -- bidi marks are never a minus sign -----------------------------------------------------


@pytest.mark.parametrize("mark", BIDI_MARKS)
@pytest.mark.parametrize("locale", ["he", "ar", "fa", "en", "vi"])
def test_a_bidi_mark_is_not_a_minus_sign(mark: str, locale: str) -> None:
    assert parse_amount(f"{mark}100 USD", locale, "USD") == Money("100", "USD")
    assert parse_amount(f"{mark}-100 USD", locale, "USD") == Money("-100", "USD")
    assert parse_amount(f"-{mark}100{mark} USD", locale, "USD") == Money("-100", "USD")
    assert parse_amount(f"100{mark}{mark}\xa0USD", locale, "USD") == Money("100", "USD")


@pytest.mark.parametrize("locale", ["fa", "fa_AF", "he", "ar", "ar_EG", "ps", "ur", "ckb"])
def test_right_to_left_output_reads_back_with_its_sign(locale: str) -> None:
    for amount in (Money("0.05", "EUR"), Money("-1234.5", "USD"), Money("901", "VND")):
        assert parse_amount(format_money(amount, locale), locale, amount.currency) == amount


# -- format_money -> parse_amount in every locale babel ships ------------------------------

#: A sign, a decimal mark and grouping, digits lost in pairs by babel ('de_CH'), a
#: leading zero; the hypothesis test below tries random amounts and currencies.
SWEEP = (Money("-1234567.891", "CHF"), Money("-901000000000", "VND"), Money("0.05", "EUR"))


def test_every_locale_reads_back_what_it_writes() -> None:
    failures = []
    for locale in LOCALES:
        for amount in SWEEP:
            text = format_money(amount, locale)
            try:
                read = parse_amount(text, locale, amount.currency)
            except ValueError as error:
                failures.append((locale, text, str(error)))
                continue
            if read != amount:
                failures.append((locale, text, repr(read)))
    assert not failures, failures[:10]


@cache
def _currencies() -> tuple[str, ...]:
    return ("VND", "USD", "EUR", "JPY", "BHD", "CHF", "INR", "ILS", "IRR", "SAR", "CNY")


@st.composite
def _amounts(draw: st.DrawFn) -> Money:
    digits = draw(st.integers(min_value=0, max_value=10**24))
    places = draw(st.integers(min_value=0, max_value=4))
    negative = draw(st.booleans())
    value = Decimal(digits).scaleb(-places)
    return Money(-value if negative else value, draw(st.sampled_from(_currencies())))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LOCALES), _amounts())
def test_format_money_then_parse_amount_round_trips(locale: str, amount: Money) -> None:
    text = format_money(amount, locale)
    assert parse_amount(text, locale, amount.currency) == amount
    assert parse_amount(text, locale, None).amount == amount.amount


# -- plan files take ASCII digits only, as the JSON Schema says ----------------------------

PLAN_JSON = dumps(load(PLANS / "sample-province-2021-2025.yaml"), "json")


def _schema_pattern(name: str) -> re.Pattern[str]:
    pattern = json.dumps(json_schema())
    found = re.search(r'"pattern": "(\^[^"]*' + name + r'[^"]*)"', pattern)
    assert found is not None
    return re.compile(json.loads(f'"{found.group(1)}"'))


def _load_with(old: str, new: object) -> Plan | None:
    assert old in PLAN_JSON
    try:
        return loads(PLAN_JSON.replace(old, json.dumps(new), 1), "json")
    except LoadError:
        return None


DECIMAL_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NUMBER_CHARS = "0123456789" + "٠١٢٣٤٥٦٧٨٩" + "۰۱۲۳" + "०१२" + "０１２" + "_.-+eE"


def test_the_decimal_pattern_here_is_the_schemas() -> None:
    assert "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?" in json.dumps(
        json_schema()
    ).replace("\\\\", "\\")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=NUMBER_CHARS, min_size=1, max_size=8))
def test_a_plan_takes_a_number_only_where_the_schema_does(text: str) -> None:
    schema_takes = DECIMAL_PATTERN.fullmatch(text) is not None
    if _load_with('"value": 50', text) is not None:
        assert schema_takes, f"decimal {text!r} loaded, but the JSON Schema refuses it"
    if _load_with('"200000000000 VND"', f"{text} VND") is not None:
        assert schema_takes, f"amount {text!r} VND loaded, but the JSON Schema refuses it"


@pytest.mark.parametrize("text", ["١٢٣", "1_000", "۱۲۳", "１２３", "1٢3", "1.5_0", "1e1_0"])
def test_other_digits_and_underscores_are_refused(text: str) -> None:
    assert _load_with('"value": 50', text) is None
    assert _load_with('"200000000000 VND"', f"{text} VND") is None


# -- surrounding whitespace, the same for every amount form ----------------------------------


@pytest.mark.parametrize("amount", ["15", "1.5", "1E3", "+2", "0.50"])
@pytest.mark.parametrize(("before", "after"), [("", " "), (" ", ""), ("\t", "\n"), ("  ", "  ")])
def test_surrounding_whitespace_is_treated_alike_for_every_amount(
    amount: str, before: str, after: str
) -> None:
    plain = _load_with('"200000000000 VND"', f"{amount} USD")
    padded = _load_with('"200000000000 VND"', f"{before}{amount} USD{after}")
    assert plain is not None
    assert padded is not None
    assert padded.funding.sources[0].amount == plain.funding.sources[0].amount


# -- amounts in words ----------------------------------------------------------------------

SPACES = ["\u2002", "\u2003", "\u2007", "\u3000", "\x85", "\u2028", "\u2029", "\u2009", "\xad"]


@pytest.mark.parametrize("space", SPACES)
def test_typographic_spaces_and_soft_hyphens_separate_words(space: str) -> None:
    assert words_to_amount(f"Hai{space}trăm{space}tỷ{space}đồng", "vi") == 200 * 10**9
    assert words_to_amount(f"two{space}hundred{space}billion", "en") == 200 * 10**9
    text = (PLANS / "sample-province-2021-2025.yaml").read_text(encoding="utf-8")
    words = f"Hai{space}trăm{space}tỷ{space}đồng"
    text = text.replace(
        "amount_in_words: Hai trăm tỷ đồng", f"amount_in_words: {json.dumps(words)}"
    )
    codes = [issue.code for issue in loads(text, "yaml").validate().issues]
    assert "EGP203" not in codes
    assert "EGP202" not in codes


def test_words_in_dong_under_an_amount_in_dollars_are_reported() -> None:
    text = (PLANS / "sample-province-2021-2025.yaml").read_text(encoding="utf-8")
    dong = loads(text, "yaml")
    dollars = loads(text.replace(" VND\n", " USD\n"), "yaml")
    assert dollars.funding.total is not None
    assert dollars.funding.total.currency == "USD"
    written = sum(
        words is not None
        for words in (
            dollars.funding.total_in_words,
            *(s.amount_in_words for s in dollars.funding.sources),
        )
    )
    assert written > 0
    reported = [i for i in dollars.validate().issues if i.code == "EGP202"]
    assert len(reported) == written
    assert reported[0].values["read"].currency == "VND"
    assert "₫" in reported[0].message  # says đồng
    assert "$" in reported[0].message
    assert not [i for i in dong.validate().issues if i.code == "EGP202"]
