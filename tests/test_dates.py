from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan.dates import format_date, parse_date
from egovplan.errors import ParseError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 29 tháng 6 năm 2006", dt.date(2006, 6, 29)),
        ("Ngày 01 tháng 07 năm 2014", dt.date(2014, 7, 1)),
        ("29 tháng 6 năm 2006", dt.date(2006, 6, 29)),
        ("ngày  29   tháng 11  năm 2005 ", dt.date(2005, 11, 29)),
        (unicodedata.normalize("NFD", "ngày 21 tháng 12 năm 2017"), dt.date(2017, 12, 21)),
        ("01/06/2009", dt.date(2009, 6, 1)),
        ("29.10.2010", dt.date(2010, 10, 29)),
        ("21/7/2011", dt.date(2011, 7, 21)),
        ("21-7-2011", dt.date(2011, 7, 21)),
        (" 21 / 7 / 2011 ", dt.date(2011, 7, 21)),
        ("2011-07-21", dt.date(2011, 7, 21)),
        ("21 July 2011", dt.date(2011, 7, 21)),
        ("21 Jul 2011", dt.date(2011, 7, 21)),
        ("July 21, 2011", dt.date(2011, 7, 21)),
        ("29/02/2012", dt.date(2012, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31/02/2011", "month 2 of 2011 has days 1 to 28, not 31"),
        ("29/2/2011", "has days 1 to 28, not 29"),
        ("31/4/2011", "month 4 of 2011 has days 1 to 30"),
        ("0/4/2011", "not 0"),
        ("5/13/2011", "there is no month 13"),
        ("2011-02-30", "has days 1 to 28, not 30"),
        ("ngày 32 tháng 1 năm 2011", "not 32"),
        ("01/06/1850", "year 1850 is outside"),
        ("01/06/09", "expected a form such as"),
        ("21/7/2011 và", "expected a form such as"),
        ("yesterday", "expected a form such as"),
        ("", "expected a form such as"),
    ],
)
def test_parse_date_errors(text: str, why: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_date(text)
    message = str(info.value)
    assert why in message
    assert repr(text) in message
    assert info.value.text == text


def test_month_first_gets_a_suggestion() -> None:
    with pytest.raises(ParseError, match="day first") as info:
        parse_date("5/13/2011")
    assert info.value.suggestions == ("13/5/2011",)
    assert parse_date(info.value.suggestions[0]) == dt.date(2011, 5, 13)


def test_parse_date_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_date(20110721)  # type: ignore[arg-type]


def test_format_date() -> None:
    day = dt.date(2011, 7, 21)
    assert format_date(day, "vi") == "ngày 21 tháng 7 năm 2011"
    assert format_date(day) == "ngày 21 tháng 7 năm 2011"
    assert format_date(day, "vi_VN") == "ngày 21 tháng 7 năm 2011"
    assert format_date(day, "en") == "21 July 2011"
    assert format_date(day, "fr") == "21 juillet 2011"  # babel's long format
    assert format_date(dt.date(2009, 6, 1), "vi", pattern="dd/MM/y") == "01/06/2009"
    with pytest.raises(TypeError):
        format_date(dt.datetime(2011, 7, 21), "vi")


dates = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))


@given(dates, st.sampled_from(["vi", "en"]))
def test_format_parse_round_trip(day: dt.date, locale: str) -> None:
    assert parse_date(format_date(day, locale)) == day


@given(dates)
def test_numeric_forms_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(f"{day.day:02}.{day.month:02}.{day.year}") == day
    assert parse_date(f"ngày {day.day} tháng {day.month} năm {day.year}") == day
