"""Fuzzing every text parser: garbage in gives egovplan's own errors, never a crash.

For any text, each parser either returns a value of the right type or raises an
:class:`~egovplan.errors.EgovplanError` with a non-empty message; nothing else escapes,
and nothing hangs (inputs are bounded). Valid text keeps its meaning in NFD form and
after a UTF-8 byte order mark. The named hostile cases of issue 9 follow at the end.

``EGOVPLAN_FUZZ_EXAMPLES`` sets every fuzz target's ``max_examples`` (for long runs:
``EGOVPLAN_FUZZ_EXAMPLES=100000 pytest tests/test_fuzz_parsers.py
--hypothesis-show-statistics``; the statistics give the count each target ran). The
atheris harnesses of ``fuzz/`` run briefly at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan.agency import Agency
from egovplan.amounts import format_money, parse_amount
from egovplan.catalog import Catalogue
from egovplan.dates import format_date, parse_date
from egovplan.document import DocumentRef, PlanMetadata
from egovplan.errors import EgovplanError, FieldValueError, LoadError, ParseError
from egovplan.files import Limits, loads
from egovplan.frameworks import Framework
from egovplan.funding import Funding, SpendingRule
from egovplan.indicator import StatedRank
from egovplan.labels import Labels
from egovplan.money import Money, MoneyError
from egovplan.objective import Baseline, Comparator, Objective, Target
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.progress import ProgressError, attainment
from egovplan.ranks import parse_stated_rank
from egovplan.recurrence import Recurrence
from egovplan.testing import document_refs, periods
from egovplan.units import check_unit
from egovplan.validation import Severity
from egovplan.when import When
from egovplan.words import amount_to_words, words_to_amount

T = TypeVar("T")

SCALE = int(os.environ.get("EGOVPLAN_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> Any:
    """Hypothesis settings of one fuzz target: ``examples`` unless the environment says."""
    return settings(
        max_examples=SCALE or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def outcome(call: Callable[[], T], kind: type | tuple[type, ...]) -> T | EgovplanError:
    """Run ``call``: its value must be a ``kind``, its error an EgovplanError with a message.

    Any other exception propagates and fails the test.
    """
    try:
        value = call()
    except EgovplanError as error:
        caught = error
    else:
        assert isinstance(value, kind), f"{value!r} is not {kind}"
        return value
    assert str(caught).strip(), f"{type(caught).__name__} without a message"
    return caught


# --- strategies --------------------------------------------------------------------------

#: Characters that mean something to some parser, or look like they might.
TRICKY = (
    "\xa0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2009",  # thin space
    "\u2007",  # figure space
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u2010",
    "\u2011",
    "\u2012",
    "\u2013",
    "\u2014",
    "\u2212",  # minus sign
    "\u0301",  # combining acute
    "\u0303",  # combining tilde
    "\u0323",  # combining dot below
    "\u0309",  # combining hook above
    "\u00d0",  # Ð, a look-alike of Đ
    "\t",
    "\n",
    "\r",
    "\x00",
    "\ud800",  # a lone surrogate
    "٣",  # Arabic-Indic three (a Unicode digit)
    "²",
    "½",
    "Ⅳ",
    "𝟏",
)

DIGITS = "0123456789"
SEPARATORS = ".,' /-:;()[]+*%"


def tokens(*words: str) -> st.SearchStrategy[str]:
    """Text made of ``words``, digits, separators and tricky characters, up to 30 pieces."""
    piece = st.one_of(
        st.sampled_from(words),
        st.text(DIGITS, min_size=1, max_size=6),
        st.integers(0, 10**200).map(str),  # long runs of digits
        st.sampled_from(SEPARATORS),
        st.sampled_from(TRICKY),
        st.just(" "),
    )
    return st.lists(piece, max_size=30).map("".join)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[str]) -> str:
    """A valid text with a few characters inserted, deleted or replaced."""
    text = draw(valid)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        change = draw(st.sampled_from(("insert", "delete", "replace", "swap")))
        char = draw(st.sampled_from(TRICKY + tuple(DIGITS + SEPARATORS) + ("I", "V", "đ", "x")))
        if change == "insert":
            text = text[:position] + char + text[position:]
        elif change == "delete":
            text = text[:position] + text[position + 1 :]
        elif change == "replace":
            text = text[:position] + char + text[position + 1 :]
        elif position + 1 < len(text):
            text = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text


def anything(*words: str, valid: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """Arbitrary text, text of the parser's alphabet, and mutated valid text."""
    choices = [
        st.text(max_size=60),
        tokens(*words),
        # long runs of digits around a separator
        st.tuples(
            st.integers(10**30, 10**250).map(str),
            st.sampled_from(" .,/-\xa0"),
            st.integers(0, 10**50).map(str),
        ).map("".join),
    ]
    if valid is not None:
        choices.append(mutated(valid))
    return st.one_of(choices)


# --- amounts -----------------------------------------------------------------------------

