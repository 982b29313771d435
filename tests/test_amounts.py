"""Formatting and strict parsing of amounts (egovplan.amounts)."""

import unicodedata
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, Context, Decimal, localcontext

import pytest
from babel.numbers import format_compact_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.amounts import (
    amount_units,
    fitting_unit,
    format_amount,
    format_money,
    parse_amount,
)
from egovplan.errors import FieldTypeError, ParseError
from egovplan.money import Money
from egovplan.tables import unit_exponent
from egovplan.words import UnknownLocaleError

NBSP = "\xa0"
TOTAL = Money("901000000000", "VND")

VND = st.integers(min_value=0, max_value=10**15 - 1).map(lambda n: Money(n, "VND"))
USD = st.integers(min_value=0, max_value=10**15 - 1).map(
    lambda cents: Money.from_minor_units(cents, "USD")
)
SIGNED = st.decimals(
    min_value=Decimal("-1E+20"), max_value=Decimal("1E+20"), places=3, allow_nan=False
)


def test_full_style() -> None:
    assert format_money(TOTAL) == f"901.000.000.000{NBSP}₫"
    assert format_money(TOTAL, "en") == "₫901,000,000,000"
    assert format_money(Money("1234.5", "USD"), "en") == "$1,234.50"
    assert format_money(Money("1234.5", "USD"), "vi") == f"1.234,50{NBSP}US$"
    assert format_money(Money("-1234", "VND"), "vi") == f"-1.234{NBSP}₫"


def test_full_style_never_rounds() -> None:
    assert format_money(Money("10.005", "USD"), "en") == "$10.005"
    assert format_money(Money("1.5", "VND"), "vi") == f"1,5{NBSP}₫"
    assert format_money(Money("10.005", "USD").rounded(), "en") == "$10.01"
    assert format_money(Money("10.005", "USD").rounded(ROUND_HALF_EVEN), "en") == "$10.00"


def test_compact_style() -> None:
    assert format_money(TOTAL, "vi", style="compact") == f"901 tỷ{NBSP}₫"
    assert format_money(TOTAL, "en", style="compact") == f"901 billion{NBSP}₫"
    assert format_money(Money("1500000", "VND"), "vi", "compact") == f"1,5 triệu{NBSP}₫"
    assert format_money(Money("999", "VND"), "vi", "compact") == f"999{NBSP}₫"
    assert format_money(Money("10", "USD"), "en", "compact") == f"10.00{NBSP}$"
    assert format_money(Money(10**15, "VND"), "vi", "compact") == f"1.000 nghìn tỷ{NBSP}₫"
    assert format_money(Money(-1500000, "VND"), "en", "compact") == f"-1.5 million{NBSP}₫"


def test_compact_style_with_a_unit() -> None:
    assert format_money(TOTAL, "vi", "compact", unit="million") == f"901.000 triệu{NBSP}₫"
    assert format_money(Money(1500000, "VND"), "vi", "compact", "billion") == f"0,0015 tỷ{NBSP}₫"
    assert format_money(TOTAL, "en", "compact", "one") == f"901,000,000,000{NBSP}₫"


def test_compact_rounds_only_when_asked_and_carries_to_the_next_unit() -> None:
    amount = Money("1234567891", "VND")
    assert format_money(amount, "vi", "compact") == f"1,234567891 tỷ{NBSP}₫"
    assert format_money(amount, "vi", "compact", places=1) == f"1,2 tỷ{NBSP}₫"
    assert format_money(Money("1250000", "VND"), "en", "compact", places=1) == (
        f"1.3 million{NBSP}₫"
    )
    assert format_money(
        Money("1250000", "VND"), "en", "compact", places=1, rounding=ROUND_HALF_EVEN
    ) == (f"1.2 million{NBSP}₫")
    assert format_money(Money("999960", "VND"), "vi", "compact", places=1) == f"1 triệu{NBSP}₫"
    assert format_money(Money("999960", "VND"), "vi", "compact") == f"999,96 nghìn{NBSP}₫"


def test_other_locales_use_babel_words() -> None:
    assert format_money(TOTAL, "fr", "compact") == f"901 milliards{NBSP}₫"
    assert format_money(TOTAL, "ja", "compact") == f"9010億{NBSP}₫"
    with pytest.raises(UnknownLocaleError, match="no magnitude words"):
        format_money(TOTAL, "fr", "compact", unit="billion")


