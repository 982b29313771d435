from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from egovplan.frameworks import Framework, Group, Reference, framework
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.objective import Baseline, Comparator, Target
from egovplan.period import Period
from egovplan.progress import (
    Normalisation,
    ProgressError,
    Status,
    Thresholds,
    attainment,
    attainment_by_level,
    composite_scores,
)
from egovplan.units import UnitError

D = Decimal


def target(
    comparator: Comparator,
    value: int | str | None,
    *,
    upper: int | None = None,
    unit: str = "percent",
    deadline: int | None = 2020,
    baseline: tuple[int | str, int] | None = None,
) -> Target:
    return Target(
        id="t",
        measure="m",
        comparator=comparator,
        value=value,
        upper=upper,
        unit=unit,
        deadline=deadline,
        baseline=None if baseline is None else Baseline(value=baseline[0], year=baseline[1]),
    )


# -- every comparator ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "value", "upper", "base", "latest", "achieved", "percent"),
    [
        (Comparator.GE, 90, None, 80, "90", True, D(100)),
        (Comparator.GE, 90, None, 80, "85", False, D(50)),
        (Comparator.GT, 50, None, 40, "50", False, D(100)),  # the point, but not beyond it
        (Comparator.GT, 50, None, 40, "50.5", True, D(105)),
        (Comparator.EQ, 100, None, 60, "100", True, D(100)),
        (Comparator.EQ, 100, None, 60, "92", False, D(80)),
        (Comparator.LE, 20, None, 60, "40", False, D(50)),  # must fall from 60 to 20
        (Comparator.LE, 20, None, 60, "20", True, D(100)),
        (Comparator.LT, 20, None, 60, "20", False, D(100)),
        (Comparator.LT, 20, None, 60, "19", True, D("102.5")),
        (Comparator.BETWEEN, 88, 90, 60, "88", True, D(100)),  # from below: the goal is 88
        (Comparator.BETWEEN, 88, 90, 60, "90", True, D("107.1428571428571428571428571428571")),
        (Comparator.BETWEEN, 88, 90, 60, "74", False, D(50)),
        (Comparator.BETWEEN, 88, 90, 60, "91", False, D("110.7142857142857142857142857142857")),
    ],
)
def test_every_comparator(
    comparator: Comparator,
    value: int,
    upper: int | None,
    base: int,
    latest: str,
    achieved: bool,
    percent: Decimal,
) -> None:
    t = target(comparator, value, upper=upper, baseline=(base, 2016))
    result = attainment(t, D(latest), year=2018)
    assert result.achieved is achieved
    assert result.percent == percent
    if achieved:
        assert result.status is Status.ACHIEVED
        assert result.rate_needed == 0
    else:
        assert result.status is not Status.ACHIEVED
        assert result.rate_needed == (result.goal - D(latest)) / 2


def test_range_above_aims_at_the_upper_bound() -> None:
    t = target(Comparator.BETWEEN, 88, upper=90, baseline=(100, 2016))
    result = attainment(t, D(95), year=2018)
    assert result.goal == 90
    assert result.percent == 50
    assert result.rate_needed == D("-2.5")


def test_rank_target_uses_the_rank_and_lower_is_better() -> None:
    t = target(Comparator.LE, 10, unit="rank", baseline=(15, 2016))
    obs = Observation(indicator="ict", subject="lc", period=Period.year(2018), rank=12, ranked=63)
    result = attainment(t, obs)
    assert result.year == 2018
    assert result.latest == 12
    assert result.percent == 60
    assert result.status is Status.ON_TRACK
    assert result.rate_needed == -1
    better = attainment(
        t, Observation(indicator="ict", subject="lc", period=Period.year(2019), rank=9)
    )
    assert better.achieved
    worse = attainment(t, 17, year=2018)
    assert worse.percent == -40
    assert worse.status is Status.OFF_TRACK
    assert "top" not in worse.describe("en")
    assert worse.describe("en").startswith("17th in 2018, target ≤ 10th by 2020: off track")


def test_baseline_already_meeting_the_target() -> None:
    t = target(Comparator.GE, 50, baseline=(70, 2016))
    assert attainment(t, D(65), year=2018).percent == 100
    lost = attainment(t, D(45), year=2018)
    assert lost.percent == 0
    assert not lost.achieved


