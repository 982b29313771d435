r"""Progress toward targets, and composite scores of indicator frameworks.

Attainment
----------
:func:`attainment` compares the latest observation of a
:class:`~egovplan.objective.Target` with its baseline and its value:

- **percent of the way** from the baseline to the target's *goal*: ``100 × (latest −
  baseline) / (goal − baseline)``. The goal is the target's value (for a range, the bound
  nearer to the baseline), so the formula works both ways: a share that must rise, a
  waiting time or a rank that must fall (``comparator=le, value=10, unit="rank"``: from
  15th to 12th is 60 % of the way to the top 10). It is not clipped: above 100 means
  beyond the goal, below 0 means moving away. A baseline that already met the target
  gives 100 while it is still met, else 0.
- **achieved**: the comparator holds for the latest value (``> 50`` is not achieved by
  exactly 50, although that is 100 % of the way).
- **status**, with :class:`Thresholds` (configurable):

  1. ``achieved`` when achieved;
  2. ``off_track`` when the deadline year has come (``as_of >= deadline``) and it is not;
  3. ``unknown`` without a baseline or a deadline after the baseline year (no path to
     compare with);
  4. otherwise the progress is compared with the *expected* progress of a straight
     line from the baseline (in its year) to the goal (in the deadline year): at least
     ``on_track`` % of the expected progress (default 90) is ``on_track``, at least
     ``at_risk`` % (default 50) is ``at_risk``, less is ``off_track``. In the baseline
     year itself nothing is expected yet: progress >= 0 is on track.

- **rate needed**: ``(goal − latest) / (deadline − as_of)`` per year, in the target's
  unit (negative when the value must fall; for ranks, a rank number per year); ``0`` when
  achieved, ``None`` when the deadline has come or is unknown.

Per-level targets (``by_level``) are evaluated level by level with
:func:`attainment_by_level`. Units are checked: an observation in ``per_100_inhabitants``
compared with a target in ``percent`` raises :class:`~egovplan.units.UnitError`; units of
the same dimension are converted exactly.

>>> from egovplan.objective import Baseline, Comparator, Target
>>> target = Target(id="schools-it", measure="schools teaching informatics",
...                 comparator=Comparator.GE, value=90, unit="percent", deadline=2020,
...                 baseline=Baseline(value=Decimal("84.1"), year=2017))
>>> result = attainment(target, Decimal("87.05"), year=2018)
>>> result.percent, result.status, result.rate_needed
(Decimal('50'), <Status.ON_TRACK: 'on_track'>, Decimal('1.475'))
>>> print(result.describe("en").replace("; ", "\n"))
87.05% in 2018, target ≥ 90% by 2020: on track
50% of the way from 84.1 (2017)
needs 1.475 per year

Composite scores
----------------
:func:`composite_scores` aggregates normalised indicator values up a framework's tree:

- **normalisation** of each indicator across the subjects observed in the period:
  ``min_max`` maps the lowest value to 0 and the highest to 1 (all equal: 1);
  ``reference`` maps the indicator's :class:`~egovplan.frameworks.Reference` values
  ``low`` to 0 and ``high`` to 1, clipping outside; both turn round for indicators where
  lower is better. ``none`` uses the values as they are (already normalised, as the
  EGDI's components).
- **aggregation** per group (:class:`~egovplan.frameworks.Aggregation`): weighted mean
  over the children that have a score (the weights of missing children are left out,
  and :attr:`CompositeScore.coverage` says how much weight was present), weighted sum,
  or none.

The arithmetic is exact (rational numbers) and only the results are rounded, to
``places`` decimals (half to even): scaling every weight by the same factor changes
nothing, and improving one indicator never lowers a composite.

>>> from egovplan.frameworks import framework
>>> from egovplan.indicator import Observation
>>> from egovplan.period import Period
>>> obs = [Observation(indicator=i, subject="vn", period=Period.year(2024), value=Decimal(v))
...        for i, v in (("egdi.osi", "0.8"), ("egdi.tii", "0.6"), ("egdi.hci", "0.7"))]
>>> egdi = composite_scores(framework("un-egdi"), obs, period=Period.year(2024),
...                         normalisation="none")
>>> egdi.score("egdi", "vn")
Decimal('0.700000')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _decimal
from egovplan import _fields as f
from egovplan._data import load_data, pick_locale
from egovplan._decimal import in_own_context, methods_in_own_context
from egovplan.errors import EgovplanError, FieldTypeError
from egovplan.indicator import Indicator, Observation
from egovplan.objective import RANK, Baseline, Comparator, Target
from egovplan.period import Period

if TYPE_CHECKING:
    from egovplan.frameworks import Framework, Reference

__all__ = [
    "Attainment",
    "Composite",
    "CompositeScore",
    "Normalisation",
    "ProgressError",
    "Status",
    "Thresholds",
    "attainment",
    "attainment_by_level",
    "composite_scores",
]

_HUNDRED: Final = Decimal(100)
# Divisions of progress run in this context, never the ambient one.
_CONTEXT: Final = _decimal.context(34)
# Wide enough to write any whole number of that context in full (model numbers lie within
# 1E-1000..1E+1000; a ratio of two of them times 100 stays below 1E+2003).
_WIDE: Final = _decimal.context(34 + 3 * f.MAX_EXPONENT)


class ProgressError(EgovplanError, ValueError):
    """Progress cannot be computed: no value to compare, no reference values, ..."""


def _data() -> Mapping[str, Any]:
    return load_data("progress.toml")


def _words(locale: str) -> Mapping[str, str]:
    words: Mapping[str, str] = pick_locale(_data(), locale)
    return words


class Status(enum.StrEnum):
    """Where a target stands (see the module docstring for how it is decided)."""

    @classmethod
    def _missing_(cls, value: object) -> Status:
        raise f.unknown_member(cls, value)

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    UNKNOWN = "unknown"

    def label(self, locale: str = "en") -> str:
        """The status in words (``"on track"``, ``"đúng tiến độ"``).

        >>> Status.AT_RISK.label("vi")
        'có nguy cơ chậm'
        """
        return _words(locale)[self.value]


def _check_share(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.decimal(inst, attribute, value)
    if value < 0:
        raise f.field_value_error(inst, attribute, f"must not be negative, got {value}")


def _check_at_risk(inst: Thresholds, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_share(inst, attribute, value)
    if value > inst.on_track:
        raise f.field_value_error(
            inst, attribute, f"{value} must not be above on_track {inst.on_track}"
        )


@attrs.frozen(kw_only=True)
class Thresholds:
    """How much of the expected progress counts as on track or at risk, in percent.

    Attributes:
        on_track: at least this share of the expected progress is on track (default 90).
        at_risk: at least this share (and less than ``on_track``) is at risk (default
            50); less is off track.

    >>> Thresholds(on_track=100, at_risk=75).at_risk
    Decimal('75')
    >>> Thresholds(on_track=50, at_risk=60)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: Thresholds.at_risk 60 must not be above on_track 50
    """

    on_track: Decimal = attrs.field(
        default=Decimal(90), converter=f.to_decimal, validator=_check_share
    )
    at_risk: Decimal = attrs.field(
        default=Decimal(50), converter=f.to_decimal, validator=_check_at_risk
    )


def _to_comparator(value: Any) -> Any:
    return f.to_member(Comparator, value)


f.member_converters(_to_comparator)


def _to_status(value: Any) -> Any:
    return f.to_member(Status, value)


f.member_converters(_to_status)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Attainment:
    """How far a target is reached (see :func:`attainment`).

    Attributes:
        target: the target's id.
        level: the administrative level, for a per-level target.
        comparator: the target's comparator (the level's, for a per-level target).
        goal: the value aimed at (the nearer bound, for a range).
        upper: the upper bound of a range.
        unit: the target's unit.
        baseline: the starting value, if known.
        baseline_year: its year, if the baseline states one.
        latest: the latest observed value, in the target's unit.
        year: the year of the latest value.
        as_of: the year progress is assessed in.
        deadline: the target's deadline year.
        achieved: whether the comparator holds for ``latest``.
        percent: percent of the way from the baseline to the goal (not clipped).
        expected_percent: where a straight line from baseline to goal would be by
            ``as_of``.
        status: achieved, on track, at risk, off track or unknown.
        rate_needed: the change per year still needed, from ``as_of`` to the deadline.
    """

    target: str
    level: str | None
    comparator: Comparator = attrs.field(converter=_to_comparator, validator=f.member(Comparator))
    goal: Decimal
    upper: Decimal | None
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    latest: Decimal
    year: int
    as_of: int
    deadline: int | None
    achieved: bool
    percent: Decimal | None
    expected_percent: Decimal | None
    status: Status = attrs.field(converter=_to_status, validator=f.member(Status))
    rate_needed: Decimal | None

    def describe(self, locale: str = "en") -> str:
        r"""The attainment in one sentence in ``locale`` (numbers formatted for it).

        >>> from egovplan.objective import Baseline, Target
        >>> t = Target(id="top10", measure="ICT-Index rank", comparator=Comparator.LE,
        ...            value=10, unit="rank", deadline=2020,
        ...            baseline=Baseline(value=15, year=2016))
        >>> print(attainment(t, 12, year=2018).describe("vi").replace("; ", "\n"))
        thứ 12 năm 2018, mục tiêu ≤ thứ 10 đến năm 2020: đúng tiến độ
        đạt 60% chặng đường từ thứ 15 (2016)
        cần -1 mỗi năm
        """
        from egovplan.tables import format_number

        words = _words(locale)

        def show(value: Decimal) -> str:
            if self.unit == RANK and value == value.to_integral_value(context=_WIDE):
                from egovplan.ranks import ordinal

                return ordinal(int(value), locale)
            return format_number(_plain(value), locale)

        unit = ""
        if self.unit and self.unit != RANK:
            from egovplan.units import unit_label

            label = unit_label(self.unit, locale)
            unit = label if label == "%" else f" {label}"
        goal = show(self.goal)
        symbol = self.comparator.symbol
        if self.comparator is Comparator.BETWEEN and self.upper is not None:
            goal, symbol = f"{show(self.goal)}–{show(self.upper)}", ""
        text = (
            words["sentence"]
            .format(
                latest=show(self.latest) + unit,
                latest_year=self.year,
                comparator=symbol,
                goal=goal,
                unit=unit,
                deadline=(
                    ""
                    if self.deadline is None
                    else words["by_deadline"].format(deadline=self.deadline)
                ),
                status=self.status.label(locale),
            )
            .replace("  ", " ")
        )
        if self.level is not None:
            text = words["level"].format(level=self.level) + text
        if self.percent is not None and self.baseline is not None:
            text += words["progress"].format(
                percent=format_number(
                    self.percent, locale, 1 if _has_fraction(self.percent) else 0
                ),
                baseline=show(self.baseline),
                baseline_year=self.baseline_year,
            )
        if self.rate_needed is not None and not self.achieved:
            text += words["rate"].format(rate=format_number(_plain(self.rate_needed), locale))
        return text


def _has_fraction(value: Decimal) -> bool:
    return value != value.to_integral_value(context=_WIDE)


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or exponent notation (``5E+1`` -> ``50``)."""
    if value == value.to_integral_value(context=_WIDE):
        return value.quantize(Decimal(1), context=_WIDE)
    return value.normalize(_CONTEXT)


