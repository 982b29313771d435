"""Funding breakdowns, pivots, reconciliation, phasing, planned vs actual, aggregation.

One call answers one question, exact to the last đồng:

- :func:`breakdown` -- how much by source, source kind, year, agency, administrative
  level, objective, task or budget category; with a second dimension, a :class:`Pivot`
  (e.g. source × year) with row and column totals. Amounts stay :class:`~egovplan.Money`;
  shares come from :func:`egovplan.allocation.shares` and sum to exactly 100.
- :func:`combine` -- one breakdown (or pivot) out of many plans' breakdowns (or pivots),
  converting currencies only with :class:`~egovplan.exchange.ExchangeRates` the
  caller supplies and recording the rates used.

Beside them, one module a concept: :mod:`egovplan.reconciliation` (the declared total
against the sources and the budget lines), :mod:`egovplan.phasing` (an amount spread over
years), :mod:`egovplan.executions` (planned against actual) and
:mod:`egovplan.exchange` (exchange rates). Their public names can still be imported from here.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import attrs

from egovplan import _fields as f
from egovplan._decimal import in_own_context, methods_in_own_context
from egovplan._grouping import (
    CONTEXT,
    HUNDRED,
    Basis,
    BreakdownError,
    Context,
    Dimension,
    Heading,
    Key,
    group,
    is_plan,
    label_of,
    locale_of,
    resolve_basis,
    sum_amounts,
    title_of,
    to_basis,
    to_dimension,
    word,
)
from egovplan._money_codec import json_text
from egovplan._rendering import Rendered, check_locale_unit, result_notes, unstated_rows
from egovplan.allocation import shares
from egovplan.display import resolve_locale, resolve_unit
from egovplan.errors import CurrencyMismatchError, FieldTypeError
from egovplan.exchange import ExchangeRate, ExchangeRates
from egovplan.labels import Labels, localized
from egovplan.money import Money
from egovplan.tables import (
    Cell,
    Column,
    ColumnKind,
    DtypeBackend,
    Table,
    table_word,
)

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.funding import Funding
    from egovplan.plan import Plan

__all__ = [
    "Basis",
    "Breakdown",
    "BreakdownError",
    "BreakdownRow",
    "Dimension",
    "ExchangeRate",
    "ExchangeRates",
    "Heading",
    "Pivot",
    "breakdown",
    "breakdown_command_output",
    "combine",
    "pivot",
    "plan_html",
    "plan_markdown",
    "plan_tables",
    "word",
]

#: Public names that moved to a module of their own, still importable from here (lazily:
#: those modules build on this one).
_MOVED: Final = {
    "Disbursement": "egovplan.executions",
    "Execution": "egovplan.executions",
    "ExecutionRow": "egovplan.executions",
    "execution": "egovplan.executions",
    "phase": "egovplan.phasing",
    "phase_source": "egovplan.phasing",
    "phase_total": "egovplan.phasing",
    "Reconciliation": "egovplan.reconciliation",
    "SourceReconciliation": "egovplan.reconciliation",
    "reconcile": "egovplan.reconciliation",
}


def __getattr__(name: str) -> Any:
    """The names of :data:`_MOVED`, imported from their own module on first use."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_MOVED})


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
        return label_of(self.key, self.labels, locale)


def _shares(amounts: Sequence[Money], places: int = 2) -> list[Decimal | None]:
    if not amounts or any(a.amount < 0 for a in amounts) or not any(amounts):
        return [None] * len(amounts)
    return list(shares(amounts, places=places))


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Breakdown(Rendered):
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

    by: Dimension = attrs.field(converter=to_dimension)
    basis: Basis = attrs.field(converter=to_basis)
    currency: str = attrs.field(validator=f.text)
    rows: tuple[BreakdownRow, ...] = attrs.field(validator=f.tuple_of(BreakdownRow))
    total: Money = attrs.field(validator=f.money(nonnegative=False))
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)
    conversions: tuple[ExchangeRate, ...] = attrs.field(default=())
    unstated: tuple[Heading, ...] = attrs.field(default=(), validator=f.tuple_of(Heading))

    def __attrs_post_init__(self) -> None:
        check_locale_unit(self.locale, self.unit)
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
            HUNDRED.quantize(Decimal("0.01"), context=CONTEXT)
            if self.rows and all(row.share is not None for row in self.rows)
            else None
        )
        table = Table(
            title=title_of(self.by, loc),
            columns=(
                Column(key=self.by.value, label=self.by.label(loc)),
                Column(key="amount", label=word("amount", loc), kind=ColumnKind.MONEY),
                Column(key="share", label=word("share", loc), kind=ColumnKind.PERCENT),
            ),
            rows=tuple((row.label(loc), row.amount, row.share) for row in self.rows)
            + unstated_rows([h for h in self.unstated if h.key not in set(self.keys)], loc),
            totals=(table_word("total", loc), self.total, total_share),
            locale=loc,
            unit=resolve_unit(unit, self.unit),
            places=places,
            notes=result_notes(self.conversions, loc, self.unstated),
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
            "total": json_text(self.total),
            "rows": [
                {
                    "key": row.key,
                    "label": row.label(loc),
                    "amount": json_text(row.amount),
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
class Pivot(Rendered):
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

    by: Dimension = attrs.field(converter=to_dimension)
    by2: Dimension = attrs.field(converter=to_dimension)
    basis: Basis = attrs.field(converter=to_basis)
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
        check_locale_unit(self.locale, self.unit)

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
            title=title_of(self.by, loc, self.by2),
            columns=columns,
            rows=rows,
            totals=(total_word, *self.column_totals, self.total),
            locale=loc,
            unit=resolve_unit(unit, self.unit),
            places=places,
            notes=result_notes(self.conversions, loc),
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
            "total": json_text(self.total),
            "rows": [
                {
                    "key": [row.key, column.key],
                    "label": [row.label(loc), column.label(loc)],
                    "amount": json_text(amount),
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
    first = to_dimension(by)
    context = Context(plan, catalogues)
    loc = locale_of(context, locale)
    if by2 is not None:
        return _pivot(context, first, to_dimension(by2), basis, loc, unit)
    chosen = resolve_basis([first], basis)
    records = context.records(chosen, [first])
    currency = context.record_currency(records)
    groups = group(context, records, first, chosen, currency)
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
    context: Context,
    first: Dimension,
    second: Dimension,
    basis: Basis | str | None,
    locale: str,
    unit: str,
) -> Pivot:
    if first is second:
        raise BreakdownError(f"a pivot needs two different dimensions, not {first} twice")
    chosen = resolve_basis([first, second], basis)
    records = context.records(chosen, [first, second])
    currency = context.record_currency(records)
    sums = sum_amounts(
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
    from egovplan.tables import format_in_unit, format_number, unit_label

    if not is_plan(plan):
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