# -- statuses and thresholds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "as_of", "status"),
    [
        ("100", 2018, Status.ACHIEVED),
        ("75", 2018, Status.ON_TRACK),  # expected 50 % by 2018, has 50 % -> 100 % of expected
        ("68", 2018, Status.AT_RISK),  # 36 % of the way: 72 % of expected
        ("60", 2018, Status.OFF_TRACK),  # 20 %: 40 % of expected
        ("99", 2020, Status.OFF_TRACK),  # the deadline has come
        ("99", 2025, Status.OFF_TRACK),
        ("45", 2016, Status.AT_RISK),  # baseline year, moving away
        ("55", 2016, Status.ON_TRACK),  # baseline year, nothing expected yet
    ],
)
def test_status(latest: str, as_of: int, status: Status) -> None:
    t = target(Comparator.GE, 100, deadline=2020, baseline=(50, 2016))
    assert attainment(t, D(latest), year=as_of).status is status


def test_expected_progress_and_thresholds_are_configurable() -> None:
    t = target(Comparator.GE, 100, deadline=2020, baseline=(50, 2016))
    result = attainment(t, D(68), year=2018)
    assert result.expected_percent == 50
    assert result.percent == 36
    strict = Thresholds(on_track=100, at_risk=80)
    assert attainment(t, D(74), year=2018, thresholds=strict).status is Status.AT_RISK
    lenient = Thresholds(on_track=70, at_risk=10)
    assert attainment(t, D(68), year=2018, thresholds=lenient).status is Status.ON_TRACK
    # as_of later than the observation: the same value is further behind
    assert attainment(t, D(75), year=2018, as_of=2019).status is Status.AT_RISK


def test_unknown_without_baseline_or_deadline() -> None:
    assert attainment(target(Comparator.GE, 90), D(50), year=2018).status is Status.UNKNOWN
    no_deadline = target(Comparator.GE, 90, deadline=None, baseline=(50, 2016))
    result = attainment(no_deadline, D(70), year=2018)
    assert result.status is Status.UNKNOWN
    assert result.percent == 50
    assert result.rate_needed is None
    assert attainment(no_deadline, D(95), year=2018).status is Status.ACHIEVED


def test_baseline_argument_overrides_the_targets() -> None:
    t = target(Comparator.GE, 100, baseline=(50, 2016))
    result = attainment(t, D(75), year=2018, baseline=Baseline(value=0, year=2015))
    assert result.percent == 75
    assert result.baseline_year == 2015


def test_rate_needed_per_year_from_as_of() -> None:
    t = target(Comparator.GE, 100, deadline=2025, baseline=(40, 2020))
    assert attainment(t, D(70), year=2022).rate_needed == 10
    assert attainment(t, D(70), year=2022, as_of=2023).rate_needed == 15
    assert attainment(t, D(70), year=2022, as_of=2025).rate_needed is None


def test_thresholds_validation() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        Thresholds(on_track=-1, at_risk=-2)
    with pytest.raises(TypeError, match="float"):
        Thresholds(on_track=0.9)  # type: ignore[arg-type]


# -- per level -------------------------------------------------------------------------------


def test_per_level_targets_level_by_level() -> None:
    t = Target(
        id="dossiers-online",
        measure="work dossiers processed online",
        comparator=Comparator.GE,
        by_level=(("province", 100), ("district", 80), ("commune", 60)),
        unit="percent",
        deadline=2025,
        baseline=Baseline(value=20, year=2021),
    )
    results = attainment_by_level(
        t,
        {"commune": D(40), "province": D(100), "district": D(50)},
        year=2023,
        baselines={"district": Baseline(value=10, year=2021)},
    )
    assert [r.level for r in results] == ["province", "district", "commune"]
    province, district, commune = results
    assert province.status is Status.ACHIEVED
    assert district.goal == 80
    assert district.baseline == 10
    assert district.percent == D("57.14285714285714285714285714285714")  # 400 / 7
    assert district.status is Status.ON_TRACK
    assert commune.percent == 50
    assert commune.rate_needed == 10
    assert district.describe("en").startswith("level district: 50% in 2023")
    assert commune.describe("vi").startswith("cấp commune: 40% năm 2023, mục tiêu ≥ 60%")
    with pytest.raises(ProgressError, match="per level"):
        attainment(t, D(50), year=2023)
    with pytest.raises(ProgressError, match="no levels \\['ward'\\]"):
        attainment_by_level(t, {"ward": D(1)}, year=2023)
    with pytest.raises(ProgressError, match="no value for level 'ward'"):
        attainment(t, D(1), year=2023, level="ward")
    with pytest.raises(ProgressError, match="not stated per level"):
        attainment_by_level(target(Comparator.GE, 1), {}, year=2023)


