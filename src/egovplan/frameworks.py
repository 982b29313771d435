"""Indicator frameworks as data: Vietnam's ICT-Index, online service levels, the UN EGDI.

A :class:`Framework` is a tree: a root :class:`Group`, nested groups, and
:class:`~egovplan.indicator.Indicator` leaves, with a weight for every node (1 unless
stated), an :class:`Aggregation` per group (how its children combine into a composite,
see :func:`egovplan.progress.composite_scores`), optional :class:`Reference` values per
indicator (the "goalposts" of reference normalisation), optional categorical
:class:`Scale` objects (the online service levels) and :class:`LevelMapping` objects
between scales. Alternative names (``aliases``) let prose be matched to a node.

The built-in frameworks are TOML files in ``egovplan/data/frameworks/``, read on first
use by :func:`framework`. A user's own framework is a file in the same format, read with
:meth:`Framework.load`; it gets the same features. Nothing global changes:
:meth:`Framework.with_weights` gives a new framework.

>>> ict = framework("vn-ict-index-2016")
>>> len(ict.subgroups("ict")), len(ict.indicators)
(3, 30)
>>> [len(ict.indicators_in(g)) for g in ict.subgroups("ict.infra")]
[8, 4]
>>> ict.indicator("ict.infra.society.mobile_phones").names.get("en")
'Mobile phones per 100 inhabitants'
>>> ict.find("Hạ tầng nhân lực của xã hội")
'ict.hr.society'
>>> framework("vn-online-service-levels").map_level("vn-2011", "4", "vn-2022")
'full'

The file format (every table but ``[framework]`` and ``[[groups]]`` is optional; numbers
that are not whole are read as :class:`~decimal.Decimal`, never as floats)::

    [framework]
    id = "my-index"
    root = "my"
    names = { vi = "Chỉ số của tôi", en = "My index" }
    version = "2024"                 # optional
    source = "who publishes it"      # optional
    description = { vi = "…", en = "…" }   # optional

    [[groups]]
    id = "my"
    names = { vi = "…", en = "…" }
    aggregation = "weighted_mean"    # or "weighted_sum", "none"; default weighted_mean
    aliases = ["other names", "used in prose"]

    [[groups]]
    id = "my.part"
    parent = "my"
    weight = 2                       # within the parent; default 1
    names = { vi = "…", en = "…" }

    [[indicators]]
    id = "my.part.x"
    group = "my.part"
    unit = "percent"                 # a unit name of egovplan.units
    higher_is_better = true          # default true
    weight = 1
    reference = { low = 0, high = 100 }
    names = { vi = "…", en = "…" }

    [[scales]]                        # categorical levels, e.g. service levels
    id = "s"
    names = { vi = "…", en = "…" }
    levels = [{ id = "1", names = { vi = "…", en = "…" } }]

    [[mappings]]                      # between two scales; a level without target maps to none
    source = "s"
    target = "t"
    levels = [{ source = "1", target = "a" }]
"""

from __future__ import annotations

import enum
import functools
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from decimal import Decimal
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs

from egovplan import _fields as f
from egovplan._data import data_text
from egovplan.errors import EgovplanError, FieldTypeError, LoadError, UnknownReferenceError
from egovplan.indicator import Indicator
from egovplan.labels import Labels

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "Aggregation",
    "Framework",
    "FrameworkError",
    "Group",
    "LevelMapping",
    "Reference",
    "Scale",
    "ScaleLevel",
    "builtin_frameworks",
    "framework",
]

#: The frameworks egovplan ships, each read from ``data/frameworks/<id>.toml``.
BUILTIN_FRAMEWORKS: Final = ("vn-ict-index-2016", "vn-online-service-levels", "un-egdi")

#: The most bytes a framework file may have (frameworks are small; this bounds bad input).
MAX_FILE_BYTES: Final = 2_000_000

_ONE: Final = Decimal(1)


class FrameworkError(EgovplanError, ValueError):
    """A framework is inconsistent: a duplicate id, an unknown parent, a cycle, ..."""


class Aggregation(enum.StrEnum):
    """How a group's children combine into the group's composite score.

    - ``weighted_mean``: ``Σ wᵢ·xᵢ / Σ wᵢ`` over the children that have a score
      (scaling every weight by the same factor changes nothing);
    - ``weighted_sum``: ``Σ wᵢ·xᵢ`` (points added up, as score-based indices do);
    - ``none``: the group is a container and has no composite.

    >>> Aggregation("weighted_mean") is Aggregation.WEIGHTED_MEAN
    True
    """

    @classmethod
    def _missing_(cls, value: object) -> Aggregation:
        raise f.unknown_member(cls, value)

    WEIGHTED_MEAN = "weighted_mean"
    WEIGHTED_SUM = "weighted_sum"
    NONE = "none"


