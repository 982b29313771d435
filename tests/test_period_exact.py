"""Periods that start or end on a month or a day (issue #21, time): "tháng 3/2024 – tháng
6/2026", "from 15 March 2024 to 31 December 2026" are held exactly, read and written in
the compact form and in words, and checked against the plan's period by days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from egovplan import dumps, loads
from egovplan.errors import FieldTypeError, FieldValueError, ParseError
from egovplan.period import Period, Quarter
from egovplan.when import When

LOCALES = ("vi", "en", "it", "fr", "de", "es")


@st.composite
def exact_periods(draw: st.DrawFn, *, months: bool | None = None) -> Period:
    """Periods from a month or a day to another (a few reversed: they load as written)."""
    first = draw(st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))
    if draw(st.integers(0, 9)) == 0:
        last = draw(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
    else:
        last = draw(st.dates(first, dt.date(2200, 12, 31)))
    if months if months is not None else draw(st.booleans()):
        first = first.replace(day=1)
        last = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    return Period.between(first, last)


@given(exact_periods())
def test_the_compact_form_reads_back(period: Period) -> None:
    assert Period.parse(str(period)) == period
    assert str(Period.parse(str(period))) == str(period)


@given(exact_periods(), st.sampled_from(LOCALES))
def test_the_written_form_reads_back_in_its_locale(period: Period, locale: str) -> None:
    assert Period.parse(period.format(locale), locale=locale) == period


@given(exact_periods())
def test_days_and_quarters_agree(period: Period) -> None:
    assume(not period.is_reversed)
    assert Quarter.containing(period.first_day) == period.start
    assert Quarter.containing(period.last_day) == period.end
    assert period.contains(period.first_day)
    assert period.contains(period.last_day)
    assert not period.contains(period.first_day - dt.timedelta(days=1))
    assert not period.contains(period.last_day + dt.timedelta(days=1))
    assert period.year_list == tuple(range(period.first_day.year, period.last_day.year + 1))
    assert Period(period.start, period.end).contains(period)


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("tháng 3/2024 - tháng 6/2026", "2024-03..2026-06"),
        ("tháng 3/2024 – tháng 6/2026", "2024-03..2026-06"),
        ("giai đoạn tháng 3/2024 đến tháng 6/2026", "2024-03..2026-06"),
        ("từ ngày 15/3/2024 đến ngày 31/12/2026", "2024-03-15..2026-12-31"),
        ("March 2024 – June 2026", "2024-03..2026-06"),
        ("from 15 March 2024 to 31 December 2026", "2024-03-15..2026-12-31"),
        ("2024-03-15..2026-12-31", "2024-03-15..2026-12-31"),
        ("2024-03..2026-12-31", "2024-03..2026-12"),
        ("2024-03..2026-12-30", "2024-03-01..2026-12-30"),
        ("Quý II/2024 – tháng 8/2024", "2024-04..2024-08"),
        ("tháng 3/2024", "2024-03..2024-03"),
        ("2024-01..2025-12", "2024-2025"),
        ("2024-04..2024-06", "Q2 2024"),
    ],
)
def test_written_periods_are_read(text: str, compact: str) -> None:
    assert str(Period.parse(text)) == compact


def test_other_locales_are_read_with_babel_month_names() -> None:
    expected = Period.parse("2024-03..2026-06")
    assert Period.parse("marzo 2024 – giugno 2026", locale="it") == expected
    assert Period.parse("7 marzo 2005 – Dicembre 2023", locale="it") == Period.between(
        dt.date(2005, 3, 7), dt.date(2023, 12, 31)
    )


def test_the_written_forms() -> None:
    months, days = Period.parse("2024-03..2026-06"), Period.parse("2024-03-15..2026-12-31")
    assert months.format("vi") == "tháng 3/2024–tháng 6/2026"
    assert months.format("en") == "March 2024–June 2026"
    assert days.format("vi") == "từ ngày 15 tháng 3 năm 2024 đến ngày 31 tháng 12 năm 2026"
    assert days.format("en") == "15 March 2024–31 December 2026"
    assert Period.parse("tháng 3/2024").format("en") == "March 2024"


@pytest.mark.parametrize(
    "text",
    [
        "từ tháng 3/2024",
        "from March 2024",
        "trước tháng 3/2024",
        "2024-13..2025-01",
        "2021-2025-2030",
        "tháng 3/2024 - 2025-2026",
        "tháng 2/2024 - tháng 13/2024",
    ],
)
def test_an_open_start_a_deadline_or_a_chain_is_no_period(text: str) -> None:
    with pytest.raises(ParseError):
        Period.parse(text)


def test_exact_days_leave_quarter_periods_as_they_were() -> None:
    assert Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31)) == Period.years(2021, 2025)
    assert Period.between(When(2018, quarter=2), When(2018, quarter=2)) == Period.quarter(2018, 2)
    assert repr(Period.year(2018)) == (
        "Period(start=Quarter(year=2018, number=1), end=Quarter(year=2018, number=4))"
    )
    assert not Period.parse("2024-03..2024-12").is_whole_years
    assert Period.year(2024).contains(2024)
    assert not Period.parse("2024-03..2024-12").contains(2024)


def test_a_bound_outside_its_quarter_is_refused_naming_the_field() -> None:
    with pytest.raises(FieldValueError, match=r"Period\.start_day 2024-05-01 is not in start"):
        Period(Quarter(2024, 1), Quarter(2024, 4), start_day=dt.date(2024, 5, 1))
    with pytest.raises(FieldTypeError, match=r"Period\.end_day must be datetime\.date"):
        Period(Quarter(2024, 1), Quarter(2024, 4), end_day="2024-12-01")  # type: ignore[arg-type]


def test_a_month_period_is_no_quarter_or_time() -> None:
    with pytest.raises(ParseError):
        Quarter.parse("tháng 3/2024")
    with pytest.raises(ParseError):
        When.parse("tháng 1/2024 - tháng 2/2024")


def test_overlaps_and_order_use_days() -> None:
    a, b = Period.parse("2024-01..2024-02"), Period.parse("2024-03..2024-03")
    assert not a.overlaps(b)
    assert a.start == b.start
    assert a < b
    assert sorted([b, a]) == [a, b]
    assert Period.parse("2024-03-15..2024-03-01").is_reversed
    assert Period.parse("2024-03-15..2024-03-01").quarter_list == ()


PLAN = """\
format_version: 3
id: exact
metadata: {kind: plan, title: Exact}
period: 2024-03..2026-06
funding:
  sources:
  - {id: central, kind: central_support, names: {vi: Ngân sách Trung ương}, amount: 1000 VND}
  lines:
  - {id: l1, source: central, period: 2024-03-15..2024-12-31, amount: 600 VND}