# -- units -----------------------------------------------------------------------------------


def test_units_are_checked_not_silently_compared() -> None:
    t = target(Comparator.GE, 90, baseline=(50, 2016))
    with pytest.raises(
        UnitError,
        match=r"in percent but the observation is in per_100_inhabitants.*cannot be compared",
    ):
        attainment(t, D(70), year=2018, unit="per_100_inhabitants")
    indicator = Indicator(
        id="internet", names=Labels(en="Internet subscribers"), unit="per_100_inhabitants"
    )
    with pytest.raises(UnitError):
        attainment(t, D(70), year=2018, indicator=indicator)
    assert attainment(t, D(70), year=2018, unit="percent").percent == 50


def test_units_of_the_same_dimension_are_converted() -> None:
    t = target(Comparator.GE, 4, unit="mbps_per_civil_servant", baseline=(2, 2016), deadline=2020)
    result = attainment(t, D(3), year=2018, unit="mbps_per_official")
    assert result.percent == 50
    per_percent = target(Comparator.GE, 2, unit="per_civil_servant", baseline=(1, 2016))
    with pytest.raises(UnitError):
        attainment(per_percent, D(1), year=2018, unit="percent")


def test_observation_without_value_and_bad_inputs() -> None:
    t = target(Comparator.GE, 90)
    empty = Observation(indicator="i", subject="s", period=Period.year(2018), rank=3)
    with pytest.raises(ProgressError, match="has no value"):
        attainment(t, empty)
    with pytest.raises(ProgressError, match="year of the latest value"):
        attainment(t, D(3))
    with pytest.raises(TypeError, match="float"):
        attainment(t, 3.5, year=2018)  # type: ignore[arg-type]


def test_describe_both_locales() -> None:
    t = target(Comparator.GE, 90, baseline=("84.1", 2017), deadline=2020)
    result = attainment(t, D("87.05"), year=2018)
    assert result.describe("en") == (
        "87.05% in 2018, target ≥ 90% by 2020: on track; 50% of the way from 84.1 (2017);"
        " needs 1.475 per year"
    )
    assert result.describe("vi") == (
        "87,05% năm 2018, mục tiêu ≥ 90% đến năm 2020: đúng tiến độ;"
        " đạt 50% chặng đường từ 84,1 (2017); cần 1,475 mỗi năm"
    )
    ranged = attainment(target(Comparator.BETWEEN, 88, upper=90), D(89), year=2018)
    assert "target 88–90%" in ranged.describe("en")
    count = Target(
        id="c",
        measure="databases",
        comparator=Comparator.GE,
        value=13,
        unit="databases",
        deadline=2020,
    )
    assert "target ≥ 13 databases by 2020" in attainment(count, 5, year=2018).describe("en")


# -- properties of attainment ----------------------------------------------------------------

values = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=100, deadline=None)
@given(values, values, values, st.sampled_from([Comparator.GE, Comparator.LE, Comparator.EQ]))
def test_percent_is_0_at_baseline_and_100_at_goal(
    base: Decimal, goal: Decimal, latest: Decimal, comparator: Comparator
) -> None:
    t = target(comparator, str(goal), baseline=(str(base), 2016))
    assume(not comparator.holds(base, goal))
    assert attainment(t, base, year=2018).percent == 0
    assert attainment(t, goal, year=2018).percent == 100
    result = attainment(t, latest, year=2018)
    assert result.achieved is comparator.holds(latest, goal)
    # closer to the goal is more of the way
    if abs(latest - goal) < abs(base - goal):
        assert result.percent is not None
        assert result.percent > 0


# -- composites ------------------------------------------------------------------------------

P = Period.year(2024)


