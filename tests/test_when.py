"""When: points in time as plans write them; dates and months in any locale babel knows."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan._calendar import days_in_month
from egovplan.dates import format_date, month_names, parse_date
from egovplan.errors import FieldTypeError, FieldValueError, ParseError
from egovplan.period import MAX_YEAR, MIN_YEAR
from egovplan.when import When
from egovplan.words import UnknownLocaleError

#: Locales with genitive month names (ru, pl, cs, uk), other scripts (ja, el), particles
#: in their patterns (es, pt), a dot after the day (de), and the two shipped ones.
LOCALES = ["vi", "en", "it", "fr", "de", "es", "pt", "ru", "pl", "cs", "uk", "el", "ja", "nl"]


@st.composite
def whens(draw: st.DrawFn) -> When:
    year = draw(st.integers(1900, 2200))
    by = draw(st.booleans())
    kind = draw(st.sampled_from(["year", "quarter", "month", "day"]))
    if kind == "year":
        return When(year, by=by)
    if kind == "quarter":
        return When(year, quarter=draw(st.integers(1, 4)), by=by)
    month = draw(st.integers(1, 12))
    if kind == "month":
        return When(year, month=month, by=by)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return When(year, month=month, day=day, by=by)


@given(whens())
def test_the_compact_form_reads_back_exactly(when: When) -> None:
    assert When.parse(str(when)) == when
    assert str(When.parse(str(when))) == str(when)


@settings(max_examples=300)
@given(whens(), st.sampled_from(LOCALES))
def test_a_time_written_in_a_locale_reads_back(when: When, locale: str) -> None:
    assert When.parse(when.format(locale), locale=locale) == when


@settings(max_examples=300)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.sampled_from(LOCALES))
def test_a_date_written_in_a_locale_reads_back(day: dt.date, locale: str) -> None:
    assert parse_date(format_date(day, locale), locale) == day


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.sampled_from(LOCALES))
def test_a_date_reads_back_in_any_case_and_with_the_weekday(day: dt.date, locale: str) -> None:
    from babel.dates import format_date as babel_format_date

    full = babel_format_date(day, "full", locale=locale.replace("-", "_"))
    if locale != "el":  # Greek capitals drop the accents: another spelling, not another case
        assert parse_date(full.upper(), locale) == day
    assert parse_date(full.casefold(), locale) == day


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("Quý III/2024", None, When(2024, quarter=3)),
        ("Q3 2024", None, When(2024, quarter=3)),
        ("2024-Q3", None, When(2024, quarter=3)),
        ("tháng 6/2024", None, When(2024, month=6)),
        ("tháng 6 năm 2024", None, When(2024, month=6)),
        ("06/2024", None, When(2024, month=6)),
        ("June 2024", None, When(2024, month=6)),
        ("by 2015", None, When(2015, by=True)),
        ("trước năm 2015", None, When(2015, by=True)),
        ("đến năm 2025", None, When(2025, by=True)),
        ("in 2015", None, When(2015)),
        ("trong năm 2015", None, When(2015)),
        ("2024", None, When(2024)),
        ("2024-06-30", None, When(2024, month=6, day=30)),
        ("trước ngày 30/6/2024", None, When(2024, month=6, day=30, by=True)),
        ("ngày 29 tháng 10 năm 2010", None, When(2010, month=10, day=29)),
        ("chậm nhất tháng 6/2024", None, When(2024, month=6, by=True)),
        ("từ tháng 01/2024", None, When(2024, month=1)),
        ("from January 2024", None, When(2024, month=1)),
        ("kể từ ngày 15/3/2024", None, When(2024, month=3, day=15)),
        ("Dicembre 2023", "it", When(2023, month=12)),
        ("7 marzo 2005", "it", When(2005, month=3, day=7)),
        ("entro dicembre 2023", "it", None),
        ("март 2024", "ru", When(2024, month=3)),
        ("7 марта 2005 г.", "ru", When(2005, month=3, day=7)),
    ],
)
def test_the_forms_plans_write(text: str, locale: str | None, expected: When | None) -> None:
    if expected is None:
        with pytest.raises(ParseError):
            When.parse(text, locale=locale)
    else:
        assert When.parse(text, locale=locale) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-2025", "names the period"),
        ("Quý I-II/2018", "names the period"),
        ("tháng 13/2024", "not a month"),
        ("2024-Q5", "not a quarter"),
        ("2023-02-29", "not a day"),
        ("soon", "expected a year"),
        ("", "expected a year"),
    ],
)
def test_what_is_no_time_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        When.parse(text)


def test_the_constructor_refuses_shapes_that_name_no_time() -> None:
    with pytest.raises(FieldValueError, match=r"When\.day 5 needs a month"):
        When(2024, day=5)
    with pytest.raises(FieldValueError, match=r"When\.month 6 is given with a quarter"):
        When(2024, quarter=2, month=6)
    with pytest.raises(FieldValueError, match=r"When\.month 0 is not a month"):
        When(2024, month=0)
    with pytest.raises(FieldValueError, match=r"When\.year"):
        When(1800)
    with pytest.raises(FieldTypeError, match=r"When\.quarter"):
        When(2024, quarter="3")  # type: ignore[arg-type]
    with pytest.raises(FieldTypeError, match=r"When\.by"):
        When(2024, by=1)  # type: ignore[arg-type]


def test_days_and_periods_of_each_granularity() -> None:
    assert When(2024).granularity == "year"
    assert (When(2024).first_day, When(2024).last_day) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    assert When(2024, quarter=3).last_day == dt.date(2024, 9, 30)
    assert When(2024, month=2).last_day == dt.date(2024, 2, 29)
    assert When(2024, month=2, day=10).first_day == When(2024, month=2, day=10).last_day
    assert str(When(2024, month=8).period) == "Q3 2024"
    assert When.of(dt.date(2018, 3, 30)) == When(2018, month=3, day=30)
    assert When.of(2015) == When(2015)
    with pytest.raises(FieldTypeError):
        When.of("2015")  # type: ignore[arg-type]


def test_formats_in_vietnamese_and_english() -> None:
    cases = [
        (When(2015, by=True), "đến năm 2015", "by 2015"),
        (
            When(2024, month=3, day=30, by=True),
            "trước ngày 30 tháng 3 năm 2024",
            "by 30 March 2024",
        ),
        (When(2024, quarter=3), "Quý III/2024", "Q3 2024"),
        (When(2024, month=6), "tháng 6/2024", "June 2024"),
        (When(2024, month=6, day=30), "ngày 30 tháng 6 năm 2024", "30 June 2024"),
        (When(2024, quarter=3, by=True), "đến Quý III/2024", "by Q3 2024"),
    ]
    for when, vi, en in cases:
        assert (when.format("vi"), when.format("en")) == (vi, en)


def test_month_names_come_from_the_locale_data_in_every_form() -> None:
    pl = month_names("pl")
    assert pl["marca"] == pl["marzec"] == pl["mar"] == 3  # genitive, nominative, short
    assert month_names("vi")["tháng 12"] == 12
    assert month_names("de")["märz"] == 3
    with pytest.raises(UnknownLocaleError):
        month_names("xx-nowhere")
    with pytest.raises(UnknownLocaleError):
        When(2024).format("xx-nowhere")


def test_show_writes_the_new_time_forms_in_vietnamese_and_english() -> None:
    from egovplan.cli import render_plan
    from egovplan.document import PlanMetadata
    from egovplan.objective import Objective, ObjectiveKind, Target
    from egovplan.period import Period
    from egovplan.plan import Plan
    from egovplan.recurrence import Recurrence
    from egovplan.task import Assignment, Schedule, Task

    targets = (
        Target(id="q", measure="m", value=1, deadline=When(2024, quarter=3, by=True)),
        Target(id="m", measure="m", value=1, deadline=When(2024, month=6)),
        Target(id="y", measure="m", value=1, deadline=2025),
        Target(id="d", measure="m", value=1, deadline=When(2024, month=6, day=30, by=True)),
    )
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        objectives=(Objective(id="o", kind=ObjectiveKind.GENERAL, text="O", targets=targets),),
        tasks=(
            Task(
                id="k",
                title="K",
                schedule=Schedule(
                    start=When(2024, month=1), recurrence=Recurrence(interval=6, unit="month")
                ),
                assignments=(Assignment(agency="a", role="lead"),),
            ),
        ),
    )
    vi = render_plan(plan, locale="vi")
    en = render_plan(plan, locale="en")
    for text in ("đến Quý III/2024", "trong tháng 6/2024", "đến năm 2025"):
        assert text in vi
    assert "trước ngày 30 tháng 6 năm 2024" in vi
    assert "từ tháng 1/2024; 6 tháng một lần" in vi
    for text in ("by Q3 2024", "in June 2024", "by 2025", "by 30 June 2024"):
        assert text in en
    assert "from January 2024; every 6 months" in en


@settings(max_examples=60)
@given(
    deadline=st.none() | whens(),
    start=st.none() | whens(),
    schedule_deadline=st.none() | whens(),
    interval=st.integers(-3, 40),
    unit=st.sampled_from(["year", "quarter", "month", "week", "day", "fortnight"]),
    recurs=st.booleans(),
)
def test_the_time_fields_round_trip_in_every_format(
    deadline: When | None,
    start: When | None,
    schedule_deadline: When | None,
    interval: int,
    unit: str,
    recurs: bool,
) -> None:
    from egovplan.document import PlanMetadata
    from egovplan.files import FORMATS, dumps, loads
    from egovplan.objective import Objective, ObjectiveKind, Target
    from egovplan.period import Period
    from egovplan.plan import Plan
    from egovplan.recurrence import Recurrence
    from egovplan.task import Schedule, Task

    recurrence = Recurrence(interval=interval, unit=unit) if recurs else None
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        objectives=(
            Objective(
                id="o",
                kind=ObjectiveKind.GENERAL,
                text="O",
                targets=(Target(id="t", measure="m", value=1, deadline=deadline),),
            ),
        ),
        tasks=(
            Task(
                id="k",
                title="K",
                schedule=Schedule(start=start, deadline=schedule_deadline, recurrence=recurrence),
            ),
        ),
    )
    for format in FORMATS:
        text = dumps(plan, format)
        again = loads(text, format)
        assert again == plan
        assert dumps(again, format) == text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("deadline: Quý III/2024", When(2024, quarter=3)),
        ("deadline: trước năm 2015", When(2015, by=True)),
        ("deadline: June 2024", When(2024, month=6)),
        ("deadline: 2024-06-30", When(2024, month=6, day=30)),  # a YAML date
        ("deadline: '2025'", When(2025)),
    ],
)
def test_a_file_may_give_a_time_as_documents_write_it(written: str, expected: When) -> None:
    from egovplan.files import dumps, loads

    text = (
        "format_version: 3\nid: p\nmetadata: {kind: plan, title: P}\nperiod: 2011-2025\n"
        f"objectives:\n- id: o\n  targets:\n  - id: t\n    measure: m\n    {written}\n"
    )
    plan = loads(text, "yaml")
    (target,) = plan.objectives[0].targets
    assert target.deadline == expected
    assert f"deadline: {expected}\n" in dumps(plan, "yaml")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("deadline: 2021-2025", "names the period"),
        ("deadline: 2024-13", "not a month"),
        ("deadline: 1800", "not a year"),
        ("deadline: [2024]", "expected a time"),
    ],
)
def test_a_file_with_no_time_where_one_belongs_is_refused(written: str, message: str) -> None:
    from egovplan.errors import LoadError
    from egovplan.files import loads

    text = (
        "format_version: 3\nid: p\nmetadata: {kind: plan, title: P}\nperiod: 2021-2025\n"
        f"objectives:\n- id: o\n  targets:\n  - id: t\n    measure: m\n    {written}\n"
    )
    with pytest.raises(LoadError, match=message):
        loads(text, "yaml")


@given(st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 12))
def test_days_in_month_is_what_calendar_says(year: int, month: int) -> None:
    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