AMOUNT_WORDS = (
    "₫",
    "$",
    "€",
    "US$",
    "VND",
    "USD",
    "vnd",
    "đồng",
    "dong",
    "nghìn",
    "ngàn",
    "triệu",
    "tỷ",
    "tỉ",
    "thousand",
    "million",
    "billion",
    "trillion",
    "E+",
    "e",
    "E+999999999",
    "NaN",
    "Infinity",
    "sNaN",
    "-0",
)

MONEY = st.one_of(
    st.integers(-(10**18), 10**18).map(lambda n: Money(n, "VND")),
    st.integers(-(10**15), 10**15).map(lambda cents: Money.from_minor_units(cents, "USD")),
)


@st.composite
def written_amounts(draw: st.DrawFn) -> tuple[str, str, Money]:
    """``(text, locale, money)``: an amount as egovplan writes it."""
    money = draw(MONEY)
    locale = draw(st.sampled_from(("vi", "en")))
    style = draw(st.sampled_from(("full", "compact")))
    return format_money(money, locale, style), locale, money


AMOUNT_TEXT = written_amounts().map(lambda written: written[0])


#: A number followed by many magnitude words of one language ("9 tỷ tỷ tỷ ...").
STACKED_MAGNITUDES = st.sampled_from(
    (("tỷ", "nghìn", "triệu", "ngàn"), ("billion", "million", "thousand", "bn", "MN"))
).flatmap(
    lambda words: st.builds(
        lambda number, chosen, currency: f"{number} {' '.join(chosen)} {currency}".strip(),
        st.integers(1, 10**6),
        st.integers(1, 40).flatmap(
            lambda count: st.lists(st.sampled_from(words), min_size=count, max_size=count)
        ),
        st.sampled_from(("₫", "VND", "")),
    )
)


@fuzz(500)
@given(
    anything(*AMOUNT_WORDS, valid=AMOUNT_TEXT) | STACKED_MAGNITUDES,
    st.sampled_from(("vi", "en")),
)
def test_fuzz_parse_amount(text: str, locale: str) -> None:
    outcome(lambda: parse_amount(text, locale, "VND"), Money)
    result = outcome(lambda: parse_amount(text, locale, currency=None), Money)
    if isinstance(result, Money):
        assert result.currency


@fuzz(150)
@given(written_amounts())
def test_written_amounts_read_back_in_any_normal_form(written: tuple[str, str, Money]) -> None:
    text, locale, money = written
    assert parse_amount(text, locale, currency=money.currency) == money
    assert parse_amount(nfd(text), locale, currency=None) == money
    assert parse_amount("\ufeff" + text, locale, currency=money.currency) == money


# --- words -------------------------------------------------------------------------------

NUMBER_WORDS = (
    "không",
    "một",
    "mốt",
    "hai",
    "ba",
    "bốn",
    "tư",
    "năm",
    "lăm",
    "nhăm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mươi",
    "chục",
    "trăm",
    "lẻ",
    "linh",
    "nghìn",
    "ngàn",
    "triệu",
    "tỷ",
    "tỉ",
    "đồng",
    "chẵn",
    "Bằng chữ:",
    "zero",
    "one",
    "eleven",
    "twenty",
    "hundred",
    "and",
    "thousand",
    "million",
    "billion",
    "only",
)

WHOLE = st.integers(0, 10**15 - 1)


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str, int]:
    n = draw(WHOLE)
    locale = draw(st.sampled_from(("vi", "en")))
    return amount_to_words(n, locale), locale, n


@fuzz(500)
@given(
    anything(*NUMBER_WORDS, valid=written_numbers().map(lambda w: w[0])),
    st.sampled_from(("vi", "en")),
)
def test_fuzz_words_to_amount(text: str, locale: str) -> None:
    result = outcome(lambda: words_to_amount(text, locale), int)
    if isinstance(result, int):
        assert result >= 0


@fuzz(150)
@given(written_numbers())
def test_words_read_back_in_any_normal_form(written: tuple[str, str, int]) -> None:
    text, locale, n = written
    assert words_to_amount(text, locale) == n
    assert words_to_amount(nfd(text.capitalize()), locale) == n
    assert words_to_amount("\ufeff" + text, locale) == n


# --- periods -----------------------------------------------------------------------------

PERIOD_WORDS = (
    "Quý",
    "quý",
    "Quy",
    "Q",
    "q",
    "I",
    "II",
    "III",
    "IV",
    "V",
    "X",
    "năm",
    "giai đoạn",
    "từ",
    "đến",
    "và",
    "quarter",
    "year",
    "from",
    "to",
    "of",
    "and",
    "2018",
    "2021",
    "0",
    "1899",
    "2201",
    "9999",
)

PERIOD_TEXT = st.one_of(
    periods().map(str),
    st.builds(Period.format, periods(), st.sampled_from(("vi", "en"))),
)


