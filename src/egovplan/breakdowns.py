"""Funding breakdowns, pivots, reconciliation, phasing, planned vs actual, aggregation.

One call answers one question, exact to the last đồng:

- :func:`breakdown` -- how much by source, source kind, year, agency, administrative
  level, objective, task or budget category; with a second dimension, a :class:`Pivot`
  (e.g. source × year) with row and column totals. Amounts stay :class:`~egovplan.Money`;
  shares come from :func:`egovplan.allocation.shares` and sum to exactly 100.
- :func:`reconcile` -- the declared total against the sum of the sources and the sum of
  the budget lines, with the differences (overall and per source).
- :func:`phase`, :func:`phase_source`, :func:`phase_total` -- spread an amount over the
  years of the period by weights, exactly, as :class:`~egovplan.funding.BudgetLine` objects.
- :func:`execution` -- planned against actual (the plan's own flows,
  :class:`~egovplan.flows.Flow`, or :class:`Disbursement` records): the execution rate
  and the remaining amount per any dimension, or pair of dimensions.
- :func:`combine` -- one breakdown (or pivot) out of many plans' breakdowns (or pivots),
  converting currencies only with :class:`ExchangeRates` the caller supplies and
  recording the rates used.

Every result renders as text, Markdown, HTML, CSV and JSON, shows itself in Jupyter, and
gives its rows to pandas with the same column names (``key``, ``label``, ``key2``,
``label2``, then the amounts). ``egovplan.breakdown`` is :func:`breakdown`: this module
is named ``breakdowns`` so that importing it never hides the function.

**What is broken down.** The *sources* (``Funding.sources``) when every dimension is an
attribute of a source (``source``, ``kind``, ``category``): the plan's amounts as stated.
The *budget lines* (``Funding.lines``) otherwise (``year``, ``agency``, ``level``,
``objective``, ``task``): a line's kind is its source's kind, its category its own or else
its source's, its level its agency's level. Pass ``basis="lines"`` to break the budget
lines down by source, kind or category as well. A line that does not say (no year, no
agency) falls under ``None``, shown as "(unspecified)".

>>> from egovplan.funding import Funding, FundingSource
>>> from egovplan.labels import Labels
>>> from egovplan.money import Money
>>> def source(id, kind, billions):
...     return FundingSource(id=id, kind=kind, names=Labels(vi=id.title()),
...                          amount=Money(billions * 10**9, "VND"))
>>> funding = Funding(sources=(source("a", "central_support", 320),
...                            source("b", "socialisation", 100),
...                            source("c", "central_support", 80)))
>>> result = breakdown(funding, "kind")
>>> [(row.key, str(row.share)) for row in result.rows]
[('central_support', '80.00'), ('socialisation', '20.00')]
>>> print(result.to_text(locale="vi", unit="billion"), end="")
Kinh phí theo loại nguồn vốn
                               Đơn vị: tỷ đồng
Loại nguồn vốn               Số tiền  Tỷ lệ (%)
---------------------------  -------  ---------
Ngân sách Trung ương hỗ trợ      400      80,00
Nguồn xã hội hóa                 100      20,00
---------------------------  -------  ---------
Tổng cộng                        500     100,00
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import linecache
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import (
    ROUND_HALF_UP,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, overload

import attrs

from egovplan import _decimal
from egovplan import _fields as f
from egovplan._decimal import in_own_context, methods_in_own_context
from egovplan.allocation import Weight, shares
from egovplan.display import resolve_locale, resolve_unit
from egovplan.errors import CurrencyMismatchError, EgovplanError, FieldTypeError
from egovplan.exchange import ExchangeRate, ExchangeRates, in_one_currency
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.labels import Labels, localized
from egovplan.money import Money, MoneyError, _json_text
from egovplan.period import Period
from egovplan.tables import (
    Cell,
    Column,
    ColumnKind,
    DtypeBackend,
    Table,
    TableError,
    table_word,
)

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.flows import Flow
    from egovplan.plan import Plan

__all__ = [
    "Basis",
    "Breakdown",
    "BreakdownError",
    "BreakdownRow",
    "Dimension",
    "Disbursement",
    "ExchangeRate",
    "ExchangeRates",
    "Execution",
    "ExecutionRow",
    "Heading",
    "Pivot",
    "Reconciliation",
    "SourceReconciliation",
    "breakdown",
    "breakdown_command_output",
    "combine",
    "execution",
    "phase",
    "phase_source",
    "phase_total",
    "pivot",
    "plan_html",
    "plan_markdown",
    "plan_tables",
    "reconcile",
    "word",
]

#: A row or column key: a source / agency / objective / task id, a kind or category
#: code, a year, or ``None`` for items that do not say.
Key: TypeAlias = "str | int | None"

_CONTEXT: Final = _decimal.context(100)
# Sums are exact, as Money's own addition: a result that would need rounding raises.
_EXACT_SUM: Final = _decimal.context(
    200, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
_HUNDRED: Final = Decimal(100)


class BreakdownError(EgovplanError, ValueError):
    """A breakdown was asked for something it cannot do.

    An unknown dimension, a dimension the chosen basis does not have, nothing to take the
    currency from, breakdowns of different dimensions combined.
    """


class Dimension(enum.StrEnum):
    """What a breakdown groups amounts by."""

    @classmethod
    def _missing_(cls, value: object) -> Dimension:
        raise f.unknown_member(cls, value)

    SOURCE = "source"
    KIND = "kind"
    YEAR = "year"
    AGENCY = "agency"
    LEVEL = "level"
    OBJECTIVE = "objective"
    TASK = "task"
    CATEGORY = "category"

    def label(self, locale: str) -> str:
        """The dimension's name as a column heading (``"Nguồn vốn"``, ``"Funding source"``).

        >>> Dimension.SOURCE.label("vi"), Dimension("year").label("en")
        ('Nguồn vốn', 'Year')
        """
        return _dimension_word(self, "label", locale)

    def noun(self, locale: str) -> str:
        """The dimension's name inside a sentence (``"nguồn vốn"``, ``"source"``)."""
        return _dimension_word(self, "noun", locale)


#: The dimensions every funding source has; the others belong to budget lines.
SOURCE_DIMENSIONS: Final = frozenset({Dimension.SOURCE, Dimension.KIND, Dimension.CATEGORY})


class Basis(enum.StrEnum):
    """What is broken down: the funding sources or the budget lines."""

    @classmethod
    def _missing_(cls, value: object) -> Basis:
        raise f.unknown_member(cls, value)

    SOURCES = "sources"
    LINES = "lines"


# -- words -------------------------------------------------------------------------------


@functools.cache
def _data() -> dict[str, Any]:
    resource = resources.files("egovplan").joinpath("data", "breakdown.toml")
    with resource.open("rb") as stream:
        return tomllib.load(stream)


def _pick(table: Mapping[str, Any], locale: str) -> Any:
    if not isinstance(locale, str):
        raise FieldTypeError(f"locale must be a str like 'vi', not {type(locale).__name__}")
    language = locale.replace("-", "_").split("_", 1)[0]
    for candidate in (locale, language, "en"):
        if candidate in table:
            return table[candidate]
    raise BreakdownError(f"no words for locale {locale!r}")  # pragma: no cover - data has en


def _dimension_word(dimension: Dimension, which: str, locale: str) -> str:
    words: Mapping[str, str] = _pick(_data()["dimensions"][dimension.value], locale)
    return words[which]


def word(name: str, locale: str) -> str:
    """A word of breakdown tables and charts in ``locale`` (falling back to English).

    >>> word("planned", "vi"), word("planned", "en")
    ('Kế hoạch', 'Planned')
    """
    words: Mapping[str, str] = _pick(_data()["words"], locale)
    if not isinstance(name, str) or name not in words:
        raise BreakdownError(f"no breakdown word {name!r}")
    return words[name]


def _title(dimension: Dimension, locale: str, second: Dimension | None = None) -> str:
    if second is None:
        return word("breakdown_title", locale).format(noun=dimension.noun(locale))
    return word("pivot_title", locale).format(
        noun=dimension.noun(locale), noun2=second.noun(locale)
    )


def _to_dimension(value: Dimension | str) -> Dimension:
    try:
        return Dimension(value)
    except ValueError:
        known = ", ".join(d.value for d in Dimension)
        raise BreakdownError(f"unknown dimension {value!r}; expected one of: {known}") from None


def _to_optional_dimension(value: Dimension | str | None) -> Dimension | None:
    return None if value is None else _to_dimension(value)


def _to_basis(value: Basis | str) -> Basis:
    try:
        return Basis(value)
    except ValueError:
        raise BreakdownError(f"unknown basis {value!r}; expected 'sources' or 'lines'") from None


# -- rows and headings -------------------------------------------------------------------


def _label_of(key: Key, labels: Labels, locale: str) -> str:
    if labels:
        return labels.text(locale)
    if key is None:
        return table_word("unspecified", locale)
    return str(key)


@attrs.frozen(kw_only=True)
class Heading:
    """A row or column of a :class:`Pivot`: its key and its names.

    >>> Heading(key=2021).label("vi"), Heading(key=None).label("en")
    ('2021', '(unspecified)')
    """

    key: str | int | None = attrs.field(validator=f.instance((str, int), optional=True))
    labels: Labels = attrs.field(factory=Labels, validator=f.instance(Labels))

    def label(self, locale: str) -> str:
        """The name to show in ``locale``: a label, else the key, else "(unspecified)"."""
        return _label_of(self.key, self.labels, locale)


@attrs.frozen(kw_only=True)
class BreakdownRow:
    """One row of a :class:`Breakdown`.

    Attributes:
        key: what the row groups (a source id, kind code, year, ...; ``None``: not said).
        labels: its names per locale (empty for a year or an unknown id).
        amount: the row's amount.
        share: its percentage of the total (sums to exactly 100 over the rows), or
            ``None`` when shares are undefined (a zero total, a negative amount).
    """

    key: str | int | None = attrs.field(validator=f.instance((str, int), optional=True))
    labels: Labels = attrs.field(factory=Labels, validator=f.instance(Labels))
    amount: Money = attrs.field(validator=f.money(nonnegative=False))
    share: Decimal | None = attrs.field(default=None, validator=f.optional_decimal)

    def label(self, locale: str) -> str:
        """The name to show in ``locale``: a label, else the key, else "(unspecified)"."""
        return _label_of(self.key, self.labels, locale)


def _shares(amounts: Sequence[Money], places: int = 2) -> list[Decimal | None]:
    if not amounts or any(a.amount < 0 for a in amounts) or not any(amounts):
        return [None] * len(amounts)
    return list(shares(amounts, places=places))


def _check_locale_unit(locale: str, unit: str) -> None:
    # Validate early so that a bad option is one clear error, not a deep one.
    Table(columns=(), locale=locale, unit=unit)