flows:
- {id: f1, kind: disbursement, source: central, date: 2024-03-20, amount: 100 VND}
"""


def test_a_plan_with_exact_periods_round_trips_and_validates_clean() -> None:
    plan = loads(PLAN, "yaml")
    assert plan.period == Period.between(When(2024, month=3), When(2026, month=6))
    canonical = dumps(plan, "yaml")
    assert "period: 2024-03..2026-06\n" in canonical
    assert "period: 2024-03-15..2024-12-31\n" in canonical
    for format in ("yaml", "json", "toml"):
        text = dumps(plan, format)
        assert loads(text, format) == plan
        assert dumps(loads(text, format), format) == text
    assert [(i.code, i.path) for i in plan.validate().issues] == []


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ("2024-03-15..2024-12-31", "2024-02-15..2024-12-31", ("EGP211", "funding.lines[0].period")),
        ("date: 2024-03-20", "date: 2024-02-20", ("EGP225", "flows[0].date")),
        ("period: 2024-03..2026-06", "period: 2024-03-20..2024-03-10", ("EGP501", "period")),
    ],
)
def test_checks_against_the_plan_period_use_days(
    old: str, new: str, found: tuple[str, str]
) -> None:
    issues = loads(PLAN.replace(old, new), "yaml").validate().issues
    assert found in [(i.code, i.path) for i in issues]
