"""Objectives and their measurable targets.

A :class:`Target` says what is measured, how it compares to a value (:class:`Comparator`),
in what unit, by when and for whom. Seen in plans:

- ``"trên 50%"`` — ``comparator=gt, value=50, unit="percent"``;
- ``"88–90%"`` — ``comparator=between, value=88, upper=90``;
- ``"100% province / 80% district / 60% commune"`` — ``by_level`` and no ``value``;
- ``"100 % of departments and at least 60 % of people's committees"`` — ``by_level``
  entries (:class:`LevelTarget`) each with its own comparator and what it counts;
- ``"phấn đấu đạt khoảng 80 %"`` — ``qualifiers=("strive", "approximate")``;
- ``"the tender is awarded by Q2"`` — ``kind=milestone``, with no value and no unit;
- ``"top 10 in the ICT-Index"`` — ``comparator=le, value=10, unit="rank"``;
- ``"100 people: 35 CIOs + 65 specialists"`` — a count with ``parts``;
- ``"13 key databases (annex 1)"`` — a count with ``items``.

>>> t = Target(id="dossiers-online", measure="work dossiers processed online",
...            by_level=(("province", 100), ("district", 80), ("commune", 60)),
...            unit="percent", deadline=2025)
>>> t.level_values["district"], t.is_per_level
(Decimal('80'), True)
>>> both = Target(id="one-stop", measure="units running a one-stop shop", unit="percent",
...               by_level=(LevelTarget(level="province", value=100, counts="departments"),
...                         LevelTarget(level="district", comparator="ge", value=60,
...                                     counts="peoples_committees")))
>>> [(e.level, both.comparator_at(e).symbol, e.value) for e in both.by_level]
[('province', '=', Decimal('100')), ('district', '≥', Decimal('60'))]
>>> Target(id="x", measure="m", comparator=Comparator.GE, value=120, unit="percent").value
Decimal('120')

A percent above 100 is well formed: it loads, and validation reports it (EGP301).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal, Inexact, InvalidOperation, Overflow
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _decimal
from egovplan import _fields as f
from egovplan._data import locale_tag
from egovplan._text import nfc
from egovplan.errors import FieldTypeError, FieldValueError
from egovplan.labels import Labels
from egovplan.when import When, optional_when, to_when

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues

__all__ = [
    "PERCENT",
    "PERCENT_UNITS",
    "RANK",
    "Baseline",
    "Comparator",
    "LevelTarget",
    "Objective",
    "ObjectiveKind",
    "Target",
    "TargetKind",
    "TargetPart",
    "TargetRef",
    "qualifiers_in",
]

#: Sums of values run in this context, never the caller's: exact for any values the models
#: hold (at most ``MAX_DIGITS`` digits, exponents within ``MAX_EXPONENT``).
_EXACT_SUM: Final = _decimal.context(
    f.MAX_DIGITS + 2 * f.MAX_EXPONENT + 20, traps=[InvalidOperation, Overflow, Inexact]
)

#: The unit name of percentages; values in it must lie in 0..100.
PERCENT: Final = "percent"
#: Unit names read as percentages.
PERCENT_UNITS: Final = frozenset({PERCENT, "%"})
#: The unit name of ranks; values in it are whole numbers from 1 (1 is best).
RANK: Final = "rank"


def _catalogue_labels(name: str, code: str, catalogues: Catalogues | None) -> Labels:
    from egovplan.catalog import Catalogues

    cats = Catalogues.default() if catalogues is None else catalogues
    kind = cats[name].get(code)
    return Labels({"en": code}) if kind is None else kind.labels


def _check_operand(name: str, value: object) -> None:
    """``value`` must be an ``int``, a finite ``Decimal`` or (for ``upper``) ``None``."""
    if value is None and name == "upper":
        return
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise FieldTypeError(
            f"Comparator.holds() {name} must be Decimal or int, not {type(value).__name__}"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise FieldValueError(f"Comparator.holds() {name} must be finite, not {value}")


class Comparator(enum.StrEnum):
    """How an actual value is compared with a target's value.

    The members' values are the symbols (``"="``, ``">="``…; ``"between"`` for a range);
    their words in each language (*trên*, *tối thiểu*, *ít nhất*…) are data, in the
    ``comparators`` catalogue.

    >>> Comparator.GE.holds(Decimal(90), Decimal(90)), Comparator.GT.holds(50, 50)
    (True, False)
    >>> Comparator.BETWEEN.holds(Decimal("89"), Decimal(88), Decimal(90))
    True
    >>> Comparator.GE.label("vi"), Comparator.from_words("tối thiểu", "vi")
    ('tối thiểu', <Comparator.GE: '>='>)
    """

    @classmethod
    def _missing_(cls, value: object) -> Comparator:
        # A member's code ("ge") names it too, as in plan files and catalogues.
        for member in cls:
            if member.code == value:
                return member
        raise f.unknown_member(cls, value)

    EQ = "="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    BETWEEN = "between"

    @property
    def code(self) -> str:
        """The member's catalogue code: ``"eq"``, ``"gt"``, ``"ge"`` and so on."""
        return self.name.lower()

    @property
    def symbol(self) -> str:
        """The symbol for display (``"≥"`` for :attr:`GE`), from the catalogue."""
        from egovplan.catalog import Catalogues

        kind = Catalogues.default().comparators.get(self.code)
        symbol = None if kind is None else kind.get("symbol")
        return symbol if isinstance(symbol, str) else self.value

    def label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The comparator's words in ``locale`` (*tối thiểu*, *at least*)."""
        return _catalogue_labels("comparators", self.code, catalogues).get(locale, self.value)

    def words(self, locale: str, catalogues: Catalogues | None = None) -> tuple[str, ...]:
        """Every phrase that introduces a value with this comparator in ``locale``."""
        from egovplan.catalog import Catalogues

        cats = Catalogues.default() if catalogues is None else catalogues
        kind = cats.comparators.get(self.code)
        if kind is None:
            return ()
        words = kind.get(f"words_{locale}", ())
        return tuple(w for w in words if isinstance(w, str))

    @classmethod
    def from_words(
        cls, text: str, locale: str, catalogues: Catalogues | None = None
    ) -> Comparator | None:
        """The comparator whose words (or symbol) ``text`` is, ignoring case; else ``None``.

        >>> Comparator.from_words("Ít nhất", "vi"), Comparator.from_words(">", "en")
        (<Comparator.GE: '>='>, <Comparator.GT: '>'>)
        """
        if not isinstance(text, str):
            raise FieldTypeError(f"Comparator.from_words() needs str, not {type(text).__name__}")
        locale_tag(locale)
        wanted = " ".join(nfc(text).split()).casefold()
        for member in cls:
            if wanted in (member.value, member.symbol):
                return member
            if any(wanted == w.casefold() for w in member.words(locale, catalogues)):
                return member
        return None

    def holds(
        self, actual: Decimal | int, value: Decimal | int, upper: Decimal | int | None = None
    ) -> bool:
        """Whether ``actual`` meets a target of ``value`` (and ``upper``, for a range).

        Raises:
            FieldTypeError: a number is not a ``Decimal`` or ``int``.
            FieldValueError: :attr:`BETWEEN` without ``upper``, or a number that is not
                finite.
        """
        for name, number in (("actual", actual), ("value", value), ("upper", upper)):
            _check_operand(name, number)
        if self is Comparator.EQ:
            return actual == value
        if self is Comparator.GT:
            return actual > value
        if self is Comparator.GE:
            return actual >= value
        if self is Comparator.LT:
            return actual < value
        if self is Comparator.LE:
            return actual <= value
        if upper is None:
            raise FieldValueError("a 'between' comparison needs an upper bound (upper=)")
        return value <= actual <= upper


