"""Tasks, assignments, schedules, reporting duties and agencies."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan.agency import Agency, Level
from egovplan.labels import Labels
from egovplan.period import Period, Quarter
from egovplan.recurrence import Recurrence
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task
from egovplan.when import When


def test_lead_and_roles() -> None:
    task = Task(
        id="t1",
        title="Triển khai chương trình viễn thông công ích",
        indicators=("ict.infra.society",),
        schedule=Schedule(period=Period.quarters(Quarter(2018, 1), Quarter(2018, 4))),
        assignments=(
            Assignment(agency="stttt", role="lead"),
            Assignment(agency="telcos", role="coordinate"),
            Assignment(agency="stc", role="fund"),
            Assignment(agency="vnpt", role="coordinate"),
        ),
    )
    assert [a.agency for a in task.lead] == ["stttt"]
    assert task.agencies("coordinate") == ("telcos", "vnpt")
    assert task.agencies("monitor") == ()
    assert Task(id="t2", title="x").lead == ()


def test_schedule_forms() -> None:
    assert Schedule(regular=True, text="thường xuyên").regular
    assert Schedule(deadline=dt.date(2018, 3, 30)).deadline == When(2018, month=3, day=30)
    assert Schedule(deadline=2018).deadline == When(2018)
    assert Schedule().period is None
    opened = Schedule(start=When(2024, month=1), recurrence=Recurrence(unit="year"))
    assert (opened.start, opened.recurrence) == (When(2024, month=1), Recurrence(unit="year"))


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: Assignment(agency="", role="lead"), ValueError, r"Assignment\.agency"),
        (lambda: Assignment(agency="a", role=None), TypeError, r"Assignment\.role must be str"),
        (
            lambda: Schedule(deadline="30/3"),
            TypeError,
            r"Schedule\.deadline must be When, an int year, a datetime\.date or None",
        ),
        (
            lambda: Schedule(deadline=dt.datetime(2018, 3, 30)),
            TypeError,
            r"Schedule\.deadline must be When",
        ),
        (lambda: Schedule(start=1800), ValueError, r"Schedule\.start 1800 is outside"),
        (
            lambda: Schedule(recurrence="yearly"),
            TypeError,
            r"Schedule\.recurrence must be Recurrence or None",
        ),
        (lambda: Recurrence(unit="year", interval="6"), TypeError, r"Recurrence\.interval"),
        (lambda: Recurrence(unit=" year"), ValueError, r"Recurrence\.unit"),
        (lambda: Schedule(regular="yes"), TypeError, r"Schedule\.regular must be bool"),
        (lambda: Schedule(period=2018), TypeError, r"Schedule\.period must be Period or None"),
        (lambda: Period.quarter(2018, 5), ValueError, r"quarter"),
        (lambda: Task(id="t", title="x", assignments="stttt"), TypeError, r"Task\.assignments"),
        (lambda: Task(id="t", title="x", objectives=["o"]), TypeError, r"Task\.objectives"),
        (
            lambda: Task(id="t", title="x", objectives=("o1", " o2")),
            ValueError,
            r"Task\.objectives\[1\] must be a non-empty id without surrounding spaces, not ' o2'",
        ),
        (
            lambda: Task(id="t", title="x", indicators=("",)),
            ValueError,
            r"Task\.indicators\[0\] must be a non-empty id",
        ),
        (
            lambda: Task(id="t", title="x", indicators=("i1", 2)),
            TypeError,
            r"Task\.indicators\[1\] must be str, not int",
        ),
        (lambda: Task(id="t", title=3), TypeError, r"Task\.title must be str"),
        (
            lambda: ReportingDuty(id="r", reporter="a", recipient="b", cadence=""),
            ValueError,
            r"ReportingDuty\.cadence",
        ),
        (
            lambda: Agency(id="a", names=Labels(vi="A"), parent=""),
            ValueError,
            r"Agency\.parent must be a non-empty id",
        ),
        (lambda: Agency(id="a", names="A"), TypeError, r"Agency\.names must be Labels"),
        (lambda: Level(id="x", names=Labels(en="x"), order=-1), ValueError, r"Level\.order"),
        (lambda: Level(id="x", names=Labels(en="x"), order=True), TypeError, r"Level\.order"),
    ],
)
def test_construction_errors_name_the_field(build: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build()  # type: ignore[operator]


def test_agency_and_level_names_fall_back() -> None:
    agency = Agency(id="stc", names=Labels(vi="Sở Tài chính"), kind="department")
    assert agency.name("en") == "Sở Tài chính"
    assert agency.kind == "department"
    assert agency.level is None
    assert Agency(id="x", names=Labels()).name("vi") == "x"
    assert Agency(id="x", names=Labels()).kind == "other"
    assert Level(id="commune", names=Labels(), order=2).name("vi") == "commune"


@given(
    st.lists(
        st.text(max_size=4) | st.sampled_from(("o1", " o1", "o1 ", "\u3000o1", "")), max_size=4
    )
)
def test_a_task_names_objectives_and_indicators_by_id(names: list[str]) -> None:
    bad = [i for i, name in enumerate(names) if not name or name != name.strip()]
    for field in ("objectives", "indicators"):
        if not bad:
            assert getattr(Task(id="t", title="x", **{field: tuple(names)}), field) == tuple(names)
            continue
        with pytest.raises(ValueError, match=rf"Task\.{field}\[{bad[0]}\] must be a non-empty id"):
            Task(id="t", title="x", **{field: tuple(names)})


@given(
    st.integers(1, 99),
    st.sampled_from(["year", "quarter", "month", "week", "day"]),
    st.sampled_from(["vi", "en", "en_GB", "vi-VN", "fr"]),
)
def test_a_recurrence_written_in_words_reads_back(interval: int, unit: str, locale: str) -> None:
    recurrence = Recurrence(interval=interval, unit=unit)
    assert Recurrence.parse(recurrence.format(locale)) == recurrence
    assert Recurrence.parse(recurrence.format(locale).upper()) == recurrence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hàng năm", Recurrence(unit="year")),
        ("Hằng năm", Recurrence(unit="year")),
        ("thường niên", Recurrence(unit="year")),
        ("6 tháng một lần", Recurrence(interval=6, unit="month")),
        ("định kỳ 6 tháng", Recurrence(interval=6, unit="month")),
        ("nửa năm một lần", Recurrence(interval=6, unit="month")),
        ("hàng quý", Recurrence(unit="quarter")),
        ("hằng tháng", Recurrence(unit="month")),
        ("every six months", Recurrence(interval=6, unit="month")),
        ("semi-annually", Recurrence(interval=6, unit="month")),
        ("Annually", Recurrence(unit="year")),
        ("every 2 years", Recurrence(interval=2, unit="year")),
        ("quarterly", Recurrence(unit="quarter")),
        ("weekly", Recurrence(unit="week")),
    ],
)
def test_recurrences_as_plans_write_them(text: str, expected: Recurrence) -> None:
    assert Recurrence.parse(text) == expected


@pytest.mark.parametrize("text", ["thường xuyên", "định kỳ", "2021-2025", "every", ""])
def test_what_names_no_interval_is_no_recurrence(text: str) -> None:
    from egovplan.errors import ParseError

    with pytest.raises(ParseError, match="as a recurrence"):
        Recurrence.parse(text)


def test_recurrence_lengths() -> None:
    assert Recurrence(interval=6, unit="month").months == 6
    assert Recurrence(unit="quarter").months == 3
    assert Recurrence(interval=2, unit="week").months is None
    assert Recurrence(interval=2, unit="week").days == 14
    assert Recurrence(interval=2, unit="fortnight").months is None
    assert Recurrence(interval=2, unit="fortnight").format("vi") == "2 fortnight một lần"