@methods_in_own_context
class _Rendered:
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
        if fmt == "json":
            return self.to_json(locale=locale)
        renderers = {
            "text": self.to_text,
            "markdown": self.to_markdown,
            "html": self.to_html,
            "csv": self.to_csv,
        }
        if fmt not in renderers:
            raise TableError(
                f"unknown format {fmt!r}; expected one of: text, markdown, html, csv, json"
            )
        return renderers[fmt](locale=locale, unit=unit, places=places)

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


def _notes(
    conversions: Sequence[ExchangeRate], locale: str, unstated: Sequence[Heading] = ()
) -> tuple[str, ...]:
    notes = tuple(rate.note(locale) for rate in conversions)
    if unstated:
        names = ", ".join(dict.fromkeys(heading.label(locale) for heading in unstated))
        notes += (word("unstated_note", locale).format(count=len(unstated), names=names),)
    return notes


def _unstated_rows(unstated: Sequence[Heading], locale: str) -> tuple[tuple[Cell, ...], ...]:
    """A table row per key only sources without a stated amount have: "not stated"."""
    return tuple(
        (label, word("not_stated", locale), None)
        for label in dict.fromkeys(heading.label(locale) for heading in unstated)
    )


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Breakdown(_Rendered):
    """Amounts grouped by one :class:`Dimension`, with exact shares.

    Built by :func:`breakdown` (or :func:`combine`). Rows sum to :attr:`total` exactly.

    Attributes:
        by: the dimension.
        basis: what was broken down (sources or budget lines).
        currency: the currency of every amount.
        rows: the rows, in the plan's order (years ascending; ``None`` last).
        total: the sum of the rows.
        locale: the default locale of renderings (the plan's language).
        unit: the default unit of renderings.
        conversions: exchange rates used to bring amounts into :attr:`currency`
            (:func:`combine` only).
        unstated: the funding sources the plan names without an amount, as headings in
            :attr:`by` (key and names), one per source: they are in no row and not in
            :attr:`total`, and tables show them as "not stated", never as zero.
    """

    by: Dimension = attrs.field(converter=_to_dimension)
    basis: Basis = attrs.field(converter=_to_basis)
    currency: str = attrs.field(validator=f.text)
    rows: tuple[BreakdownRow, ...] = attrs.field(validator=f.tuple_of(BreakdownRow))
    total: Money = attrs.field(validator=f.money(nonnegative=False))
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)
    conversions: tuple[ExchangeRate, ...] = attrs.field(default=())
    unstated: tuple[Heading, ...] = attrs.field(default=(), validator=f.tuple_of(Heading))

    def __attrs_post_init__(self) -> None:
        _check_locale_unit(self.locale, self.unit)
        total = Money.zero(self.currency)
        for row in self.rows:
            if row.amount.currency != self.currency:
                raise CurrencyMismatchError(
                    f"Breakdown row {row.key!r} is in {row.amount.currency},"
                    f" the breakdown in {self.currency}"
                )
            total += row.amount
        if total != self.total:
            raise BreakdownError(f"Breakdown.total is {self.total} but the rows sum to {total}")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[BreakdownRow]:
        return iter(self.rows)

    @property
    def keys(self) -> tuple[Key, ...]:
        """The keys of the rows, in order."""
        return tuple(row.key for row in self.rows)

    def row(self, key: Key) -> BreakdownRow:
        """The row with ``key``.

        Raises:
            BreakdownError: no row has it.
        """
        for row in self.rows:
            if row.key == key:
                return row
        raise BreakdownError(
            f"no row {key!r} in the breakdown by {self.by}; keys: {list(self.keys)}"
        )

    def amount(self, key: Key) -> Money:
        """The amount of the row with ``key`` (zero when there is no such row)."""
        for row in self.rows:
            if row.key == key:
                return row.amount
        return Money.zero(self.currency)

    def tables(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> tuple[Table, ...]:
        """The breakdown as a table: one row per key, its amount and share, and a total."""
        loc = resolve_locale(locale, self.locale)
        total_share = (
            _HUNDRED.quantize(Decimal("0.01"), context=_CONTEXT)
            if self.rows and all(row.share is not None for row in self.rows)
            else None
        )
        table = Table(
            title=_title(self.by, loc),
            columns=(
                Column(key=self.by.value, label=self.by.label(loc)),
                Column(key="amount", label=word("amount", loc), kind=ColumnKind.MONEY),
                Column(key="share", label=word("share", loc), kind=ColumnKind.PERCENT),
            ),
            rows=tuple((row.label(loc), row.amount, row.share) for row in self.rows)
            + _unstated_rows([h for h in self.unstated if h.key not in set(self.keys)], loc),
            totals=(table_word("total", loc), self.total, total_share),
            locale=loc,
            unit=resolve_unit(unit, self.unit),
            places=places,
            notes=_notes(self.conversions, loc, self.unstated),
            currency=self.currency,
        )
        return (table,)

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """The JSON shape of ``egovplan breakdown --format json``.

        ``{"currency": ..., "total": "<amount> <currency>", "rows": [{"key", "label",
        "amount", "share"}]}``: amounts are written as in plan files (``"320000000000
        VND"``, exact, in the currency's own unit); a share is a decimal string
        (``"22.20"``) or ``null`` when undefined. When exchange rates were used, a
        ``"conversions"`` list records them.
        """
        loc = resolve_locale(locale, self.locale)
        data: dict[str, Any] = {
            "currency": self.currency,
            "total": _json_text(self.total),
            "rows": [
                {
                    "key": row.key,
                    "label": row.label(loc),
                    "amount": _json_text(row.amount),
                    "share": None if row.share is None else str(row.share),
                }
                for row in self.rows
            ],
        }
        if self.conversions:
            data["conversions"] = [rate.to_dict() for rate in self.conversions]
        if self.unstated:
            data["unstated"] = [
                {"key": heading.key, "label": heading.label(loc)} for heading in self.unstated
            ]
        return data

    def _data_table(self, *, locale: str | None) -> Table:
        loc = resolve_locale(locale, self.locale)
        keys = set(self.keys)
        return Table(
            columns=(
                Column(key="key", label="key"),
                Column(key="label", label="label"),
                Column(key="amount", label="amount", kind=ColumnKind.MONEY),
                Column(key="share", label="share", kind=ColumnKind.PERCENT),
            ),
            rows=tuple((row.key, row.label(loc), row.amount, row.share) for row in self.rows)
            + tuple(
                (key, label, None, None)
                for key, label in dict.fromkeys(
                    (h.key, h.label(loc)) for h in self.unstated if h.key not in keys
                )
            ),
            currency=self.currency,
        )


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Pivot(_Rendered):
    """Amounts grouped by two dimensions: rows by :attr:`by`, columns by :attr:`by2`.

    Built by :func:`pivot` (or :func:`breakdown` with ``by2``). Every row total is the sum
    of its cells, every column total the sum of its column, and both add up to
    :attr:`total`.

    Attributes:
        by: the rows' dimension.
        by2: the columns' dimension.
        basis: what was broken down.
        currency: the currency of every amount.
        rows: the row headings.
        columns: the column headings.
        cells: ``cells[i][j]`` is the amount of row ``i`` in column ``j`` (zero if none).
        locale: the default locale of renderings.
        unit: the default unit of renderings.
        conversions: exchange rates used to bring amounts into :attr:`currency`
            (:func:`combine` only).
    """

    by: Dimension = attrs.field(converter=_to_dimension)
    by2: Dimension = attrs.field(converter=_to_dimension)
    basis: Basis = attrs.field(converter=_to_basis)
    currency: str = attrs.field(validator=f.text)
    rows: tuple[Heading, ...] = attrs.field(validator=f.tuple_of(Heading))
    columns: tuple[Heading, ...] = attrs.field(validator=f.tuple_of(Heading))
    cells: tuple[tuple[Money, ...], ...] = attrs.field()
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)
    conversions: tuple[ExchangeRate, ...] = attrs.field(default=())

    @cells.validator
    def _check_cells(self, _: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple or len(value) != len(self.rows):
            raise BreakdownError(f"Pivot.cells must be a tuple of {len(self.rows)} rows")
        for index, row in enumerate(value):
            if type(row) is not tuple or len(row) != len(self.columns):
                raise BreakdownError(f"Pivot.cells[{index}] must hold {len(self.columns)} cells")
            for cell in row:
                if not isinstance(cell, Money) or cell.currency != self.currency:
                    raise CurrencyMismatchError(
                        f"Pivot.cells[{index}] holds {cell!r}; every cell must be {self.currency}"
                    )

    def __attrs_post_init__(self) -> None:
        _check_locale_unit(self.locale, self.unit)

    @property
    def row_totals(self) -> tuple[Money, ...]:
        """The total of each row."""
        zero = Money.zero(self.currency)
        return tuple(sum(row, zero) for row in self.cells)

    @property
    def column_totals(self) -> tuple[Money, ...]:
        """The total of each column."""
        zero = Money.zero(self.currency)
        return tuple(sum((row[j] for row in self.cells), zero) for j in range(len(self.columns)))

    @property
    def total(self) -> Money:
        """The grand total."""
        return sum(self.row_totals, Money.zero(self.currency))

    def cell(self, row: Key, column: Key) -> Money:
        """The amount at (``row``, ``column``), by key (zero when either is absent)."""
        for i, heading in enumerate(self.rows):
            if heading.key == row:
                for j, other in enumerate(self.columns):
                    if other.key == column:
                        return self.cells[i][j]
        return Money.zero(self.currency)

    def _margin(self, which: Literal["rows", "columns"]) -> Breakdown:
        headings = self.rows if which == "rows" else self.columns
        totals = self.row_totals if which == "rows" else self.column_totals
        percentages = _shares(totals)
        return Breakdown(
            by=self.by if which == "rows" else self.by2,
            basis=self.basis,
            currency=self.currency,
            rows=tuple(
                BreakdownRow(key=h.key, labels=h.labels, amount=amount, share=share)
                for h, amount, share in zip(headings, totals, percentages, strict=True)
            ),
            total=self.total,
            locale=self.locale,
            unit=self.unit,
        )

    def row_breakdown(self) -> Breakdown:
        """The row totals as a :class:`Breakdown` by :attr:`by`."""
        return self._margin("rows")

    def column_breakdown(self) -> Breakdown:
        """The column totals as a :class:`Breakdown` by :attr:`by2`."""
        return self._margin("columns")

    def _column_key(self, heading: Heading) -> str:
        return f"{self.by2.value}:{'' if heading.key is None else heading.key}"

    def tables(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> tuple[Table, ...]:
        """The pivot as a table.

        Rows by :attr:`by`, one column per :attr:`by2` key and a total column, and a
        totals row.
        """
        loc = resolve_locale(locale, self.locale)
        total_word = table_word("total", loc)
        columns = (
            Column(key=self.by.value, label=f"{self.by.label(loc)} \\ {self.by2.label(loc)}"),
            *(
                Column(key=self._column_key(h), label=h.label(loc), kind=ColumnKind.MONEY)
                for h in self.columns
            ),
            Column(key="total", label=total_word, kind=ColumnKind.MONEY),
        )
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (h.label(loc), *cells, total)
            for h, cells, total in zip(self.rows, self.cells, self.row_totals, strict=True)
        )
        table = Table(
            title=_title(self.by, loc, self.by2),
            columns=columns,
            rows=rows,
            totals=(total_word, *self.column_totals, self.total),
            locale=loc,
            unit=resolve_unit(unit, self.unit),
            places=places,
            notes=_notes(self.conversions, loc),
            currency=self.currency,
        )
        return (table,)

    def _flat(self) -> list[tuple[Heading, Heading, Money]]:
        return [
            (row, column, self.cells[i][j])
            for i, row in enumerate(self.rows)
            for j, column in enumerate(self.columns)
        ]

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """The JSON shape of ``egovplan breakdown --by2 ... --format json``.

        As :meth:`Breakdown.to_dict`, one entry per cell, where ``key`` and ``label`` are
        ``[row, column]`` pairs and ``share`` is the cell's share of the grand total;
        ``"conversions"`` lists the exchange rates used, if any.
        """
        loc = resolve_locale(locale, self.locale)
        flat = self._flat()
        percentages = _shares([amount for _, _, amount in flat])
        data: dict[str, Any] = {
            "currency": self.currency,
            "total": _json_text(self.total),
            "rows": [
                {
                    "key": [row.key, column.key],
                    "label": [row.label(loc), column.label(loc)],
                    "amount": _json_text(amount),
                    "share": None if share is None else str(share),
                }
                for (row, column, amount), share in zip(flat, percentages, strict=True)
            ],
        }
        if self.conversions:
            data["conversions"] = [rate.to_dict() for rate in self.conversions]
        return data

    def _data_table(self, *, locale: str | None) -> Table:
        # Long ("tidy") form: one record per cell, its share of the grand total.
        loc = resolve_locale(locale, self.locale)
        flat = self._flat()
        return Table(
            columns=(
                Column(key="key", label="key"),
                Column(key="label", label="label"),
                Column(key="key2", label="key2"),
                Column(key="label2", label="label2"),
                Column(key="amount", label="amount", kind=ColumnKind.MONEY),
                Column(key="share", label="share", kind=ColumnKind.PERCENT),
            ),
            rows=tuple(
                (row.key, row.label(loc), column.key, column.label(loc), amount, share)
                for (row, column, amount), share in zip(
                    flat, _shares([amount for _, _, amount in flat]), strict=True
                )
            ),
            currency=self.currency,
        )

    def to_pandas(
        self,
        amounts: Literal["decimal", "minor_units"] = "minor_units",
        *,
        locale: str | None = None,
        dtype_backend: DtypeBackend = "pyarrow",
        wide: bool = False,
    ) -> Any:
        """The pivot as a ``pandas.DataFrame`` (needs ``egovplan[pandas]``).

        Long by default: one record per cell (``key``, ``label``, ``key2``, ``label2``,
        ``amount``, ``share``), as every result names its columns (see
        :meth:`Breakdown.to_pandas`). With ``wide=True``, the grid as the table shows
        it, in the plan's order: one row per :attr:`by` heading, one column per
        :attr:`by2` heading (years as ``int``, others by their label in ``locale``;
        a label two headings share gets its key in brackets), no totals; so
        ``frame.plot.bar(stacked=True)`` draws it.
        """
        if not wide:
            return super().to_pandas(amounts, locale=locale, dtype_backend=dtype_backend)
        loc = resolve_locale(locale, self.locale)
        table = Table(
            columns=tuple(
                Column(key=f"c{j}", label=f"c{j}", kind=ColumnKind.MONEY)
                for j in range(len(self.columns))
            ),
            rows=self.cells,
            currency=self.currency,
        )
        frame = table.to_pandas(amounts, dtype_backend=dtype_backend)
        frame.columns = _heading_names(self.columns, loc)
        frame.columns.name = self.by2.value
        frame.index = _heading_names(self.rows, loc)
        frame.index.name = self.by.value
        return frame


def _heading_names(headings: Sequence[Heading], locale: str) -> list[str | int]:
    """Names of pivot headings as pandas labels: years as ints, else unique labels."""
    labels = [heading.label(locale) for heading in headings]
    names: list[str | int] = []
    for heading, label in zip(headings, labels, strict=True):
        if isinstance(heading.key, int):
            names.append(heading.key)
        elif labels.count(label) > 1:
            names.append(f"{label} [{'' if heading.key is None else heading.key}]")
        else:
            names.append(label)
    return names


# -- computing breakdowns -----------------------------------------------------------------


def _category_labels(category: BudgetCategory, catalogues: Catalogues | None) -> Labels:
    labels = category.labels(catalogues)
    return Labels({locale: text[:1].upper() + text[1:] for locale, text in labels.items()})


@attrs.frozen
class _Item:
    """One amount to break down, with every attribute a dimension can read."""

    amount: Money
    source: str | None
    kind: str | None
    year: int | None
    agency: str | None
    level: str | None
    objective: str | None
    task: str | None
    category: BudgetCategory | None

    def key(self, dimension: Dimension) -> Key:
        value: Key | BudgetCategory = getattr(self, dimension.value)
        return value.value if isinstance(value, BudgetCategory) else value


class _Context:
    """What a breakdown needs to know about a plan (or a bare :class:`Funding`)."""

    def __init__(self, plan: Plan | Funding, catalogues: Catalogues | None) -> None:
        from egovplan.plan import Plan

        if isinstance(plan, Funding):
            self.funding = plan
            self.plan: Plan | None = None
        elif isinstance(plan, Plan):
            self.funding = plan.funding
            self.plan = plan
        else:
            raise FieldTypeError(f"expected a Plan or a Funding, not {type(plan).__name__}")
        self.catalogues = catalogues
        self.sources: dict[str, FundingSource] = {}
        for source in self.funding.sources:
            self.sources.setdefault(source.id, source)
        self.source_order = {sid: i for i, sid in enumerate(self.sources)}
        self._kinds: Any = None
        #: The recorded exchange rates :meth:`records` converted by.
        self.conversions: tuple[ExchangeRate, ...] = ()

    @property
    def language(self) -> str:
        return "en" if self.plan is None else self.plan.metadata.language

    def agency_level(self, agency: str | None) -> str | None:
        if agency is None or self.plan is None:
            return None
        found = self.plan.index.agencies.get(agency)
        return None if found is None else found.level

    def unstated(self, dimension: Dimension) -> tuple[Heading, ...]:
        """The sources without a stated amount, as headings in ``dimension``."""
        found = []
        for source in self.funding.sources:
            if source.amount is None:
                if dimension is Dimension.SOURCE:
                    key: Key = source.id
                elif dimension is Dimension.KIND:
                    key = source.kind
                elif dimension is Dimension.CATEGORY and source.category is not None:
                    key = source.category.value
                else:
                    key = None
                found.append(Heading(key=key, labels=self.labels(dimension, key)))
        return tuple(found)

    def items(self, basis: Basis) -> list[_Item]:
        if basis is Basis.SOURCES:
            return [
                _Item(
                    amount=s.amount,
                    source=s.id,
                    kind=s.kind,
                    year=None,
                    agency=None,
                    level=None,
                    objective=None,
                    task=None,
                    category=s.category,
                )
                for s in self.funding.sources
                if s.amount is not None
            ]
        items = []
        for line in self.funding.lines:
            source = self.sources.get(line.source)
            category = line.category
            if category is None and source is not None:
                category = source.category
            items.append(
                _Item(
                    amount=line.amount,
                    source=line.source,
                    kind=None if source is None else source.kind,
                    year=line.budget_year,
                    agency=line.agency,
                    level=self.agency_level(line.agency),
                    objective=line.objective,
                    task=line.task,
                    category=category,
                )
            )
        return items

    def key_of(self, dimension: Dimension, basis: Basis) -> str | Callable[[Any], Key]:
        """How to read ``dimension``'s key from a source or a budget line.

        The name of the record's attribute when the key is one (read in the summing
        loop's own code, the fast path: see :func:`_sum_loop`), else a function.
        """
        if basis is Basis.SOURCES:
            match dimension:
                case Dimension.SOURCE:
                    return "id"
                case Dimension.KIND:
                    return "kind"
                case Dimension.CATEGORY:
                    return lambda source: None if source.category is None else source.category.value
            return lambda _: None
        if dimension is Dimension.YEAR and any(
            line.year is None and line.period is not None for line in self.funding.lines
        ):
            return lambda line: line.budget_year  # a line given by a period inside a year
        match dimension:
            case (
                Dimension.SOURCE
                | Dimension.YEAR
                | Dimension.AGENCY
                | Dimension.OBJECTIVE
                | Dimension.TASK
            ):
                return dimension.value
            case Dimension.KIND:
                kinds = {sid: source.kind for sid, source in self.sources.items()}
                return lambda line: kinds.get(line.source)
            case Dimension.CATEGORY:
                fallback = {sid: source.category for sid, source in self.sources.items()}

                def category(line: BudgetLine) -> Key:
                    found = line.category or fallback.get(line.source)
                    return None if found is None else found.value

                return category
        levels: dict[str | None, str | None] = {}
        if self.plan is not None:
            levels = {aid: agency.level for aid, agency in self.plan.index.agencies.items()}
        return lambda line: levels.get(line.agency)

    def records(self, basis: Basis, dimensions: Sequence[Dimension] = ()) -> tuple[Any, ...]:
        """The sources or the budget lines, whichever ``basis`` breaks down.

        Raises:
            BreakdownError: the budget lines are asked for and there are none while there
                are sources: the breakdown would be a silent zero, so it names the plan
                and what to do instead.
        """
        if basis is Basis.SOURCES:
            return self.in_one_currency(
                tuple(s for s in self.funding.sources if s.amount is not None)
            )
        if not self.funding.lines and self.funding.sources:
            what = "the funding" if self.plan is None else f"plan {self.plan.id!r}"
            by = " × ".join(str(dimension) for dimension in dimensions) or "budget line"
            raise BreakdownError(
                f"{what} has {len(self.funding.sources)} funding source(s) but no budget"
                f" lines, so it cannot be broken down by {by}: break it down by source"
                " (or kind, category) instead, or phase the sources over the years into"
                " budget lines first (egovplan.breakdowns.phase_total)"
            )
        return self.in_one_currency(self.funding.lines)

    def in_one_currency(self, records: tuple[Any, ...]) -> tuple[Any, ...]:
        """``records`` in the funding's currency, by its recorded rates (if it has any).

        Without recorded rates the records come back as they are (and summing refuses a
        mix of currencies); with them, a currency without a rate is an error naming it.
        """
        currency = self.funding.currency
        if not self.funding.exchange_rates or currency is None:
            return records
        converted, self.conversions = in_one_currency(records, currency, self.funding.rates)
        return tuple(converted)

    def record_currency(self, records: Sequence[Any]) -> str:
        """The currency of the records' amounts (sources, lines, items), or the plan's one."""
        if records:
            return str(records[0].amount.currency)
        found = self.funding.currencies
        if len(found) == 1:
            return next(iter(found))
        unstated = self.funding.unstated
        if not found and unstated:
            names = ", ".join(s.name(self.language) for s in unstated)
            raise BreakdownError(
                f"no funding source states an amount ({len(unstated)} named without one:"
                f" {names}), so there is nothing to break down"
            )
        raise BreakdownError(
            "nothing to break down and no single currency to state the zero total in"
            f" (currencies found: {sorted(found) or 'none'})"
        )

    def labels(self, dimension: Dimension, key: Key) -> Labels:
        if key is None:
            return Labels()
        match dimension:
            case Dimension.SOURCE:
                source = self.sources.get(str(key))
                return Labels() if source is None else source.names
            case Dimension.KIND:
                return self._catalogue_labels("funding_source_kinds", str(key))
            case Dimension.CATEGORY:
                return _category_labels(BudgetCategory(str(key)), self.catalogues)
            case Dimension.YEAR:
                return Labels()
        if self.plan is None:
            return Labels()
        index = self.plan.index
        match dimension:
            case Dimension.AGENCY:
                agency = index.agencies.get(str(key))
                return Labels() if agency is None else agency.names
            case Dimension.LEVEL:
                level = index.levels.get(str(key))
                if level is not None:
                    return level.names
                return self._catalogue_labels("levels", str(key))
            case Dimension.OBJECTIVE:
                objective = index.objectives.get(str(key))
                if objective is None or not objective.text:
                    return Labels()
                return _shortened(objective.text, self.language)
            case _:
                task = index.tasks.get(str(key))
                if task is None or not task.title:
                    return Labels()
                return _shortened(task.title, self.language)

    def _catalogue_labels(self, name: str, code: str) -> Labels:
        from egovplan.catalog import Catalogues

        catalogues = self.catalogues if self.catalogues is not None else Catalogues.default()
        kind = catalogues[name].get(code)
        return Labels() if kind is None else kind.labels

    def order(self, dimension: Dimension) -> Callable[[Key], tuple[int, int, str]]:
        """A sort key putting keys in the plan's order, unknown ones after, ``None`` last."""
        positions: dict[Any, int] = {}
        match dimension:
            case Dimension.SOURCE:
                positions = self.source_order
            case Dimension.KIND:
                for source in self.sources.values():
                    positions.setdefault(source.kind, len(positions))
            case Dimension.CATEGORY:
                positions = {c.value: i for i, c in enumerate(BudgetCategory)}
            case Dimension.AGENCY if self.plan is not None:
                positions = {a: i for i, a in enumerate(self.plan.index.agencies)}
            case Dimension.LEVEL if self.plan is not None:
                positions = {lvl.id: lvl.order for lvl in self.plan.levels}
            case Dimension.OBJECTIVE if self.plan is not None:
                positions = {o: i for i, o in enumerate(self.plan.index.objectives)}
            case Dimension.TASK if self.plan is not None:
                positions = {t: i for i, t in enumerate(self.plan.index.tasks)}

        def sort_key(key: Key) -> tuple[int, int, str]:
            if key is None:
                return (2, 0, "")
            if isinstance(key, int):
                return (0, key, "")
            if key in positions:
                return (0, positions[key], "")
            return (1, 0, key)

        return sort_key


def _shortened(text: str | Labels, language: str) -> Labels:
    """A text field as labels: each language's text shortened; a ``str`` in ``language``."""
    if isinstance(text, Labels):
        return Labels({locale: _shorten(label) for locale, label in text.items()})
    return Labels({language: _shorten(text)})


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _resolve_basis(dimensions: Iterable[Dimension], basis: Basis | str | None) -> Basis:
    dims = list(dimensions)
    if basis is None:
        return Basis.SOURCES if all(d in SOURCE_DIMENSIONS for d in dims) else Basis.LINES
    chosen = _to_basis(basis)
    if chosen is Basis.SOURCES:
        for dimension in dims:
            if dimension not in SOURCE_DIMENSIONS:
                raise BreakdownError(
                    f"funding sources have no {dimension}; break the budget lines down"
                    " instead (basis='lines')"
                )
    return chosen


_ZERO: Final = Decimal(0)


#: The loop of :func:`_sum_by`; ``{parameters}`` and ``{key}`` are filled in by
#: :func:`_sum_loop`.
_SUM_LOOP: Final = """\
def sum_by(records, currency{parameters}):
    sums = {{}}
    get = sums.get
    # A loaded plan's amounts share one currency object per code: after the first
    # record, checking the currency is a test of identity.
    same = currency
    with localcontext(_EXACT_SUM):
        for record in records:
            amount = record.amount
            if amount.currency is not same:
                if amount.currency != currency:
                    raise _mismatch(currency, amount.currency)
                same = amount.currency
            key = {key}
            sums[key] = get(key, _ZERO) + amount.amount
    return sums
"""


#: The attributes breakdowns read as keys (:meth:`_Context.key_of`): the only names
#: :func:`_sum_loop` writes into the code it generates.
_KEY_ATTRIBUTES: Final = frozenset({"id", "kind", "source", "year", "agency", "objective", "task"})


def _mismatch(currency: str, other: str) -> CurrencyMismatchError:
    return CurrencyMismatchError(f"cannot add {currency} and {other} amounts; convert one first")


@functools.cache
def _sum_loop(names: tuple[str | None, ...]) -> Callable[..., dict[Any, Decimal]]:
    """The loop of :func:`_sum_by` for keys read as ``names`` say.

    A name is a record's attribute, read as ``record.<name>``; None stands for the next
    function passed after ``currency``, called on the record. The loop is generated once
    per tuple of names, as attrs generates ``__init__``: an attribute read written in the
    loop's own code is specialised by CPython and costs several times less than one
    through :func:`operator.attrgetter`, and this loop runs once per budget line
    (breakdowns by source and year went from about 1.4 to 1.1 times a plain dict loop).
    Only names of :data:`_KEY_ATTRIBUTES` are taken, so every text this runs is one of a
    few fixed by this module: nothing from a document or a caller reaches it.
    """
    parts: list[str] = []
    parameters: list[str] = []
    for name in names:
        if name is None:
            parameters.append(f"key{len(parameters)}")
            parts.append(f"{parameters[-1]}(record)")
        elif name in _KEY_ATTRIBUTES:
            parts.append(f"record.{name}")
        else:
            raise BreakdownError(f"not an attribute breakdowns read: {name!r}")
    source = _SUM_LOOP.format(
        parameters="".join(f", {parameter}" for parameter in parameters),
        key=parts[0] if len(parts) == 1 else f"({', '.join(parts)})",
    )
    namespace: dict[str, Any] = {
        "localcontext": localcontext,
        "_EXACT_SUM": _EXACT_SUM,
        "_ZERO": _ZERO,
        "_mismatch": _mismatch,
    }
    # Named, and its text kept in linecache (as attrs does), so that a traceback through
    # the loop shows its lines.
    label = ", ".join("<function>" if name is None else name for name in names)
    filename = f"<egovplan generated breakdown loop by {label}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    loop: Callable[..., dict[Any, Decimal]] = namespace["sum_by"]
    return loop


def _sum_by(
    records: Sequence[Any], keys: Sequence[str | Callable[[Any], Key]], currency: str
) -> dict[Any, Decimal]:
    """Exact Decimal sums of the records' amounts by their keys (Money only at the end).

    ``keys`` are attribute names or functions of a record; the sums are keyed by the one
    key's value, or by a tuple of them.
    """
    loop = _sum_loop(tuple(key if isinstance(key, str) else None for key in keys))
    try:
        return loop(records, currency, *(key for key in keys if not isinstance(key, str)))
    except Inexact:
        raise MoneyError("a sum has too many digits to be exact; round the amounts first") from None


def _group(
    context: _Context, records: Sequence[Any], dimension: Dimension, basis: Basis, currency: str
) -> dict[Key, Money]:
    sums = _sum_by(records, [context.key_of(dimension, basis)], currency)
    order = context.order(dimension)
    return {key: Money(sums[key], currency) for key in sorted(sums, key=order)}


def _locale_of(context: _Context, locale: str | None) -> str:
    return context.language if locale is None else locale


@overload
def breakdown(
    plan: Plan | Funding,
    by: Dimension | str,
    by2: None = None,
    *,
    basis: Basis | str | None = None,
    locale: str | None = None,
    unit: str = "one",
    catalogues: Catalogues | None = None,
) -> Breakdown: ...
@overload
def breakdown(
    plan: Plan | Funding,
    by: Dimension | str,
    by2: Dimension | str,
    *,
    basis: Basis | str | None = None,
    locale: str | None = None,
    unit: str = "one",
    catalogues: Catalogues | None = None,
) -> Pivot: ...
@in_own_context
def breakdown(
    plan: Plan | Funding,
    by: Dimension | str,
    by2: Dimension | str | None = None,
    *,
    basis: Basis | str | None = None,
    locale: str | None = None,
    unit: str = "one",
    catalogues: Catalogues | None = None,
) -> Breakdown | Pivot:
    """Break a plan's funding down by one dimension, or by two as a :class:`Pivot`.

    Args:
        plan: a :class:`~egovplan.plan.Plan`, or just its :class:`Funding` (then agency,
            level, objective and task rows are labelled by id only).
        by: ``"source"``, ``"kind"``, ``"year"``, ``"agency"``, ``"level"``,
            ``"objective"``, ``"task"`` or ``"category"`` (or a :class:`Dimension`).
        by2: a second dimension for a pivot table (rows ``by``, columns ``by2``).
        basis: ``"sources"`` or ``"lines"``; by default the sources when every dimension
            is one a source has (source, kind, category), else the budget lines.
        locale: the default locale of renderings (default: the plan's language).
        unit: the default unit of renderings (``"one"``, ``"million"``, ``"billion"``).
        catalogues: where kind and category names come from (default: built-in).

    Raises:
        BreakdownError: an unknown dimension, or sources asked for a line dimension.
        CurrencyMismatchError: the amounts are in more than one currency.

    >>> from egovplan.funding import Funding, FundingSource, BudgetLine
    >>> from egovplan.labels import Labels
    >>> from egovplan.money import Money
    >>> s = FundingSource(id="s", kind="grant", names=Labels(en="Grant"),
    ...                   amount=Money(300, "VND"))
    >>> lines = tuple(BudgetLine(id=f"s-{y}", source="s", year=y, amount=Money(a, "VND"))
    ...               for y, a in ((2021, 100), (2022, 200)))
    >>> table = breakdown(Funding(sources=(s,), lines=lines), "source", "year")
    >>> [str(m) for m in table.column_totals], str(table.total)
    (['100 VND', '200 VND'], '300 VND')
    """
    first = _to_dimension(by)
    context = _Context(plan, catalogues)
    loc = _locale_of(context, locale)
    if by2 is not None:
        return _pivot(context, first, _to_dimension(by2), basis, loc, unit)
    chosen = _resolve_basis([first], basis)
    records = context.records(chosen, [first])
    currency = context.record_currency(records)
    groups = _group(context, records, first, chosen, currency)
    amounts = list(groups.values())
    rows = tuple(
        BreakdownRow(key=key, labels=context.labels(first, key), amount=amount, share=share)
        for (key, amount), share in zip(groups.items(), _shares(amounts), strict=True)
    )
    return Breakdown(
        by=first,
        basis=chosen,
        currency=currency,
        rows=rows,
        total=sum(amounts, Money.zero(currency)),
        locale=loc,
        unit=unit,
        unstated=context.unstated(first) if chosen is Basis.SOURCES else (),
        conversions=context.conversions,
    )


@in_own_context
def pivot(
    plan: Plan | Funding,
    by: Dimension | str,
    by2: Dimension | str,
    *,
    basis: Basis | str | None = None,
    locale: str | None = None,
    unit: str = "one",
    catalogues: Catalogues | None = None,
) -> Pivot:
    """A two-dimensional breakdown: :func:`breakdown` with ``by2`` (same arguments)."""
    return breakdown(plan, by, by2, basis=basis, locale=locale, unit=unit, catalogues=catalogues)


def _pivot(
    context: _Context,
    first: Dimension,
    second: Dimension,
    basis: Basis | str | None,
    locale: str,
    unit: str,
) -> Pivot:
    if first is second:
        raise BreakdownError(f"a pivot needs two different dimensions, not {first} twice")
    chosen = _resolve_basis([first, second], basis)
    records = context.records(chosen, [first, second])
    currency = context.record_currency(records)
    sums = _sum_by(
        records, [context.key_of(first, chosen), context.key_of(second, chosen)], currency
    )
    row_keys = sorted({r for r, _ in sums}, key=context.order(first))
    column_keys = sorted({c for _, c in sums}, key=context.order(second))
    zero = Money.zero(currency)
    grid = [
        [zero if (r, c) not in sums else Money(sums[r, c], currency) for c in column_keys]
        for r in row_keys
    ]
    return Pivot(
        by=first,
        by2=second,
        basis=chosen,
        currency=currency,
        rows=tuple(Heading(key=k, labels=context.labels(first, k)) for k in row_keys),
        columns=tuple(Heading(key=k, labels=context.labels(second, k)) for k in column_keys),
        cells=tuple(tuple(row) for row in grid),
        locale=locale,
        unit=unit,
        conversions=context.conversions,
    )


# -- reconciliation ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SourceReconciliation:
    """One source's amount against the sum of its budget lines.

    Attributes:
        source: the source id (a line may name a source the plan does not have).
        labels: the source's names (empty for an unknown source).
        amount: the source's stated amount (``None`` for an unknown source, or one the
            plan names without an amount).
        lines: the sum of the budget lines paid from it.
        line_count: how many budget lines it has.
    """

    source: str = attrs.field(validator=f.check_id)
    labels: Labels = attrs.field(validator=f.instance(Labels))
    amount: Money | None = attrs.field(validator=f.money(optional=True, nonnegative=False))
    lines: Money = attrs.field(validator=f.money(nonnegative=False))
    line_count: int = attrs.field(validator=f.instance(int))
    stated: bool = attrs.field(default=True, validator=f.instance(bool))

    @property
    def difference(self) -> Money | None:
        """``amount - lines``, or ``None`` for a source named without an amount.

        An unknown source's amount counts as zero; a source the plan names without an
        amount (:attr:`stated` false) has no difference.
        """
        if not self.stated:
            return None
        amount = self.amount if self.amount is not None else Money.zero(self.lines.currency)
        return amount - self.lines

    def label(self, locale: str) -> str:
        """The source's name in ``locale`` (its id when it has none)."""
        return _label_of(self.source, self.labels, locale)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Reconciliation(_Rendered):
    """The declared total, the sum of the sources and the sum of the budget lines.

    Built by :func:`reconcile`. A difference is ``None`` when one side is missing (no
    declared total, no budget lines).

    Attributes:
        currency: the currency of every amount.
        declared: the total the document declares, if any.
        sources: the sum of the funding sources.
        lines: the sum of the budget lines, or ``None`` when the plan has none.
        by_source: each source against its budget lines (empty without lines).
        locale: the default locale of renderings.
        unit: the default unit of renderings.
        unstated: the sources the plan names without an amount: not in :attr:`sources`
            (tables say so), and a difference they may explain does not make the
            reconciliation unbalanced.
    """

    currency: str = attrs.field(validator=f.text)
    declared: Money | None = attrs.field(validator=f.money(optional=True, nonnegative=False))
    sources: Money = attrs.field(validator=f.money(nonnegative=False))
    lines: Money | None = attrs.field(validator=f.money(optional=True, nonnegative=False))
    by_source: tuple[SourceReconciliation, ...] = attrs.field(
        default=(), validator=f.tuple_of(SourceReconciliation)
    )
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)
    unstated: tuple[Heading, ...] = attrs.field(default=(), validator=f.tuple_of(Heading))

    def __attrs_post_init__(self) -> None:
        _check_locale_unit(self.locale, self.unit)

    @property
    def declared_minus_sources(self) -> Money | None:
        """Declared total minus the sum of the sources (``None`` without a total)."""
        return None if self.declared is None else self.declared - self.sources

    @property
    def declared_minus_lines(self) -> Money | None:
        """Declared total minus the sum of the lines (``None`` if either is missing)."""
        if self.declared is None or self.lines is None:
            return None
        return self.declared - self.lines

    @property
    def sources_minus_lines(self) -> Money | None:
        """Sum of the sources minus the sum of the lines (``None`` without lines)."""
        return None if self.lines is None else self.sources - self.lines

    @property
    def balanced(self) -> bool:
        """Whether every amount that is there agrees (and every source with its lines).

        With sources that state no amount, the sum of the sources is not compared: the
        unstated sources may make up the difference.
        """
        partial = bool(self.unstated)
        differences = (
            None if partial else self.declared_minus_sources,
            self.declared_minus_lines,
            None if partial else self.sources_minus_lines,
            *(row.difference for row in self.by_source),
        )
        return all(d is None or not d for d in differences)

    def tables(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> tuple[Table, ...]:
        """A summary table and, when the plan has budget lines, one row per source."""
        loc = resolve_locale(locale, self.locale)
        shown_unit = resolve_unit(unit, self.unit)
        summary = Table(
            title=word("reconciliation_title", loc),
            columns=(
                Column(key="item", label=word("item", loc)),
                Column(key="amount", label=word("amount", loc), kind=ColumnKind.MONEY),
                Column(key="difference", label=word("difference", loc), kind=ColumnKind.MONEY),
            ),
            rows=(
                (word("declared", loc), self.declared, None),
                (word("sum_of_sources", loc), self.sources, self.declared_minus_sources),
                (word("sum_of_lines", loc), self.lines, self.declared_minus_lines),
            ),
            locale=loc,
            unit=shown_unit,
            places=places,
            notes=_notes((), loc, self.unstated),
            currency=self.currency,
        )
        if not self.by_source:
            return (summary,)
        zero = Money.zero(self.currency)
        per_source = Table(
            title=word("reconciliation_by_source_title", loc),
            columns=(
                Column(key="source", label=Dimension.SOURCE.label(loc)),
                Column(key="amount", label=word("source_amount", loc), kind=ColumnKind.MONEY),
                Column(key="lines", label=word("lines_amount", loc), kind=ColumnKind.MONEY),
                Column(
                    key="difference", label=word("source_difference", loc), kind=ColumnKind.MONEY
                ),
            ),
            rows=tuple(
                (
                    row.label(loc),
                    row.amount if row.stated else word("not_stated", loc),
                    row.lines,
                    row.difference,
                )
                for row in self.by_source
            ),
            totals=(
                table_word("total", loc),
                self.sources,
                self.lines if self.lines is not None else zero,
                self.sources_minus_lines,
            ),
            locale=loc,
            unit=shown_unit,
            places=places,
            currency=self.currency,
        )
        return (summary, per_source)

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """The reconciliation as JSON-ready data (money as in plan files; ``null`` if absent)."""
        loc = resolve_locale(locale, self.locale)

        def text(amount: Money | None) -> str | None:
            return None if amount is None else _json_text(amount)

        return {
            "currency": self.currency,
            "declared": text(self.declared),
            "sources": text(self.sources),
            "lines": text(self.lines),
            "declared_minus_sources": text(self.declared_minus_sources),
            "declared_minus_lines": text(self.declared_minus_lines),
            "sources_minus_lines": text(self.sources_minus_lines),
            "balanced": self.balanced,
            **(
                {"unstated": [{"key": h.key, "label": h.label(loc)} for h in self.unstated]}
                if self.unstated
                else {}
            ),
            "by_source": [
                {
                    "key": row.source,
                    "label": row.label(loc),
                    "amount": text(row.amount),
                    "lines": text(row.lines),
                    "difference": text(row.difference),
                }
                for row in self.by_source
            ],
        }

    def _data_table(self, *, locale: str | None) -> Table:
        # One row per source when there are budget lines, else the summary; keyed as
        # every result is (key, label, then the amounts).
        loc = resolve_locale(locale, self.locale)
        if self.by_source:
            return Table(
                columns=(
                    Column(key="key", label="key"),
                    Column(key="label", label="label"),
                    Column(key="amount", label="amount", kind=ColumnKind.MONEY),
                    Column(key="lines", label="lines", kind=ColumnKind.MONEY),
                    Column(key="difference", label="difference", kind=ColumnKind.MONEY),
                ),
                rows=tuple(
                    (row.source, row.label(loc), row.amount, row.lines, row.difference)
                    for row in self.by_source
                ),
                currency=self.currency,
            )
        return Table(
            columns=(
                Column(key="key", label="key"),
                Column(key="label", label="label"),
                Column(key="amount", label="amount", kind=ColumnKind.MONEY),
                Column(key="difference", label="difference", kind=ColumnKind.MONEY),
            ),
            rows=(
                ("declared", word("declared", loc), self.declared, None),
                ("sources", word("sum_of_sources", loc), self.sources, self.declared_minus_sources),
                ("lines", word("sum_of_lines", loc), self.lines, self.declared_minus_lines),
            ),
            currency=self.currency,
        )


@in_own_context
def reconcile(
    plan: Plan | Funding, *, locale: str | None = None, unit: str = "one"
) -> Reconciliation:
    """Compare the declared total, the sum of the sources and the sum of the budget lines.

    Raises:
        BreakdownError: there is nothing to take the currency from.
        CurrencyMismatchError: amounts in more than one currency.

    >>> from egovplan.funding import Funding, FundingSource
    >>> from egovplan.labels import Labels
    >>> from egovplan.money import Money
    >>> s = FundingSource(id="s", kind="grant", names=Labels(en="Grant"),
    ...                   amount=Money(900, "VND"))
    >>> r = reconcile(Funding(total=Money(901, "VND"), sources=(s,)))
    >>> r.declared_minus_sources, r.balanced
    (Money('1', 'VND'), False)
    """
    context = _Context(plan, None)
    funding = context.funding
    items = context.items(Basis.SOURCES) + context.items(Basis.LINES)
    currency = (
        funding.total.currency if funding.total is not None else context.record_currency(items)
    )
    zero = Money.zero(currency)
    sources = context.in_one_currency(funding.sources)  # by the recorded rates, if any
    lines = context.in_one_currency(funding.lines)
    sources_sum = sum((s.amount for s in sources if s.amount is not None), zero)
    lines_sum = sum((line.amount for line in lines), zero) if lines else None
    by_source: list[SourceReconciliation] = []
    if lines:
        stated = {s.id: s.amount for s in reversed(sources)}
        per: dict[str, tuple[Money, int]] = dict.fromkeys(context.sources, (zero, 0))
        for line in lines:
            amount, count = per.get(line.source, (zero, 0))
            per[line.source] = (amount + line.amount, count + 1)
        for sid, (amount, count) in per.items():
            source = context.sources.get(sid)
            by_source.append(
                SourceReconciliation(
                    source=sid,
                    labels=Labels() if source is None else source.names,
                    amount=None if source is None else stated[sid],
                    lines=amount,
                    line_count=count,
                    stated=source is None or source.amount is not None,
                )
            )
    return Reconciliation(
        currency=currency,
        declared=funding.total,
        sources=sources_sum,
        lines=lines_sum,
        by_source=tuple(by_source),
        locale=_locale_of(context, locale),
        unit=unit,
        unstated=context.unstated(Dimension.SOURCE),
    )


# -- phasing -----------------------------------------------------------------------------


def _years(years: Iterable[int] | Period) -> list[int]:
    if isinstance(years, str | bytes) or not isinstance(years, Period | Iterable):
        raise FieldTypeError(f"years must be a Period or years, not {type(years).__name__}")
    values = list(years.year_list if isinstance(years, Period) else years)
    if not values:
        raise BreakdownError("no years to phase over")
    if any(isinstance(year, bool) or not isinstance(year, int) for year in values):
        raise FieldTypeError(f"years must be int years, not {values!r}"[:200])
    if len(set(values)) != len(values):
        raise BreakdownError(f"years repeat: {values}")
    return values


@in_own_context
def phase(
    amount: Money,
    years: Iterable[int] | Period,
    weights: Sequence[Weight] | None = None,
    *,
    source: str,
    id_prefix: str | None = None,
    agency: str | None = None,
    task: str | None = None,
    objective: str | None = None,
    category: BudgetCategory | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread ``amount`` over ``years`` in proportion to ``weights``, exactly.

    Uses :meth:`Money.allocate` (largest remainder): the lines sum to ``amount`` to the
    last đồng and each is within one minor unit of its exact share.

    Args:
        amount: the amount to spread (a whole number of minor units).
        years: the years, or a :class:`~egovplan.period.Period` (its years).
        weights: one weight per year (``int``, ``Decimal`` or ``Money``); equal if omitted.
        source: the id of the source the lines are paid from.
        id_prefix: line ids are ``<id_prefix>-<year>`` (default: the source id).
        agency: the agency of every line, if any.
        task: the task of every line, if any.
        objective: the objective of every line, if any.
        category: the budget category of every line, if any.

    Returns:
        One :class:`~egovplan.funding.BudgetLine` per year, in the order of ``years``.

    Raises:
        BreakdownError: no years, repeated years, or a weight count that differs.
        AllocationError: bad weights, or an amount with fractions of a minor unit.

    >>> lines = phase(Money(100, "VND"), Period.years(2021, 2023), source="central")
    >>> [(line.id, str(line.amount)) for line in lines]
    [('central-2021', '34 VND'), ('central-2022', '33 VND'), ('central-2023', '33 VND')]
    """
    if not isinstance(amount, Money):
        raise FieldTypeError(f"phase() spreads Money, not {type(amount).__name__}")
    year_list = _years(years)
    if weights is None:
        weights = [1] * len(year_list)
    if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
        raise FieldTypeError(f"weights must be a sequence of numbers, not {type(weights).__name__}")
    weights = list(weights)
    if len(weights) != len(year_list):
        raise BreakdownError(f"{len(weights)} weights for {len(year_list)} years {year_list}")
    prefix = source if id_prefix is None else id_prefix
    return tuple(
        BudgetLine(
            id=f"{prefix}-{year}",
            source=source,
            year=year,
            agency=agency,
            task=task,
            objective=objective,
            category=category,
            amount=part,
        )
        for year, part in zip(year_list, amount.allocate(weights), strict=True)
    )


def _funding_of(plan: Plan | Funding, where: str) -> Funding:
    from egovplan.plan import Plan

    if isinstance(plan, Funding):
        return plan
    if isinstance(plan, Plan):
        return plan.funding
    raise FieldTypeError(f"{where} needs a Plan or a Funding, not {type(plan).__name__}")


def _plan_years(plan: Plan | Funding, years: Iterable[int] | Period | None) -> list[int]:
    if years is not None:
        return _years(years)
    if isinstance(plan, Funding):
        raise BreakdownError("a bare Funding has no period; pass years=")
    return list(plan.period.year_list)


@in_own_context
def phase_source(
    plan: Plan | Funding,
    source: str,
    weights: Sequence[Weight] | None = None,
    *,
    years: Iterable[int] | Period | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread one funding source over the years of the plan's period, exactly.

    The lines carry the source's category. See :func:`phase`.

    Raises:
        UnknownReferenceError: the plan has no such source.
        BreakdownError: a bare :class:`Funding` without ``years``.
    """
    funding = _funding_of(plan, "phase_source()")
    found = funding.source(source)
    if found.amount is None:
        raise BreakdownError(
            f"funding source {source!r} states no amount, so it cannot be phased over years"
        )
    return phase(
        found.amount,
        _plan_years(plan, years),
        weights,
        source=found.id,
        category=found.category,
    )


@in_own_context
def phase_total(
    plan: Plan | Funding,
    weights: Sequence[Weight] | None = None,
    *,
    years: Iterable[int] | Period | None = None,
) -> tuple[BudgetLine, ...]:
    """Spread the whole funding over the years: every source by the same ``weights``.

    The lines (source by source, year by year) sum to the sum of the sources exactly,
    and each source's lines to that source. A source without a stated amount gets no
    lines. A year's total is then within one minor unit
    per source of its exact share of the total.

    Put them into a plan with ``attrs.evolve(funding, lines=lines)``.
    """
    funding = _funding_of(plan, "phase_total()")
    year_list = _plan_years(plan, years)
    lines: list[BudgetLine] = []
    for source in funding.sources:
        if source.amount is None:
            continue
        lines.extend(
            phase(source.amount, year_list, weights, source=source.id, category=source.category)
        )
    return tuple(lines)


# -- planned vs actual -------------------------------------------------------------------


def _to_category(value: Any) -> Any:
    return f.to_member(BudgetCategory, value)


f.member_converters(_to_category)


@attrs.frozen(kw_only=True)
class Disbursement:
    """Money actually disbursed or spent, as a finance report records it (never negative).

    For actual money kept in a plan file, use :class:`egovplan.flows.Flow` (in
    :attr:`Plan.flows <egovplan.plan.Plan.flows>`), which also holds commitments and
    returns; :func:`execution` takes either.

    Attributes:
        source: the id of the funding source it came from.
        amount: the amount (never negative).
        year: the year it was disbursed in, if known.
        agency: the id of the agency that spent it, if known.
        task: the id of the task it paid for, if known.
        objective: the id of the objective it served, if known.
        category: investment or recurrent, if known.
        date: the day it was recorded, if known.

    >>> Disbursement(source="central", year=2021, amount=Money(5, "VND")).year
    2021
    """

    source: str = attrs.field(validator=f.check_id)
    amount: Money = attrs.field(validator=f.money())
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    agency: str | None = attrs.field(default=None, validator=f.optional_id)
    task: str | None = attrs.field(default=None, validator=f.optional_id)
    objective: str | None = attrs.field(default=None, validator=f.optional_id)
    category: BudgetCategory | None = attrs.field(
        default=None,
        converter=_to_category,
        validator=f.member(BudgetCategory, optional=True),
    )
    date: dt.date | None = attrs.field(default=None, validator=f.check_date)


def _rate(actual: Money, planned: Money) -> Decimal | None:
    if not planned:
        return None
    value = actual.amount * _HUNDRED / planned.amount
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_CONTEXT)


@attrs.frozen(kw_only=True)
class ExecutionRow:
    """Planned against actual for one key.

    Attributes:
        key: what the row groups (see :class:`BreakdownRow`).
        labels: its names per locale.
        key2: the key of the second dimension, when the execution has one
            (:attr:`Execution.by2`).
        labels2: its names per locale.
        planned: the planned amount (zero when nothing was planned under this key).
        actual: the amount disbursed or spent (negative when more was returned than
            spent).
    """

    key: str | int | None = attrs.field(validator=f.instance((str, int), optional=True))
    labels: Labels = attrs.field(factory=Labels, validator=f.instance(Labels))
    key2: str | int | None = attrs.field(
        default=None, validator=f.instance((str, int), optional=True)
    )
    labels2: Labels = attrs.field(factory=Labels, validator=f.instance(Labels))
    planned: Money = attrs.field(validator=f.money(nonnegative=False))
    actual: Money = attrs.field(validator=f.money(nonnegative=False))

    @property
    def remaining(self) -> Money:
        """``planned - actual``; negative when more was spent than planned."""
        return self.planned - self.actual

    @property
    def rate(self) -> Decimal | None:
        """``actual / planned`` in percent, to 2 places (half up); ``None``: none planned."""
        return _rate(self.actual, self.planned)

    def label(self, locale: str) -> str:
        """The name to show in ``locale``."""
        return _label_of(self.key, self.labels, locale)

    def label2(self, locale: str) -> str:
        """The name of :attr:`key2` to show in ``locale``."""
        return _label_of(self.key2, self.labels2, locale)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Execution(_Rendered):
    """Planned against actual per key of one dimension, or per pair of keys of two.

    Built by :func:`execution`.

    Attributes:
        by: the dimension.
        by2: the second dimension, if any (then each row has a ``key2``).
        basis: what the planned amounts are (sources or budget lines).
        currency: the currency of every amount.
        rows: one row per key planned or spent under.
        locale: the default locale of renderings.
        unit: the default unit of renderings.
    """

    by: Dimension = attrs.field(converter=_to_dimension)
    basis: Basis = attrs.field(converter=_to_basis)
    currency: str = attrs.field(validator=f.text)
    rows: tuple[ExecutionRow, ...] = attrs.field(validator=f.tuple_of(ExecutionRow))
    by2: Dimension | None = attrs.field(default=None, converter=_to_optional_dimension)
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)

    def __attrs_post_init__(self) -> None:
        _check_locale_unit(self.locale, self.unit)

    @property
    def planned(self) -> Money:
        """The total planned."""
        return sum((row.planned for row in self.rows), Money.zero(self.currency))

    @property
    def actual(self) -> Money:
        """The total disbursed or spent."""
        return sum((row.actual for row in self.rows), Money.zero(self.currency))

    @property
    def remaining(self) -> Money:
        """The total planned minus the total spent."""
        return self.planned - self.actual

    @property
    def rate(self) -> Decimal | None:
        """The overall execution rate in percent (``None`` if nothing was planned)."""
        return _rate(self.actual, self.planned)

    def row(self, key: Key, key2: Key = None) -> ExecutionRow:
        """The row with ``key`` (and ``key2``, with a second dimension).

        Raises:
            BreakdownError: no row has it.
        """
        for row in self.rows:
            if row.key == key and row.key2 == key2:
                return row
        where = f"{key!r}" if self.by2 is None else f"({key!r}, {key2!r})"
        raise BreakdownError(f"no row {where} in the execution by {self._dimensions()}")

    def _dimensions(self) -> str:
        return str(self.by) if self.by2 is None else f"{self.by} × {self.by2}"

    def _key_columns(self, loc: str, *, data: bool) -> tuple[Column, ...]:
        if data:
            names = ("key", "label") if self.by2 is None else ("key", "label", "key2", "label2")
            return tuple(Column(key=name, label=name) for name in names)
        columns = [Column(key=self.by.value, label=self.by.label(loc))]
        if self.by2 is not None:
            columns.append(Column(key=self.by2.value, label=self.by2.label(loc)))
        return tuple(columns)

    def _key_cells(self, row: ExecutionRow, loc: str, *, data: bool) -> tuple[Cell, ...]:
        cells: list[Cell] = [row.key, row.label(loc)] if data else [row.label(loc)]
        if self.by2 is not None:
            cells += [row.key2, row.label2(loc)] if data else [row.label2(loc)]
        return tuple(cells)

    def tables(
        self, *, locale: str | None = None, unit: str | None = None, places: int | None = None
    ) -> tuple[Table, ...]:
        """One row per key: planned, actual, execution rate and remaining; and totals."""
        loc = resolve_locale(locale, self.locale)
        if self.by2 is None:
            title = word("execution_title", loc).format(noun=self.by.noun(loc))
        else:
            title = word("execution_pivot_title", loc).format(
                noun=self.by.noun(loc), noun2=self.by2.noun(loc)
            )
        table = Table(
            title=title,
            columns=(
                *self._key_columns(loc, data=False),
                Column(key="planned", label=word("planned", loc), kind=ColumnKind.MONEY),
                Column(key="actual", label=word("actual", loc), kind=ColumnKind.MONEY),
                Column(key="rate", label=word("rate", loc), kind=ColumnKind.PERCENT),
                Column(key="remaining", label=word("remaining", loc), kind=ColumnKind.MONEY),
            ),
            rows=tuple(
                (
                    *self._key_cells(row, loc, data=False),
                    row.planned,
                    row.actual,
                    row.rate,
                    row.remaining,
                )
                for row in self.rows
            ),
            totals=(
                table_word("total", loc),
                *(() if self.by2 is None else (None,)),
                self.planned,
                self.actual,
                self.rate,
                self.remaining,
            ),
            locale=loc,
            unit=resolve_unit(unit, self.unit),
            places=places,
            currency=self.currency,
        )
        return (table,)

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """JSON-ready data: totals and one entry per row, money as in plan files."""
        loc = resolve_locale(locale, self.locale)

        def rate(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "currency": self.currency,
            "planned": _json_text(self.planned),
            "actual": _json_text(self.actual),
            "remaining": _json_text(self.remaining),
            "rate": rate(self.rate),
            "rows": [
                {
                    "key": row.key if self.by2 is None else [row.key, row.key2],
                    "label": row.label(loc)
                    if self.by2 is None
                    else [row.label(loc), row.label2(loc)],
                    "planned": _json_text(row.planned),
                    "actual": _json_text(row.actual),
                    "remaining": _json_text(row.remaining),
                    "rate": rate(row.rate),
                }
                for row in self.rows
            ],
        }

    def _data_table(self, *, locale: str | None) -> Table:
        loc = resolve_locale(locale, self.locale)
        return Table(
            columns=(
                *self._key_columns(loc, data=True),
                Column(key="planned", label="planned", kind=ColumnKind.MONEY),
                Column(key="actual", label="actual", kind=ColumnKind.MONEY),
                Column(key="rate", label="rate", kind=ColumnKind.PERCENT),
                Column(key="remaining", label="remaining", kind=ColumnKind.MONEY),
            ),
            rows=tuple(
                (
                    *self._key_cells(row, loc, data=True),
                    row.planned,
                    row.actual,
                    row.rate,
                    row.remaining,
                )
                for row in self.rows
            ),
            currency=self.currency,
        )