@fuzz(500)
@given(
    anything(*PERIOD_WORDS, valid=PERIOD_TEXT),
    st.none() | st.integers(1900, 2200) | st.integers(-(10**6), 10**6),
)
def test_fuzz_period_and_quarter_parse(text: str, year: int | None) -> None:
    outcome(lambda: Period.parse(text), Period)
    outcome(lambda: Period.parse(text, year=year), Period)
    outcome(lambda: Quarter.parse(text), Quarter)
    outcome(lambda: Quarter.parse(text, year=year), Quarter)


@fuzz(150)
@given(periods(), st.sampled_from(("vi", "en")))
def test_periods_read_back_in_any_normal_form(period: Period, locale: str) -> None:
    text = period.format(locale)
    assert Period.parse(text) == period
    assert Period.parse(nfd(text.upper())) == period
    assert Period.parse("\ufeff" + text) == period


# --- dates -------------------------------------------------------------------------------

DATE_WORDS = (
    "ngày",
    "tháng",
    "năm",
    "Ngày",
    "July",
    "Jul",
    "June",
    "tháng 7",
    "31",
    "02",
    "29",
    "2011",
    "1899",
    "2201",
    "0",
)
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
DATE_TEXT = st.one_of(
    st.builds(format_date, DATES, st.sampled_from(("vi", "en"))),
    DATES.map(lambda d: f"{d.day}/{d.month}/{d.year}"),
    DATES.map(lambda d: f"{d.day:02}.{d.month:02}.{d.year}"),
    DATES.map(dt.date.isoformat),
)


@fuzz(500)
@given(anything(*DATE_WORDS, valid=DATE_TEXT))
def test_fuzz_parse_date(text: str) -> None:
    outcome(lambda: parse_date(text), dt.date)


@fuzz(150)
@given(DATES, st.sampled_from(("vi", "en")))
def test_dates_read_back_in_any_normal_form(date: dt.date, locale: str) -> None:
    text = format_date(date, locale)
    assert parse_date(text) == date
    assert parse_date(nfd(text)) == date
    assert parse_date("\ufeff" + text) == date


# --- times, recurrences, dates in other locales ---------------------------------------------

WHEN_WORDS = (
    "by",
    "in",
    "trước",
    "đến",
    "năm",
    "tháng",
    "Quý",
    "III",
    "Q3",
    "-Q",
    "June",
    "marzo",
    "марта",
    "6",
    "13",
    "2024",
    "2024-06",
    "/",
    "-",
)
WHEN_TEXT = st.one_of(
    st.builds(
        lambda year, month, by: str(When(year, month=month, by=by)),
        st.integers(1900, 2200),
        st.integers(1, 12),
        st.booleans(),
    ),
    st.builds(
        lambda year, quarter, locale: When(year, quarter=quarter).format(locale),
        st.integers(1900, 2200),
        st.integers(1, 4),
        st.sampled_from(("vi", "en")),
    ),
)
LOCALES = ("it", "de", "ru", "pl", "es", "ja")


@fuzz(500)
@given(anything(*WHEN_WORDS, valid=WHEN_TEXT), st.none() | st.sampled_from(LOCALES))
def test_fuzz_when_parse(text: str, locale: str | None) -> None:
    outcome(lambda: When.parse(text, locale=locale), When)


@fuzz(300)
@given(
    anything("hàng", "hằng", "năm", "quý", "tháng", "một lần", "every", "months", "6", "0"),
)
def test_fuzz_recurrence_parse(text: str) -> None:
    outcome(lambda: Recurrence.parse(text), Recurrence)


@fuzz(300)
@given(anything(*DATE_WORDS, "marzo", "März", "марта", "de"), st.sampled_from(LOCALES))
def test_fuzz_parse_date_in_a_locale(text: str, locale: str) -> None:
    outcome(lambda: parse_date(text, locale), dt.date)


# --- document references -------------------------------------------------------------------

DOCUMENT_WORDS = (
    "Căn cứ",
    "Quyết định",
    "Nghị quyết",
    "Luật",
    "Nghị định",
    "Kế hoạch",
    "số",
    "số:",
    "14/2011/QĐ-UBND",
    "36-NQ/TW",
    "QĐ-UBND",
    "NQ/TW",
    "KH-UBND",
    "TTg",
    "ngày",
    "tháng",
    "năm",
    "của",
    "về",
    "về việc",
    "Thủ tướng Chính phủ",
    "Ủy ban nhân dân",
    "Ðiều",
)
DOCUMENT_TEXT = document_refs().flatmap(
    lambda ref: st.sampled_from((str(ref), ref.citation("vi"), ref.citation("en")))
)


@fuzz(400)
@given(anything(*DOCUMENT_WORDS, valid=DOCUMENT_TEXT))
def test_fuzz_document_ref_parse(text: str) -> None:
    outcome(lambda: DocumentRef.parse(text), DocumentRef)
    refs = outcome(lambda: DocumentRef.parse_citations(text), tuple)
    if isinstance(refs, tuple):
        assert all(isinstance(ref, DocumentRef) for ref in refs)