def obs(indicator: str, subject: str, value: Decimal | int | str) -> Observation:
    return Observation(indicator=indicator, subject=subject, period=P, value=D(value))


def test_egdi_is_the_mean_of_its_three_components() -> None:
    egdi = framework("un-egdi")
    data = [
        obs("egdi.osi", "vn", "0.7854"),
        obs("egdi.tii", "vn", "0.6210"),
        obs("egdi.hci", "vn", "0.7036"),
        obs("egdi.osi", "dk", "0.9979"),
        obs("egdi.tii", "dk", "0.9929"),
        obs("egdi.hci", "dk", "0.9573"),
    ]
    for method in ("none", "reference"):
        result = composite_scores(egdi, data, period=P, normalisation=method, places=4)
        assert result.score("egdi", "vn") == D("0.7033")  # (0.7854+0.6210+0.7036)/3
        assert result.score("egdi", "dk") == D("0.9827")
        assert result.normalisation is Normalisation(method)
    ranks = composite_scores(egdi, data, period=P, normalisation="none").ranks("egdi")
    assert [(o.subject, o.rank, o.ranked) for o in ranks] == [("dk", 1, 2), ("vn", 2, 2)]


def _small() -> Framework:
    return Framework(
        id="small",
        names=Labels(en="small"),
        root="r",
        groups=(
            Group(id="r", names=Labels(en="r")),
            Group(id="g", names=Labels(en="g"), parent="r"),
            Group(id="s", names=Labels(en="s"), parent="r", aggregation="weighted_sum"),
        ),
        indicators=(
            Indicator(id="a", names=Labels(en="a"), unit="percent", group="g"),
            Indicator(
                id="b", names=Labels(en="b"), unit="count", group="g", higher_is_better=False
            ),
            Indicator(id="c", names=Labels(en="c"), unit="score", group="s"),
        ),
        weights=(("a", D(3)), ("b", D(1)), ("g", D(1)), ("s", D(1))),
        references=(
            ("a", Reference(low=0, high=100)),
            ("b", Reference(low=0, high=10)),
            ("c", Reference(low=0, high=1)),
        ),
    )


def test_min_max_and_lower_is_better() -> None:
    data = [
        obs("a", "x", 10),
        obs("a", "y", 50),
        obs("a", "z", 30),
        obs("b", "x", 2),
        obs("b", "y", 6),
        obs("b", "z", 6),
        obs("c", "x", 1),
        obs("c", "y", 1),
        obs("c", "z", 1),
    ]
    result = composite_scores(_small(), data, period=P)
    assert result.score("a", "z") == D("0.5")
    assert result.score("b", "x") == 1  # fewest is best
    assert result.score("b", "y") == 0
    assert result.score("c", "x") == 1  # all equal: 1
    assert result.score("g", "x") == D("0.25")  # (3*0 + 1*1)/4
    assert result.score("g", "y") == D("0.75")
    assert result.score("s", "y") == 1  # weighted sum of one child of weight 1
    assert result.score("r", "y") == D("0.875")


def test_reference_normalisation_clips_and_needs_references() -> None:
    data = [obs("a", "x", 150), obs("b", "x", 12), obs("c", "x", "0.5")]
    result = composite_scores(_small(), data, period=P, normalisation="reference")
    assert result.score("a", "x") == 1  # clipped at high
    assert result.score("b", "x") == 0  # 12 is past the worst goalpost
    mine = composite_scores(
        _small(),
        data,
        period=P,
        normalisation="reference",
        references={"a": Reference(low=0, high=300)},
    )
    assert mine.score("a", "x") == D("0.5")
    ict = framework("vn-ict-index-2016")
    with pytest.raises(ProgressError, match="no reference values"):
        composite_scores(
            ict,
            [obs("ict.hr.society.adult_literacy", "x", 93)],
            period=P,
            normalisation="reference",
        )


def test_missing_children_are_left_out_and_coverage_reported() -> None:
    data = [obs("a", "x", 10), obs("a", "y", 50), obs("b", "y", 3)]
    result = composite_scores(_small(), data, period=P)
    x_group = next(s for s in result.scores if s.node == "g" and s.subject == "x")
    assert x_group.score == 0
    assert x_group.coverage == D("0.75")
    assert result.score("s", "x") is None
    assert result.score("nothing", "x") is None
    assert result.subjects() == ("x", "y")


