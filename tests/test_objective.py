"""Objectives and targets: every target shape of the seeds, and impossible values.

A value of the right type and shape that is wrong (a percent of 120) builds, and
validation reports it; a value of the wrong type or shape is a constructor error."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.document import PlanMetadata
from egovplan.objective import (
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    ObjectiveKind,
    Target,
    TargetPart,
)
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.testing import objectives, targets
from egovplan.validation import validate

D = Decimal


def test_per_level_target_from_quang_nam() -> None:
    # "100% hồ sơ công việc tại cấp tỉnh, 80% ... cấp huyện và 60% ... cấp xã" by 2025
    target = Target(
        id="dossiers-2025",
        measure="hồ sơ công việc được xử lý trên môi trường mạng",
        comparator=Comparator.GE,
        by_level=(("province", 100), ("district", 80), ("commune", 60)),
        unit="percent",
        deadline=2025,
    )
    assert target.value is None
    assert target.is_per_level
    assert dict(target.level_values) == {"province": D(100), "district": D(80), "commune": D(60)}
    with pytest.raises(TypeError):
        target.level_values["province"] = D(1)  # type: ignore[index]
    assert target.met_by(D(85), level="district") is True
    assert target.met_by(D(59), level="commune") is False
    assert target.met_by(D(50), level="central") is None
    assert target.met_by(D(50)) is None


def test_comparators_range_rank_breakdown_and_list() -> None:
    above = Target(id="a", measure="hồ sơ", comparator=Comparator.GT, value=50, unit="percent")
    assert above.met_by(D(50)) is False
    assert above.met_by(D("50.1")) is True
    schools = Target(
        id="b",
        measure="trường tiểu học",
        comparator=Comparator.BETWEEN,
        value=88,
        upper=90,
        unit="percent",
        baseline=Baseline(value=D("84.1"), year=2017),
    )
    assert schools.is_range
    assert schools.met_by(D(89))
    assert not schools.met_by(D(91))
    top10 = Target(id="c", measure="ICT-Index", comparator=Comparator.LE, value=10, unit="rank")
    assert top10.met_by(7) is True
    staff = Target(
        id="d",
        measure="cán bộ CNTT",
        value=100,
        unit="people",
        parts=(TargetPart(label="CIO", value=35), TargetPart(label="specialist", value=65)),
    )
    assert staff.parts_total == D(100)
    assert Target(id="e", measure="m", unit="people").parts_total is None
    databases = Target(
        id="f",
        measure="CSDL trọng điểm",
        value=3,
        unit="databases",
        items=("y tế", "giáo dục", "du lịch"),
    )
    assert databases.value == len(databases.items)


@pytest.mark.parametrize(
    ("fields", "error", "match"),
    [
        ({"by_level": (("p", 0.5),)}, TypeError, r"Target\.by_level\[0\]\.value must be Decimal"),
        ({"by_level": (0.5,)}, TypeError, r"Target\.by_level\[0\] must be LevelTarget"),
        ({"kind": "vague"}, ValueError, r"Target\.kind must be one of 'quantitative'"),
        ({"qualifiers": ("strive ",)}, ValueError, r"Target\.qualifiers\[0\] must be a non-empty"),
        ({"contributes_to": ("p/t",)}, TypeError, r"Target\.contributes_to\[0\] must be TargetRef"),
        ({"value": 0.5}, TypeError, r"Target\.value must be Decimal .*not float"),
        ({"value": D("NaN")}, ValueError, r"Target\.value must be a finite number"),
        ({"comparator": "gte"}, ValueError, r"Target\.comparator must be one of '=', '>', '>='"),
        ({"comparator": 2}, TypeError, r"Target\.comparator must be Comparator, not int"),
        ({"deadline": 25}, ValueError, r"Target\.deadline 25 is outside"),
        ({"parts": [TargetPart(label="a", value=1)]}, TypeError, r"Target\.parts must be a tuple"),
        ({"items": ("a", 2)}, TypeError, r"Target\.items\[1\] must be str, not int"),
        ({"baseline": 5}, TypeError, r"Target\.baseline must be Baseline or None"),
        ({"unit": None}, TypeError, r"Target\.unit must be str"),
    ],
)
def test_impossible_targets_name_the_field(fields: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Target(id="t", measure="m", **fields)


@pytest.mark.parametrize(
    ("fields", "found"),
    [
        ({"value": 120, "unit": "percent"}, [("EGP301", "value")]),
        ({"value": -1, "unit": "%"}, [("EGP301", "value")]),
        (
            {"by_level": (("province", 100), ("district", 101)), "unit": "percent"},
            [("EGP301", "by_level[1].value")],
        ),
        ({"by_level": (("p", 1), ("p", 2))}, [("EGP309", "by_level[1].level")]),
        (
            {
                "by_level": (
                    LevelTarget(level="p", value=1, counts="departments"),
                    LevelTarget(level="p", value=2, counts="peoples_committees"),
                )
            },
            [],
        ),
        (
            {"by_level": (LevelTarget(level="p", comparator="between", value=60),)},
            [("EGP302", "by_level[0].upper")],
        ),
        (
            {
                "by_level": (LevelTarget(level="p", comparator="between", value=60, upper=120),),
                "unit": "percent",
            },
            [("EGP301", "by_level[0].upper")],
        ),
        (
            {"comparator": "between", "upper": 90, "by_level": (("p", 80), ("q", 95))},
            [("EGP302", "by_level[1].upper")],
        ),
        (
            {"by_level": (LevelTarget(level="p", value=60, upper=70),)},
            [("EGP302", "by_level[0].upper")],
        ),
        ({"kind": "milestone", "unit": ""}, []),
        ({"kind": "qualitative", "unit": ""}, []),
        ({"kind": "quantitative", "unit": ""}, [("EGP303", "unit")]),
        ({"kind": "qualitative", "value": 100, "unit": ""}, [("EGP307", "value")]),
        ({"kind": "milestone", "by_level": (("p", 1),), "unit": ""}, [("EGP307", "by_level")]),
        ({"qualifiers": ("strive", "approximate", "expected")}, []),
        ({"qualifiers": ("strive", "approximate", "ensure")}, [("EGP308", "qualifiers")]),
        (
            {"comparator": Comparator.BETWEEN, "value": 90, "upper": 88, "unit": "percent"},
            [("EGP302", "upper")],
        ),
        (
            {"comparator": Comparator.BETWEEN, "value": 90, "upper": 120, "unit": "percent"},
            [("EGP301", "upper")],
        ),
        ({"comparator": Comparator.BETWEEN, "value": 1}, [("EGP302", "upper")]),
        ({"value": 1, "upper": 2}, [("EGP302", "upper")]),
        ({"comparator": Comparator.BETWEEN, "upper": 2}, [("EGP302", "value")]),
        ({"value": D("2.5"), "unit": "rank"}, [("EGP306", "value")]),
        ({"value": 0, "unit": "rank"}, [("EGP306", "value")]),
        (
            {"comparator": Comparator.BETWEEN, "value": 0, "upper": 3, "unit": "rank"},
            [("EGP306", "value")],
        ),
        (
            {"baseline": Baseline(value=101, year=2020), "unit": "percent"},
            [("EGP301", "baseline.value")],
        ),
        (
            {"baseline": Baseline(value=0, year=2020), "unit": "rank"},
            [("EGP306", "baseline.value")],
        ),
    ],
)
def test_well_formed_but_wrong_targets_build_and_validation_reports_them(
    fields: dict, found: list[tuple[str, str]]
) -> None:
    target = Target(id="t", measure="m", **{"unit": "people", **fields})
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        objectives=(Objective(id="o", targets=(target,)),),
    )
    issues = [(i.code, i.path) for i in validate(plan, ruleset="targets")]
    assert issues == [(code, f"objectives[0].targets[0].{path}") for code, path in found]


def test_a_range_without_its_upper_bound_is_met_by_nothing() -> None:
    target = Target(id="t", measure="m", comparator=Comparator.BETWEEN, value=1)
    assert target.met_by(5) is None
    assert Target(id="t", measure="m", comparator=Comparator.GE, value=1).met_by(5) is True


def test_other_models_check_their_fields() -> None:
    with pytest.raises(TypeError, match=r"Baseline\.value must be Decimal"):
        Baseline(value=84.1, year=2017)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Baseline\.year 17 is outside"):
        Baseline(value=1, year=17)
    with pytest.raises(TypeError, match=r"TargetPart\.label must be str"):
        TargetPart(label=None, value=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Objective\.kind must be one of 'general'"):
        Objective(id="o", kind="generic")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Objective\.kind must be ObjectiveKind, not None"):
        Objective(id="o", kind=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Objective\.children\[0\] must be Objective"):
        Objective(id="o", children=("x",))  # type: ignore[arg-type]


def test_comparator_values_words_and_symbols() -> None:
    assert [c.value for c in Comparator] == ["=", ">", ">=", "<", "<=", "between"]
    assert Comparator(">=") is Comparator.GE
    assert Comparator.GE.code == "ge"
    assert Comparator.GE.symbol == "≥"
    assert Comparator.GT.label("vi") == "trên"
    assert Comparator.GE.label("en") == "at least"
    assert "ít nhất" in Comparator.GE.words("vi")
    assert Comparator.GE.words("ja") == ()
    assert Comparator.from_words("trên", "vi") is Comparator.GT
    assert Comparator.from_words("  Tối   thiểu ", "vi") is Comparator.GE
    assert Comparator.from_words("at most", "en") is Comparator.LE
    assert Comparator.from_words("<=", "en") is Comparator.LE
    assert Comparator.from_words("≥", "en") is Comparator.GE
    assert Comparator.from_words("roughly", "en") is None
    with pytest.raises(ValueError, match="upper bound"):
        Comparator.BETWEEN.holds(1, 0)


def test_objective_kinds_have_labels() -> None:
    assert [k.value for k in ObjectiveKind] == ["general", "specific", "orientation"]
    assert ObjectiveKind.GENERAL.label("vi") == "mục tiêu chung"
    assert ObjectiveKind.ORIENTATION.label("en") == "orientation"


def test_walk_is_depth_first_with_paths() -> None:
    t1 = Target(id="t1", measure="m", value=1, unit="people")
    t2 = Target(id="t2", measure="m", value=2, unit="people")
    tree = Objective(
        id="a",
        kind=ObjectiveKind.GENERAL,
        targets=(t1,),
        children=(
            Objective(id="b", children=(Objective(id="c", targets=(t2,)),)),
            Objective(id="d"),
        ),
    )
    assert [(p, o.id) for p, o in tree.walk("objectives[2]")] == [
        ("objectives[2]", "a"),
        ("objectives[2].children[0]", "b"),
        ("objectives[2].children[0].children[0]", "c"),
        ("objectives[2].children[1]", "d"),
    ]
    assert [p for p, _ in tree.walk()] == [
        "",
        "children[0]",
        "children[0].children[0]",
        "children[1]",
    ]
    assert [(p, t.id) for p, t in tree.walk_targets("objectives[0]")] == [
        ("objectives[0].targets[0]", "t1"),
        ("objectives[0].children[0].children[0].targets[0]", "t2"),
    ]


_numbers = st.decimals(min_value=-1000, max_value=1000, places=2)


@given(_numbers, _numbers, _numbers)
def test_comparators_agree_with_decimal_comparison(actual: D, value: D, other: D) -> None:
    assert Comparator.EQ.holds(actual, value) == (actual == value)
    assert Comparator.GT.holds(actual, value) == (actual > value)
    assert Comparator.GE.holds(actual, value) == (actual >= value)
    assert Comparator.LT.holds(actual, value) == (actual < value)
    assert Comparator.LE.holds(actual, value) == (actual <= value)
    low, high = sorted((value, other))
    assert Comparator.BETWEEN.holds(actual, low, high) == (low <= actual <= high)


@settings(max_examples=60)
@given(targets(deadlines=(2021, 2030)))
def test_generated_targets_are_consistent(target: Target) -> None:
    assert target.unit or not target.kind.is_quantitative  # words or a milestone: no unit
    if not target.kind.is_quantitative:  # nothing to meet but words or an event (EGP307)
        assert (target.value, target.upper, target.by_level, target.parts) == (None, None, (), ())
    if target.unit == "percent":
        values = [target.value, target.upper, *target.level_values.values()]
        assert all(0 <= v <= 100 for v in values if v is not None)
    if target.parts:
        assert target.parts_total == target.value
    if target.items and target.comparator is Comparator.EQ:
        assert target.value == len(target.items)
    if target.deadline is not None:
        assert 2021 <= target.deadline.year <= 2030


@settings(max_examples=40)
@given(objectives())
def test_generated_objectives_have_unique_ids(objective: Objective) -> None:
    ids = [o.id for _, o in objective.walk()]
    target_ids = [t.id for _, t in objective.walk_targets()]
    assert len(set(ids)) == len(ids)
    assert len(set(target_ids)) == len(target_ids)
