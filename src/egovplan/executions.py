"""Budget execution: planned against actual.

:func:`execution` sets the planned amounts of a breakdown against the money actually
disbursed (the plan's own flows, :class:`~egovplan.flows.Flow`, or :class:`Disbursement`
records): the execution rate and the remaining amount per any dimension, or pair of
dimensions. The module is named ``executions`` so that
importing it never hides the function ``egovplan.execution``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import (
    ROUND_HALF_UP,
    Decimal,
)
from typing import TYPE_CHECKING, Any

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
    Item,
    Key,
    label_of,
    locale_of,
    mismatch,
    resolve_basis,
    sum_amounts,
    to_basis,
    to_dimension,
    to_optional_dimension,
    word,
)
from egovplan._money_codec import json_text
from egovplan._rendering import Rendered, check_locale_unit
from egovplan.breakdowns import breakdown
from egovplan.display import resolve_locale, resolve_unit
from egovplan.errors import FieldTypeError
from egovplan.funding import BudgetCategory, Funding
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.tables import (
    Cell,
    Column,
    ColumnKind,
    Table,
    table_word,
)

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues
    from egovplan.flows import Flow
    from egovplan.plan import Plan

__all__ = ["Disbursement", "Execution", "ExecutionRow", "execution", "execution_command_output"]


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
    value = actual.amount * HUNDRED / planned.amount
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=CONTEXT)


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
        return label_of(self.key, self.labels, locale)

    def label2(self, locale: str) -> str:
        """The name of :attr:`key2` to show in ``locale``."""
        return label_of(self.key2, self.labels2, locale)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Execution(Rendered):
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

    by: Dimension = attrs.field(converter=to_dimension)
    basis: Basis = attrs.field(converter=to_basis)
    currency: str = attrs.field(validator=f.text)
    rows: tuple[ExecutionRow, ...] = attrs.field(validator=f.tuple_of(ExecutionRow))
    by2: Dimension | None = attrs.field(default=None, converter=to_optional_dimension)
    locale: str = attrs.field(default="en", validator=f.text)
    unit: str = attrs.field(default="one", validator=f.text)

    def __attrs_post_init__(self) -> None:
        check_locale_unit(self.locale, self.unit)

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
            "planned": json_text(self.planned),
            "actual": json_text(self.actual),
            "remaining": json_text(self.remaining),
            "rate": rate(self.rate),
            "rows": [
                {
                    "key": row.key if self.by2 is None else [row.key, row.key2],
                    "label": row.label(loc)
                    if self.by2 is None
                    else [row.label(loc), row.label2(loc)],
                    "planned": json_text(row.planned),
                    "actual": json_text(row.actual),
                    "remaining": json_text(row.remaining),
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
    first = to_dimension(by)
    second = None if by2 is None else to_dimension(by2)
    if second is not None:
        return _execution2(plan, actuals, first, second, basis, locale, unit, catalogues)
    planned = breakdown(plan, by, basis=basis, locale=locale, unit=unit, catalogues=catalogues)
    context = Context(plan, catalogues)
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


def _actual_items(context: Context, actuals: Iterable[Disbursement | Flow]) -> Iterator[Item]:
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
        yield Item(
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
    context = Context(plan, catalogues)
    chosen = resolve_basis([first, second], basis)
    records = context.records(chosen, [first, second])
    currency = context.record_currency(records)
    keys = [context.key_of(first, chosen), context.key_of(second, chosen)]
    planned = {
        pair: Money(amount, currency)
        for pair, amount in sum_amounts(records, keys, currency).items()
    }
    zero = Money.zero(currency)
    actual: dict[tuple[Key, Key], Money] = {}
    for item in _actual_items(context, actuals):
        pair = (item.key(first), item.key(second))
        amount = item.amount
        if amount.currency != currency:
            raise mismatch(currency, amount.currency)
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
        locale=locale_of(context, locale),
        unit=unit,
    )


@in_own_context
def execution_command_output(
    plan: Plan,
    by: Dimension | str,
    by2: Dimension | str | None = None,
    fmt: str = "text",
    locale: str | None = None,
    unit: str = "one",
    *,
    basis: Basis | str | None = None,
    kinds: Iterable[str] | None = None,
) -> str:
    """What ``egovplan breakdown FILE --by ... --actual`` prints: planned against actual.

    The actual amounts are the plan's own flows of ``kinds`` (default: the kinds that
    count as spent, :func:`~egovplan.flows.spent_kinds`), as :func:`execution` takes
    them. ``--format json`` gives :meth:`Execution.to_dict
    <egovplan.executions.Execution.to_dict>`.

    Raises:
        BreakdownError: an unknown dimension, or one of budget lines on a plan without.
        TableError: an unknown format, locale or unit.
    """
    result = execution(plan, None, by, by2, basis=basis, locale=locale, unit=unit, kinds=kinds)
    return result.render(fmt, locale=locale, unit=unit)