def _goal(
    comparator: Comparator, value: Decimal, upper: Decimal | None, baseline: Decimal | None
) -> Decimal:
    if comparator is Comparator.BETWEEN and upper is not None and baseline is not None:
        return upper if baseline > upper else value
    return value


def _latest_value(
    latest: Observation | Decimal | int, target: Target, year: int | None
) -> tuple[Decimal, int]:
    if isinstance(latest, Observation):
        number = latest.rank if target.unit == RANK else latest.value
        if number is None:
            what = "rank" if target.unit == RANK else "value"
            raise ProgressError(
                f"the observation of {latest.indicator!r} ({latest.subject}, {latest.period})"
                f" has no {what} to compare with target {target.id!r}"
            )
        return Decimal(number), latest.period.last_year if year is None else year
    if isinstance(latest, bool) or not isinstance(latest, Decimal | int):
        raise FieldTypeError(
            f"latest must be an Observation, Decimal or int, not {type(latest).__name__}"
        )
    if year is None:
        raise ProgressError(f"the year of the latest value of target {target.id!r} is needed")
    number = f.to_decimal(latest)
    problem = f.number_problem(number)
    if problem is not None:
        raise ProgressError(f"the latest value of target {target.id!r} {problem}")
    return number, year


def _in_target_unit(value: Decimal, unit: str | None, target: Target) -> Decimal:
    if not unit or not target.unit or unit == target.unit:
        return value
    from egovplan.units import UnitError, convert, same_dimension

    if not same_dimension(unit, target.unit):
        raise UnitError(
            f"target {target.id!r} is in {target.unit} but the observation is in {unit}:"
            " they measure different things and cannot be compared",
            name=unit,
        )
    return convert(value, unit, target.unit)


