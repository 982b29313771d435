"""Catalogues: the data-driven lists of kinds (document kinds, roles, cadences, levels…).

A :class:`Kind` is one code with its labels (``"lead"``: *chủ trì* / *lead*); a
:class:`Catalogue` is a named set of kinds; :class:`Catalogues` bundles the catalogues
egovplan knows. The built-in ones live in TOML files under ``egovplan/data/catalogues/``
and are read on first use. Nothing global is ever changed: extending a catalogue gives a
new one.

>>> cats = Catalogues.default()
>>> cats.roles.label("lead", "vi"), "lead" in cats.roles
('chủ trì', True)
>>> mine = cats.roles.extended({"approve": {"vi": "phê duyệt", "en": "approve"}})
>>> "approve" in mine, "approve" in cats.roles
(True, False)

Catalogue files look like this (keys that are locale tags such as ``vi`` or ``en`` are
labels; ``description_<locale>`` keys are descriptions; ``abbreviations`` is a list; any
other key is kept in :attr:`Kind.extra`)::

    name = "roles"

    [kinds.lead]
    vi = "chủ trì"
    en = "lead"
    iati_role = "2"
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _fields as f
from egovplan._data import data_text
from egovplan._pycache import toml_of
from egovplan.errors import FieldTypeError, FieldValueError, LoadError, UnknownReferenceError
from egovplan.labels import Labels

if TYPE_CHECKING:
    from egovplan.agency import Level

__all__ = ["BUILTIN_CATALOGUES", "Catalogue", "Catalogues", "Kind"]

#: The catalogues egovplan ships, each read from ``data/catalogues/<name>.toml``.
BUILTIN_CATALOGUES: Final = (
    "document_kinds",
    "funding_source_kinds",
    "agency_kinds",
    "roles",
    "cadences",
    "levels",
    "level_sets",
    "budget_categories",
    "comparators",
    "objective_kinds",
    "flow_kinds",
    "target_kinds",
    "target_qualifiers",
    "counted",
    "spending_bases",
)

_LOCALE_KEY: Final = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")
_DESCRIPTION_PREFIX: Final = "description_"


def _freeze(value: Any) -> Any:
    """TOML values as hashable ones: lists become tuples, tables tuples of pairs."""
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, Mapping):
        return tuple((str(key), _freeze(item)) for key, item in value.items())
    return value


def _check_extra(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple or not all(
        type(pair) is tuple and len(pair) == 2 and isinstance(pair[0], str) for pair in value
    ):
        raise f.field_type_error(inst, attribute, value, "a tuple of (key, value) pairs")
    try:
        hash(value)
    except TypeError:
        raise f.field_type_error(inst, attribute, value, "hashable values") from None


_EMPTY: Final = Labels()


@attrs.frozen(kw_only=True)
class Kind:
    """One entry of a catalogue: a code with its labels.

    Attributes:
        code: the stable code stored in models (``"central_support"``).
        labels: the name in each locale.
        description: a longer explanation in each locale, if any.
        abbreviations: short forms used in documents (``("QĐ",)`` for a decision).
        extra: any further data, as ``(key, value)`` pairs (values are hashable:
            lists are tuples); read one with :meth:`get`.

    >>> k = Kind(code="lead", labels=Labels(vi="chủ trì", en="lead"), extra=(("raci", "A"),))
    >>> k.label("en"), k.get("raci"), k.get("iati_role")
    ('lead', 'A', None)
    """

    code: str = attrs.field(validator=f.check_id)
    labels: Labels = attrs.field(validator=f.instance(Labels))
    description: Labels = attrs.field(default=_EMPTY, validator=f.instance(Labels))
    abbreviations: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_text)
    extra: tuple[tuple[str, Any], ...] = attrs.field(default=(), validator=_check_extra)

    def label(self, locale: str) -> str:
        """The label in ``locale`` (with fallback; the code itself if there are none)."""
        return self.labels.get(locale, self.code)

    def get(self, key: str, default: Any = None) -> Any:
        """The extra value stored under ``key``, or ``default``."""
        for name, value in self.extra:
            if name == key:
                return value
        return default

    @classmethod
    def from_table(cls, code: str, table: Mapping[str, Any]) -> Kind:
        """A kind from one ``[kinds.<code>]`` table of a catalogue file.

        >>> Kind.from_table("plan", {"vi": "Kế hoạch", "en": "plan", "abbreviations": ["KH"]})
        Kind(code='plan', labels=Labels({'vi': 'Kế hoạch', 'en': 'plan'}), description=Labels({}), abbreviations=('KH',), extra=())
        """  # noqa: E501
        if not isinstance(table, Mapping):
            raise FieldTypeError(f"kind {code!r} must be a table, not {type(table).__name__}")
        labels: dict[str, str] = {}
        description: dict[str, str] = {}
        abbreviations: tuple[str, ...] = ()
        extra: list[tuple[str, Any]] = []
        for key, value in table.items():
            if not isinstance(key, str):
                raise FieldTypeError(f"kind {code!r}: keys must be str, not {type(key).__name__}")
            if key == "abbreviations":
                if isinstance(value, str) or not isinstance(value, list | tuple):
                    raise FieldTypeError(f"kind {code!r}: abbreviations must be a list of strings")
                if not all(isinstance(item, str) for item in value):
                    raise FieldTypeError(f"kind {code!r}: abbreviations must be a list of strings")
                abbreviations = tuple(value)
            elif key.startswith(_DESCRIPTION_PREFIX) and isinstance(value, str):
                description[key.removeprefix(_DESCRIPTION_PREFIX)] = value
            elif _LOCALE_KEY.fullmatch(key) and isinstance(value, str):
                labels[key] = value
            else:
                extra.append((key, _freeze(value)))
        return cls(
            code=code,
            labels=Labels(labels),
            description=Labels(description),
            abbreviations=abbreviations,
            extra=tuple(extra),
        )

    def merged(self, other: Kind) -> Kind:
        """This kind with ``other``'s labels, description and extra data laid over it.

        Abbreviations are replaced when ``other`` has any.
        """
        extra = dict(self.extra)
        extra.update(other.extra)
        return Kind(
            code=self.code,
            labels=self.labels.merged(other.labels),
            description=self.description.merged(other.description),
            abbreviations=other.abbreviations or self.abbreviations,
            extra=tuple(extra.items()),
        )


def _index_kinds(catalogue: Catalogue) -> dict[str, Kind]:
    index: dict[str, Kind] = {}
    for position, kind in enumerate(catalogue.kinds):
        if kind.code in index:
            raise FieldValueError(
                f"Catalogue.kinds[{position}]: code {kind.code!r} appears twice"
                f" in catalogue {catalogue.name!r}"
            )
        index[kind.code] = kind
    return index


@attrs.frozen(kw_only=True)
class Catalogue:
    """A named, ordered set of :class:`Kind` with unique codes.

    >>> roles = Catalogues.default().roles
    >>> roles.codes[:2], roles["coordinate"].label("vi"), roles.label("monitor", "en")
    (('lead', 'coordinate'), 'phối hợp', 'monitor')
    >>> roles["boss"]
    Traceback (most recent call last):
    ...
    egovplan.errors.UnknownReferenceError: catalogue 'roles' has no code 'boss'; known: lead, ...
    """

    name: str = attrs.field(validator=f.check_id)
    kinds: tuple[Kind, ...] = attrs.field(validator=f.tuple_of(Kind))
    labels: Labels = attrs.field(default=_EMPTY, validator=f.instance(Labels))
    _by_code: dict[str, Kind] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_code", _index_kinds(self))

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code, in catalogue order."""
        return tuple(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Kind:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            known = ", ".join(self._by_code)
            raise UnknownReferenceError(
                f"catalogue {self.name!r} has no code {code!r}; known: {known}"
            ) from None

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)

    def get(self, code: str) -> Kind | None:
        """The kind with ``code``, or ``None``."""
        return self._by_code.get(code) if isinstance(code, str) else None

    def label(self, code: str, locale: str) -> str:
        """The label of ``code`` in ``locale``; an unknown code is returned unchanged.

        >>> Catalogues.default().cadences.label("quarterly", "vi")
        'hằng quý'
        >>> Catalogues.default().cadences.label("fortnightly", "vi")
        'fortnightly'
        """
        if not isinstance(code, str):
            raise FieldTypeError(f"a catalogue code must be a str, not {type(code).__name__}")
        kind = self._by_code.get(code)
        return code if kind is None else kind.label(locale)

    def find(self, text: str) -> Kind | None:
        """The kind whose code, label or abbreviation is ``text`` (case-insensitive).

        >>> Catalogues.default().roles.find("Chủ trì").code
        'lead'
        """
        if not isinstance(text, str):
            raise FieldTypeError(f"Catalogue.find() needs str, not {type(text).__name__}")
        wanted = text.strip().casefold()
        for kind in self.kinds:
            if wanted == kind.code.casefold():
                return kind
        for kind in self.kinds:
            names = (*kind.labels.values(), *kind.abbreviations)
            if any(wanted == name.casefold() for name in names):
                return kind
        return None

    def extended(
        self, other: Catalogue | Mapping[str, Kind | Mapping[str, Any]] | Iterable[Kind]
    ) -> Catalogue:
        """A new catalogue with ``other``'s kinds added.

        A kind whose code is already here is merged into the existing one
        (:meth:`Kind.merged`); new codes are appended in order. ``other`` may be a
        catalogue, kinds, or a mapping of code to :class:`Kind` or to a table as in a
        catalogue file.

        >>> base = Catalogues.default().funding_source_kinds
        >>> more = base.extended({"lottery": {"vi": "xổ số kiến thiết", "en": "lottery"}})
        >>> more.codes[-1], len(more) == len(base) + 1
        ('lottery', True)
        """
        kinds = dict(self._by_code)
        for kind in _kinds_of(other):
            kinds[kind.code] = kinds[kind.code].merged(kind) if kind.code in kinds else kind
        return Catalogue(name=self.name, kinds=tuple(kinds.values()), labels=self.labels)

    @classmethod
    def from_toml(cls, text: str, *, name: str | None = None, source: str = "<text>") -> Catalogue:
        r"""A catalogue from TOML text (see the module docs for the format).

        Args:
            text: the TOML document.
            name: the catalogue's name; defaults to the document's ``name`` key.
            source: the file name, for error messages.

        Raises:
            LoadError: the text is not TOML or not a catalogue.

        >>> Catalogue.from_toml('name = "x"\n[kinds.a]\nvi = "A"\nen = "A"\n').codes
        ('a',)
        """
        if not isinstance(text, str):
            raise FieldTypeError(f"Catalogue.from_toml() needs str, not {type(text).__name__}")
        try:
            document = tomllib.loads(text.removeprefix("\ufeff"), parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise LoadError(f"{source}: not valid TOML: {error}", source=source) from None
        return cls._from_document(document, name=name, source=source)

    @classmethod
    def from_file(cls, path: str | PathLike[str], *, name: str | None = None) -> Catalogue:
        """A catalogue read from a TOML file.

        Its name is ``name`` if given, else the file's ``name`` key, else the file name
        without extension.

        Raises:
            LoadError: the file cannot be read or is not a catalogue.
        """
        if not isinstance(path, str | PathLike):
            raise FieldTypeError(f"Catalogue.from_file() needs a path, not {type(path).__name__}")
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LoadError(f"{file}: cannot read catalogue: {error}", source=str(file)) from None
        document_name = name
        if document_name is None:
            try:
                found = tomllib.loads(text, parse_float=Decimal).get("name")
            except tomllib.TOMLDecodeError:
                found = None
            document_name = found if isinstance(found, str) else file.stem
        return cls.from_toml(text, name=document_name, source=str(file))

    @classmethod
    def _from_document(
        cls, document: Mapping[str, Any], *, name: str | None, source: str
    ) -> Catalogue:
        name = name if name is not None else document.get("name")
        if not isinstance(name, str) or not name:
            raise LoadError(f"{source}: a catalogue needs a name", source=source)
        tables = document.get("kinds", {})
        if not isinstance(tables, Mapping):
            raise LoadError(f"{source}: 'kinds' must be a table of kinds", source=source)
        problems: list[tuple[str, str]] = []
        kinds: list[Kind] = []
        for code, table in tables.items():
            try:
                kinds.append(Kind.from_table(code, table))
            except (TypeError, ValueError) as error:
                problems.append((f"kinds.{code}", str(error)))
        try:
            labels = Labels(
                {
                    k: v
                    for k, v in document.items()
                    if _LOCALE_KEY.fullmatch(k) and isinstance(v, str)
                }
            )
            catalogue = cls(name=name, kinds=tuple(kinds), labels=labels)
        except (TypeError, ValueError) as error:
            problems.append(("", str(error)))
        if problems:
            details = "; ".join(
                f"{path}: {message}" if path else message for path, message in problems
            )
            raise LoadError(
                f"{source}: not a valid catalogue: {details}",
                source=source,
                problems=tuple(problems),
            )
        return catalogue


def _kinds_of(other: Any) -> Iterator[Kind]:
    if isinstance(other, Catalogue):
        yield from other.kinds
    elif isinstance(other, Mapping):
        for code, value in other.items():
            if isinstance(value, Kind):
                if value.code != code:
                    raise FieldValueError(f"kind under {code!r} has code {value.code!r}")
                yield value
            else:
                yield Kind.from_table(code, value)
    elif isinstance(other, str):
        raise FieldTypeError("cannot extend a catalogue with a str; pass kinds or a mapping")
    else:
        for kind in other:
            if not isinstance(kind, Kind):
                raise FieldTypeError(f"cannot extend a catalogue with {type(kind).__name__}")
            yield kind


_IS_CATALOGUE: Final = f.instance(Catalogue)


def _builtin(name: str) -> Catalogue:
    file = f"catalogues/{name}.toml"
    document = toml_of(data_text(file), file)  # (what Catalogue.from_toml parses, kept)
    return Catalogue._from_document(document, name=name, source=f"egovplan/data/{file}")


@attrs.frozen(kw_only=True)
class Catalogues:
    """The bundle of catalogues a plan's codes are checked against.

    :meth:`default` gives egovplan's built-in catalogues; :meth:`extended` and
    :meth:`with_file` give new bundles with your kinds added.

    >>> cats = Catalogues.default()
    >>> [lvl.id for lvl in cats.level_set("vn-2025")]
    ['central', 'province', 'commune']
    >>> mine = cats.extended(cadences={"weekly": {"vi": "hằng tuần", "en": "weekly"}})
    >>> "weekly" in mine.cadences, "weekly" in cats.cadences
    (True, False)
    """

    document_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    funding_source_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    agency_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    roles: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    cadences: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    levels: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    level_sets: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    budget_categories: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    comparators: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    objective_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    flow_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    target_kinds: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    target_qualifiers: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    counted: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    spending_bases: Catalogue = attrs.field(validator=_IS_CATALOGUE)
    others: tuple[Catalogue, ...] = attrs.field(default=(), validator=f.tuple_of(Catalogue))

    @classmethod
    def default(cls) -> Catalogues:
        """The built-in catalogues (read once, on first use, then cached)."""
        return _default()

    @property
    def names(self) -> tuple[str, ...]:
        """The name of every catalogue in the bundle."""
        return (*BUILTIN_CATALOGUES, *(c.name for c in self.others))

    def __getitem__(self, name: str) -> Catalogue:
        """The catalogue called ``name``.

        Raises:
            UnknownReferenceError: no catalogue has that name.
        """
        if name in BUILTIN_CATALOGUES:
            catalogue: Catalogue = getattr(self, name)
            return catalogue
        for catalogue in self.others:
            if catalogue.name == name:
                return catalogue
        raise UnknownReferenceError(f"no catalogue {name!r}; known: {', '.join(self.names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def extended(
        self, **catalogues: Catalogue | Mapping[str, Kind | Mapping[str, Any]] | Iterable[Kind]
    ) -> Catalogues:
        """A new bundle with kinds added to the named catalogues.

        A name that is not in the bundle adds a new catalogue (in :attr:`others`).

        >>> cats = Catalogues.default().extended(sectors={"health": {"vi": "y tế", "en": "health"}})
        >>> cats["sectors"].label("health", "vi")
        'y tế'
        """
        changes: dict[str, Catalogue] = {}
        others = list(self.others)
        for name, more in catalogues.items():
            if name in BUILTIN_CATALOGUES:
                changes[name] = self[name].extended(more)
                continue
            for position, catalogue in enumerate(others):
                if catalogue.name == name:
                    others[position] = catalogue.extended(more)
                    break
            else:
                others.append(Catalogue(name=name, kinds=()).extended(more))
        return attrs.evolve(self, **changes, others=tuple(others))

    def with_file(self, path: str | PathLike[str], *, name: str | None = None) -> Catalogues:
        """A new bundle with a catalogue file's kinds added.

        The file's catalogue name (``name``, else its ``name`` key, else the file name
        without extension) says which catalogue it extends.
        """
        catalogue = Catalogue.from_file(path, name=name)
        return self.extended(**{catalogue.name: catalogue})

    def level_set(self, code: str) -> tuple[Level, ...]:
        """The administrative :class:`~egovplan.agency.Level` objects of a level set.

        ``"vn-2008"`` is central / province / district / commune; ``"vn-2025"`` (since
        1 July 2025) central / province / commune. ``order`` counts from 0 at the top.

        Raises:
            UnknownReferenceError: no such level set, or it names an unknown level.
        """
        from egovplan.agency import Level

        ids = self.level_sets[code].get("levels", ())
        return tuple(
            Level(id=level, names=self.levels[level].labels, order=order)
            for order, level in enumerate(ids)
        )


@functools.cache
def _default() -> Catalogues:
    builtins: dict[str, Any] = {name: _builtin(name) for name in BUILTIN_CATALOGUES}
    return Catalogues(**builtins)
