from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.errors import ParseError
from egovplan.period import MAX_YEAR, MIN_YEAR, Period, Quarter

Y = Period.year
YS = Period.years


def Q(year: int, number: int) -> Quarter:
    return Quarter(year, number)


def QS(a: Quarter, b: Quarter) -> Period:
    return Period(a, b)


PARSED = [
    ("2018", Y(2018)),
    ("năm 2018", Y(2018)),
    ("Năm 2018", Y(2018)),
    ("trong năm 2018", Y(2018)),
    ("2021–2025", YS(2021, 2025)),
    ("2021—2025", YS(2021, 2025)),
    ("2021-2025", YS(2021, 2025)),
    ("2021 - 2025", YS(2021, 2025)),
    ("giai đoạn 2021-2025", YS(2021, 2025)),
    ("Giai đoạn 2011- 2015", YS(2011, 2015)),
    ("2016 to 2020", YS(2016, 2020)),
    ("from 2016 to 2020", YS(2016, 2020)),
    ("từ năm 2016 đến năm 2020", YS(2016, 2020)),
    ("Quý II/2018", QS(Q(2018, 2), Q(2018, 2))),
    ("Quý 2/2018", QS(Q(2018, 2), Q(2018, 2))),
    ("quý II năm 2018", QS(Q(2018, 2), Q(2018, 2))),
    ("QUÝ IV/2018", QS(Q(2018, 4), Q(2018, 4))),
    ("Q2 2018", QS(Q(2018, 2), Q(2018, 2))),
    ("Q2/2018", QS(Q(2018, 2), Q(2018, 2))),
    ("q2 of 2018", QS(Q(2018, 2), Q(2018, 2))),
    ("2018-Q2", QS(Q(2018, 2), Q(2018, 2))),
    ("2018Q2", QS(Q(2018, 2), Q(2018, 2))),
    ("Quý I–Quý IV 2018", Y(2018)),
    ("Quý I-II/2018", QS(Q(2018, 1), Q(2018, 2))),
    ("Quý I, II/2018", QS(Q(2018, 1), Q(2018, 2))),
    ("Quý I, II và III/2018", QS(Q(2018, 1), Q(2018, 3))),
    ("Quý I đến Quý III năm 2018", QS(Q(2018, 1), Q(2018, 3))),
    ("Q1-Q2 2018", QS(Q(2018, 1), Q(2018, 2))),
    ("2018 Q1-Q2", QS(Q(2018, 1), Q(2018, 2))),
    ("Q3 2018-Q2 2019", QS(Q(2018, 3), Q(2019, 2))),
    ("Quý III/2018 – Quý II/2019", QS(Q(2018, 3), Q(2019, 2))),
    ("2018-Q3 to 2019-Q2", QS(Q(2018, 3), Q(2019, 2))),
    ("  Quý   II  /  2018  ", QS(Q(2018, 2), Q(2018, 2))),
    (unicodedata.normalize("NFD", "Quý II–III/2018"), QS(Q(2018, 2), Q(2018, 3))),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("Quý I-II", 2018, QS(Q(2018, 1), Q(2018, 2))),
        ("Quý I–Quý IV", 2018, Y(2018)),
        ("Quý\nI-Quý IV", 2018, Y(2018)),  # as the Lào Cai annex table wraps it
        ("Quý\nI-Quý II", 2018, QS(Q(2018, 1), Q(2018, 2))),
        ("Quý III", 2019, QS(Q(2019, 3), Q(2019, 3))),
        ("Q2 2020", 2018, QS(Q(2020, 2), Q(2020, 2))),  # the text's own year wins
    ],
)
def test_parse_with_year(text: str, year: int, expected: Period) -> None:
    assert Period.parse(text, year=year) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Quý I-II", "no year"),
        ("Quý I–Quý IV", "pass year="),
        ("Quý 0/2018", "no quarter 0"),
        ("Quý 5/2018", "no quarter 5"),
        ("Quý V/2018", "no quarter V"),
        ("1800", "outside 1900..2200"),
        ("Q1 2300", "outside 1900..2200"),
        ("Quý I, III/2018", "not consecutive"),
        ("từ Quý II/2018", "only where the period starts"),
        ("from 2016", "only where the period starts"),
        ("sometime", "expected a year"),
        ("", "expected a year"),
        ("Q22018", "expected a year"),
    ],
)
def test_parse_errors(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        Period.parse(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q3-Q1 2018", Quarter(2018, 3), Quarter(2018, 1)),
        ("Q2 2019-Q1 2018", Quarter(2019, 2), Quarter(2018, 1)),
        ("2025-2021", Quarter(2025, 1), Quarter(2021, 4)),
    ],
)
def test_a_reversed_range_is_read_as_written_and_holds_nothing(
    text: str, start: Quarter, end: Quarter
) -> None:
    # Well formed but wrong: it loads, and validation reports it (EGP501).
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert period.is_reversed
    assert period.year_list == ()
    assert period.quarter_list == ()
    assert not period.contains(start)
    assert not period.contains(end)
    assert Period.parse(str(period)) == period
    assert not Period.years(2021, 2025).is_reversed


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        Period.parse(2018)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Period.parse("Quý I", year="2018")  # type: ignore[arg-type]