@in_own_context
def attainment(
    target: Target,
    latest: Observation | Decimal | int,
    *,
    year: int | None = None,
    baseline: Baseline | None = None,
    as_of: int | None = None,
    unit: str | None = None,
    indicator: Indicator | None = None,
    level: str | None = None,
    thresholds: Thresholds | None = None,
) -> Attainment:
    """How far ``target`` is reached by its latest observation.

    Args:
        target: the target.
        latest: the latest observation (its rank is used for a ``rank`` target, else its
            value), or the value itself.
        year: the year of ``latest`` (default: the observation's last year; needed for a
            bare value).
        baseline: the starting point (default: the target's own baseline).
        as_of: the year progress is assessed in (default: ``year``).
        unit: the unit of ``latest`` when it differs from the target's; checked and
            converted.
        indicator: the indicator observed; its unit is used when ``unit`` is not given.
        level: the administrative level, for a per-level target (``by_level``).
        thresholds: the status thresholds (default :class:`Thresholds()`).

    Raises:
        ProgressError: the target has no value (at that level), or ``latest`` has no
            value.
        UnitError: the observation's unit does not measure what the target's does.

    >>> from egovplan.objective import Target
    >>> t = Target(id="t", measure="m", comparator=Comparator.GT, value=50, unit="percent")
    >>> attainment(t, 50, year=2020).achieved, attainment(t, Decimal("50.5"), year=2020).achieved
    (False, True)
    """
    if not isinstance(target, Target):
        raise FieldTypeError(f"target must be a Target, not {type(target).__name__}")
    thresholds = Thresholds() if thresholds is None else thresholds
    comparator, upper = target.comparator, target.upper
    if level is not None:
        entry = target.at_level(level)
        if entry is None:
            raise ProgressError(
                f"target {target.id!r} has no value for level {level!r};"
                f" its levels are {list(target.level_values)}"
            )
        value = entry.value
        comparator, upper = target.comparator_at(entry), target.upper_at(entry)
    else:
        if target.value is None:
            hint = " (it is per level: pass level= or use attainment_by_level)"
            raise ProgressError(
                f"target {target.id!r} has no value to compare with"
                + (hint if target.is_per_level else "")
            )
        value = target.value
    if comparator is Comparator.BETWEEN and upper is None:
        raise ProgressError(
            f"target {target.id!r} is a range without an upper bound; validation reports it"
            " (EGP302)"
        )
    number, latest_year = _latest_value(latest, target, year)
    if unit is None and indicator is not None:
        unit = indicator.unit
    number = _in_target_unit(number, unit, target)
    as_of = latest_year if as_of is None else as_of
    base = target.baseline if baseline is None else baseline
    base_value = None if base is None else base.value
    goal = _goal(comparator, value, upper, base_value)
    achieved = comparator.holds(number, value, upper)

    percent: Decimal | None = None
    expected: Decimal | None = None
    if base is not None:
        if comparator.holds(base.value, value, upper) or goal == base.value:
            percent = _HUNDRED if achieved else Decimal(0)
        else:
            percent = _CONTEXT.divide(_HUNDRED * (number - base.value), goal - base.value)
    # Attainment is counted in years: a deadline finer than a year counts as its year.
    deadline = None if target.deadline is None else target.deadline.year
    if base is not None and base.year is not None and deadline is not None and deadline > base.year:
        elapsed = min(max(as_of - base.year, 0), deadline - base.year)
        expected = _CONTEXT.divide(_HUNDRED * elapsed, deadline - base.year)

    if achieved:
        status = Status.ACHIEVED
    elif deadline is not None and as_of >= deadline:
        status = Status.OFF_TRACK
    elif percent is None or expected is None:
        status = Status.UNKNOWN
    elif expected == 0:
        status = Status.ON_TRACK if percent >= 0 else Status.AT_RISK
    else:
        share = _CONTEXT.divide(_HUNDRED * percent, expected)
        if share >= thresholds.on_track:
            status = Status.ON_TRACK
        elif share >= thresholds.at_risk:
            status = Status.AT_RISK
        else:
            status = Status.OFF_TRACK

    rate: Decimal | None = None
    if achieved:
        rate = Decimal(0)
    elif deadline is not None and deadline > as_of:
        rate = _CONTEXT.divide(goal - number, deadline - as_of)

    return Attainment(
        target=target.id,
        level=level,
        comparator=comparator,
        goal=goal,
        upper=upper,
        unit=target.unit,
        baseline=base_value,
        baseline_year=None if base is None else base.year,
        latest=number,
        year=latest_year,
        as_of=as_of,
        deadline=deadline,
        achieved=achieved,
        percent=None if percent is None else _plain(percent),
        expected_percent=None if expected is None else _plain(expected),
        status=status,
        rate_needed=None if rate is None else _plain(rate),
    )


