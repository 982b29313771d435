"""Targets as real plans state them (issue #21, format version 3).

Per-level entries with a comparator each and what they count, baselines without a year,
qualitative targets and milestones, qualifiers, verification, items listed elsewhere,
targets of tasks, and contributions to other plans' targets; the upgrade of version 1
and 2 files; ``show``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan import FORMAT_HISTORY, validate_together
from egovplan.catalog import Catalogues
from egovplan.cli import main, render_plan
from egovplan.document import PlanMetadata
from egovplan.errors import LoadError
from egovplan.files import dumps, load, loads, read_document
from egovplan.objective import (
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    Target,
    TargetKind,
    TargetRef,
    qualifiers_in,
)
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.progress import attainment, attainment_by_level
from egovplan.serialization import from_dict, to_dict
from egovplan.task import Task

D = Decimal
FORMATS = ("yaml", "json", "toml")

VERSION_2 = """\
format_version: 2
id: p
metadata: {kind: plan, title: P}
period: 2021-2025
objectives:
- id: o
  targets:
  - id: at-least
    measure: m
    comparator: ge
    by_level: {province: 100, district: 60}
    unit: percent
  - id: range
    measure: m
    comparator: between
    upper: 90
    by_level: {province: 80}
    unit: percent
  - id: overall-and-levels
    measure: m
    comparator: ">"
    value: 50
    by_level: {commune: 40}
    unit: percent
  children:
  - id: nested
    targets:
    - {id: plain, measure: m, by_level: {commune: 10}, unit: percent}
