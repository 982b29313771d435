"""Rendering of breakdown results, in one place: text, Markdown, HTML, CSV and JSON.

Every result (:class:`~egovplan.breakdowns.Breakdown`, :class:`~egovplan.breakdowns.Pivot`,
:class:`~egovplan.reconciliation.Reconciliation`, :class:`~egovplan.executions.Execution`)
renders through the base class here, which goes through the result's tables().
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from egovplan._decimal import methods_in_own_context
from egovplan._formats import FORMATS
from egovplan._grouping import Heading, word
from egovplan.tables import (
    Cell,
    DtypeBackend,
    Table,
    TableError,
)

if TYPE_CHECKING:
    from egovplan.exchange import ExchangeRate


def check_locale_unit(locale: str, unit: str) -> None:
    # Validate early so that a bad option is one clear error, not a deep one.
    Table(columns=(), locale=locale, unit=unit)


@methods_in_own_context
class Rendered:
    """Renderings shared by breakdown results: everything goes through :meth:`tables`."""

    __slots__ = ()

    locale: str
    unit: str

    def tables(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> tuple[Table, ...]:  # pragma: no cover - every subclass overrides
        """The result as one or more :class:`~egovplan.tables.Table` objects."""
        raise NotImplementedError

    def table(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> Table:
        """The result as a :class:`~egovplan.tables.Table` (the first, if several).

        Args:
            locale: ``"vi"`` or ``"en"`` (labels and number symbols); default: the
                display option's (:mod:`egovplan.display`), else the result's own
                ``locale``.
            unit: ``"one"``, ``"thousand"``, ``"million"`` or ``"billion"``; default:
                the display option's, else the result's own ``unit``.
            places: decimal places money is rounded to in ``unit``; ``None``: exact.
        """
        return self.tables(locale=locale, unit=unit, places=places)[0]

    def _joined(self, render: Callable[[Table], str], **options: Any) -> str:
        return "\n".join(render(table) for table in self.tables(**options))

    def to_text(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> str:
        """Plain text with aligned columns (see :meth:`table` for the options)."""
        return self._joined(Table.to_text, locale=locale, unit=unit, places=places)

    def to_markdown(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> str:
        """A Markdown table (see :meth:`table` for the options)."""
        return self._joined(Table.to_markdown, locale=locale, unit=unit, places=places)

    def to_html(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> str:
        """An HTML table, every text escaped (see :meth:`table` for the options)."""
        return self._joined(Table.to_html, locale=locale, unit=unit, places=places)

    def to_csv(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> str:
        """CSV with plain numbers in ``unit``, stated in the headers (see :meth:`table`)."""
        return self._joined(Table.to_csv, locale=locale, unit=unit, places=places)

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """The result as JSON-ready data (amounts as exact decimal strings)."""
        tables = self.tables(locale=locale)
        if len(tables) == 1:
            return tables[0].to_dict()
        return {"tables": [table.to_dict() for table in tables]}

    def to_json(self, *, locale: str | None = None) -> str:
        """:meth:`to_dict` as JSON text (two-space indent, UTF-8 characters kept)."""
        return json.dumps(self.to_dict(locale=locale), ensure_ascii=False, indent=2) + "\n"

    def render(
        self,
        fmt: str = "text",
        *,
        locale: str | None = None,
        unit: str | None = None,
        places: int | None = None,
    ) -> str:
        """The result in ``fmt``: ``text``, ``markdown``, ``html``, ``csv`` or ``json``.

        JSON always carries exact amounts in the currency's own unit, so ``unit`` and
        ``places`` do not apply to it.

        Raises:
            TableError: an unknown format, unit or locale.
        """
        if fmt not in FORMATS:
            raise TableError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        if fmt == "json":
            return self.to_json(locale=locale)
        render: Callable[..., str] = getattr(self, f"to_{fmt}")
        return render(locale=locale, unit=unit, places=places)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_records(self, *, locale: str | None = None) -> list[dict[str, Any]]:
        """The data rows as dicts (amounts as ``Decimal``, never floats; no totals)."""
        return self._data_table(locale=locale).to_records()

    def to_pandas(
        self,
        amounts: Literal["decimal", "minor_units"] = "minor_units",
        *,
        locale: str | None = None,
        dtype_backend: DtypeBackend = "pyarrow",
    ) -> Any:
        """The data rows as a ``pandas.DataFrame`` (needs ``egovplan[pandas]``).

        Every result names its columns alike: ``key`` and ``label`` for the first
        dimension (``key2`` and ``label2`` for a second one), then its amounts
        (``amount`` and ``share``; ``planned``, ``actual``, ``rate`` and ``remaining``
        for an execution). Amounts and shares are exact and numeric by default, so
        ``frame.describe()`` and ``frame.plot.bar(x="label", y="amount")`` work; a key
        column of years is ``Int64``.

        Args:
            amounts: ``"minor_units"`` (the default) for whole numbers of the minor unit
                (``int64``; đồng for VND), ``"decimal"`` for exact amounts in the
                currency's own unit; see :meth:`egovplan.tables.Table.to_pandas`.
            locale: the language of the ``label`` column.
            dtype_backend: ``"pyarrow"`` (Arrow decimal columns, numeric) or
                ``"numpy_nullable"`` (``Decimal`` objects), as pandas names them.
        """
        return self._data_table(locale=locale).to_pandas(amounts, dtype_backend=dtype_backend)

    def _data_table(self, *, locale: str | None) -> Table:  # pragma: no cover - overridden
        raise NotImplementedError


def result_notes(
    conversions: Sequence[ExchangeRate], locale: str, unstated: Sequence[Heading] = ()
) -> tuple[str, ...]:
    notes = tuple(rate.note(locale) for rate in conversions)
    if unstated:
        names = ", ".join(dict.fromkeys(heading.label(locale) for heading in unstated))
        notes += (word("unstated_note", locale).format(count=len(unstated), names=names),)
    return notes


def unstated_rows(unstated: Sequence[Heading], locale: str) -> tuple[tuple[Cell, ...], ...]:
    """A table row per key only sources without a stated amount have: "not stated"."""
    return tuple(
        (label, word("not_stated", locale), None)
        for label in dict.fromkeys(heading.label(locale) for heading in unstated)
    )