@in_own_context
def execution(
    plan: Plan | Funding,
    actuals: Iterable[Disbursement | Flow] | None = None,
    by: Dimension | str = Dimension.SOURCE,
    by2: Dimension | str | None = None,
    *,
    basis: Basis | str | None = None,
    locale: str | None = None,
    unit: str = "one",
    catalogues: Catalogues | None = None,
    kinds: Iterable[str] | None = None,
) -> Execution:
    """Planned against actual per key of ``by``: execution rate and remaining amount.

    The planned amounts are those of :func:`breakdown` with the same ``by`` (and
    ``by2``) and ``basis``; the actual amounts are the ``actuals`` grouped the same way
    (a disbursement's kind and category come from its source, its level from its
    agency). With ``by2``, as :func:`pivot` takes it, there is one row per pair of keys
    planned or spent under (e.g. source × year), in the plan's order.

    Without ``actuals``, the actual amounts are the plan's own flows
    (:attr:`Plan.flows <egovplan.plan.Plan.flows>`). Of flows, only those of ``kinds``
    count (default: the kinds the ``flow_kinds`` catalogue marks as spent, see
    :func:`egovplan.flows.actual_flows`); a flow's year is its year, else its day's, else
    that of its period when it lies in one year. :class:`Disbursement` records always
    count.

    Raises:
        BreakdownError: an unknown dimension, the same dimension twice, or a
            dimension of budget lines on a plan without them.
        CurrencyMismatchError: actual and planned amounts in different currencies.

    >>> from egovplan.funding import Funding, FundingSource
    >>> from egovplan.labels import Labels
    >>> s = FundingSource(id="s", kind="grant", names=Labels(en="Grant"),
    ...                   amount=Money(1000, "VND"))
    >>> spent = [Disbursement(source="s", amount=Money(250, "VND"))]
    >>> done = execution(Funding(sources=(s,)), spent)
    >>> done.rate, done.remaining
    (Decimal('25.00'), Money('750', 'VND'))
    """
    actuals = _actual_records(plan, actuals, kinds, catalogues)
    first = _to_dimension(by)
    second = None if by2 is None else _to_dimension(by2)
    if second is not None:
        return _execution2(plan, actuals, first, second, basis, locale, unit, catalogues)
    planned = breakdown(plan, by, basis=basis, locale=locale, unit=unit, catalogues=catalogues)
    context = _Context(plan, catalogues)
    currency = planned.currency
    zero = Money.zero(currency)
    actual: dict[Key, Money] = {}
    for item in _actual_items(context, actuals):
        key = item.key(planned.by)
        actual[key] = actual.get(key, zero) + item.amount
    keys = list(planned.keys)
    keys.extend(k for k in actual if k not in set(planned.keys))
    keys.sort(key=context.order(planned.by))
    rows = tuple(
        ExecutionRow(
            key=key,
            labels=context.labels(planned.by, key),
            planned=planned.amount(key),
            actual=actual.get(key, zero),
        )
        for key in keys
    )
    return Execution(
        by=planned.by,
        basis=planned.basis,
        currency=currency,
        rows=rows,
        locale=planned.locale,
        unit=unit,
    )