class ObjectiveKind(enum.StrEnum):
    """General (*mục tiêu chung*), specific (*mục tiêu cụ thể*) or orientation (*định hướng*).

    >>> ObjectiveKind.SPECIFIC.label("vi")
    'mục tiêu cụ thể'
    """

    @classmethod
    def _missing_(cls, value: object) -> ObjectiveKind:
        raise f.unknown_member(cls, value)

    GENERAL = "general"
    SPECIFIC = "specific"
    ORIENTATION = "orientation"

    def label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The kind's name in ``locale``, from the ``objective_kinds`` catalogue."""
        return _catalogue_labels("objective_kinds", self.value, catalogues).get(locale, self.value)


class TargetKind(enum.StrEnum):
    """Quantitative (a value in a unit), qualitative (words only) or a milestone (an event).

    A qualitative target or a milestone has no value and no unit, and that is correct:
    EGP303 asks a unit of quantitative targets only.

    >>> TargetKind.MILESTONE.label("vi"), TargetKind("qualitative").is_quantitative
    ('mốc', False)
    """

    @classmethod
    def _missing_(cls, value: object) -> TargetKind:
        raise f.unknown_member(cls, value)

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    MILESTONE = "milestone"

    @property
    def is_quantitative(self) -> bool:
        """Whether targets of this kind state a value in a unit."""
        return self is TargetKind.QUANTITATIVE

    def label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The kind's name in ``locale``, from the ``target_kinds`` catalogue."""
        return _catalogue_labels("target_kinds", self.value, catalogues).get(locale, self.value)


