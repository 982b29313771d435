from __future__ import annotations

import pickle
from decimal import Decimal
from types import SimpleNamespace

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.catalog import Catalogues
from egovplan.document import PlanMetadata
from egovplan.indicator import Indicator, Observation, StatedRank
from egovplan.labels import Labels
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.ranks import rank_rules
from egovplan.validation import Context, default_registry, validate

Y2017 = Period.year(2017)


def test_indicator_fields_and_defaults() -> None:
    indicator = Indicator(id="x", names=Labels(vi="X", en="X"), unit="percent")
    assert indicator.higher_is_better is True
    assert indicator.framework is None
    assert indicator.group is None
    assert hash(indicator) == hash(attrs.evolve(indicator))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"id": ""}, ValueError, "Indicator.id must be a non-empty id"),
        ({"id": " x"}, ValueError, "Indicator.id"),
        ({"names": {"en": "X"}}, TypeError, "Indicator.names must be Labels"),
        ({"unit": 3}, TypeError, "Indicator.unit must be str"),
        ({"higher_is_better": 1}, TypeError, "Indicator.higher_is_better must be bool"),
        ({"group": ""}, ValueError, "Indicator.group"),
    ],
)
def test_indicator_rejects(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    fields: dict[str, object] = {"id": "x", "names": Labels(en="X"), "unit": "percent"}
    fields.update(kwargs)
    with pytest.raises(error, match=message):
        Indicator(**fields)  # type: ignore[arg-type]


def test_observation_converts_exact_numbers_and_refuses_floats() -> None:
    observation = Observation(
        indicator="i", subject="s", period=Y2017, value=5, score="5.52", rank=7, ranked=63
    )
    assert observation.value == Decimal(5)
    assert observation.score == Decimal("5.52")
    with pytest.raises(TypeError, match=r"Observation\.value .*float"):
        Observation(indicator="i", subject="s", period=Y2017, value=5.52)
    with pytest.raises(ValueError, match=r"Observation\.score must be a finite number"):
        Observation(indicator="i", subject="s", period=Y2017, score=Decimal("NaN"))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"rank": True}, TypeError, "Observation.rank must be int"),
        ({"rank": 2.0}, TypeError, "Observation.rank must be int"),
        ({"period": 2017}, TypeError, "Observation.period must be Period"),
        ({"subject": ""}, ValueError, "Observation.subject"),
    ],
)
def test_observation_rejects(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    fields: dict[str, object] = {"indicator": "i", "subject": "s", "period": Y2017}
    fields.update(kwargs)
    with pytest.raises(error, match=message):
        Observation(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("observation", "stated", "found"),
    [
        ({"rank": 0}, {}, [("observations[0].rank", "0 is not a rank")]),
        ({"ranked": 0}, {}, [("observations[0].ranked", "0 is not a rank")]),
        ({"rank": 64, "ranked": 63}, {}, [("observations[0].ranked", "beyond the 63")]),
        ({}, {"previous": 0}, [("stated_ranks[0].previous", "0 is not a rank")]),
        ({}, {"rank": -2}, [("stated_ranks[0].rank", "-2 is not a rank")]),
        ({"rank": 63, "ranked": 63}, {"rank": 1, "previous": 2}, []),
    ],
)
def test_impossible_ranks_build_and_validation_reports_them(
    observation: dict[str, int], stated: dict[str, int], found: list[tuple[str, str]]
) -> None:
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Y2017,
        observations=(Observation(indicator="i", subject="s", period=Y2017, **observation),),
        stated_ranks=(StatedRank(indicator="i", subject="s", period=Y2017, **stated),),
    )
    issues = [issue for issue in validate(plan) if issue.code == "EGP703"]
    assert [issue.path for issue in issues] == [path for path, _ in found]
    for issue, (_, words) in zip(issues, found, strict=True):
        assert words in issue.message
        assert issue.message.startswith("i (s): ")