@in_own_context
def attainment_by_level(
    target: Target,
    latest: Mapping[str, Observation | Decimal | int],
    *,
    year: int | None = None,
    baselines: Mapping[str, Baseline] | None = None,
    as_of: int | None = None,
    unit: str | None = None,
    indicator: Indicator | None = None,
    thresholds: Thresholds | None = None,
) -> tuple[Attainment, ...]:
    """Evaluate a per-level target ("100 % province / 80 % district / 60 % commune").

    Args:
        target: a target with ``by_level``.
        latest: level id -> the latest observation or value at that level; levels
            without one are left out of the result.
        year: the year of bare values.
        baselines: level id -> baseline (default: the target's baseline for every level).
        as_of: the year progress is assessed in.
        unit: the unit of the observations, when it differs from the target's.
        indicator: the indicator observed (its unit is used when ``unit`` is not given).
        thresholds: the status thresholds.

    Returns:
        One :class:`Attainment` per level, in the target's level order.

    Raises:
        ProgressError: the target is not per level, or ``latest`` names a level the
            target does not have.

    >>> from egovplan.objective import Target
    >>> t = Target(id="online", measure="dossiers online", comparator=Comparator.GE,
    ...            by_level=(("province", 100), ("district", 80), ("commune", 60)),
    ...            unit="percent", deadline=2025)
    >>> [(a.level, a.status.value) for a in attainment_by_level(
    ...     t, {"province": 100, "district": 70, "commune": 65}, year=2025)]
    [('province', 'achieved'), ('district', 'off_track'), ('commune', 'achieved')]
    """
    if not isinstance(target, Target):
        raise FieldTypeError(f"target must be a Target, not {type(target).__name__}")
    if not isinstance(latest, Mapping):
        raise FieldTypeError(
            f"latest must map level ids to observations or values, not {type(latest).__name__}"
        )
    if not target.is_per_level:
        raise ProgressError(f"target {target.id!r} is not stated per level")
    unknown = sorted(set(latest) - set(target.level_values), key=str)
    if unknown:
        raise ProgressError(
            f"target {target.id!r} has no levels {unknown}; its levels are"
            f" {list(target.level_values)}"
        )
    return tuple(
        attainment(
            target,
            latest[level],
            year=year,
            baseline=None if baselines is None else baselines.get(level),
            as_of=as_of,
            unit=unit,
            indicator=indicator,
            level=level,
            thresholds=thresholds,
        )
        for level in target.level_values
        if level in latest
    )


