"""Display options for a session: the locale and unit results render in by default.

A Vietnamese plan's breakdowns render in Vietnamese and in đồng unless told otherwise. In
a notebook, say once how you want to read them, as with ``pandas.option_context``:

>>> from egovplan.display import display_context, display_options
>>> with display_context(locale="en", unit="billion"):
...     display_options()
DisplayOptions(locale='en', unit='billion')
>>> display_options()
DisplayOptions(locale=None, unit=None)

:func:`set_display` sets them for the rest of the session instead (``None`` clears one).
They apply wherever a result is rendered without an explicit ``locale=`` or ``unit=``:
breakdowns, pivots, reconciliations and executions (``to_text``, ``to_html``, their
display in Jupyter, ...), a plan's display in Jupyter, rank tables and charts. An
argument passed to a call wins over them; without either, a result keeps its own
default (the plan's language, the unit it was built with).

The options live in a :class:`contextvars.ContextVar`, not in a global: a thread starts
without them, and each asyncio task works on a copy, so a web server or another tool
embedding egovplan sees no option one of its requests set for another.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Final

import attrs

from egovplan._fields import optional_text

__all__ = ["DisplayOptions", "display_context", "display_options", "set_display"]


def _check_locale(inst: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    optional_text(inst, attribute, value)
    if value is not None:
        from egovplan.tables import Table

        Table(columns=(), locale=value)  # a locale babel knows, as every table's


def _check_unit(inst: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    optional_text(inst, attribute, value)
    if value is not None:
        from egovplan.tables import Table

        Table(columns=(), unit=value)  # a unit tables know


@attrs.frozen(kw_only=True)
class DisplayOptions:
    """How results render when a call does not say.

    Attributes:
        locale: the locale of words and numbers (``"en"``, ``"vi"``, ``"fr_FR"``...);
            ``None``: each result's own (the plan's language).
        unit: the unit of magnitude money is shown in (``"one"``, ``"thousand"``,
            ``"million"``, ``"billion"``); ``None``: each result's own.

    Raises:
        FieldTypeError: a locale or unit that is not a ``str``.
        TableError: a locale babel does not know, or an unknown unit.
    """

    locale: str | None = attrs.field(default=None, validator=_check_locale)
    unit: str | None = attrs.field(default=None, validator=_check_unit)


_DEFAULT: Final = DisplayOptions()
_OPTIONS: Final[contextvars.ContextVar[DisplayOptions | None]] = contextvars.ContextVar(
    "egovplan_display_options", default=None
)


class _Keep:
    """The default of :func:`set_display` and :func:`display_context`: keep as it is."""

    def __repr__(self) -> str:
        return "<keep>"


_KEEP: Final = _Keep()


def display_options() -> DisplayOptions:
    """The display options in force here (this thread, this task)."""
    return _OPTIONS.get() or _DEFAULT


def _changed(locale: str | _Keep | None, unit: str | _Keep | None) -> DisplayOptions:
    current = display_options()
    return DisplayOptions(
        locale=current.locale if isinstance(locale, _Keep) else locale,
        unit=current.unit if isinstance(unit, _Keep) else unit,
    )


def set_display(
    *, locale: str | _Keep | None = _KEEP, unit: str | _Keep | None = _KEEP
) -> DisplayOptions:
    """Set display options for the rest of this context (a notebook's session).

    An option not passed is kept; ``None`` clears it. Returns the options now in force.

    Raises:
        TableError: a locale babel does not know, or an unknown unit (nothing is set).

    >>> import contextvars
    >>> contextvars.copy_context().run(set_display, locale="en")
    DisplayOptions(locale='en', unit=None)
    """
    options = _changed(locale, unit)
    _OPTIONS.set(options)
    return options


@contextlib.contextmanager
def display_context(
    *, locale: str | _Keep | None = _KEEP, unit: str | _Keep | None = _KEEP
) -> Iterator[DisplayOptions]:
    """Display options inside a ``with`` block only; the former ones come back after.

    An option not passed is kept from the options in force; ``None`` clears it.

    Raises:
        TableError: a locale babel does not know, or an unknown unit.
    """
    token = _OPTIONS.set(_changed(locale, unit))
    try:
        yield display_options()
    finally:
        _OPTIONS.reset(token)


def resolve_locale(locale: str | None, own: str) -> str:
    """The locale to render in: the argument, else the display option, else ``own``."""
    if locale is not None:
        return locale
    return display_options().locale or own


def resolve_unit(unit: str | None, own: str) -> str:
    """The unit to render in: the argument, else the display option, else ``own``."""
    if unit is not None:
        return unit
    return display_options().unit or own