def test_format_amount_in_units() -> None:
    assert amount_units() == ("one", "thousand", "million", "billion", "trillion")
    assert format_amount(TOTAL, "vi", unit="billion") == "901"
    assert format_amount(Money("1500000000", "VND"), "vi", unit="billion") == "1,5"
    assert format_amount(Money("1500000000", "VND"), "en", unit="billion") == "1.5"
    assert format_amount(TOTAL, "vi") == "901.000.000.000"
    assert format_amount(TOTAL, "en", unit="million") == "901,000"
    assert format_amount(Money("12.5", "USD"), "en") == "12.50"
    assert format_amount(Money("1234567", "VND"), "vi", "million", places=2) == "1,23"
    assert format_amount(Money("1235000", "VND"), "vi", "million", places=2) == "1,24"
    assert format_amount(
        Money("1235000", "VND"), "vi", "million", places=2, rounding=ROUND_DOWN
    ) == ("1,23")
    assert format_amount(TOTAL, "vi", "billion", places=2) == "901,00"
    assert format_amount(Money(12345678, "VND"), "en_IN") == "1,23,45,678"


def test_formatting_ignores_the_ambient_decimal_context() -> None:
    amount = Money("1234567890123456789012345678901234567.5", "VND")
    expected = (
        format_money(amount),
        format_money(amount, "en", "compact"),
        format_amount(amount, "vi", "billion", places=3),
    )
    with localcontext(Context(prec=5, rounding=ROUND_FLOOR)):
        assert (
            format_money(amount),
            format_money(amount, "en", "compact"),
            format_amount(amount, "vi", "billion", places=3),
        ) == expected
        assert format_money(Money(999999, "VND"), "vi", "compact") == f"999,999 nghìn{NBSP}₫"
        assert parse_amount(f"-{'9' * 40}", currency="VND") == Money(f"-{'9' * 40}", "VND")
    assert expected[0] == "1.234.567.890.123.456.789.012.345.678.901.234.567,5" + NBSP + "₫"


def test_bad_format_arguments() -> None:
    with pytest.raises(ValueError, match="style"):
        format_money(TOTAL, style="short")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="compact"):
        format_money(TOTAL, unit="billion")
    with pytest.raises(ValueError, match="unknown unit"):
        format_amount(TOTAL, unit="lakh")
    with pytest.raises(ValueError, match="places"):
        format_amount(TOTAL, unit="billion", places=-1)
    with pytest.raises(TypeError, match="Money"):
        format_money(901.0)  # type: ignore[arg-type]
    with pytest.raises(UnknownLocaleError, match="'xx'"):
        format_money(TOTAL, "xx")


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("901.000.000.000", "vi"),
        ("901.000.000.000 đồng", "vi"),
        ("901 tỷ đồng", "vi"),
        ("901 tỉ đồng", "vi"),
        ("901 TỶ ĐỒNG", "vi"),
        ("901 nghìn triệu", "vi"),
        ("901.000.000.000 ₫", "vi"),
        ("901.000.000.000đ", "vi"),
        ("901.000.000.000 VNĐ", "vi"),
        ("0,901 nghìn tỷ đồng", "vi"),
        ("901\u202f000\u202f000\u202f000 ₫", "vi"),
        ("901\xa0000\xa0000\xa0000\xa0₫", "vi"),
        ("901000000000", "vi"),
        ("₫901,000,000,000", "en"),
        ("901 billion VND", "en"),
        ("901 bn dong", "en"),
        ("VND 901,000,000,000", "en"),
        ("VND901,000,000,000", "en"),
        ("901,000,000,000 vnd", "en"),
        ("901 000 000 000 VND", "en"),
    ],
)
def test_parse_what_documents_write(text: str, locale: str) -> None:
    assert parse_amount(text, locale, "VND") == TOTAL
    assert parse_amount(unicodedata.normalize("NFD", text), locale, "VND") == TOTAL


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("901 tỷ đồng", "vi", TOTAL),
        ("901.000.000.000 ₫", "vi", TOTAL),
        ("901 billion VND", "en", TOTAL),
        ("1 250 000,50 €", "fr", Money("1250000.50", "EUR")),
        ("1.250.000,50 €", "de", Money("1250000.50", "EUR")),
        ("$1,234.50", "en", Money("1234.50", "USD")),
    ],
)
def test_the_currency_comes_from_the_text(text: str, locale: str, expected: Money) -> None:
    assert parse_amount(text, locale) == expected