def _check_reference_bounds(inst: Reference, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.decimal(inst, attribute, value)
    if value <= inst.low:
        raise f.field_value_error(inst, attribute, f"{value} must be above low {inst.low}")


@attrs.frozen(kw_only=True)
class Reference:
    """Reference values ("goalposts") of an indicator: ``low`` scores 0 and ``high`` 1.

    Reference normalisation maps a value ``x`` to ``(x - low) / (high - low)``, clipped
    to 0..1 (and turned round when lower is better).

    >>> Reference(low=0, high=100).high
    Decimal('100')
    >>> Reference(low=5, high=5)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: Reference.high 5 must be above low 5
    """

    low: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)
    high: Decimal = attrs.field(converter=f.to_decimal, validator=_check_reference_bounds)


def _to_aggregation(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Aggregation):
        try:
            return Aggregation(value)
        except ValueError:
            return value
    return value


def _check_aggregation(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Aggregation):
        known = ", ".join(a.value for a in Aggregation)
        raise f.field_value_error(inst, attribute, f"{value!r} is not one of: {known}")


_labels: Final = f.instance(Labels)
_optional_labels: Final = f.instance(Labels, optional=True)


@attrs.frozen(kw_only=True)
class Group:
    """A group of indicators (or of groups) in a framework.

    Attributes:
        id: unique among the framework's groups and indicators.
        names: the name in each locale.
        parent: the id of the enclosing group; ``None`` only for the root.
        aggregation: how the children combine into this group's composite.

    >>> Group(id="ict.infra", names=Labels(en="Technical infrastructure"), parent="ict")
    Group(id='ict.infra', names=Labels({'en': 'Technical infrastructure'}), parent='ict', \
aggregation=<Aggregation.WEIGHTED_MEAN: 'weighted_mean'>)
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    parent: str | None = attrs.field(default=None, validator=f.optional_id)
    aggregation: Aggregation = attrs.field(
        default=Aggregation.WEIGHTED_MEAN, converter=_to_aggregation, validator=_check_aggregation
    )


@attrs.frozen(kw_only=True)
class ScaleLevel:
    """One level of a categorical :class:`Scale` (``"4"``: fully online).

    Attributes:
        id: unique within the scale.
        names: the level's name in each locale.
        description: what the level means, in each locale.
        indicator: the id of the framework's indicator counting services at this level.
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    description: Labels | None = attrs.field(default=None, validator=_optional_labels)
    indicator: str | None = attrs.field(default=None, validator=f.optional_id)


@attrs.frozen(kw_only=True)
class Scale:
    """An ordered set of categorical levels, lowest first (service levels 1 to 4).

    >>> levels = framework("vn-online-service-levels").scale("vn-2011")
    >>> levels.level("3").names.get("en"), levels.position("4")
    ('Level 3', 3)
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    levels: tuple[ScaleLevel, ...] = attrs.field(validator=f.tuple_of(ScaleLevel))
    source: str | None = attrs.field(default=None, validator=f.optional_text)

    @levels.validator
    def _check_unique(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        ids = [level.id for level in value]
        if len(set(ids)) != len(ids):
            raise f.field_value_error(self, attribute, f"repeat a level id: {ids}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The level ids, lowest first."""
        return tuple(level.id for level in self.levels)

    def level(self, id: str) -> ScaleLevel:
        """The level with this id.

        Raises:
            UnknownReferenceError: the scale has no such level.
        """
        for level in self.levels:
            if level.id == id:
                return level
        raise UnknownReferenceError(
            f"scale {self.id!r} has no level {id!r}; its levels are {list(self.ids)}"
        )

    def position(self, id: str) -> int:
        """The 0-based position of a level, lowest first."""
        return self.ids.index(self.level(id).id)


def _check_level_pairs(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise f.field_type_error(inst, attribute, value, "a tuple of (source, target) pairs")
    for index, pair in enumerate(value):
        if (
            type(pair) is not tuple
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or not (pair[1] is None or isinstance(pair[1], str))
        ):
            raise FieldTypeError(
                f"{f.where(inst, attribute)}[{index}] must be a (str, str | None) pair,"
                f" not {pair!r}"
            )
    sources = [pair[0] for pair in value]
    if len(set(sources)) != len(sources):
        raise f.field_value_error(inst, attribute, f"repeat a source level: {sources}")


@attrs.frozen(kw_only=True)
class LevelMapping:
    """How the levels of one scale correspond to those of another.

    Attributes:
        source: the id of the scale mapped from.
        target: the id of the scale mapped to.
        levels: ``(source level, target level or None)`` pairs; ``None`` means the level
            has no counterpart.
        note: how exact the mapping is, in each locale.
    """

    source: str = attrs.field(validator=f.check_id)
    target: str = attrs.field(validator=f.check_id)
    levels: tuple[tuple[str, str | None], ...] = attrs.field(validator=_check_level_pairs)
    note: Labels | None = attrs.field(default=None, validator=_optional_labels)


def _check_weights(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.pairs_of_decimal()(inst, attribute, value)
    for key, weight in value:
        if weight < 0:
            raise f.field_value_error(inst, attribute, f"weight of {key!r} is negative: {weight}")


def _check_references(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple or not all(
        type(pair) is tuple
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], Reference)
        for pair in value
    ):
        raise f.field_type_error(inst, attribute, value, "a tuple of (id, Reference) pairs")


def _check_aliases(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple or not all(
        type(pair) is tuple
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], str)
        for pair in value
    ):
        raise f.field_type_error(inst, attribute, value, "a tuple of (alias, id) pairs")