# -- composite scores ----------------------------------------------------------------------


class Normalisation(enum.StrEnum):
    """How indicator values are put on a common 0..1 scale (see the module docstring)."""

    @classmethod
    def _missing_(cls, value: object) -> Normalisation:
        raise f.unknown_member(cls, value)

    MIN_MAX = "min_max"
    REFERENCE = "reference"
    NONE = "none"


def _rounded(value: Fraction, places: int) -> Decimal:
    scaled = round(value * 10**places)  # exact, half to even
    return Decimal(scaled).scaleb(-places, context=_WIDE)


@attrs.frozen(kw_only=True)
class CompositeScore:
    """The composite score of one node (group or indicator) for one subject.

    Attributes:
        node: the group or indicator id.
        subject: who is scored.
        score: the normalised score (indicators) or aggregate (groups), rounded.
        coverage: the share of the node's child weight that had a score (1 for
            indicators and complete groups), rounded.
    """

    node: str
    subject: str
    score: Decimal
    coverage: Decimal


def _to_normalisation(value: Any) -> Any:
    return f.to_member(Normalisation, value)


f.member_converters(_to_normalisation)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Composite:
    """Composite scores of a framework for one period (see :func:`composite_scores`).

    Attributes:
        framework: the framework's id.
        period: the period scored.
        normalisation: how indicators were normalised.
        places: the decimals scores are rounded to.
        scores: one score per node and subject that has one.
    """

    framework: str
    period: Period
    normalisation: Normalisation = attrs.field(
        converter=_to_normalisation, validator=f.member(Normalisation)
    )
    places: int
    scores: tuple[CompositeScore, ...] = attrs.field(validator=f.tuple_of(CompositeScore))
    _index: Mapping[tuple[str, str], CompositeScore] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        index = {(s.node, s.subject): s for s in self.scores}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def score(self, node: str, subject: str) -> Decimal | None:
        """The score of ``node`` for ``subject``, or ``None`` if it has none."""
        found = self._index.get((node, subject))
        return None if found is None else found.score

    def subjects(self) -> tuple[str, ...]:
        """The subjects scored, in order of first appearance."""
        return tuple(dict.fromkeys(s.subject for s in self.scores))

    def ranks(self, node: str) -> tuple[Observation, ...]:
        """The subjects ranked by their score of ``node`` (ties share a rank: 1, 2, 2, 4).

        Returns:
            Observations of ``node`` with score, rank and the number ranked, best first.
        """
        scored = [s for s in self.scores if s.node == node]
        scored.sort(key=lambda s: -s.score)
        out: list[Observation] = []
        rank = 0
        for position, item in enumerate(scored, start=1):
            if position == 1 or item.score != scored[position - 2].score:
                rank = position
            out.append(
                Observation(
                    indicator=node,
                    subject=item.subject,
                    period=self.period,
                    score=item.score,
                    rank=rank,
                    ranked=len(scored),
                )
            )
        return tuple(out)

    def observations(self) -> tuple[Observation, ...]:
        """Every score as an observation (score only; see :meth:`ranks` for ranks)."""
        return tuple(
            Observation(indicator=s.node, subject=s.subject, period=self.period, score=s.score)
            for s in self.scores
        )