def test_quarter_parse() -> None:
    assert Quarter.parse("Quý II/2018") == Q(2018, 2)
    assert Quarter.parse("2018Q4") == Q(2018, 4)
    assert Quarter.parse("Quý III", year=2020) == Q(2020, 3)
    with pytest.raises(ParseError, match="it names Q1-Q2 2018"):
        Quarter.parse("Quý I-II/2018")
    with pytest.raises(ParseError, match="no quarter 5"):
        Quarter.parse("Q5 2018")


@pytest.mark.parametrize(
    ("period", "vi", "en", "canonical"),
    [
        (Y(2018), "năm 2018", "2018", "2018"),
        (YS(2021, 2025), "giai đoạn 2021–2025", "2021–2025", "2021-2025"),
        (QS(Q(2018, 2), Q(2018, 2)), "Quý II/2018", "Q2 2018", "Q2 2018"),
        (QS(Q(2018, 1), Q(2018, 2)), "Quý I–II/2018", "Q1–Q2 2018", "Q1-Q2 2018"),
        (
            QS(Q(2018, 3), Q(2019, 2)),
            "Quý III/2018–Quý II/2019",
            "Q3 2018–Q2 2019",
            "Q3 2018-Q2 2019",
        ),
        (QS(Q(2018, 1), Q(2019, 4)), "giai đoạn 2018–2019", "2018–2019", "2018-2019"),
    ],
)
def test_format(period: Period, vi: str, en: str, canonical: str) -> None:
    assert period.format("vi") == vi
    assert period.format("vi_VN") == vi
    assert period.format("en") == en
    assert period.format("fr") == en  # unknown locales fall back to English
    assert str(period) == canonical


def test_quarter_format() -> None:
    assert Q(2018, 4).format("vi") == "Quý IV/2018"
    assert Q(2018, 4).format("en") == "Q4 2018"


# --- properties --------------------------------------------------------------------------

quarters = st.builds(Quarter, st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 4))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    a, b = draw(quarters), draw(quarters)
    return Period(min(a, b), max(a, b))


@given(periods())
def test_parse_str_round_trip(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods(), st.sampled_from(["vi", "en"]))
def test_parse_format_round_trip(period: Period, locale: str) -> None:
    assert Period.parse(period.format(locale)) == period


@given(quarters, st.sampled_from(["vi", "en"]))
def test_quarter_round_trip(quarter: Quarter, locale: str) -> None:
    assert Quarter.parse(str(quarter)) == quarter
    assert Quarter.parse(quarter.format(locale)) == quarter


@given(periods())
def test_contains_is_reflexive(period: Period) -> None:
    assert period.contains(period)
    assert period.overlaps(period)


@settings(max_examples=200)
@given(periods(), periods(), periods())
def test_contains_is_transitive(a: Period, b: Period, c: Period) -> None:
    if a.contains(b) and b.contains(c):
        assert a.contains(c)


@given(periods(), periods())
def test_overlap_is_symmetric(a: Period, b: Period) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    if a.contains(b):
        assert a.overlaps(b)


@given(periods(), periods())
def test_contains_means_bounds(a: Period, b: Period) -> None:
    assert a.contains(b) == (a.first_day <= b.first_day and b.last_day <= a.last_day)


@settings(max_examples=50)
@given(periods())
def test_period_contains_each_of_its_quarters(period: Period) -> None:
    listed = period.quarter_list
    assert listed[0] == period.start
    assert listed[-1] == period.end
    assert len(listed) == period.end.index - period.start.index + 1
    for quarter in listed[:40]:
        assert period.contains(quarter)
        assert period.contains(Period(quarter, quarter))
        assert period.contains(quarter.first_day)


@given(periods(), periods())
def test_ordering_is_by_start_then_end(a: Period, b: Period) -> None:
    assert (a < b) == ((a.start, a.end) < (b.start, b.end))
    assert sorted([a, b]) == sorted([b, a])


@given(quarters)
def test_quarter_containing_its_days(quarter: Quarter) -> None:
    assert Quarter.containing(quarter.first_day) == quarter
    assert Quarter.containing(quarter.last_day) == quarter


def test_contains_year_date_and_quarter() -> None:
    p = YS(2021, 2025)
    assert p.contains(2021)
    assert p.contains(2025)
    assert not p.contains(2026)
    assert p.contains(dt.date(2025, 12, 31))
    assert not p.contains(dt.date(2026, 1, 1))
    assert not QS(Q(2018, 2), Q(2019, 1)).contains(2018)
    assert not YS(2021, 2025).overlaps(YS(2026, 2030))
    assert YS(2016, 2020) < YS(2021, 2025)
    with pytest.raises(TypeError):
        p.contains("2021")  # type: ignore[arg-type]