@attrs.frozen(kw_only=True)
class Baseline:
    """The value a target starts from, in a base year ("84.1 % in 2017"), and its source.

    A document may give a starting value without its year ("starting value 4,083"):
    ``year`` is then ``None``.

    >>> Baseline(value=Decimal("84.1"), year=2017).value
    Decimal('84.1')
    >>> Baseline(value=4083, source="Eurostat").year is None
    True

    Attributes:
        value: the starting value, in the target's unit.
        year: the base year, if the document states it.
        source: where the value comes from, as the document says it (a report, a survey,
            a statistics office).
    """

    value: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    source: str | None = attrs.field(default=None, validator=f.optional_text)


def _to_comparator(value: Any) -> Any:
    return f.to_member(Comparator, value)


f.member_converters(_to_comparator)


def _to_objective_kind(value: Any) -> Any:
    return f.to_member(ObjectiveKind, value)


f.member_converters(_to_objective_kind)


def _to_target_kind(value: Any) -> Any:
    return f.to_member(TargetKind, value)


f.member_converters(_to_target_kind)


def _to_optional_comparator(value: Any) -> Any:
    return f.to_member(Comparator, value)


f.member_converters(_to_optional_comparator)


@attrs.frozen(kw_only=True)
class TargetPart:
    """One part of a stated breakdown: "about 35 CIOs" in "100 people: 35 CIOs + 65 …".

    >>> TargetPart(label="CIO", value=35)
    TargetPart(label='CIO', value=Decimal('35'))
    """

    label: str = attrs.field(validator=f.text)
    value: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)


@attrs.frozen(kw_only=True)
class LevelTarget:
    """A target's value at one administrative level, and what it counts there.

    "100 % of departments and at least 60 % of people's committees" is one target with two
    entries: ``(province, =, 100, departments)`` and ``(district, ≥, 60,
    peoples_committees)``.

    Attributes:
        level: the id of the administrative level (a plan's :class:`~egovplan.agency.Level`
            or a code of the ``levels`` catalogue).
        comparator: how the actual value at this level compares to ``value``; ``None``
            takes the target's :attr:`Target.comparator`.
        value: the value at this level (the lower bound of a range).
        upper: the upper bound of a ``between`` range.
        counts: what is counted at this level: a code of the ``counted`` catalogue
            (``departments``, ``peoples_committees``, ``communes``…).

    >>> LevelTarget(level="commune", comparator=">=", value=60, counts="communes").comparator
    <Comparator.GE: '>='>
    """

    level: str = attrs.field(validator=f.check_id)
    comparator: Comparator | None = attrs.field(
        default=None,
        converter=_to_optional_comparator,
        validator=f.member(Comparator, optional=True),
    )
    value: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)
    upper: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    counts: str | None = attrs.field(default=None, validator=f.optional_id)