def _key(text: str) -> str:
    # Text compared loosely: NFC, case-folded, without whitespace (scanned documents
    # drop spaces: "Nhân lực CNTTcủa CQNN").
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


@attrs.frozen(kw_only=True)
class Framework:
    """An indicator framework: a tree of groups and indicators, with weights.

    Construct one from data with :meth:`loads` / :meth:`load` / :meth:`from_dict`, or
    get a built-in one with :func:`framework`. The constructor checks the structure
    (unique ids, parents that exist, one root, no cycles) and raises
    :class:`FrameworkError` naming the problem.

    Attributes:
        id: the framework's id (``"vn-ict-index-2016"``).
        names: its name in each locale.
        root: the id of the root group (the overall index; ranks "overall" are its).
        groups: every group, the root included.
        indicators: the leaves; each names its group and this framework (one that names
            no framework is given this one's id).
        weights: ``(node id, weight)`` pairs; nodes not listed weigh 1.
        references: ``(indicator id, Reference)`` pairs for reference normalisation.
        aliases: ``(alias, node id)`` pairs: other names prose uses for a node.
            (These three are kept sorted in the order of the nodes.)
        scales: categorical scales (service levels).
        mappings: correspondences between scales.
        version: the version of the framework's methodology.
        source: who publishes it.
        description: a short description in each locale.
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    root: str = attrs.field(validator=f.check_id)
    groups: tuple[Group, ...] = attrs.field(validator=f.tuple_of(Group))
    indicators: tuple[Indicator, ...] = attrs.field(default=(), validator=f.tuple_of(Indicator))
    weights: tuple[tuple[str, Decimal], ...] = attrs.field(
        default=(), converter=f.to_decimal_pairs, validator=_check_weights
    )
    references: tuple[tuple[str, Reference], ...] = attrs.field(
        default=(), validator=_check_references
    )
    aliases: tuple[tuple[str, str], ...] = attrs.field(default=(), validator=_check_aliases)
    scales: tuple[Scale, ...] = attrs.field(default=(), validator=f.tuple_of(Scale))
    mappings: tuple[LevelMapping, ...] = attrs.field(default=(), validator=f.tuple_of(LevelMapping))
    version: str | None = attrs.field(default=None, validator=f.optional_text)
    source: str | None = attrs.field(default=None, validator=f.optional_text)
    description: Labels | None = attrs.field(default=None, validator=_optional_labels)

    _nodes: Mapping[str, Group | Indicator] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _children: Mapping[str, tuple[str, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _alias_index: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if any(indicator.framework is None for indicator in self.indicators):
            # an indicator of a framework always names it
            object.__setattr__(
                self,
                "indicators",
                tuple(
                    attrs.evolve(i, framework=self.id) if i.framework is None else i
                    for i in self.indicators
                ),
            )
        nodes: dict[str, Group | Indicator] = {}
        every: tuple[Group | Indicator, ...] = (*self.groups, *self.indicators)
        for node in every:
            if node.id in nodes:
                raise FrameworkError(f"framework {self.id!r}: id {node.id!r} is used twice")
            nodes[node.id] = node
        group_ids = {group.id for group in self.groups}
        if self.root not in group_ids:
            raise FrameworkError(f"framework {self.id!r}: root {self.root!r} is not a group")
        children: dict[str, list[str]] = {group.id: [] for group in self.groups}
        for group in self.groups:
            if group.id == self.root:
                if group.parent is not None:
                    raise FrameworkError(
                        f"framework {self.id!r}: the root group {self.root!r} has a parent"
                    )
                continue
            if group.parent is None:
                raise FrameworkError(
                    f"framework {self.id!r}: group {group.id!r} has no parent"
                    f" (only the root {self.root!r} may have none)"
                )
            if group.parent not in group_ids:
                raise FrameworkError(
                    f"framework {self.id!r}: group {group.id!r} has unknown parent {group.parent!r}"
                )
            children[group.parent].append(group.id)
        for indicator in self.indicators:
            if indicator.group is None or indicator.group not in group_ids:
                raise FrameworkError(
                    f"framework {self.id!r}: indicator {indicator.id!r} has unknown group"
                    f" {indicator.group!r}"
                )
            if indicator.framework not in (None, self.id):
                raise FrameworkError(
                    f"framework {self.id!r}: indicator {indicator.id!r} says it belongs to"
                    f" framework {indicator.framework!r}"
                )
            children[indicator.group].append(indicator.id)
        # every group reaches the root (no cycles, no detached subtrees)
        parents = {group.id: group.parent for group in self.groups}
        for group in self.groups:
            seen: set[str] = set()
            here: str | None = group.id
            while here is not None and here != self.root:
                if here in seen:
                    raise FrameworkError(
                        f"framework {self.id!r}: groups form a cycle through {group.id!r}"
                    )
                seen.add(here)
                here = parents[here]
        for key, _ in self.weights:
            if key not in nodes:
                raise FrameworkError(f"framework {self.id!r}: weight for unknown id {key!r}")
        for key, _ in self.references:
            if not isinstance(nodes.get(key), Indicator):
                raise FrameworkError(
                    f"framework {self.id!r}: reference values for unknown indicator {key!r}"
                )
        alias_index: dict[str, str] = {}
        for alias, named in self.aliases:
            if named not in nodes:
                raise FrameworkError(
                    f"framework {self.id!r}: alias {alias!r} names unknown id {named!r}"
                )
            key = _key(alias)
            if alias_index.get(key, named) != named:
                raise FrameworkError(
                    f"framework {self.id!r}: alias {alias!r} names both"
                    f" {alias_index[key]!r} and {named!r}"
                )
            alias_index[key] = named
        scale_ids = [scale.id for scale in self.scales]
        if len(set(scale_ids)) != len(scale_ids):
            raise FrameworkError(f"framework {self.id!r}: scale ids repeat: {scale_ids}")
        scales = {scale.id: scale for scale in self.scales}
        for scale in self.scales:
            for level in scale.levels:
                if level.indicator is not None and not isinstance(
                    nodes.get(level.indicator), Indicator
                ):
                    raise FrameworkError(
                        f"framework {self.id!r}: level {level.id!r} of scale {scale.id!r}"
                        f" names unknown indicator {level.indicator!r}"
                    )
        for mapping in self.mappings:
            for end in (mapping.source, mapping.target):
                if end not in scales:
                    raise FrameworkError(
                        f"framework {self.id!r}: a mapping names unknown scale {end!r}"
                    )
            for source, target in mapping.levels:
                if source not in scales[mapping.source].ids:
                    raise FrameworkError(
                        f"framework {self.id!r}: mapping {mapping.source}->{mapping.target}"
                        f" names unknown level {source!r} of {mapping.source!r}"
                    )
                if target is not None and target not in scales[mapping.target].ids:
                    raise FrameworkError(
                        f"framework {self.id!r}: mapping {mapping.source}->{mapping.target}"
                        f" names unknown level {target!r} of {mapping.target!r}"
                    )
        # weights, references and aliases are mappings: keep them in node order, so that
        # equal frameworks compare equal however they were written
        rank = {key: index for index, key in enumerate(nodes)}
        for name in ("weights", "references", "aliases"):
            pairs: tuple[tuple[str, Any], ...] = getattr(self, name)
            position = 1 if name == "aliases" else 0
            ordered = tuple(sorted(pairs, key=lambda pair: rank[pair[position]]))
            object.__setattr__(self, name, ordered)
        object.__setattr__(self, "_nodes", MappingProxyType(nodes))
        object.__setattr__(
            self,
            "_children",
            MappingProxyType({key: tuple(value) for key, value in children.items()}),
        )
        object.__setattr__(self, "_alias_index", MappingProxyType(alias_index))

    # -- lookups -----------------------------------------------------------------------

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and id in self._nodes

    def node(self, id: str) -> Group | Indicator:
        """The group or indicator with this id.

        Raises:
            UnknownReferenceError: the framework has no such node.
        """
        try:
            return self._nodes[id]
        except (KeyError, TypeError):
            raise UnknownReferenceError(
                f"framework {self.id!r} has no group or indicator {id!r}"
            ) from None

    def group(self, id: str) -> Group:
        """The group with this id.

        Raises:
            UnknownReferenceError: the framework has no such group.
        """
        node = self.node(id)
        if not isinstance(node, Group):
            raise UnknownReferenceError(f"{id!r} is an indicator of {self.id!r}, not a group")
        return node

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id.

        Raises:
            UnknownReferenceError: the framework has no such indicator.
        """
        node = self.node(id)
        if not isinstance(node, Indicator):
            raise UnknownReferenceError(f"{id!r} is a group of {self.id!r}, not an indicator")
        return node

    def is_group(self, id: str) -> bool:
        """Whether ``id`` is a group of this framework."""
        return isinstance(id, str) and isinstance(self._nodes.get(id), Group)

    def names_of(self, id: str) -> Labels:
        """The names of a group or indicator."""
        return self.node(id).names

    def children(self, id: str) -> tuple[str, ...]:
        """The ids of a group's direct children: subgroups first, then indicators."""
        self.group(id)
        return self._children[id]

    def subgroups(self, id: str) -> tuple[str, ...]:
        """The ids of a group's direct subgroups, in file order."""
        return tuple(child for child in self.children(id) if self.is_group(child))

    def parent(self, id: str) -> str | None:
        """The id of a node's enclosing group (``None`` for the root)."""
        node = self.node(id)
        return node.parent if isinstance(node, Group) else node.group

    def path(self, id: str) -> tuple[str, ...]:
        """The ids from the root down to ``id``.

        >>> framework("vn-ict-index-2016").path("ict.app.online.level_4")
        ('ict', 'ict.app', 'ict.app.online', 'ict.app.online.level_4')
        """
        result = [id]
        here = self.parent(id)
        while here is not None:
            result.append(here)
            here = self.parent(here)
        return tuple(reversed(result))

    def depth(self, id: str) -> int:
        """0 for the root, 1 for its children, and so on."""
        return len(self.path(id)) - 1

    def walk(self, id: str | None = None) -> Iterator[str]:
        """Every node id under ``id`` (default: the root), depth first, parents first."""
        stack = [self.root if id is None else id]
        while stack:
            here = stack.pop()
            self.node(here)
            yield here
            if self.is_group(here):
                stack.extend(reversed(self._children[here]))

    def indicators_in(self, id: str, *, recursive: bool = True) -> tuple[Indicator, ...]:
        """The indicators under a group (all levels down, or direct ones only)."""
        self.group(id)
        ids = self.walk(id) if recursive else iter(self._children[id])
        return tuple(node for key in ids if isinstance(node := self._nodes[key], Indicator))

    def weight(self, id: str) -> Decimal:
        """A node's weight within its parent (1 unless the framework says otherwise)."""
        self.node(id)
        return dict(self.weights).get(id, _ONE)

    def reference(self, id: str) -> Reference | None:
        """An indicator's reference values, or ``None`` if the framework gives none."""
        self.node(id)
        return dict(self.references).get(id)

    def find(self, name: str) -> str | None:
        """The id of the node that ``name`` names (an id, a name in any locale, an alias).

        Matching ignores case, whitespace and Unicode normalisation; ``None`` if no node
        matches.

        >>> framework("un-egdi").find("Human Capital Index (HCI)"), framework("un-egdi").find("x")
        ('egdi.hci', None)
        """
        if not isinstance(name, str):
            raise FieldTypeError(f"Framework.find() needs str, not {type(name).__name__}")
        if name in self._nodes:
            return name
        wanted = _key(name)
        if wanted in self._alias_index:
            return self._alias_index[wanted]
        for key, node in self._nodes.items():
            if any(_key(text) == wanted for text in node.names.values()):
                return key
        return None

    def scale(self, id: str) -> Scale:
        """The categorical scale with this id.

        Raises:
            UnknownReferenceError: the framework has no such scale.
        """
        for scale in self.scales:
            if scale.id == id:
                return scale
        raise UnknownReferenceError(
            f"framework {self.id!r} has no scale {id!r};"
            f" its scales are {[s.id for s in self.scales]}"
        )

    def map_level(self, source: str, level: str, target: str) -> str | None:
        """The level of scale ``target`` that ``level`` of scale ``source`` corresponds to.

        ``None`` when the level has no counterpart.

        Raises:
            UnknownReferenceError: an unknown scale or level, or no mapping between the
                two scales.

        >>> levels = framework("vn-online-service-levels")
        >>> [levels.map_level("vn-2011", str(n), "vn-2022") for n in range(1, 5)]
        [None, None, 'partial', 'full']
        """
        self.scale(source).level(level)
        self.scale(target)
        for mapping in self.mappings:
            if mapping.source == source and mapping.target == target:
                return dict(mapping.levels).get(level)
        raise UnknownReferenceError(
            f"framework {self.id!r} has no mapping from scale {source!r} to {target!r}"
        )

    # -- variants ----------------------------------------------------------------------

    def with_weights(self, weights: Mapping[str, Decimal | int | str]) -> Framework:
        """A copy with some nodes' weights replaced (the others keep theirs).

        >>> egdi = framework("un-egdi").with_weights({"egdi.osi": 2})
        >>> egdi.weight("egdi.osi"), framework("un-egdi").weight("egdi.osi")
        (Decimal('2'), Decimal('1'))
        """
        merged = dict(self.weights)
        merged.update({key: f.to_decimal(value) for key, value in weights.items()})
        return attrs.evolve(self, weights=tuple(merged.items()))

    def with_references(self, references: Mapping[str, Reference]) -> Framework:
        """A copy with some indicators' reference values replaced or added."""
        merged = dict(self.references)
        merged.update(references)
        return attrs.evolve(self, references=tuple(merged.items()))

    def outline(self, locale: str = "en") -> str:
        """The tree as indented text, one node per line, names in ``locale``.

        >>> print(framework("un-egdi").outline("en"))
        E-Government Development Index (EGDI)
          Online Service Index (OSI)
          Telecommunication Infrastructure Index (TII)
          Human Capital Index (HCI)
        """
        return "\n".join(
            "  " * self.depth(key) + self._nodes[key].names.text(locale) for key in self.walk()
        )

    # -- files -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<data>") -> Framework:
        """Build a framework from data in the file format (see the module docstring).

        Every problem found is reported at once.

        Raises:
            LoadError: with ``problems`` as ``(path, message)`` pairs.
        """
        return _Reader(source).framework(data)

    @classmethod
    def loads(cls, text: str, *, source: str = "<text>") -> Framework:
        """Read a framework from TOML text.

        Raises:
            LoadError: the text is not TOML or not a valid framework.
        """
        if not isinstance(text, str):
            raise FieldTypeError(f"Framework.loads() needs str, not {type(text).__name__}")
        text = text.removeprefix("\ufeff")
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise LoadError(
                f"{source}: a framework file may have at most {MAX_FILE_BYTES} bytes",
                source=source,
            )
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise LoadError(
                f"{source}: not valid TOML: {error}", source=source, problems=(("", str(error)),)
            ) from None
        return cls.from_dict(data, source=source)

    @classmethod
    def load(cls, path: str | PathLike[str]) -> Framework:
        """Read a framework from a TOML file in the format of the built-in ones.

        Raises:
            LoadError: the file cannot be read, or is not a valid framework.
        """
        if not isinstance(path, str | PathLike):
            raise FieldTypeError(f"Framework.load() needs a path, not {type(path).__name__}")
        file = Path(path)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise LoadError(
                    f"{file}: a framework file may have at most {MAX_FILE_BYTES} bytes",
                    source=str(file),
                )
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LoadError(f"{file}: cannot read: {error}", source=str(file)) from None
        return cls.loads(text, source=str(file))

    def to_dict(self) -> dict[str, Any]:
        """The framework as data in the file format (``from_dict`` reads it back).

        Decimals stay :class:`~decimal.Decimal`; :meth:`dumps` writes TOML.
        """
        weights = dict(self.weights)
        references = dict(self.references)
        aliases: dict[str, list[str]] = {}
        for alias, key in self.aliases:
            aliases.setdefault(key, []).append(alias)

        def common(key: str) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if key in weights:
                out["weight"] = weights[key]
            if key in aliases:
                out["aliases"] = aliases[key]
            return out

        head: dict[str, Any] = {"id": self.id, "root": self.root, "names": dict(self.names)}
        if self.version is not None:
            head["version"] = self.version
        if self.source is not None:
            head["source"] = self.source
        if self.description is not None:
            head["description"] = dict(self.description)
        groups = []
        for group in self.groups:
            entry: dict[str, Any] = {"id": group.id, "names": dict(group.names)}
            if group.parent is not None:
                entry["parent"] = group.parent
            entry["aggregation"] = group.aggregation.value
            entry.update(common(group.id))
            groups.append(entry)
        indicators = []
        for indicator in self.indicators:
            entry = {
                "id": indicator.id,
                "group": indicator.group,
                "unit": indicator.unit,
                "higher_is_better": indicator.higher_is_better,
                "names": dict(indicator.names),
            }
            entry.update(common(indicator.id))
            if indicator.id in references:
                ref = references[indicator.id]
                entry["reference"] = {"low": ref.low, "high": ref.high}
            indicators.append(entry)
        out: dict[str, Any] = {"framework": head, "groups": groups, "indicators": indicators}
        if self.scales:
            out["scales"] = [_scale_dict(scale) for scale in self.scales]
        if self.mappings:
            out["mappings"] = [_mapping_dict(mapping) for mapping in self.mappings]
        return out

    def dumps(self) -> str:
        """The framework as TOML text (needs the ``toml`` extra: ``tomli-w``)."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())


def _scale_dict(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {"id": scale.id, "names": dict(scale.names)}
    if scale.source is not None:
        out["source"] = scale.source
    levels = []
    for level in scale.levels:
        entry: dict[str, Any] = {"id": level.id, "names": dict(level.names)}
        if level.description is not None:
            entry["description"] = dict(level.description)
        if level.indicator is not None:
            entry["indicator"] = level.indicator
        levels.append(entry)
    out["levels"] = levels
    return out


def _mapping_dict(mapping: LevelMapping) -> dict[str, Any]:
    out: dict[str, Any] = {"source": mapping.source, "target": mapping.target}
    if mapping.note is not None:
        out["note"] = dict(mapping.note)
    out["levels"] = [
        {"source": source} if target is None else {"source": source, "target": target}
        for source, target in mapping.levels
    ]
    return out


# -- reading -------------------------------------------------------------------------------


class _Problem(EgovplanError):
    """One problem with one entry; collected by :class:`_Reader` (never escapes it)."""


class _Reader:
    """Reads the file format, collecting every problem with its path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def table(self, data: Any, path: str, keys: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise _Problem(f"must be a table, not {type(data).__name__}")
        unknown = sorted(set(data) - keys)
        if unknown:
            self.fail(path, f"unknown keys {unknown}; expected some of {sorted(keys)}")
        missing = sorted(required - set(data))
        if missing:
            raise _Problem(f"missing {', '.join(repr(m) for m in missing)}")
        return dict(data)

    def labels(self, data: Any) -> Labels:
        if not isinstance(data, Mapping):
            raise _Problem("names must be a table of locale = text, like { vi = …, en = … }")
        try:
            return Labels(data)
        except (TypeError, ValueError) as error:
            raise _Problem(str(error)) from None

    def text(self, data: Any, name: str) -> str:
        if not isinstance(data, str):
            raise _Problem(f"{name} must be a string, not {type(data).__name__}")
        return data

    def number(self, data: Any, name: str) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, Decimal | int | str):
            raise _Problem(f"{name} must be a number, not {type(data).__name__}")
        value = f.to_decimal(data)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise _Problem(f"{name} {data!r} is not a finite number")
        return value

    def aliases(self, data: Any) -> list[str]:
        if not isinstance(data, list) or not all(isinstance(a, str) and a for a in data):
            raise _Problem("aliases must be a list of non-empty strings")
        return list(data)

    def entries(self, data: Any, name: str) -> list[tuple[str, Any]]:
        if data is None:
            return []
        if not isinstance(data, list):
            self.fail(name, f"must be an array of tables ([[{name}]]), not {type(data).__name__}")
            return []
        return [(f"{name}[{index}]", entry) for index, entry in enumerate(data)]

    def framework(self, data: Mapping[str, Any]) -> Framework:
        from egovplan.units import is_known_unit

        if not isinstance(data, Mapping):
            raise LoadError(
                f"{self.source}: a framework must be a table, not {type(data).__name__}",
                source=self.source,
            )
        unknown = sorted(set(data) - {"framework", "groups", "indicators", "scales", "mappings"})
        if unknown:
            self.fail("", f"unknown tables {unknown}")
        head: dict[str, Any] = {}
        try:
            table = self.table(
                data.get("framework"),
                "framework",
                {"id", "root", "names", "version", "source", "description"},
                {"id", "root", "names"},
            )
            head["id"] = self.text(table["id"], "id")
            head["root"] = self.text(table["root"], "root")
            head["names"] = self.labels(table["names"])
            for key in ("version", "source"):
                if key in table:
                    head[key] = self.text(table[key], key)
            if "description" in table:
                head["description"] = self.labels(table["description"])
        except _Problem as problem:
            self.fail("framework", str(problem))
        framework_id = head.get("id")
        weights: list[tuple[str, Decimal]] = []
        references: list[tuple[str, Reference]] = []
        aliases: list[tuple[str, str]] = []
        groups: list[Group] = []
        indicators: list[Indicator] = []

        def common(entry: dict[str, Any], key: str, path: str) -> None:
            if "weight" in entry:
                try:
                    weight = self.number(entry["weight"], "weight")
                    if weight < 0:
                        raise _Problem(f"weight must not be negative, got {weight}")
                    weights.append((key, weight))
                except _Problem as problem:
                    self.fail(f"{path}.weight", str(problem))
            if "aliases" in entry:
                try:
                    aliases.extend((alias, key) for alias in self.aliases(entry["aliases"]))
                except _Problem as problem:
                    self.fail(f"{path}.aliases", str(problem))

        for path, raw in self.entries(data.get("groups"), "groups"):
            try:
                entry = self.table(
                    raw,
                    path,
                    {"id", "names", "parent", "aggregation", "weight", "aliases"},
                    {"id", "names"},
                )
                key = self.text(entry["id"], "id")
                groups.append(
                    Group(
                        id=key,
                        names=self.labels(entry["names"]),
                        parent=entry.get("parent"),
                        aggregation=entry.get("aggregation", Aggregation.WEIGHTED_MEAN),
                    )
                )
                common(entry, key, path)
            except (_Problem, TypeError, ValueError) as problem:
                self.fail(path, str(problem))
        for path, raw in self.entries(data.get("indicators"), "indicators"):
            try:
                entry = self.table(
                    raw,
                    path,
                    {
                        "id",
                        "names",
                        "group",
                        "unit",
                        "higher_is_better",
                        "weight",
                        "reference",
                        "aliases",
                    },
                    {"id", "names", "group", "unit"},
                )
                key = self.text(entry["id"], "id")
                unit = self.text(entry["unit"], "unit")
                if not is_known_unit(unit):
                    self.fail(f"{path}.unit", f"unknown unit {unit!r}")
                indicators.append(
                    Indicator(
                        id=key,
                        names=self.labels(entry["names"]),
                        unit=unit,
                        higher_is_better=entry.get("higher_is_better", True),
                        framework=framework_id if isinstance(framework_id, str) else None,
                        group=entry["group"],
                    )
                )
                common(entry, key, path)
                if "reference" in entry:
                    try:
                        ref = self.table(
                            entry["reference"],
                            f"{path}.reference",
                            {"low", "high"},
                            {"low", "high"},
                        )
                        references.append(
                            (
                                key,
                                Reference(
                                    low=self.number(ref["low"], "low"),
                                    high=self.number(ref["high"], "high"),
                                ),
                            )
                        )
                    except (_Problem, ValueError) as problem:
                        self.fail(f"{path}.reference", str(problem))
            except (_Problem, TypeError, ValueError) as problem:
                self.fail(path, str(problem))
        scales = [
            scale
            for path, raw in self.entries(data.get("scales"), "scales")
            if (scale := self.scale(raw, path)) is not None
        ]
        mappings = [
            mapping
            for path, raw in self.entries(data.get("mappings"), "mappings")
            if (mapping := self.mapping(raw, path)) is not None
        ]
        if not self.problems:
            try:
                return Framework(
                    **head,
                    groups=tuple(groups),
                    indicators=tuple(indicators),
                    weights=tuple(weights),
                    references=tuple(references),
                    aliases=tuple(aliases),
                    scales=tuple(scales),
                    mappings=tuple(mappings),
                )
            except (TypeError, ValueError) as error:
                self.fail("", str(error))
        first_path, first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        raise LoadError(
            f"{self.source}: not a valid framework: {first_path or '(file)'}: {first}{more}",
            source=self.source,
            problems=tuple(self.problems),
        )

    def scale(self, raw: Any, path: str) -> Scale | None:
        try:
            entry = self.table(raw, path, {"id", "names", "source", "levels"}, {"id", "names"})
            levels = []
            for level_path, level_raw in self.entries(entry.get("levels"), f"{path}.levels"):
                level = self.table(
                    level_raw,
                    level_path,
                    {"id", "names", "description", "indicator"},
                    {"id", "names"},
                )
                levels.append(
                    ScaleLevel(
                        id=self.text(level["id"], "id"),
                        names=self.labels(level["names"]),
                        description=(
                            self.labels(level["description"]) if "description" in level else None
                        ),
                        indicator=level.get("indicator"),
                    )
                )
            return Scale(
                id=self.text(entry["id"], "id"),
                names=self.labels(entry["names"]),
                levels=tuple(levels),
                source=entry.get("source"),
            )
        except (_Problem, TypeError, ValueError) as problem:
            self.fail(path, str(problem))
            return None

    def mapping(self, raw: Any, path: str) -> LevelMapping | None:
        try:
            entry = self.table(
                raw, path, {"source", "target", "note", "levels"}, {"source", "target"}
            )
            pairs: list[tuple[str, str | None]] = []
            for level_path, level_raw in self.entries(entry.get("levels"), f"{path}.levels"):
                level = self.table(level_raw, level_path, {"source", "target"}, {"source"})
                target = level.get("target")
                pairs.append(
                    (
                        self.text(level["source"], "source"),
                        None if target is None else self.text(target, "target"),
                    )
                )
            return LevelMapping(
                source=self.text(entry["source"], "source"),
                target=self.text(entry["target"], "target"),
                levels=tuple(pairs),
                note=self.labels(entry["note"]) if "note" in entry else None,
            )
        except (_Problem, TypeError, ValueError) as problem:
            self.fail(path, str(problem))
            return None