def _actual_records(
    plan: Plan | Funding,
    actuals: Iterable[Disbursement | Flow] | None,
    kinds: Iterable[str] | None,
    catalogues: Catalogues | None,
) -> list[Disbursement | Flow]:
    """The records that count as actual: ``actuals``, or the plan's flows, of ``kinds``."""
    from egovplan.flows import Flow, actual_flows

    if actuals is None:
        return list(
            actual_flows(
                plan if not isinstance(plan, Funding) else (), kinds, catalogues=catalogues
            )
        )
    records = list(actuals)
    flows = [record for record in records if isinstance(record, Flow)]
    counted = set(map(id, actual_flows(flows, kinds, catalogues=catalogues)))
    return [record for record in records if not isinstance(record, Flow) or id(record) in counted]


def _actual_items(context: _Context, actuals: Iterable[Disbursement | Flow]) -> Iterator[_Item]:
    """The disbursements and flows as items a dimension can read (kind, category, level)."""
    from egovplan.flows import Flow

    for record in actuals:
        if isinstance(record, Flow):
            year = record.budget_year
        elif isinstance(record, Disbursement):
            year = record.year
        else:
            raise FieldTypeError(
                f"actuals must be Flow or Disbursement records, not {type(record).__name__}"
            )
        source = None if record.source is None else context.sources.get(record.source)
        category = record.category
        if category is None and source is not None:
            category = source.category
        yield _Item(
            amount=record.amount,
            source=record.source,
            kind=None if source is None else source.kind,
            year=year,
            agency=record.agency,
            level=context.agency_level(record.agency),
            objective=record.objective,
            task=record.task,
            category=category,
        )