@pytest.mark.parametrize(("text", "locale"), [("1.234", "en"), ("901.000.000.000", "vi")])
def test_no_currency_is_assumed(text: str, locale: str) -> None:
    # No hidden default: "1.234" in English is not 1.234 VND.
    with pytest.raises(ParseError, match="no currency: the text names none") as caught:
        parse_amount(text, locale)
    assert caught.value.text == text
    assert parse_amount(text, locale, "EUR").currency == "EUR"


def test_parse_is_exact() -> None:
    assert parse_amount("1,5 triệu đồng") == Money("1500000", "VND")
    assert parse_amount("1,5 triệu đồng").amount == Decimal("1500000")
    assert str(parse_amount("1,5 triệu đồng")) == "1500000 VND"
    assert parse_amount("0,000001 tỷ", currency="VND") == Money("1000", "VND")
    assert parse_amount("1.234,56 US$", "vi", "USD") == Money("1234.56", "USD")
    assert parse_amount("-$1,234.50", "en", None) == Money("-1234.50", "USD")
    assert parse_amount("−5 ₫") == Money(-5, "VND")
    assert parse_amount("€5", "en", None) == Money(5, "EUR")
    assert parse_amount("12,34,567 VND", "en_IN") == Money(1234567, "VND")


@pytest.mark.parametrize(
    ("text", "locale", "suggestions"),
    [
        ("1.5", "vi", ("1,5", "15")),
        ("1.5 triệu đồng", "vi", ("1,5 triệu đồng", "15 triệu đồng")),
        ("1,5", "en", ("1.5", "15")),
        ("₫901,000,000,000", "vi", ("₫901.000.000.000",)),
        ("1,000.5", "vi", ("1.000,5", "10.005")),
        ("1.000 000", "vi", ("1.000.000",)),
        ("901 ty dong", "vi", ("901 tỷ dong",)),
    ],
)
def test_ambiguous_or_malformed_text_is_an_error_with_suggestions(
    text: str, locale: str, suggestions: tuple[str, ...]
) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(text, locale, "VND")
    error = caught.value
    assert error.text == text
    assert error.suggestions == suggestions
    assert repr(text) in str(error)
    assert repr(locale) in str(error)
    for suggestion in suggestions:
        assert repr(suggestion) in str(error)
        parse_amount(suggestion, locale, "VND")  # each suggestion reads


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("", 0),
        ("tỷ đồng", 0),
        ("01", 0),
        ("1E5", 1),
        ("5 đồng đồng", 7),
        ("₫ 5 đồng", 4),
        ("9" * 45, 0),
        ("1 tỷ tỷ tỷ tỷ tỷ tỷ tỷ", 0),
        ("5 + 5", 2),
    ],
)
def test_malformed_text_is_an_error(text: str, position: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(text)
    assert caught.value.position == position


@pytest.mark.parametrize(
    ("text", "locale", "named"),
    [
        ("$5", "vi", "USD"),
        ("5 €", "vi", "EUR"),
        ("901 tỷ USD", "vi", "USD"),
        ("5 TRY", "en", "TRY"),
    ],
)
def test_a_currency_that_disagrees_is_an_error(text: str, locale: str, named: str) -> None:
    with pytest.raises(ParseError, match=f"names {named}, but the amount is in VND"):
        parse_amount(text, locale, "VND")


def test_bad_parse_arguments() -> None:
    with pytest.raises(ParseError, match="no currency"):
        parse_amount("5", currency=None)
    with pytest.raises(ValueError, match="unknown currency"):
        parse_amount("5", currency="XYZ")
    with pytest.raises(TypeError, match="str"):
        parse_amount(5)  # type: ignore[arg-type]
    with pytest.raises(UnknownLocaleError):
        parse_amount("5", "xx")
    with pytest.raises(ParseError, match="longer"):
        parse_amount("1" * 2000)


@given(VND, st.sampled_from(["vi", "en"]))
@settings(max_examples=200, deadline=None)
def test_full_round_trip_vnd(amount: Money, locale: str) -> None:
    assert parse_amount(format_money(amount, locale), locale, "VND") == amount


@given(USD, st.sampled_from(["vi", "en"]))
@settings(max_examples=200, deadline=None)
def test_full_round_trip_usd(amount: Money, locale: str) -> None:
    text = format_money(amount, locale)
    read = parse_amount(text, locale, "USD")
    assert read == amount
    assert read.amount.as_tuple().exponent == -2


@given(SIGNED, st.sampled_from(["vi", "en", "vi_VN", "en_US"]))
@settings(max_examples=200, deadline=None)
def test_compact_round_trip(value: Decimal, locale: str) -> None:
    amount = Money(value, "VND")
    assert parse_amount(format_money(amount, locale, "compact"), locale) == amount


def test_dong_is_another_name_for_the_unit_one() -> None:
    for amount in (TOTAL, Money("2.5", "USD")):
        for locale in ("vi", "en"):
            assert format_amount(amount, locale, "dong") == format_amount(amount, locale, "one")
            assert format_money(amount, locale, "compact", "dong") == format_money(
                amount, locale, "compact", "one"
            )
    assert "dong" not in amount_units()
    with pytest.raises(ValueError, match="unknown unit 'Dong'; expected one of: one, thousand"):
        format_amount(TOTAL, "vi", "Dong")


def test_fitting_unit() -> None:
    assert fitting_unit([TOTAL, Money("20000000000", "VND")]) == "billion"
    assert fitting_unit([TOTAL, Money("500000000", "VND"), Money(0, "VND")]) == "million"
    assert fitting_unit([Money("-2500000", "EUR")]) == "million"
    assert fitting_unit([Money("0.5", "USD"), TOTAL]) == "one"
    assert fitting_unit([Money(10**15, "VND")]) == "trillion"
    assert fitting_unit(iter([])) == "one"
    with pytest.raises(FieldTypeError, match="expected Money, not int"):
        fitting_unit([TOTAL, 5])  # type: ignore[list-item]


@given(st.lists(st.one_of(VND, USD, SIGNED.map(lambda value: Money(value, "EUR")))))
@settings(max_examples=200, deadline=None)
def test_fitting_unit_leaves_no_fraction_below_one(amounts: list[Money]) -> None:
    unit = fitting_unit(amounts)
    units = amount_units()

    def in_unit(money: Money, unit: str) -> Decimal:
        return money.amount.copy_abs().scaleb(-unit_exponent(unit))

    shown = [money for money in amounts if money.amount]
    if unit != "one":  # below 1 đồng or cent, no unit avoids a fraction
        assert all(in_unit(money, unit) >= 1 for money in shown)
    if not shown:
        assert unit == "one"
    elif unit != units[-1]:  # the next unit would show the smallest amount below 1
        larger = units[units.index(unit) + 1]
        assert any(in_unit(money, larger) < 1 for money in shown)


@given(VND, st.sampled_from(amount_units()))
@settings(max_examples=200, deadline=None)
def test_format_amount_in_a_unit_reads_back(amount: Money, unit: str) -> None:
    words = {"one": "", "thousand": "nghìn", "million": "triệu", "billion": "tỷ"}
    words["trillion"] = "nghìn tỷ"
    text = f"{format_amount(amount, 'vi', unit)} {words[unit]}"
    assert parse_amount(text, currency="VND") == amount


@given(st.integers(min_value=0, max_value=10**15 - 1), st.sampled_from(["vi", "en"]))
@settings(max_examples=200, deadline=None)
def test_compact_agrees_with_babel(n: int, locale: str) -> None:
    babel = format_compact_decimal(n, format_type="long", locale=locale, fraction_digits=20)
    assert format_money(Money(n, "VND"), locale, "compact") == f"{babel}{NBSP}₫"


@given(st.text(max_size=30), st.sampled_from(["vi", "en"]))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_money_or_a_parse_error(text: str, locale: str) -> None:
    error: ParseError | None = None
    try:
        assert parse_amount(text, locale, "VND").currency == "VND"
    except ParseError as caught:
        error = caught
    if error is not None:
        assert error.position is not None
        assert 0 <= error.position <= len(unicodedata.normalize("NFC", text))


@given(st.from_regex(r"[0-9][0-9.,]{0,12}", fullmatch=True), st.sampled_from(["vi", "en"]))
@settings(max_examples=200, deadline=None)
def test_a_number_reads_only_as_the_locale_writes_it(text: str, locale: str) -> None:
    group, mark = (".", ",") if locale == "vi" else (",", ".")
    try:
        amount = parse_amount(text, locale, "VND")
    except ParseError:
        return
    assert amount.amount == Decimal(text.replace(group, "").replace(mark, "."))
    if group in text:  # grouped digits are grouped exactly as the locale groups them
        places = len(text.partition(mark)[2])
        assert format_amount(amount, locale, places=places) == text