@fuzz(100)
@given(document_refs())
def test_document_refs_read_back_in_any_normal_form(ref: DocumentRef) -> None:
    if not ref.number or ref.jurisdiction is not None:
        return  # the identifiers of other jurisdictions are their grammars' (test_document.py)
    text = str(ref)
    assert DocumentRef.parse(nfd(text)) == DocumentRef.parse(text)
    assert DocumentRef.parse("\ufeff" + text) == DocumentRef.parse(text)


# --- units, comparators, ranks -------------------------------------------------------------


@fuzz(200)
@given(anything("percent", "people", "per_100_inhabitants", "Mbps", "/", "₫", "VND", "%"))
def test_fuzz_check_unit(text: str) -> None:
    outcome(lambda: check_unit(text), str)


@fuzz(200)
@given(
    anything("tối thiểu", "ít nhất", "trên", ">=", "≥", "at least", "between"),
    st.sampled_from(("vi", "en", "fr", "")),
)
def test_fuzz_comparator_from_words(text: str, locale: str) -> None:
    outcome(lambda: Comparator.from_words(text, locale), (Comparator, type(None)))


RANK_WORDS = (
    "Xếp thứ",
    "xếp hạng",
    "thứ",
    "tăng",
    "giảm",
    "bậc",
    "giữ nguyên",
    "so với năm",
    "năm",
    "từ thứ",
    "lên thứ",
    "xuống thứ",
    "ranked",
    "up",
    "down",
    "places",
    "compared with",
    "from",
    "to",
    "th",
    "(",
    ")",
    "2016",
    "2017",
    "0",
)
RANK_TEXT = st.sampled_from(
    (
        "Xếp thứ 15 (tăng 05 bậc so với năm 2016)",
        "Giảm 02 bậc, từ thứ 12 (năm 2016) xuống thứ 14 (năm 2017)",
        "up 2 places compared with 2016",
        "ranked 7th in 2017",
    )
)


@fuzz(300)
@given(
    anything(*RANK_WORDS, valid=RANK_TEXT),
    st.none() | st.sampled_from(("vi", "en")),
    st.none() | periods(),
)
def test_fuzz_parse_stated_rank(text: str, locale: str | None, period: Period | None) -> None:
    outcome(
        lambda: parse_stated_rank(
            text, indicator="ict", subject="lao-cai", period=period, locale=locale
        ),
        StatedRank,
    )


# --- TOML documents: frameworks and catalogues ---------------------------------------------

FRAMEWORK_TOML = """\
[framework]
id = "my-index"
root = "my"
names = { vi = "Chỉ số", en = "Index" }

[[groups]]
id = "my"
names = { vi = "Chỉ số", en = "Index" }

[[groups]]
id = "my.part"
parent = "my"
weight = 2
names = { vi = "Phần", en = "Part" }

[[indicators]]
id = "my.part.x"
group = "my.part"
unit = "percent"
weight = 1.5
reference = { low = 0, high = 100 }
names = { vi = "X", en = "X" }

[[scales]]
id = "s"
names = { vi = "S", en = "S" }
levels = [{ id = "1", names = { vi = "1", en = "1" } }]

[[mappings]]
source = "s"
target = "s"
levels = [{ source = "1", target = "1" }]
"""

CATALOGUE_TOML = """\
name = "roles"
vi = "Vai trò"
en = "Roles"

[kinds.lead]
vi = "chủ trì"
en = "lead"
abbreviations = ["CT"]
description_en = "leads the task"

[kinds.coordinate]
vi = "phối hợp"
en = "coordinate"
"""

TOML_WORDS = (
    "[framework]",
    "[[groups]]",
    "[[indicators]]",
    "[[scales]]",
    "[[mappings]]",
    "[kinds.a]",
    "\n",
    "id = ",
    "root = ",
    "name = ",
    "names = ",
    "parent = ",
    "weight = ",
    "unit = ",
    "reference = ",
    "levels = ",
    "vi = ",
    "en = ",
    '"my"',
    '"x"',
    "{",
    "}",
    "[",
    "]",
    "=",
    ",",
    "1e999",
    "nan",
    "inf",
    "-0",
    "true",
)


@fuzz(300)
@given(anything(*TOML_WORDS, valid=st.just(FRAMEWORK_TOML)))
def test_fuzz_framework_loads(text: str) -> None:
    outcome(lambda: Framework.loads(text), Framework)


@fuzz(300)
@given(anything(*TOML_WORDS, valid=st.just(CATALOGUE_TOML)))
def test_fuzz_catalogue_from_toml(text: str) -> None:
    outcome(lambda: Catalogue.from_toml(text), Catalogue)


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.decimals()
    | st.floats()
    | st.sampled_from(("my", "my.part", "percent", "s", "1", "vi", "en"))
)
JSON_KEYS = st.sampled_from(
    ("id", "root", "names", "parent", "group", "unit", "weight", "levels", "vi", "en")
) | st.text(max_size=4)
JSONISH: st.SearchStrategy[Any] = st.deferred(
    lambda: (
        JSON_LEAVES
        | st.lists(JSONISH, max_size=4)
        | st.dictionaries(JSON_KEYS, JSONISH, max_size=5)
    )
)