def _execution2(
    plan: Plan | Funding,
    actuals: Iterable[Disbursement | Flow],
    first: Dimension,
    second: Dimension,
    basis: Basis | str | None,
    locale: str | None,
    unit: str,
    catalogues: Catalogues | None,
) -> Execution:
    if first is second:
        raise BreakdownError(f"an execution by two dimensions needs two, not {first} twice")
    context = _Context(plan, catalogues)
    chosen = _resolve_basis([first, second], basis)
    records = context.records(chosen, [first, second])
    currency = context.record_currency(records)
    keys = [context.key_of(first, chosen), context.key_of(second, chosen)]
    planned = {
        pair: Money(amount, currency) for pair, amount in _sum_by(records, keys, currency).items()
    }
    zero = Money.zero(currency)
    actual: dict[tuple[Key, Key], Money] = {}
    for item in _actual_items(context, actuals):
        pair = (item.key(first), item.key(second))
        amount = item.amount
        if amount.currency != currency:
            raise _mismatch(currency, amount.currency)
        actual[pair] = actual.get(pair, zero) + amount
    order, order2 = context.order(first), context.order(second)
    pairs = sorted({*planned, *actual}, key=lambda pair: (order(pair[0]), order2(pair[1])))
    rows = tuple(
        ExecutionRow(
            key=key,
            labels=context.labels(first, key),
            key2=key2,
            labels2=context.labels(second, key2),
            planned=planned.get((key, key2), zero),
            actual=actual.get((key, key2), zero),
        )
        for key, key2 in pairs
    )
    return Execution(
        by=first,
        by2=second,
        basis=chosen,
        currency=currency,
        rows=rows,
        locale=_locale_of(context, locale),
        unit=unit,
    )