@attrs.frozen(kw_only=True)
class TargetRef:
    """A target of a plan, named by the plan's id and the target's id.

    A target that contributes to another plan's target names it so
    (:attr:`Target.contributes_to`); :func:`egovplan.validation.validate` checks it when
    that plan is loaded alongside (EGP310).

    >>> str(TargetRef(plan="national-2025", target="online-services"))
    'national-2025/online-services'
    """

    plan: str = attrs.field(validator=f.check_id)
    target: str = attrs.field(validator=f.check_id)

    def __str__(self) -> str:
        return f"{self.plan}/{self.target}"


def _to_level_targets(value: Any) -> Any:
    """``(level, value)`` pairs (the API before format 3) become :class:`LevelTarget` entries.

    A pair's entry takes the target's comparator (``comparator=None``); a pair whose level
    or value no entry takes is refused naming its place (``Target.by_level[0].value``).
    Anything else is left for the validator.
    """
    if type(value) is not tuple:
        if isinstance(value, list):
            value = tuple(value)
        else:
            return value
    if all(type(item) is LevelTarget for item in value):
        return value
    out: list[Any] = []
    for index, item in enumerate(value):
        if type(item) is tuple and len(item) == 2 and isinstance(item[0], str):
            level, number = item
            try:
                out.append(LevelTarget(level=level, value=number))
            except (FieldTypeError, FieldValueError) as error:
                detail = str(error).removeprefix(f"{LevelTarget.__name__}.")
                raise type(error)(f"Target.by_level[{index}].{detail}") from None
        else:
            out.append(item)
    return tuple(out)


def qualifiers_in(
    text: str, locale: str = "vi", catalogues: Catalogues | None = None
) -> tuple[str, ...]:
    """The qualifier codes whose words ``text`` uses, in the catalogue's order.

    The words are data (``words_<locale>`` of the ``target_qualifiers`` catalogue); a
    word counts where it stands as a word of its own, in any letter case.

    >>> qualifiers_in("Phấn đấu đến năm 2025 đạt khoảng 80% hồ sơ")
    ('approximate', 'strive')
    >>> qualifiers_in("We expect to reach about 80 %", "en"), qualifiers_in("đạt 80%")
    (('approximate',), ())
    """
    import re

    from egovplan.catalog import Catalogues

    if not isinstance(text, str):
        raise FieldTypeError(f"qualifiers_in() needs str, not {type(text).__name__}")
    locale_tag(locale)
    cats = Catalogues.default() if catalogues is None else catalogues
    wanted = " ".join(nfc(text).split()).casefold()
    found = []
    for kind in cats.target_qualifiers:
        words = kind.get(f"words_{locale}", ())
        for word in words if isinstance(words, tuple) else ():
            pattern = rf"(?<!\w){re.escape(nfc(str(word)).casefold())}(?!\w)"
            if re.search(pattern, wanted):
                found.append(kind.code)
                break
    return tuple(found)


_by_level_check: Final = f.tuple_of(LevelTarget)
_optional_baseline: Final = f.instance(Baseline, optional=True)
_check_target_kind: Final = f.member(TargetKind)

# A target's numbers are checked for their type and shape only: a percent above 100, a
# rank of 0 or a range whose bounds are missing or out of order is well formed, loads, and
# validation reports it (EGP301, EGP306, EGP302).