@fuzz(150)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "framework": JSONISH,
            "groups": JSONISH,
            "indicators": JSONISH,
            "scales": JSONISH,
            "mappings": JSONISH,
        },
    )
    | JSONISH
)
def test_fuzz_framework_from_dict(data: Any) -> None:
    outcome(lambda: Framework.from_dict(data), Framework)


# --- locales -------------------------------------------------------------------------------


@fuzz(200)
@given(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(("vi", "en", "vi_VN", "en-GB", "fr", "zz", "", "_", "vi__", "root")),
    )
)
def test_fuzz_locales(locale: str) -> None:
    money = Money("1500000", "VND")
    outcome(lambda: parse_amount("1.500.000 ₫", locale), Money)
    outcome(lambda: format_money(money, locale), str)
    outcome(lambda: format_money(money, locale, "compact"), str)
    outcome(lambda: words_to_amount("một triệu", locale), int)
    outcome(lambda: amount_to_words(1_500_000, locale), str)
    outcome(lambda: format_date(dt.date(2011, 7, 21), locale), str)
    outcome(lambda: Period.year(2018).format(locale), str)


# --- named hostile cases (issue 9) ----------------------------------------------------------


def raises(error: type[EgovplanError], call: Callable[[], object], *names: str) -> EgovplanError:
    """``call()`` raises exactly ``error`` (not a subclass) whose message contains ``names``."""
    with pytest.raises(EgovplanError) as info:
        call()
    caught = info.value
    assert type(caught) is error, f"{type(caught).__name__}: {caught}"
    for name in names:
        assert name in str(caught), f"{name!r} not in {str(caught)!r}"
    return caught


HOSTILE_NUMBERS = ("1E+999999999", "NaN", "Infinity", "-Infinity", "sNaN")


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_hostile_decimals_as_money(text: str) -> None:
    error = raises(MoneyError, lambda: Money(text, "VND"), "Money amount")
    assert "finite" in str(error) or "out of range" in str(error)
    raises(MoneyError, lambda: Money(Decimal(text), "VND"), "Money amount")


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_hostile_decimals_in_amount_text(text: str) -> None:
    error = raises(ParseError, lambda: parse_amount(f"{text} ₫"), repr(f"{text} ₫"))
    assert isinstance(error, ParseError)
    assert error.position is not None


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_hostile_decimals_in_decimal_fields(text: str) -> None:
    raises(FieldValueError, lambda: Target(id="t", measure="m", value=text), "Target.value")
    raises(
        FieldValueError,
        lambda: Target(id="t", measure="m", by_level=(("province", text),)),
        "Target.by_level[0]",
    )
    raises(FieldValueError, lambda: Baseline(value=text, year=2020), "Baseline.value")
    raises(
        FieldValueError,
        lambda: SpendingRule(id="r", description="d", percent=text),
        "SpendingRule.percent",
    )


def test_minus_zero_is_zero() -> None:
    assert Money("-0", "VND") == Money(0, "VND")
    assert not Money("-0", "VND").amount.is_signed()
    assert parse_amount("-0 ₫") == Money(0, "VND")
    assert Target(id="t", measure="m", value="-0", unit="percent").value == 0


TEN_THOUSAND_DIGITS = "9" * 10_000


def test_ten_thousand_digit_integers() -> None:
    huge = 10**10_000 - 1
    raises(MoneyError, lambda: Money(huge, "VND"), "too many digits")
    raises(MoneyError, lambda: Money(TEN_THOUSAND_DIGITS, "VND"), "too long")
    raises(ParseError, lambda: parse_amount(TEN_THOUSAND_DIGITS + " ₫"), "longer than")
    raises(ParseError, lambda: parse_amount("1" * 41 + " ₫"), "more than 40 digits")
    assert parse_amount("1" * 40 + " ₫").amount == Decimal("1" * 40)
    for value in (huge, TEN_THOUSAND_DIGITS):
        raises(
            FieldValueError,
            lambda value=value: Target(id="t", measure="m", value=value),
            "Target.value has too many digits",
        )
    error = raises(ParseError, lambda: words_to_amount("một " * 3000), "longer than")
    assert len(str(error)) < 400  # the message quotes a long text shortened


def test_a_long_digit_run_with_a_space_is_a_parse_error() -> None:
    # Found by fuzz/fuzz_parse_amount.py: the suggestion for "9…9 0" (the digits without
    # the space) had more digits than the rounding context, and crashed it.
    raises(ParseError, lambda: parse_amount("9" * 170 + " 0"), "(172 characters)", "position 0")
    error = raises(ParseError, lambda: parse_amount("1 0 ₫"), "'1 0 ₫'")
    assert isinstance(error, ParseError)
    assert error.suggestions == ("10 ₫",)