# -- exchange rates and aggregation -------------------------------------------------------


@overload
def combine(
    breakdowns: Iterable[Breakdown],
    *,
    currency: str | None = None,
    rates: ExchangeRates | None = None,
    on: dt.date | None = None,
) -> Breakdown: ...
@overload
def combine(
    breakdowns: Iterable[Pivot],
    *,
    currency: str | None = None,
    rates: ExchangeRates | None = None,
    on: dt.date | None = None,
) -> Pivot: ...
@in_own_context
def combine(
    breakdowns: Iterable[Breakdown] | Iterable[Pivot],
    *,
    currency: str | None = None,
    rates: ExchangeRates | None = None,
    on: dt.date | None = None,
) -> Breakdown | Pivot:
    """One breakdown summing many (e.g. several provinces' plans), row by row.

    Rows with the same key are added; labels come from the first breakdown that has the
    key. Amounts in another currency are converted with ``rates`` (each row rounded to
    the target's minor unit); the rates used are recorded in
    :attr:`Breakdown.conversions` and noted under the rendered table. Pivots combine
    the same way, cell by cell, into a :class:`Pivot`.

    Args:
        breakdowns: breakdowns by the same dimension and basis, or pivots by the same
            two dimensions and basis (not a mix).
        currency: the currency of the result (default: the first breakdown's).
        rates: exchange rates; without them, breakdowns in different currencies are
            refused.
        on: use the latest rates on or before this day (default: the latest).

    Raises:
        BreakdownError: no breakdowns, or breakdowns of different dimensions or bases.
        CurrencyMismatchError: different currencies and no rate for one of them.
        FieldTypeError: something that is not a breakdown, or breakdowns mixed with pivots.
    """
    if isinstance(breakdowns, Breakdown | Pivot) or not isinstance(breakdowns, Iterable):
        raise FieldTypeError(f"combine() needs breakdowns, not {type(breakdowns).__name__}")
    parts: list[Breakdown | Pivot] = list(breakdowns)
    if not parts:
        raise BreakdownError("no breakdowns to combine")
    first = parts[0]
    kind = Pivot if isinstance(first, Pivot) else Breakdown
    for index, part in enumerate(parts):
        if not isinstance(part, kind):
            raise FieldTypeError(
                f"breakdowns[{index}] is {type(part).__name__}, not {kind.__name__}"
                " like breakdowns[0]"
            )
        if _shape(part) != _shape(first):
            raise BreakdownError(
                f"breakdowns[{index}] is by {_shape(part)[0]} of {part.basis};"
                f" breakdowns[0] is by {_shape(first)[0]} of {first.basis}"
            )
    target = first.currency if currency is None else currency
    others = sorted({p.currency for p in parts} - {target})
    if others and rates is None:
        raise CurrencyMismatchError(
            f"cannot add {', '.join(others)} to {target} amounts without exchange rates;"
            " pass rates=ExchangeRates(...)"
        )
    zero = Money.zero(target)
    used: list[ExchangeRate] = []

    def converted(amount: Money) -> Money:
        if amount.currency == target:
            return amount
        assert rates is not None
        amount, applied = rates.convert(amount, target, on=on)
        if applied is not None and applied not in used:
            used.append(applied)
        return amount

    for part in parts:
        for rate in part.conversions:
            if rate not in used:
                used.append(rate)
    if isinstance(first, Pivot):
        return _combine_pivots([p for p in parts if isinstance(p, Pivot)], converted, zero, used)
    sums: dict[Key, Money] = {}
    labels: dict[Key, Labels] = {}
    for part in parts:
        assert isinstance(part, Breakdown)
        for row in part.rows:
            sums[row.key] = sums.get(row.key, zero) + converted(row.amount)
            if row.key not in labels or not labels[row.key]:
                labels[row.key] = row.labels
    keys = _combined_order(sums, first.by)
    amounts = [sums[k] for k in keys]
    return Breakdown(
        by=first.by,
        basis=first.basis,
        currency=target,
        rows=tuple(
            BreakdownRow(key=k, labels=labels[k], amount=a, share=s)
            for k, a, s in zip(keys, amounts, _shares(amounts), strict=True)
        ),
        total=sum(amounts, zero),
        locale=first.locale,
        unit=first.unit,
        conversions=tuple(used),
    )