"""


def _plan(*targets: Target, tasks: tuple[Task, ...] = (), id: str = "p") -> Plan:
    return Plan(
        id=id,
        metadata=PlanMetadata(kind="plan", title=id),
        period=Period.years(2021, 2025),
        objectives=(Objective(id="o", targets=targets),),
        tasks=tasks,
    )


# -- the upgrade from versions 1 and 2 --------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2])
def test_a_per_level_mapping_of_an_old_version_becomes_entries_with_the_comparator(
    version: int,
) -> None:
    plan = loads(VERSION_2.replace("format_version: 2", f"format_version: {version}"), "yaml")
    at_least = plan.target("at-least")
    assert at_least.by_level == (
        LevelTarget(level="province", comparator=Comparator.GE, value=D(100)),
        LevelTarget(level="district", comparator=Comparator.GE, value=D(60)),
    )
    assert at_least.comparator is Comparator.EQ  # moved to the levels: the target has no value
    assert at_least.met_by(60, "district") is True
    assert at_least.met_by(99, "province") is False
    ranged = plan.target("range")
    assert ranged.by_level == (
        LevelTarget(level="province", comparator=Comparator.BETWEEN, value=D(80), upper=D(90)),
    )
    assert (ranged.comparator, ranged.upper) == (Comparator.EQ, None)
    both = plan.target("overall-and-levels")
    assert (both.comparator, both.value) == (Comparator.GT, D(50))  # its own value keeps it
    assert both.by_level == (LevelTarget(level="commune", comparator=Comparator.GT, value=D(40)),)
    assert plan.target("plain").by_level == (LevelTarget(level="commune", value=D(10)),)
    assert not plan.validate().issues
    for format in FORMATS:
        assert loads(dumps(plan, format), format) == plan


FORMAT_2 = Path(__file__).parent / "data" / "format-2"
FORMAT_2_FILES = sorted(p for p in FORMAT_2.iterdir() if p.is_file())


def test_the_frozen_format_2_files_are_there() -> None:
    assert len(FORMAT_2_FILES) == 5
    for path in FORMAT_2_FILES:
        assert read_document(path)["format_version"] == 2


@pytest.mark.parametrize("path", FORMAT_2_FILES, ids=lambda p: p.name)
def test_a_format_2_file_loads_as_it_did_upgraded(path: Path) -> None:
    # The plan as this file loaded when format 2 was current, upgraded as the versions
    # since say, is the plan it loads as now.
    recorded = json.loads((FORMAT_2 / "expected" / f"{path.stem}.json").read_text("utf-8"))
    assert recorded.pop("format_version") == 2
    expected = {"format_version": FORMAT_HISTORY.current, **FORMAT_HISTORY.upgrade(recorded, 2)}
    plan = load(path)
    assert to_dict(plan) == expected
    for target in (t for _, t in plan.walk_targets() if t.by_level):
        assert all(isinstance(entry, LevelTarget) for entry in target.by_level)


def test_the_upgrade_step_only_touches_per_level_mappings() -> None:
    body = {"id": "p", "objectives": [{"id": "o", "targets": [{"id": "t", "value": 1}]}]}
    assert FORMAT_HISTORY.upgrade(body, 2) == body
    assert FORMAT_HISTORY.upgrade({"objectives": "x"}, 2) == {"objectives": "x"}
    odd = {"objectives": [{"id": "o", "targets": [{"id": "t", "by_level": [1]}, "x"]}, 3]}
    assert FORMAT_HISTORY.upgrade(odd, 1) == odd


def test_a_malformed_old_per_level_value_is_refused_where_version_3_has_it() -> None:
    text = VERSION_2.replace("by_level: {province: 100, district: 60}", "by_level: {a: x}")
    with pytest.raises(LoadError) as caught:
        loads(text, "yaml")
    assert [p.path for p in caught.value.problems] == ["objectives[0].targets[0].by_level[0].value"]


def test_version_3_writes_entries_and_reads_them_back() -> None:
    target = Target(
        id="one-stop",
        measure="m",
        by_level=(
            LevelTarget(level="province", value=100, counts="departments"),
            LevelTarget(level="district", comparator="ge", value=60, counts="peoples_committees"),
        ),
        unit="percent",
    )
    assert to_dict(target)["by_level"] == [
        {"level": "province", "value": 100, "counts": "departments"},
        {"level": "district", "comparator": ">=", "value": 60, "counts": "peoples_committees"},
    ]
    assert from_dict(to_dict(target), Target) == target


# -- the models ---------------------------------------------------------------------------------


def test_pairs_are_entries_that_take_the_targets_comparator() -> None:
    target = Target(id="t", measure="m", comparator=">=", by_level=(("province", 90),))
    (entry,) = target.by_level
    assert entry == LevelTarget(level="province", value=D(90))
    assert target.comparator_at(entry) is Comparator.GE
    assert target.met_by(90, "province") is True
    assert target.met_by(89, "province") is False
    assert target.at_level("district") is None
    assert target.met_by(100, "district") is None


def test_a_baseline_needs_no_year() -> None:
    baseline = Baseline(value=4083, source="ISTAT")
    assert (baseline.value, baseline.year, baseline.source) == (D(4083), None, "ISTAT")
    assert to_dict(baseline) == {"value": 4083, "source": "ISTAT"}
    target = Target(
        id="t",
        measure="m",
        comparator="ge",
        value=5000,
        unit="people",
        deadline=2026,
        baseline=baseline,
    )
    result = attainment(target, D(4500), year=2024)
    assert result.baseline_year is None
    assert result.expected_percent is None  # no base year: no expected pace
    assert result.percent is not None


def test_attainment_at_a_level_uses_that_levels_comparator() -> None:
    target = Target(
        id="t",
        measure="m",
        by_level=(
            LevelTarget(level="province", value=100),
            LevelTarget(level="district", comparator="ge", value=60),
        ),
        unit="percent",
        deadline=2025,
    )
    province, district = attainment_by_level(
        target, {"province": D(70), "district": D(70)}, year=2024
    )
    assert (province.comparator, province.achieved) == (Comparator.EQ, False)
    assert (district.comparator, district.achieved) == (Comparator.GE, True)


@settings(max_examples=100, deadline=None)
@given(
    entries=st.lists(
        st.builds(
            LevelTarget,
            level=st.sampled_from(["province", "district", "commune"]),
            comparator=st.none() | st.sampled_from(list(Comparator)),
            value=st.integers(0, 100),
            upper=st.none() | st.integers(0, 100),
        ),
        max_size=4,
    ),
    comparator=st.sampled_from(list(Comparator)),
    upper=st.none() | st.integers(0, 100),
    actual=st.integers(-5, 105),
)
def test_met_by_a_level_is_its_first_entrys_comparison(
    entries: list[LevelTarget], comparator: Comparator, upper: int | None, actual: int
) -> None:
    target = Target(
        id="t", measure="m", comparator=comparator, upper=upper, by_level=tuple(entries)
    )
    for level in ("province", "district", "commune"):
        entry = next((e for e in entries if e.level == level), None)
        if entry is None:
            assert target.met_by(actual, level) is None
            continue
        how, bound = target.comparator_at(entry), target.upper_at(entry)
        expected = (
            None
            if how is Comparator.BETWEEN and bound is None
            else how.holds(actual, entry.value, bound)
        )
        assert target.met_by(actual, level) is expected


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_ID = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)

NEW_FIELDS = st.builds(
    Target,
    id=_ID,
    measure=_TEXT,
    by_level=st.lists(
        st.builds(
            LevelTarget,
            level=_ID,
            comparator=st.none() | st.sampled_from(list(Comparator)),
            value=st.integers(0, 10**6),
            upper=st.none() | st.decimals(0, 100, places=2),
            counts=st.none() | st.sampled_from(["departments", "communes", "mine"]),
        ),
        max_size=3,
    ).map(tuple),
    unit=st.sampled_from(["", "percent", "people"]),
    baseline=st.none()
    | st.builds(
        Baseline,
        value=st.integers(0, 9999),
        year=st.none() | st.integers(1990, 2030),
        source=st.none() | _TEXT,
    ),
    kind=st.sampled_from(list(TargetKind)),
    qualifiers=st.lists(
        st.sampled_from(["approximate", "expected", "strive", "ensure"]), max_size=3
    ).map(tuple),
    description=st.none() | _TEXT,
    verification=st.none() | _TEXT,
    items_listed_in=st.none() | _TEXT,
    contributes_to=st.lists(st.builds(TargetRef, plan=_ID, target=_ID), max_size=2).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(target=NEW_FIELDS, on_task=st.booleans())
def test_the_new_fields_round_trip_in_every_format(target: Target, on_task: bool) -> None:
    if on_task:
        plan = attrs.evolve(
            _plan(), tasks=(Task(id="task", title="T", targets=(target,)),), objectives=()
        )
    else:
        plan = _plan(target)
    for format in FORMATS:
        assert loads(dumps(plan, format), format) == plan
    assert plan.target(target.id) is target


# -- targets of tasks -------------------------------------------------------------------------


def test_a_tasks_targets_are_the_plans_targets() -> None:
    own = Target(id="done", measure="dossiers handled", kind="milestone")
    plan = _plan(
        Target(id="t", measure="m", value=1, unit="people"),
        tasks=(Task(id="k", title="K", targets=(own,)),),
    )
    assert plan.target("done") is own
    assert plan.index.target_paths["done"] == "tasks[0].targets[0]"
    assert [path for path, _ in plan.walk_targets()] == [
        "objectives[0].targets[0]",
        "tasks[0].targets[0]",
    ]
    twice = attrs.evolve(plan, tasks=(Task(id="k", title="K", targets=(own, own)),))
    assert ("EGP101", "tasks[0].targets[1].id") in {(i.code, i.path) for i in twice.validate()}
    wrong = attrs.evolve(own, kind="quantitative")
    report = attrs.evolve(plan, tasks=(Task(id="k", title="K", targets=(wrong,)),)).validate()
    assert ("EGP303", "tasks[0].targets[0].unit") in [(i.code, i.path) for i in report]
    assert "EGP303" not in plan.validate().codes()


# -- contributions across plans -----------------------------------------------------------------


def test_contributions_are_checked_against_the_plans_loaded_together() -> None:
    national = _plan(Target(id="online", measure="m", value=80, unit="percent"), id="national")
    to = TargetRef(plan="national", target="online")
    missing = TargetRef(plan="national", target="offline")
    elsewhere = TargetRef(plan="regional", target="x")
    province = _plan(
        Target(id="a", measure="m", value=90, unit="percent", contributes_to=(to, elsewhere)),
        Target(id="b", measure="m", value=90, unit="percent", contributes_to=(missing,)),
        Target(
            id="c",
            measure="m",
            value=90,
            unit="percent",
            contributes_to=(TargetRef(plan="province", target="a"),),
        ),
        id="province",
    )
    assert [i.code for i in province.validate()] == []  # the national plan is not loaded
    reports = validate_together([national, province])
    assert reports[0].issues == ()
    assert [(i.code, i.path, i.message) for i in reports[1]] == [
        (
            "EGP310",
            "objectives[0].targets[1].contributes_to[0].target",
            "plan 'national' has no target 'offline'",
        )
    ]
    vi = province.validate(locale="vi", plans=[national])
    assert [i.message for i in vi] == ["kế hoạch 'national' không có chỉ tiêu 'offline'"]


def test_egovplan_validate_checks_contributions_between_the_files_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = _plan(Target(id="online", measure="m", value=80, unit="percent"), id="national")
    province = _plan(
        Target(
            id="a",
            measure="m",
            value=90,
            unit="percent",
            contributes_to=(TargetRef(plan="national", target="onlin"),),
        ),
        id="province",
    )
    (tmp_path / "national.yaml").write_text(dumps(national, "yaml"), encoding="utf-8")
    (tmp_path / "province.json").write_text(dumps(province, "json"), encoding="utf-8")
    files = [str(tmp_path / "national.yaml"), str(tmp_path / "province.json")]
    assert main(["validate", files[1]]) == 0
    capsys.readouterr()
    assert main(["validate", *files, "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["files"]
    assert [[i["code"] for i in f["issues"]] for f in found] == [[], ["EGP310"]]
    assert found[1]["issues"][0]["line"] is not None


# -- catalogues ---------------------------------------------------------------------------------


def test_the_vocabularies_are_data_in_vietnamese_and_english() -> None:
    cats = Catalogues.default()
    for code in ("approximate", "expected", "strive", "ensure"):
        kind = cats.target_qualifiers[code]
        for key in ("vi", "en"):
            assert kind.labels.get(key)
            assert kind.get(f"words_{key}")
    assert "phấn đấu" in cats.target_qualifiers["strive"].get("words_vi")
    assert {cats.target_qualifiers[c].get("group") for c in ("strive", "ensure")} == {"commitment"}
    assert [TargetKind(k).label("en") for k in ("qualitative", "milestone")] == [
        "qualitative target",
        "milestone",
    ]
    assert cats.counted.label("peoples_committees", "vi") == "Ủy ban nhân dân"


# -- show -----------------------------------------------------------------------------------------


def test_show_prints_each_levels_comparator_and_the_new_fields() -> None:
    target = Target(
        id="one-stop",
        measure="units with a one-stop shop",
        by_level=(
            LevelTarget(level="province", value=100, counts="departments"),
            LevelTarget(level="district", comparator="ge", value=60, counts="peoples_committees"),
        ),
        unit="percent",
        deadline=2025,
        qualifiers=("strive",),
        baseline=Baseline(value=40, source="survey"),
        verification="yearly report",
        items_listed_in="Annex 1",
        contributes_to=(TargetRef(plan="national", target="one-stop"),),
        description="connected to the portal",
    )
    milestone = Target(id="tender", measure="tender awarded", kind="milestone", deadline=2022)
    task = Task(id="k", title="Build it", targets=(milestone,))
    text = render_plan(_plan(target, tasks=(task,)), locale="en")
    assert (
        "    - one-stop: units with a one-stop shop: strive to province 100%"
        " (departments and agencies), district ≥ 60% (people's committees)"
        " (by 2025; baseline 40%, source: survey)"
    ) in text
    assert "      connected to the portal\n" in text
    assert "      Verified by: yearly report\n" in text
    assert "      Items listed in: Annex 1\n" in text
    assert "      Contributes to: national/one-stop\n" in text
    assert "      - tender: [milestone] tender awarded (by 2022)" in text
    vi = render_plan(_plan(target, tasks=(task,)), locale="vi")
    assert "phấn đấu province 100% (sở, ban, ngành), district ≥ 60% (Ủy ban nhân dân)" in vi


def test_show_keeps_each_detail_on_one_line() -> None:
    target = Target(id="t", measure="m", kind="qualitative", description="two\nlines")
    text = render_plan(_plan(target), locale="en")
    assert "two\\nlines" in text


@settings(max_examples=40, deadline=None)
@given(target=NEW_FIELDS)
def test_a_task_with_targets_is_written_as_its_plain_data(target: Target) -> None:
    from egovplan import files

    tasks = (Task(id="a", title="A", targets=(target,)), Task(id="b", title="B"))
    plan = _plan(target, tasks=tasks)
    assert dumps(plan, "json") == files._dump_json(to_dict(plan))


_QUALIFIER_WORDS = [
    (kind.code, locale, word)
    for kind in Catalogues.default().target_qualifiers
    for locale in ("vi", "en")
    for word in kind.get(f"words_{locale}", ())
]


@settings(max_examples=100, deadline=None)
@given(
    entry=st.sampled_from(_QUALIFIER_WORDS),
    before=st.text(st.sampled_from("abc 0123456789%,."), max_size=10),
    after=st.text(st.sampled_from("xyz 0123456789%,."), max_size=10),
    upper=st.booleans(),
)
def test_a_qualifiers_word_is_found_where_it_stands_alone(
    entry: tuple[str, str, str], before: str, after: str, upper: bool
) -> None:
    code, locale, word = entry
    shown = word.upper() if upper else word
    assert code in qualifiers_in(f"{before} {shown} {after}", locale)
    assert code not in qualifiers_in(f"q{word}q", locale)  # inside another word: not it


def test_qualifiers_in_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError, match="qualifiers_in"):
        qualifiers_in(None)  # type: ignore[arg-type]
