"""Objectives and their measurable targets.

A :class:`Target` says what is measured, how it compares to a value (:class:`Comparator`),
in what unit, by when and for whom. Seen in plans:

- ``"trên 50%"`` — ``comparator=gt, value=50, unit="percent"``;
- ``"88–90%"`` — ``comparator=between, value=88, upper=90``;
- ``"100% province / 80% district / 60% commune"`` — ``by_level`` and no ``value``;
- ``"top 10 in the ICT-Index"`` — ``comparator=le, value=10, unit="rank"``;
- ``"100 people: 35 CIOs + 65 specialists"`` — a count with ``parts``;
- ``"13 key databases (annex 1)"`` — a count with ``items``.

>>> t = Target(id="dossiers-online", measure="work dossiers processed online",
...            by_level=(("province", 100), ("district", 80), ("commune", 60)),
...            unit="percent", deadline=2025)
>>> t.level_values["district"], t.is_per_level
(Decimal('80'), True)
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
from egovplan._text import nfc
from egovplan.errors import FieldTypeError, FieldValueError
from egovplan.labels import Labels

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues

__all__ = [
    "PERCENT",
    "PERCENT_UNITS",
    "RANK",
    "Baseline",
    "Comparator",
    "Objective",
    "ObjectiveKind",
    "Target",
    "TargetPart",
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
        if not isinstance(locale, str):
            raise FieldTypeError(f"locale must be a str like 'vi', not {type(locale).__name__}")
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


@attrs.frozen(kw_only=True)
class Baseline:
    """The value a target starts from, in a base year ("84.1 % in 2017").

    >>> Baseline(value=Decimal("84.1"), year=2017).value
    Decimal('84.1')
    """

    value: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)
    year: int = attrs.field(validator=f.check_year)


def _to_comparator(value: Any) -> Any:
    return f.to_member(Comparator, value)


f.member_converters(_to_comparator)


def _to_objective_kind(value: Any) -> Any:
    return f.to_member(ObjectiveKind, value)


f.member_converters(_to_objective_kind)


@attrs.frozen(kw_only=True)
class TargetPart:
    """One part of a stated breakdown: "about 35 CIOs" in "100 people: 35 CIOs + 65 …".

    >>> TargetPart(label="CIO", value=35)
    TargetPart(label='CIO', value=Decimal('35'))
    """

    label: str = attrs.field(validator=f.text)
    value: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)


_by_level_check: Final = f.pairs_of_decimal()
_optional_baseline: Final = f.instance(Baseline, optional=True)

# A target's numbers are checked for their type and shape only: a percent above 100, a
# rank of 0 or a range whose bounds are missing or out of order is well formed, loads, and
# validation reports it (EGP301, EGP306, EGP302).


@attrs.frozen(kw_only=True)
class Target:
    """A measurable target of an objective.

    Attributes:
        id: unique among the plan's targets.
        measure: what is measured, as the document says it.
        comparator: how the actual value must compare to ``value``.
        value: the target value (the lower bound of a range), or ``None`` for a
            per-level target.
        upper: the upper bound of a ``between`` range (``88–90 %``).
        by_level: ``(level id, value)`` pairs for targets stated per administrative level;
            see :attr:`level_values`.
        unit: a unit name of :mod:`egovplan.units` (``"percent"``, ``"rank"``,
            ``"people"``, ``"per_civil_servant"``); ``""`` when the document gives none.
        deadline: the year by which the target is to be met.
        scope: whom it applies to (an agency kind, a level, or a named subset).
        baseline: the starting value, if the document states it.
        parts: a stated breakdown of the value (35 CIOs + 65 specialists).
        items: the things counted, when listed ("13 key databases" with the 13 names).
        indicator: the id of the indicator the target is about, if any.

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
    by_level: tuple[tuple[str, Decimal], ...] = attrs.field(
        default=(), converter=f.to_decimal_pairs, validator=_by_level_check
    )
    unit: str = attrs.field(default="", validator=f.text)
    deadline: int | None = attrs.field(default=None, validator=f.optional_year)
    scope: str | None = attrs.field(default=None, validator=f.optional_text)
    baseline: Baseline | None = attrs.field(default=None, validator=_optional_baseline)
    parts: tuple[TargetPart, ...] = attrs.field(default=(), validator=f.tuple_of(TargetPart))
    items: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_text)
    indicator: str | None = attrs.field(default=None, validator=f.optional_id)

    @property
    def level_values(self) -> Mapping[str, Decimal]:
        """:attr:`by_level` as a read-only mapping of level id to value."""
        return MappingProxyType(dict(self.by_level))

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
        if self.comparator is Comparator.BETWEEN and self.upper is None:
            return None
        if level is not None:
            value = self.level_values.get(level)
            if value is None:
                return None
            return self.comparator.holds(actual, value, self.upper)
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