def _shape(part: Breakdown | Pivot) -> tuple[str, Basis]:
    if isinstance(part, Pivot):
        return (f"{part.by} × {part.by2}", part.basis)
    return (str(part.by), part.basis)


def _combined_order(keys: Iterable[Key], dimension: Dimension) -> list[Key]:
    """Keys in first-seen order, years ascending, ``None`` last."""
    ordered = list(keys)
    if dimension is Dimension.YEAR:
        ordered.sort(key=lambda k: (k is None, k if isinstance(k, int) else 0))
    else:
        ordered.sort(key=lambda k: k is None)
    return ordered


def _combine_pivots(
    parts: Sequence[Pivot],
    converted: Callable[[Money], Money],
    zero: Money,
    used: list[ExchangeRate],
) -> Pivot:
    sums: dict[tuple[Key, Key], Money] = {}
    row_labels: dict[Key, Labels] = {}
    column_labels: dict[Key, Labels] = {}
    for part in parts:
        for heading in part.rows:
            if not row_labels.get(heading.key):
                row_labels[heading.key] = heading.labels
        for heading in part.columns:
            if not column_labels.get(heading.key):
                column_labels[heading.key] = heading.labels
        for i, row in enumerate(part.rows):
            for j, column in enumerate(part.columns):
                pair = (row.key, column.key)
                sums[pair] = sums.get(pair, zero) + converted(part.cells[i][j])
    first = parts[0]
    row_keys = _combined_order(row_labels, first.by)
    column_keys = _combined_order(column_labels, first.by2)
    return Pivot(
        by=first.by,
        by2=first.by2,
        basis=first.basis,
        currency=zero.currency,
        rows=tuple(Heading(key=k, labels=row_labels[k]) for k in row_keys),
        columns=tuple(Heading(key=k, labels=column_labels[k]) for k in column_keys),
        cells=tuple(tuple(sums.get((r, c), zero) for c in column_keys) for r in row_keys),
        locale=first.locale,
        unit=first.unit,
        conversions=tuple(used),
    )