def test_stacked_magnitude_words_are_bounded() -> None:
    # Found by fuzz/fuzz_parse_amount.py: enough magnitude words made an amount too large
    # for the rounding context, which crashed before Money could refuse it.
    text = "9 " + "bn " * 20 + "VND"
    raises(ParseError, lambda: parse_amount(text, "en"), "1E+180, out of range", "at most 1E+60")
    raises(ParseError, lambda: parse_amount("1 nghìn " + "tỷ " * 7 + "₫"), "1E+66")
    assert parse_amount("1 nghìn tỷ ₫") == Money(10**12, "VND")


def test_a_huge_integer_is_refused_without_converting_it() -> None:
    # Converting a million-digit int to Decimal takes minutes; the field refuses it first,
    # by its bit length: the message gives the digits "about", as only an estimate from the
    # bit length does (a converted number's digits are counted exactly, "(101; ...").
    huge = 10**1_000_000
    raises(
        FieldValueError,
        lambda: Target(id="t", measure="m", value=huge),
        "Target.value has too many digits (about 1000001;",
    )


def test_numbers_at_the_bounds_of_decimal_fields() -> None:
    assert Target(id="t", measure="m", value="1E+1000").value == Decimal("1E+1000")
    raises(FieldValueError, lambda: Target(id="t", measure="m", value="1E+1001"), "out of range")
    assert Target(id="t", measure="m", value="1" * 100).value == Decimal("1" * 100)
    raises(FieldValueError, lambda: Target(id="t", measure="m", value="1" * 101), "(101;")


def test_progress_of_huge_but_bounded_numbers() -> None:
    target = Target(
        id="t",
        measure="m",
        comparator=Comparator.GE,
        value="1E+1000",
        unit="people",
        deadline=2025,
        baseline=Baseline(value="1E-1000", year=2020),
    )
    result = attainment(target, Decimal("5E+999"), year=2022)
    assert result.percent is not None
    assert 49 < result.percent < 51
    raises(
        ProgressError,
        lambda: attainment(target, Decimal("1E+999999999"), year=2022),
        "latest value of target 't'",
    )


def test_percent_just_over_a_hundred() -> None:
    # Well formed but wrong: it builds, and validation reports it, naming the value.
    from egovplan.document import PlanMetadata as Metadata
    from egovplan.validation import validate

    over = "100.0000001"
    plan = Plan(
        id="p",
        metadata=Metadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        objectives=(
            Objective(
                id="o",
                targets=(
                    Target(id="t", measure="m", value=over, unit="percent"),
                    Target(id="u", measure="m", by_level=(("x", over),), unit="percent"),
                    Target(id="v", measure="m", value="100.0000000", unit="percent"),
                ),
            ),
        ),
        funding=Funding(
            stated_shares=(("s1", Decimal(over)),),
            rules=(SpendingRule(id="r", description="d", percent=over),),
        ),
    )
    found = [
        (issue.code, issue.path)
        for issue in validate(plan, ruleset="default")
        if issue.code in ("EGP210", "EGP301")
    ]
    assert found == [
        ("EGP210", "funding.stated_shares.s1"),
        ("EGP210", "funding.rules[0].percent"),
        ("EGP301", "objectives[0].targets[0].value"),
        ("EGP301", "objectives[0].targets[1].by_level[0].value"),
    ]
    assert all(over in issue.message for issue in validate(plan) if issue.code == "EGP301")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("31/02/2011", ("'31/02/2011'", "month 2 of 2011 has days 1 to 28, not 31")),
        ("30/02/2012", ("'30/02/2012'", "days 1 to 29, not 30")),
        ("29/02/2011", ("'29/02/2011'", "not 29")),
        ("2011-02-31", ("'2011-02-31'", "not 31")),
        ("31/02", ("'31/02'", "expected a form")),
        ("ngày 31 tháng 2 năm 2011", ("tháng 2", "not 31")),
        ("0/1/2011", ("'0/1/2011'", "not 0")),
        ("1/13/2011", ("'1/13/2011'", "no month 13")),
    ],
)
def test_impossible_dates(text: str, names: tuple[str, ...]) -> None:
    raises(ParseError, lambda: parse_date(text), *names)


@pytest.mark.parametrize("number", [0, 5, -1, 13])
def test_quarter_zero_and_five(number: int) -> None:
    raises(FieldValueError, lambda: Quarter(2018, number), f"Quarter.number {number}")
    raises(FieldValueError, lambda: Period.quarter(2018, number), f"Quarter.number {number}")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Quý 0/2018", "0"),
        ("Quý V/2018", "V"),
        ("Q0 2018", "0"),
        ("Q5 2018", "5"),
        ("2018-Q5", "5"),
        ("quý 0 năm 2018", "0"),
        ("Quý I-V/2018", "V"),
    ],
)
def test_quarter_zero_and_five_in_text(text: str, shown: str) -> None:
    raises(ParseError, lambda: Period.parse(text), repr(text), f"there is no quarter {shown}")
    raises(ParseError, lambda: Quarter.parse(text), repr(text), f"there is no quarter {shown}")