@attrs.frozen(kw_only=True)
class Target:
    """A measurable target of an objective or a task.

    Attributes:
        id: unique among the plan's targets.
        measure: what is measured, as the document says it.
        comparator: how the actual value must compare to ``value``.
        value: the target value (the lower bound of a range), or ``None`` for a
            per-level target.
        upper: the upper bound of a ``between`` range (``88–90 %``).
        by_level: the values per administrative level (:class:`LevelTarget`), each with
            its own comparator and what it counts; ``(level id, value)`` pairs are
            accepted too. See :attr:`level_values`.
        unit: a unit name of :mod:`egovplan.units` (``"percent"``, ``"rank"``,
            ``"people"``, ``"per_civil_servant"``); ``""`` when the document gives none.
        deadline: when the target is to be met: a year (``2025``, as an ``int`` too), a
            quarter, a month or a day, as a time or a deadline ("by 2015",
            *trước năm 2015*); see :class:`~egovplan.when.When`.
        scope: whom it applies to (an agency kind, a level, or a named subset).
        baseline: the starting value, if the document states it.
        parts: a stated breakdown of the value (35 CIOs + 65 specialists).
        items: the things counted, when listed ("13 key databases" with the 13 names).
        indicator: the id of the indicator the target is about, if any.
        kind: quantitative (the default), qualitative or a milestone; a qualitative
            target or a milestone has no value and no unit.
        qualifiers: how the document qualifies the target, codes of the
            ``target_qualifiers`` catalogue: ``approximate`` ("khoảng"), ``expected``
            ("dự kiến"), ``strive`` ("phấn đấu"), ``ensure`` ("đảm bảo").
        description: what the target means, when the document explains it.
        verification: how its attainment is verified (the means of verification).
        items_listed_in: the part of the document that lists the things counted
            ("Phụ lục 1"), when the target refers to it instead of listing them.
        contributes_to: the targets of other plans (or of this one) this target
            contributes to.

    The constructor checks each field's type and shape. Values that are well formed but
    wrong load, and validation reports them: a value in ``percent`` (the value, the upper
    bound, every per-level value and the baseline) outside 0..100 (EGP301), a range without
    both bounds in order or an upper bound on a target that is no range (EGP302), a
    ``rank`` that is not a whole number from 1 (EGP306).
    """

    id: str = attrs.field(validator=f.check_id)
    measure: str | Labels = attrs.field(validator=f.text_or_labels)
    comparator: Comparator = attrs.field(
        default=Comparator.EQ, converter=_to_comparator, validator=f.member(Comparator)
    )
    value: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    upper: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    by_level: tuple[LevelTarget, ...] = attrs.field(
        default=(), converter=_to_level_targets, validator=_by_level_check
    )
    unit: str = attrs.field(default="", validator=f.text)
    deadline: When | None = attrs.field(default=None, converter=to_when, validator=optional_when)
    scope: str | None = attrs.field(default=None, validator=f.optional_text)
    baseline: Baseline | None = attrs.field(default=None, validator=_optional_baseline)
    parts: tuple[TargetPart, ...] = attrs.field(default=(), validator=f.tuple_of(TargetPart))
    items: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_text)
    indicator: str | None = attrs.field(default=None, validator=f.optional_id)
    kind: TargetKind = attrs.field(
        default=TargetKind.QUANTITATIVE, converter=_to_target_kind, validator=_check_target_kind
    )
    qualifiers: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    verification: str | None = attrs.field(default=None, validator=f.optional_text)
    items_listed_in: str | None = attrs.field(default=None, validator=f.optional_text)
    contributes_to: tuple[TargetRef, ...] = attrs.field(default=(), validator=f.tuple_of(TargetRef))

    @property
    def level_values(self) -> Mapping[str, Decimal]:
        """:attr:`by_level` as a read-only mapping of level id to value.

        A level with several entries (one per thing counted) gives its first.
        """
        values: dict[str, Decimal] = {}
        for entry in self.by_level:
            values.setdefault(entry.level, entry.value)
        return MappingProxyType(values)

    def at_level(self, level: str) -> LevelTarget | None:
        """The (first) entry of :attr:`by_level` for ``level``, or ``None``."""
        for entry in self.by_level:
            if entry.level == level:
                return entry
        return None

    def comparator_at(self, entry: LevelTarget) -> Comparator:
        """The comparator of a per-level entry: its own, else the target's."""
        return self.comparator if entry.comparator is None else entry.comparator

    def upper_at(self, entry: LevelTarget) -> Decimal | None:
        """The upper bound of a per-level entry: its own, else the target's (for a range)."""
        return self.upper if entry.upper is None and entry.comparator is None else entry.upper

    @property
    def is_per_level(self) -> bool:
        """Whether the target is stated per administrative level."""
        return bool(self.by_level)

    @property
    def is_range(self) -> bool:
        """Whether the target is a ``between`` range."""
        return self.comparator is Comparator.BETWEEN

    @property
    def parts_total(self) -> Decimal | None:
        """The sum of the stated :attr:`parts`, or ``None`` when there are none.

        >>> Target(id="staff", measure="IT staff", value=100, unit="people",
        ...        parts=(TargetPart(label="CIO", value=35),
        ...               TargetPart(label="specialist", value=65))).parts_total
        Decimal('100')
        """
        if not self.parts:
            return None
        return functools.reduce(_EXACT_SUM.add, (part.value for part in self.parts), Decimal(0))

    def met_by(self, actual: Decimal | int, level: str | None = None) -> bool | None:
        """Whether ``actual`` meets the target (at ``level`` for a per-level target).

        ``None`` when the target has no value to compare with (at that level), or is a
        range without an upper bound (validation reports that, EGP302).

        >>> Target(id="t", measure="m", comparator=Comparator.GT, value=50,
        ...        unit="percent").met_by(Decimal("50.5"))
        True
        """
        if level is not None:
            entry = self.at_level(level)
            if entry is None:
                return None
            comparator, upper = self.comparator_at(entry), self.upper_at(entry)
            if comparator is Comparator.BETWEEN and upper is None:
                return None
            return comparator.holds(actual, entry.value, upper)
        if self.comparator is Comparator.BETWEEN and self.upper is None:
            return None
        if self.value is None:
            return None
        return self.comparator.holds(actual, self.value, self.upper)


