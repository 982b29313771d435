"""Tasks, assignments, schedules, reporting duties and agencies."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan.agency import Agency, Level
from egovplan.labels import Labels
from egovplan.period import Period, Quarter
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task


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
    assert Schedule(deadline=dt.date(2018, 3, 30)).deadline == dt.date(2018, 3, 30)
    assert Schedule().period is None


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: Assignment(agency="", role="lead"), ValueError, r"Assignment\.agency"),
        (lambda: Assignment(agency="a", role=None), TypeError, r"Assignment\.role must be str"),
        (
            lambda: Schedule(deadline="30/3"),
            TypeError,
            r"Schedule\.deadline must be datetime\.date",
        ),
        (
            lambda: Schedule(deadline=dt.datetime(2018, 3, 30)),
            TypeError,
            r"Schedule\.deadline must be datetime\.date",
        ),
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