def _normalised(
    framework: Framework,
    indicator: Indicator,
    values: Mapping[str, Fraction],
    normalisation: Normalisation,
    references: Mapping[str, Reference],
) -> dict[str, Fraction]:
    if normalisation is Normalisation.NONE:
        return dict(values)
    if normalisation is Normalisation.MIN_MAX:
        low, high = min(values.values()), max(values.values())
        if low == high:
            return {subject: Fraction(1) for subject in values}
        span = high - low
        if indicator.higher_is_better:
            return {subject: (x - low) / span for subject, x in values.items()}
        return {subject: (high - x) / span for subject, x in values.items()}
    reference = references.get(indicator.id) or framework.reference(indicator.id)
    if reference is None:
        raise ProgressError(
            f"indicator {indicator.id!r} of framework {framework.id!r} has no reference"
            " values; give them (references=...) or use min_max normalisation"
        )
    low_ref, high_ref = Fraction(reference.low), Fraction(reference.high)
    out = {}
    for subject, x in values.items():
        share = min(max((x - low_ref) / (high_ref - low_ref), Fraction(0)), Fraction(1))
        out[subject] = share if indicator.higher_is_better else 1 - share
    return out


@in_own_context
def composite_scores(
    framework: Framework,
    observations: Iterable[Observation],
    *,
    period: Period,
    normalisation: Normalisation | str = Normalisation.MIN_MAX,
    field: str = "value",
    references: Mapping[str, Reference] | None = None,
    places: int = 6,
) -> Composite:
    """Weighted composite scores of every subject, up the framework's tree.

    Args:
        framework: the framework (its weights and aggregation methods are used; change
            weights with :meth:`~egovplan.frameworks.Framework.with_weights`).
        observations: observations of the framework's indicators; those of ``period``
            count (the first one per indicator and subject), others are ignored.
        period: the period to score.
        normalisation: ``"min_max"`` (across subjects), ``"reference"`` (the framework's
            reference values, or ``references``) or ``"none"``.
        field: the observation field to use: ``"value"`` or ``"score"``.
        references: reference values that replace or add to the framework's.
        places: the decimals of the results (half to even).

    Raises:
        ProgressError: reference normalisation without reference values for an indicator,
            an unknown normalisation or field, or ``places`` out of range.

    >>> from egovplan.frameworks import framework
    >>> from egovplan.indicator import Observation
    >>> obs = [Observation(indicator=i, subject=s, period=Period.year(2024), value=Decimal(v))
    ...        for s, i, v in (("a", "egdi.osi", 1), ("b", "egdi.osi", 3),
    ...                        ("a", "egdi.tii", 2), ("b", "egdi.tii", 2))]
    >>> c = composite_scores(framework("un-egdi"), obs, period=Period.year(2024))
    >>> c.score("egdi.osi", "b"), c.score("egdi", "a"), c.score("egdi", "b")
    (Decimal('1.000000'), Decimal('0.500000'), Decimal('1.000000'))
    >>> [(o.subject, o.rank) for o in c.ranks("egdi")]
    [('b', 1), ('a', 2)]
    """
    from egovplan.frameworks import Aggregation, Framework

    if not isinstance(framework, Framework):
        raise FieldTypeError(
            f"composite_scores() needs a Framework, not {type(framework).__name__}"
        )
    observations = f.items_of(observations, Observation, "composite_scores() observations")
    if not isinstance(period, Period):
        raise FieldTypeError(f"period must be a Period, not {type(period).__name__}")
    try:
        method = Normalisation(normalisation)
    except ValueError:
        known = ", ".join(repr(str(member)) for member in Normalisation)
        raise ProgressError(
            f"normalisation must be one of {known}, not {normalisation!r}"
        ) from None
    if field not in ("value", "score"):
        raise ProgressError(f"field must be 'value' or 'score', not {field!r}")
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 30:
        raise ProgressError(f"places must be a whole number in 0..30, not {places!r}")
    refs: Mapping[str, Reference] = references or {}
    values: dict[str, dict[str, Fraction]] = {}
    subjects: dict[str, None] = {}
    for observation in observations:
        if observation.period != period or observation.indicator not in framework:
            continue
        number = getattr(observation, field)
        if number is None or framework.is_group(observation.indicator):
            continue
        subjects.setdefault(observation.subject, None)
        values.setdefault(observation.indicator, {}).setdefault(
            observation.subject, Fraction(number)
        )
    exact: dict[tuple[str, str], tuple[Fraction, Fraction]] = {}
    for indicator in framework.indicators:
        if indicator.id in values:
            normalised = _normalised(framework, indicator, values[indicator.id], method, refs)
            for subject, score in normalised.items():
                exact[(indicator.id, subject)] = (score, Fraction(1))
    # groups, deepest first
    groups = sorted(framework.groups, key=lambda g: -framework.depth(g.id))
    for group in groups:
        if group.aggregation is Aggregation.NONE:
            continue
        children = framework.children(group.id)
        weights = {child: Fraction(framework.weight(child)) for child in children}
        total_weight = sum(weights.values(), Fraction(0))
        for subject in subjects:
            present = [
                (child, exact[(child, subject)][0])
                for child in children
                if (child, subject) in exact
            ]
            if not present:
                continue
            weight = sum((weights[child] for child, _ in present), Fraction(0))
            weighted = sum((weights[child] * score for child, score in present), Fraction(0))
            if group.aggregation is Aggregation.WEIGHTED_MEAN:
                if weight == 0:
                    continue
                result = weighted / weight
            else:
                result = weighted
            coverage = weight / total_weight if total_weight else Fraction(1)
            exact[(group.id, subject)] = (result, coverage)
    order = {node: index for index, node in enumerate(framework.walk())}
    subject_order = {subject: index for index, subject in enumerate(subjects)}
    scores = [
        CompositeScore(
            node=node,
            subject=subject,
            score=_rounded(score, places),
            coverage=_rounded(coverage, places),
        )
        for (node, subject), (score, coverage) in sorted(
            exact.items(), key=lambda item: (order[item[0][0]], subject_order[item[0][1]])
        )
    ]
    return Composite(
        framework=framework.id,
        period=period,
        normalisation=method,
        places=places,
        scores=tuple(scores),
    )