def test_quarters_in_text_without_a_year_need_one() -> None:
    raises(ParseError, lambda: Quarter.parse("Quý V", year=2018), "'Quý V'", "no quarter V")
    assert Quarter.parse("Quý IV", year=2018) == Quarter(2018, 4)


VIETNAMESE: tuple[tuple[Callable[[str], object], str, object], ...] = (
    (parse_amount, "901 tỷ đồng", Money("901000000000", "VND")),
    (words_to_amount, "Chín trăm lẻ một tỷ đồng chẵn", 901_000_000_000),
    (Period.parse, "giai đoạn 2021–2025", Period.years(2021, 2025)),
    (Period.parse, "Quý II năm 2018", Period.quarter(2018, 2)),
    (parse_date, "ngày 29 tháng 6 năm 2006", dt.date(2006, 6, 29)),
    (
        DocumentRef.parse,
        "Quyết định số 14/2011/QĐ-UBND ngày 29 tháng 6 năm 2011",
        DocumentRef(
            kind="decision", number="14", year=2011, issuer="UBND", date=dt.date(2011, 6, 29)
        ),
    ),
    (
        lambda text: parse_stated_rank(text, indicator="ict", subject="lao-cai").rank,
        "Giảm 02 bậc, từ thứ 12 (năm 2016) xuống thứ 14 (năm 2017)",
        14,
    ),
    (lambda text: Comparator.from_words(text, "vi"), "tối thiểu", Comparator.GE),
)


@pytest.mark.parametrize(("parse", "text", "value"), VIETNAMESE, ids=lambda x: str(x)[:24])
def test_vietnamese_in_nfd_reads_as_nfc(
    parse: Callable[[str], object], text: str, value: object
) -> None:
    decomposed = nfd(text)
    assert decomposed != text
    assert parse(text) == value
    assert parse(decomposed) == value
    assert parse("\ufeff" + decomposed) == value  # and after a byte order mark


@pytest.mark.parametrize(
    ("parse", "text", "names"),
    [
        (parse_amount, "901\u200b000 ₫", ("'901\\u200b000 ₫'", "position 3")),
        (words_to_amount, "một\u200btrăm", ("'\\u200b' at position 3",)),
        (Period.parse, "2021\u200b-2025", ("'2021\\u200b-2025'",)),
        (parse_date, "01/06\u200b/2009", ("'01/06\\u200b/2009'",)),
        (DocumentRef.parse, "14/2011/QĐ\u200b-UBND", ("at 'QĐ\\u200b-UBND'",)),
        (parse_amount, "\u200b901 tỷ đồng", ("position 0",)),
    ],
)
def test_zero_width_spaces_are_located_errors(
    parse: Callable[[str], object], text: str, names: tuple[str, ...]
) -> None:
    # Invisible characters are not separators: each is an error that shows it (\u200b).
    raises(ParseError, lambda: parse(text), *names)


@pytest.mark.parametrize(
    ("text", "locale", "amount"),
    [
        ("901\xa0000\xa0000\xa0000 ₫", "vi", "901000000000"),
        ("901\u202f000\u202f000\u202f000 ₫", "vi", "901000000000"),
        ("1\u2009234,5 triệu đồng", "vi", "1234500000"),
        ("₫901\xa0000\xa0000", "en", "901000000"),
        ("1\xa0234.5\xa0million\xa0VND", "en", "1234500000"),
    ],
)
def test_no_break_spaces_group_digits(text: str, locale: str, amount: str) -> None:
    assert parse_amount(text, locale) == Money(amount, "VND")


def test_no_break_spaces_elsewhere() -> None:
    assert words_to_amount("một\xa0trăm\u202fnghìn") == 100_000
    assert Period.parse("Quý\xa0II/2018") == Period.quarter(2018, 2)
    assert parse_date("29\xa0tháng\xa06\xa0năm\xa02006") == dt.date(2006, 6, 29)
    assert DocumentRef.parse("14/2011/QĐ-UBND\xa0") == DocumentRef.parse("14/2011/QĐ-UBND")


def test_no_break_space_groups_must_still_be_groups() -> None:
    raises(ParseError, lambda: parse_amount("90\xa01000 ₫"), "'90\\xa01000 ₫'")
    raises(ParseError, lambda: parse_amount("1.000\xa0000 ₫"), "both '.' and spaces")


@pytest.mark.parametrize(
    "parse",
    [
        parse_amount,
        words_to_amount,
        Period.parse,
        parse_date,
        DocumentRef.parse,
        lambda text: Framework.loads(text),
        lambda text: Catalogue.from_toml(text),
    ],
)
def test_a_byte_order_mark_alone_or_twice(parse: Callable[[str], object]) -> None:
    for text in ("\ufeff", "\ufeff\ufeff1"):
        outcome(lambda text=text: parse(text), object)
    error = outcome(lambda: parse("\ufeff"), object)
    assert isinstance(error, EgovplanError)