# -- built-ins -----------------------------------------------------------------------------


@functools.cache
def _builtin(id: str) -> Framework:
    return Framework.loads(data_text(f"frameworks/{id}.toml"), source=f"egovplan:{id}.toml")


def framework(id: str) -> Framework:
    """A built-in framework, read from the package's data on first use and then cached.

    Args:
        id: one of :data:`BUILTIN_FRAMEWORKS`: ``"vn-ict-index-2016"``,
            ``"vn-online-service-levels"``, ``"un-egdi"``.

    Raises:
        UnknownReferenceError: no built-in framework has this id (read your own with
            :meth:`Framework.load`).

    >>> framework("un-egdi").children("egdi")
    ('egdi.osi', 'egdi.tii', 'egdi.hci')
    """
    if id not in BUILTIN_FRAMEWORKS:
        raise UnknownReferenceError(
            f"no built-in framework {id!r}; built-in ones are {list(BUILTIN_FRAMEWORKS)}"
            " (read your own file with Framework.load(path))"
        )
    return _builtin(id)


def builtin_frameworks() -> tuple[Framework, ...]:
    """Every built-in framework, in the order of :data:`BUILTIN_FRAMEWORKS`."""
    return tuple(framework(id) for id in BUILTIN_FRAMEWORKS)