# -- plans in notebooks ------------------------------------------------------------------


@in_own_context
def plan_tables(
    plan: Plan, *, locale: str | None = None, unit: str | None = None, places: int | None = None
) -> tuple[Table, ...]:
    """A plan at a glance, for notebooks: what it is, then its funding by source.

    ``Plan._repr_html_`` / ``_repr_markdown_`` can delegate to :func:`plan_html` and
    :func:`plan_markdown`, which render these tables.

    Args:
        plan: the plan.
        locale: ``"vi"`` or ``"en"`` (default: the display option's, see
            :mod:`egovplan.display`, else the plan's language).
        unit: the unit money is shown in (default: the display option's, else ``"one"``).
        places: decimal places of money in ``unit`` (``None``: exact).
    """
    from egovplan.plan import Plan
    from egovplan.tables import format_in_unit, format_number, unit_label

    if not isinstance(plan, Plan):
        raise FieldTypeError(f"plan_tables() needs a Plan, not {type(plan).__name__}")
    loc = resolve_locale(locale, plan.metadata.language)
    unit = resolve_unit(unit, "one")
    funding = plan.funding
    facts: list[tuple[str, str]] = [
        ("plan_id", plan.id),
        ("plan_title", localized(plan.metadata.title, loc)),
    ]
    if plan.metadata.ref is not None:
        facts.append(("document", str(plan.metadata.ref)))
    if plan.metadata.issuing_body:
        facts.append(("issuing_body", plan.metadata.issuing_body))
    facts.append(("period", str(plan.period)))
    if funding.total is not None:
        amount = format_in_unit(funding.total, unit, loc, places)
        facts.append(
            ("declared_total", f"{amount} {unit_label(unit, funding.total.currency, loc)}")
        )
    objectives = sum(1 for _ in plan.walk_objectives())
    for name, count in (
        ("agencies", len(plan.agencies)),
        ("objectives", objectives),
        ("tasks", len(plan.tasks)),
        ("sources", len(funding.sources)),
        ("lines", len(funding.lines)),
    ):
        facts.append((name, format_number(count, loc)))
    summary = Table(
        title=word("summary_title", loc),
        columns=(
            Column(key="field", label=word("field", loc)),
            Column(key="value", label=word("value", loc)),
        ),
        rows=tuple((word(name, loc), value) for name, value in facts),
        locale=loc,
    )
    if not funding.sources:
        return (summary,)
    by_source = breakdown(plan, Dimension.SOURCE, locale=loc, unit=unit)
    return (summary, *by_source.tables(unit=unit, places=places))


@in_own_context
def plan_html(plan: Plan, *, locale: str | None = None, unit: str | None = None) -> str:
    """:func:`plan_tables` as HTML (what ``Plan._repr_html_`` can return)."""
    return "\n".join(t.to_html() for t in plan_tables(plan, locale=locale, unit=unit))


@in_own_context
def plan_markdown(plan: Plan, *, locale: str | None = None, unit: str | None = None) -> str:
    """:func:`plan_tables` as Markdown (what ``Plan._repr_markdown_`` can return)."""
    return "\n".join(t.to_markdown() for t in plan_tables(plan, locale=locale, unit=unit))


# -- the command line --------------------------------------------------------------------


@in_own_context
def breakdown_command_output(
    plan: Plan | Funding,
    by: Dimension | str,
    by2: Dimension | str | None = None,
    fmt: str = "text",
    locale: str | None = None,
    unit: str = "one",
) -> str:
    """Exactly what ``egovplan breakdown FILE --by ... [--by2 ...] --format ...`` prints.

    ``locale`` defaults to the plan's language, as for :func:`breakdown`.

    ``--format json`` gives ``{"currency": ..., "total": "<amount> <currency>", "rows":
    [{"key": ..., "label": ..., "amount": "<amount> <currency>", "share": "<decimal
    string>"}]}`` with money written as in plan files (exact, in the currency's own unit;
    ``--unit`` does not apply); a pivot's ``key`` and ``label`` are ``[row, column]``
    pairs.

    Raises:
        BreakdownError: an unknown dimension.
        TableError: an unknown format, locale or unit.
    """
    result = breakdown(plan, by, by2, locale=locale, unit=unit)
    return result.render(fmt, locale=locale, unit=unit)
