"""Units of measure for targets and indicators: egovplan's own pint registry.

Models never store a pint ``Quantity``: they store a magnitude (``Decimal``) and a unit
name such as ``"percent"`` or ``"per_100_inhabitants"``. This module checks those names
and builds quantities on demand from a registry that belongs to egovplan alone: it is
defined by ``egovplan/data/units.txt`` (pint's own large default file is not loaded), is
created on first use (importing egovplan does not import pint), uses ``Decimal``
magnitudes, and is never pint's application registry. Do not mutate it; to add units,
build your own with :func:`build_registry` and pass it as ``registry=``.

The unit names plan files use (each also has a few aliases, such as ``"person"`` for
``"people"``; :func:`known_units` lists the canonical names):

- shares: ``percent``;
- people: ``people``, ``inhabitants``, ``civil_servants``, ``households``,
  ``enterprises``;
- rates per head: ``per_inhabitant``, ``per_100_inhabitants``, ``per_civil_servant``;
- counted things: ``count`` (anything), ``agencies``, ``databases``, ``services``,
  ``schools``, ``documents``, ``dossiers``, ``computers``, ``subscribers``, ``systems``,
  ``courses``;
- standings: ``rank`` (a place in a ranking, 1 is best), ``score`` (index points);
- data and bandwidth: ``bits``, ``bytes``, ``kilobytes`` … ``terabytes``, ``seconds``,
  ``bps``, ``kbps``, ``mbps``, ``gbps``, ``mbps_per_civil_servant``.

Every counted thing is its own dimension, so databases cannot be converted to schools,
and ``percent`` (a pure number) is not ``per_100_inhabitants`` (a rate per inhabitant).
Money is never a unit: amounts are :class:`egovplan.Money`.

>>> check_unit("per_100_inhabitants")
'per_100_inhabitants'
>>> convert("12.5", "per_100_inhabitants", "per_inhabitant")
Decimal('0.125')
>>> same_dimension("percent", "per_100_inhabitants")
False
>>> unit_label("per_civil_servant", "vi"), unit_label("per_civil_servant", "en")
('trên một cán bộ, công chức', 'per civil servant')
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from decimal import localcontext as _localcontext
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from egovplan import _decimal
from egovplan._data import data_file, load_data
from egovplan._decimal import in_own_context
from egovplan.errors import EgovplanError
from egovplan.labels import Labels

if TYPE_CHECKING:
    from typing import TypeAlias

    import pint

    _Registry: TypeAlias = pint.UnitRegistry[Decimal]
    _Quantity: TypeAlias = pint.Quantity[Decimal]

__all__ = [
    "UnitError",
    "UnitTypeError",
    "build_registry",
    "check_unit",
    "convert",
    "is_known_unit",
    "known_units",
    "quantity",
    "same_dimension",
    "unit_label",
    "unit_labels",
    "unit_registry",
]

_DATA: Final = "data"
_DEFINITIONS: Final = "units.txt"
_LABELS: Final = "unit_labels.toml"

# Conversions run in this context: wide, and any rounding raises (the factors in
# units.txt are exact decimals, so a conversion between them is exact too).
_EXACT: Final = _decimal.context(100, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])

#: The longest text :func:`check_unit` looks for close names of (longer is no unit name).
_MAX_NAME: Final = 200

#: The most digits a magnitude given as ``int`` or ``str`` may have.
_MAX_DIGITS: Final = 60


class UnitError(EgovplanError, ValueError):
    """A unit name that is unknown, or units (or a magnitude) that do not fit together.

    Attributes:
        name: the unit name at fault, when there is one.
        suggestions: known unit names close to ``name`` (possibly none).

    >>> check_unit("per_100_inhabitant")
    Traceback (most recent call last):
    ...
    egovplan.units.UnitError: unknown unit 'per_100_inhabitant'; did you mean ...?
    """

    def __init__(self, message: str, *, name: str = "", suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions


class UnitTypeError(EgovplanError, TypeError):
    """A unit name or a magnitude of the wrong type (a float magnitude, say).

    >>> quantity(0.5, "percent")
    Traceback (most recent call last):
    ...
    egovplan.units.UnitTypeError: a magnitude cannot be a float (0.5); pass Decimal or str ...
    """


# --- the registry -----------------------------------------------------------------------


def build_registry(definitions: Iterable[str] = ()) -> _Registry:
    """Build a new pint registry of egovplan's units, plus ``definitions`` if given.

    Every call builds a fresh registry; the functions of this module use the shared one
    from :func:`unit_registry` unless given ``registry=``. This is how to add units
    without changing anything global.

    Args:
        definitions: extra lines in pint's definition syntax (``"widgets = [widget]"``);
            they may not redefine egovplan's units.

    Raises:
        UnitError: a definition is malformed or redefines a unit.

    >>> mine = build_registry(["trainees = [trainee] = _ = trainee"])
    >>> is_known_unit("trainees", registry=mine), is_known_unit("trainees")
    (True, False)
    """
    import pint

    source = data_file(_DEFINITIONS)
    with resources.as_file(source) as path:
        registry: _Registry = pint.UnitRegistry(
            str(path), non_int_type=Decimal, on_redefinition="raise", cache_folder=None
        )
    lines = [definitions] if isinstance(definitions, str) else list(definitions)
    if lines:
        try:
            registry.load_definitions(lines)
        except (pint.errors.PintError, ValueError, TypeError) as error:
            raise UnitError(f"bad unit definitions: {error}") from None
    return registry


@functools.cache
def unit_registry() -> _Registry:
    """The shared pint registry of egovplan, built on first use and then reused.

    It holds only the units of ``egovplan/data/units.txt`` and uses ``Decimal``
    magnitudes. Treat it as read-only: to add units, use :func:`build_registry`.

    >>> unit_registry() is unit_registry()
    True
    """
    return build_registry()


def _registry(registry: _Registry | None) -> _Registry:
    return unit_registry() if registry is None else registry


@functools.cache
def _default_names() -> frozenset[str]:
    return frozenset(unit_registry())


def _names(registry: _Registry | None) -> frozenset[str]:
    # Every name, symbol and alias the registry defines (no plurals guessed by pint).
    # Only egovplan's own registry is cached: a registry of yours may still change.
    if registry is None or registry is unit_registry():
        return _default_names()
    return frozenset(registry)


def known_units(*, registry: _Registry | None = None) -> tuple[str, ...]:
    """The canonical names of the known units, sorted.

    >>> "per_100_inhabitants" in known_units(), "person" in known_units()
    (True, False)
    """
    reg = _registry(registry)
    return tuple(sorted({str(reg.get_name(name)) for name in _names(reg)}))


# --- names --------------------------------------------------------------------------------


def is_known_unit(name: object, *, registry: _Registry | None = None) -> bool:
    """Whether ``name`` is the name, symbol or alias of a known unit.

    Only names count: expressions (``"Mbps/civil_servant"``), amounts (``"1000 ₫"``) and
    plurals pint would guess (``"agencys"``) are not unit names.

    >>> is_known_unit("percent"), is_known_unit("databases"), is_known_unit("1000 ₫")
    (True, True, False)
    """
    return isinstance(name, str) and name in _names(_registry(registry))


def _looks_like_money(name: str) -> bool:
    if any(unicodedata.category(char) == "Sc" for char in name):
        return True
    from babel.numbers import is_currency

    return any(is_currency(word) for word in name.split() if word.isupper() and len(word) == 3)


def check_unit(name: object, *, registry: _Registry | None = None) -> str:
    """Check that ``name`` is a known unit and give its canonical name.

    Raises:
        UnitError: ``name`` is not a known unit; the message lists close names (also in
            ``error.suggestions``).
        UnitTypeError: ``name`` is not a ``str``.

    >>> check_unit("people"), check_unit("person"), check_unit("Mbps")
    ('people', 'people', 'mbps')
    >>> check_unit("1000 ₫")
    Traceback (most recent call last):
    ...
    egovplan.units.UnitError: unknown unit '1000 ₫'; money is not a unit: use egovplan.Money
    """
    if not isinstance(name, str):
        raise UnitTypeError(f"a unit name must be a str like 'percent', not {type(name).__name__}")
    reg = _registry(registry)
    names = _names(reg)
    if name in names:
        return str(reg.get_name(name))
    if len(name) > _MAX_NAME:
        raise UnitError(
            f"unknown unit {name[:40]!r}... ({len(name)} characters); unit names are short,"
            " see egovplan.units.known_units()",
            name=name,
        )
    if _looks_like_money(name):
        raise UnitError(
            f"unknown unit {name!r}; money is not a unit: use egovplan.Money", name=name
        )
    identifier = re.sub(r"\s*/\s*", "_per_", name.strip().lower())
    identifier = re.sub(r"[\s\-]+", "_", identifier)
    suggestions = tuple(
        dict.fromkeys(
            ([identifier] if identifier in names else [])
            + difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.6)
            + difflib.get_close_matches(identifier, sorted(names), n=3, cutoff=0.6)
        )
    )[:3]
    if suggestions:
        *others, last = (repr(s) for s in suggestions)
        hint = f"did you mean {', '.join(others)} or {last}?" if others else f"did you mean {last}?"
    else:
        hint = "see egovplan.units.known_units() for the unit names"
    raise UnitError(f"unknown unit {name!r}; {hint}", name=name, suggestions=suggestions)


def same_dimension(a: str, b: str, *, registry: _Registry | None = None) -> bool:
    """Whether units ``a`` and ``b`` measure the same kind of thing (so convert).

    Raises:
        UnitError: either is not a known unit.

    >>> same_dimension("mbps_per_civil_servant", "mbps_per_official")
    True
    >>> same_dimension("databases", "schools")
    False
    """
    reg = _registry(registry)
    return bool(
        reg.get_dimensionality(check_unit(a, registry=reg))
        == reg.get_dimensionality(check_unit(b, registry=reg))
    )


# --- quantities ---------------------------------------------------------------------------


def _magnitude(value: object) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise UnitTypeError("a magnitude cannot be a bool; pass Decimal, int or str")
    elif isinstance(value, int):
        if value.bit_length() > 4 * _MAX_DIGITS:
            raise UnitError(f"magnitude has too many digits (at most {_MAX_DIGITS})")
        number = Decimal(value)
    elif isinstance(value, str):
        if len(value) > _MAX_DIGITS + 10:
            raise UnitError(f"magnitude text is too long ({len(value)} characters)")
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise UnitError(f"{value!r} is not a decimal number; write it like '12.5'") from None
    elif isinstance(value, float):
        raise UnitTypeError(
            f"a magnitude cannot be a float ({value!r}); pass Decimal or str"
            " (e.g. Decimal('0.5'), not 0.5)"
        )
    else:
        raise UnitTypeError(f"a magnitude must be Decimal, int or str, not {type(value).__name__}")
    if not number.is_finite():
        raise UnitError(f"a magnitude must be finite, not {number}")
    return number


@in_own_context
def quantity(
    magnitude: Decimal | int | str, unit: str, *, registry: _Registry | None = None
) -> _Quantity:
    """A pint ``Quantity`` of ``magnitude`` (as a ``Decimal``) in ``unit``, built on demand.

    Args:
        magnitude: a ``Decimal``, ``int`` or decimal string; a ``float`` is a
            :class:`UnitTypeError`, NaN and infinities a :class:`UnitError`.
        unit: a known unit name (see :func:`check_unit`).
        registry: the registry to use; egovplan's own unless given.

    >>> q = quantity("2", "mbps_per_civil_servant")
    >>> q.magnitude, str(q.units)
    (Decimal('2'), 'mbps_per_civil_servant')
    """
    reg = _registry(registry)
    canonical = check_unit(unit, registry=reg)
    result: _Quantity = reg.Quantity(_magnitude(magnitude), canonical)
    return result


@in_own_context
def convert(
    magnitude: Decimal | int | str,
    from_unit: str,
    to_unit: str,
    *,
    registry: _Registry | None = None,
) -> Decimal:
    """Convert ``magnitude`` from ``from_unit`` to ``to_unit``, exactly.

    Raises:
        UnitError: a unit is unknown, the units measure different things, or the result
            would not be exact.

    >>> convert(3, "mbps_per_civil_servant", "mbps_per_official")
    Decimal('3')
    >>> convert("1", "bytes", "bits"), convert("1", "bits", "bytes")
    (Decimal('8'), Decimal('0.125'))
    >>> convert(50, "percent", "per_100_inhabitants")
    Traceback (most recent call last):
    ...
    egovplan.units.UnitError: cannot convert percent to per_100_inhabitants: ...
    """
    import pint

    reg = _registry(registry)
    source = quantity(magnitude, from_unit, registry=reg)
    target = check_unit(to_unit, registry=reg)
    try:
        with _localcontext(_EXACT):
            result: Any = source.to(target).magnitude
    except pint.DimensionalityError:
        raise UnitError(
            f"cannot convert {from_unit} to {to_unit}: they measure different things"
            f" ({reg.get_dimensionality(source.units)} and {reg.get_dimensionality(target)})",
            name=to_unit,
        ) from None
    except Inexact:
        raise UnitError(
            f"converting {magnitude} {from_unit} to {to_unit} is not exact", name=to_unit
        ) from None
    if not isinstance(result, Decimal):  # pragma: no cover - pint keeps Decimal magnitudes
        raise UnitError(f"converting {from_unit} to {to_unit} did not give a Decimal")
    return result


# --- labels -------------------------------------------------------------------------------


@functools.cache
def _builtin_labels() -> Mapping[str, Labels]:
    data = load_data(_LABELS)
    return MappingProxyType({name: Labels(texts) for name, texts in data.items()})


def unit_labels(
    name: str,
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    registry: _Registry | None = None,
) -> Labels:
    """The display labels of unit ``name`` (by locale), from ``data/unit_labels.toml``.

    Args:
        name: a unit name; an alias gives the labels of its canonical unit.
        labels: your own labels (unit name -> locale -> text), tried first.
        registry: the registry that knows ``name``; egovplan's own unless given.

    Raises:
        UnitError: ``name`` is not a known unit.

    A known unit without labels is labelled with its own name.

    >>> unit_labels("per_100_inhabitants")
    Labels({'vi': 'trên 100 dân', 'en': 'per 100 inhabitants'})
    """
    builtin = _builtin_labels()
    mine = labels or {}
    if not isinstance(mine, Mapping):
        raise UnitTypeError(
            f"labels must map unit names to labels by locale, not {type(mine).__name__}"
        )
    if registry is None and isinstance(name, str) and name in builtin and name not in mine:
        return builtin[name]  # the common case needs no pint at all
    canonical = check_unit(name, registry=registry)
    for source in (mine, builtin):
        for key in (name, canonical):
            if key in source:
                found = source[key]
                return found if isinstance(found, Labels) else Labels(found)
    return Labels({"en": canonical})


def unit_label(
    name: str,
    locale: str = "en",
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    registry: _Registry | None = None,
) -> str:
    """The display label of unit ``name`` in ``locale`` (falling back as :class:`Labels` does).

    >>> unit_label("databases", "vi"), unit_label("database", "en"), unit_label("rank", "vi_VN")
    ('cơ sở dữ liệu', 'databases', 'hạng')
    >>> unit_label("trainees", labels={"trainees": {"en": "trainees"}},
    ...            registry=build_registry(["trainees = [trainee]"]))
    'trainees'
    """
    return unit_labels(name, labels=labels, registry=registry).text(locale)