def test_a_byte_order_mark_before_toml() -> None:
    assert Framework.loads("\ufeff" + FRAMEWORK_TOML) == Framework.loads(FRAMEWORK_TOML)
    assert Catalogue.from_toml("\ufeff" + CATALOGUE_TOML) == Catalogue.from_toml(CATALOGUE_TOML)


# --- ids and references -------------------------------------------------------------------


def plan_with(*agencies: Agency, objectives: tuple[Objective, ...] = ()) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        agencies=agencies,
        objectives=objectives,
    )


def agency(id: str, parent: str | None = None) -> Agency:
    return Agency(id=id, names=Labels(vi=id), parent=parent)


def codes(plan: Plan) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in plan.validate().issues]


def test_ids_that_collide_after_case_folding_are_a_warning() -> None:
    plan = plan_with(agency("stc"), agency("STC"), agency("sở-tc"), agency("SỞ-TC"))
    found = [(code, path) for code, path in codes(plan) if code == "EGP102"]
    assert found == [("EGP102", "agencies[1].id"), ("EGP102", "agencies[3].id")]
    report = plan.validate()
    assert all(
        issue.severity is Severity.WARNING for issue in report.issues if issue.code == "EGP102"
    )
    assert any("STC" in issue.message for issue in report.issues if issue.code == "EGP102")
    # German sharp s: "straße" and "STRASSE" fold to the same id.
    plan = plan_with(agency("straße"), agency("STRASSE"))
    assert ("EGP102", "agencies[1].id") in codes(plan)
    # "sở" precomposed and "so" + combining horn + combining hook above: the same letters.
    composed, decomposed = "s\u1edf-tc", "so\u031b\u0309-tc"
    assert composed != decomposed
    plan = plan_with(agency(composed), agency(decomposed.upper()))
    assert [(c, p) for c, p in codes(plan) if c == "EGP102"] == [("EGP102", "agencies[1].id")]
    plan = plan_with(agency(composed), agency("so-tc"))  # a different letter: no finding
    assert [c for c, _ in codes(plan) if c == "EGP102"] == []


def test_an_agency_that_is_its_own_parent_is_a_cycle() -> None:
    plan = plan_with(agency("stttt", parent="stttt"))
    assert ("EGP104", "agencies[0].parent") in codes(plan)
    plan = plan_with(agency("a", parent="b"), agency("b", parent="c"), agency("c", parent="a"))
    assert "EGP104" in {code for code, _ in codes(plan)}


def test_an_objective_cannot_contain_itself() -> None:
    # Objectives are frozen: children are given when an objective is built, so an objective
    # can only contain objectives that existed before it, and no chain of children leads
    # back to it. Nesting is finite; files bound its depth (Limits.max_depth) and walking
    # it is iterative, so even a deep tree is walked without recursion.
    leaf = Objective(id="o", text="leaf")
    with pytest.raises(AttributeError):
        leaf.children = (leaf,)  # type: ignore[misc]
    deep = leaf
    for level in range(5_000):
        deep = Objective(id=f"o{level}", children=(deep,))
    assert sum(1 for _ in deep.walk()) == 5_001
    plan = plan_with(objectives=(deep,))
    assert sum(1 for _ in plan.objectives[0].walk_targets()) == 0


def test_deep_nesting_in_a_file_is_refused_by_the_depth_limit() -> None:
    nested: dict[str, Any] = {"id": "o", "text": "x"}
    for level in range(100):  # two levels of the document each: 200 in all
        nested = {"id": f"o{level}", "text": "x", "children": [nested]}
    document = {
        "format_version": 1,
        "id": "p",
        "metadata": {"kind": "plan", "title": "P"},
        "period": "2021-2025",
        "objectives": [nested],
    }
    text = json.dumps(document)
    error = raises(LoadError, lambda: loads(text, format="json"), "Limits.max_depth")
    assert error.problems
    allowed = loads(text, format="json", limits=Limits(max_depth=300))
    assert sum(1 for _ in allowed.objectives[0].walk()) == 101


# --- the atheris harnesses of fuzz/, briefly ------------------------------------------------

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
HARNESSES = (
    "fuzz_parse_amount",
    "fuzz_words_to_amount",
    "fuzz_period",
    "fuzz_document_ref",
    "fuzz_parse_date",
)
RUNS = 2000


@pytest.mark.parametrize("name", HARNESSES)
def test_atheris_harness(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("atheris") is None:  # pragma: no cover - the fuzz extra
        # Without atheris (no wheel for this platform), the harness runs in-process: its
        # seeds, then RUNS random inputs.
        monkeypatch.syspath_prepend(str(FUZZ))
        harness = importlib.import_module(name)
        rng = random.Random(name)
        for data in (*harness.SEEDS, *(rng.randbytes(rng.randrange(80)) for _ in range(RUNS))):
            harness.test_one_input(data)
        return
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ / f"{name}.py"),
            f"-runs={RUNS}",
            "-seed=1",
            f"-artifact_prefix={tmp_path}{os.sep}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"Done {RUNS} runs" in result.stderr
    assert not list(tmp_path.iterdir())  # no crash, leak or timeout input was saved