_check_objective_kind: Final = f.member(ObjectiveKind)


@attrs.frozen(kw_only=True)
class Objective:
    """A general, specific or orientation objective, with targets and sub-objectives.

    Attributes:
        id: unique among the plan's objectives (nested ones included).
        kind: general, specific or orientation.
        text: the objective as the document words it.
        targets: its measurable targets.
        children: sub-objectives, nested as the document nests them.

    >>> inner = Objective(id="o1.1", kind=ObjectiveKind.SPECIFIC, text="Online services")
    >>> outer = Objective(id="o1", kind=ObjectiveKind.GENERAL, text="Digital government",
    ...                   children=(inner,))
    >>> [(path, o.id) for path, o in outer.walk("objectives[0]")]
    [('objectives[0]', 'o1'), ('objectives[0].children[0]', 'o1.1')]
    """

    id: str = attrs.field(validator=f.check_id)
    kind: ObjectiveKind = attrs.field(
        default=ObjectiveKind.SPECIFIC,
        converter=_to_objective_kind,
        validator=_check_objective_kind,
    )
    text: str | Labels = attrs.field(default="", validator=f.text_or_labels)
    targets: tuple[Target, ...] = attrs.field(default=(), validator=f.tuple_of(Target))
    children: tuple[Objective, ...] = attrs.field(default=())

    @children.validator
    def _check_children(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_objectives(self, attribute, value)

    def walk(self, path: str = "") -> Iterator[tuple[str, Objective]]:
        """This objective and every one nested in it, depth first, with their paths.

        Args:
            path: the path of this objective (``"objectives[0]"``); children get
                ``<path>.children[<i>]``.
        """
        stack: list[tuple[str, Objective]] = [(path, self)]
        while stack:
            here, objective = stack.pop()
            yield here, objective
            prefix = f"{here}.children" if here else "children"
            stack.extend(
                (f"{prefix}[{i}]", child)
                for i, child in reversed(tuple(enumerate(objective.children)))
            )

    def walk_targets(self, path: str = "") -> Iterator[tuple[str, Target]]:
        """Every target of this objective and the ones nested in it, with their paths."""
        for here, objective in self.walk(path):
            prefix = f"{here}.targets" if here else "targets"
            for index, target in enumerate(objective.targets):
                yield f"{prefix}[{index}]", target


_check_objectives: Final = f.tuple_of(Objective)