def test_other_periods_groups_and_fields() -> None:
    data = [
        obs("a", "x", 10),
        Observation(indicator="a", subject="y", period=Period.year(2023), value=D(99)),
        Observation(indicator="g", subject="x", period=P, value=D(5)),  # groups are computed
        Observation(indicator="a", subject="y", period=P, score=D(7)),
    ]
    by_value = composite_scores(_small(), data, period=P)
    assert by_value.subjects() == ("x",)
    by_score = composite_scores(_small(), data, period=P, field="score")
    assert by_score.subjects() == ("y",)
    with pytest.raises(ValueError, match="field must be"):
        composite_scores(_small(), data, period=P, field="rank")
    with pytest.raises(ValueError, match="places"):
        composite_scores(_small(), data, period=P, places=-1)
    with pytest.raises(ValueError, match="median"):
        composite_scores(_small(), data, period=P, normalisation="median")


ICT = framework("vn-ict-index-2016")
SUBJECTS = ("lao-cai", "ha-giang", "yen-bai", "lai-chau")
amounts = st.decimals(min_value=0, max_value=1000, places=2)


@st.composite
def ict_observations(draw: st.DrawFn) -> list[Observation]:
    out = []
    for indicator in ICT.indicators:
        for subject in SUBJECTS:
            if draw(st.integers(min_value=0, max_value=9)) > 0:  # some gaps
                out.append(obs(indicator.id, subject, draw(amounts)))
    return out


@settings(max_examples=25, deadline=None)
@given(
    ict_observations(),
    st.sampled_from(["min_max", "none"]),
    st.dictionaries(
        st.sampled_from([n for n in ICT.walk() if n != "ict"]),
        st.integers(min_value=0, max_value=9),
        max_size=10,
    ),
    st.decimals(min_value="0.01", max_value=1000, places=2),
)
def test_scaling_all_weights_changes_nothing(
    data: list[Observation], method: str, weights: dict[str, int], factor: Decimal
) -> None:
    weighted = ICT.with_weights(weights)
    scaled = ICT.with_weights({node: weighted.weight(node) * factor for node in ICT.walk()})
    first = composite_scores(weighted, data, period=P, normalisation=method)
    second = composite_scores(scaled, data, period=P, normalisation=method)
    assert first.scores == second.scores
    # reproducible: the same data and weights give the same scores
    assert composite_scores(weighted, data, period=P, normalisation=method) == first


@settings(max_examples=25, deadline=None)
@given(
    ict_observations(),
    st.sampled_from(["min_max", "none"]),
    st.data(),
)
def test_improving_one_indicator_never_lowers_a_composite(
    data: list[Observation], method: str, draw: st.DataObject
) -> None:
    assume(data)
    index = draw.draw(st.integers(min_value=0, max_value=len(data) - 1))
    gain = draw.draw(st.decimals(min_value=0, max_value=500, places=2))
    changed = list(data)
    old = changed[index]
    assert old.value is not None
    changed[index] = obs(old.indicator, old.subject, old.value + gain)
    before = composite_scores(ICT, data, period=P, normalisation=method)
    after = composite_scores(ICT, changed, period=P, normalisation=method)
    for node in ICT.path(old.indicator):
        was, now = before.score(node, old.subject), after.score(node, old.subject)
        assert was is not None
        assert now is not None
        assert now >= was


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SUBJECTS), amounts), min_size=1, max_size=12))
def test_normalised_scores_lie_in_0_1_and_ranks_are_consistent(
    rows: list[tuple[str, Decimal]],
) -> None:
    data = [obs("egdi.osi", subject, value) for subject, value in rows]
    result = composite_scores(framework("un-egdi"), data, period=P)
    for score in result.scores:
        assert 0 <= score.score <= 1
    ranked = result.ranks("egdi")
    assert [o.rank for o in ranked] == sorted(o.rank for o in ranked if o.rank is not None)
    for better, worse in itertools.pairwise(ranked):
        assert better.score is not None
        assert worse.score is not None
        assert better.score >= worse.score
        assert (better.rank == worse.rank) is (better.score == worse.score)