def test_stated_rank_direction_and_implied_previous() -> None:
    up = StatedRank(indicator="i", subject="s", period=Y2017, rank=4, change=6)
    assert (up.direction, up.implied_previous) == ("up", 10)
    same = StatedRank(indicator="i", subject="s", period=Y2017, change=0)
    assert (same.direction, same.implied_previous) == ("same", None)
    assert StatedRank(indicator="i", subject="s", period=Y2017, rank=3).direction is None
    with pytest.raises(TypeError, match=r"StatedRank\.change must be int"):
        StatedRank(indicator="i", subject="s", period=Y2017, change=Decimal(2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"StatedRank\.compared_to must be Period"):
        StatedRank(indicator="i", subject="s", period=Y2017, compared_to=2016)  # type: ignore[arg-type]


ids = st.from_regex(r"[a-z][a-z0-9.\-]{0,15}", fullmatch=True)
decimals = st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6
)


@st.composite
def observations(draw: st.DrawFn) -> Observation:
    ranked = draw(st.none() | st.integers(min_value=1, max_value=100))
    top = 100 if ranked is None else ranked
    return Observation(
        indicator=draw(ids),
        subject=draw(ids),
        period=Period.year(draw(st.integers(min_value=2000, max_value=2030))),
        value=draw(st.none() | decimals),
        score=draw(st.none() | decimals),
        rank=draw(st.none() | st.integers(min_value=1, max_value=top)),
        ranked=ranked,
    )


@settings(max_examples=100)
@given(observations())
def test_observations_round_trip_through_evolve_and_pickle(observation: Observation) -> None:
    assert attrs.evolve(observation) == observation
    assert pickle.loads(pickle.dumps(observation)) == observation
    assert hash(pickle.loads(pickle.dumps(observation))) == hash(observation)
    if observation.rank is not None and observation.ranked is not None:
        assert 1 <= observation.rank <= observation.ranked


def _plan(observations: tuple[Observation, ...]) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="ICT-Index plan"),
        period=Period.year(2018),
        observations=observations,
    )


def test_rule_egp702_repeated_observation_with_other_value() -> None:
    registry = default_registry().with_rules(*rank_rules(), replace=True)
    plan = _plan(
        (
            Observation(indicator="ict", subject="lao-cai", period=Y2017, rank=7),
            Observation(indicator="ict", subject="lao-cai", period=Y2017, rank=7, ranked=63),
            Observation(indicator="ict", subject="lao-cai", period=Y2017, rank=8),
        )
    )
    report = validate(plan, ruleset=["EGP702"], registry=registry)
    (issue,) = report.issues
    assert issue.path == "observations[2].rank"
    assert issue.message == (
        "ict (lao-cai, 2017) is observed again with rank 8 (first: 7, at observations[0])"
    )
    vi = validate(plan, ruleset=["EGP702"], registry=registry, locale="vi")
    assert vi.issues[0].message.startswith("ict (lao-cai, 2017) được nêu lại với thứ hạng 8")


def test_rule_egp701_reads_stated_ranks_of_the_plan() -> None:
    (rule,) = [r for r in rank_rules() if r.code == "EGP701"]
    observations = (
        Observation(indicator="ict.infra.society", subject="lc", period=Period.year(2016), rank=15),
        Observation(indicator="ict.infra.society", subject="lc", period=Y2017, rank=13),
    )
    stated = (
        StatedRank(indicator="ict.infra.society", subject="lc", period=Y2017, rank=15, change=2),
        StatedRank(
            indicator="ict.infra.society",
            subject="lc",
            period=Y2017,
            rank=13,
            change=2,
            previous=16,
        ),
    )
    plan = SimpleNamespace(observations=observations, stated_ranks=stated)
    context = Context(plan, catalogues=Catalogues.default(), locale="en")  # type: ignore[arg-type]
    findings = list(rule.check(plan, context))  # type: ignore[arg-type]
    assert [(f.path, f.variant) for f in findings] == [
        ("stated_ranks[0].rank", None),
        ("stated_ranks[1].change", "statement"),
        ("stated_ranks[1].previous", None),
    ]
    assert findings[0].values["stated"] == "15th"
    assert findings[0].values["computed"] == "13th"
    # a plan without stated ranks gives nothing
    assert list(rule.check(_plan(observations), context)) == []
