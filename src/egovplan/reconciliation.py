"""Reconciliation: the declared total against the sum of the sources and of the budget lines.

:func:`reconcile` gives a :class:`Reconciliation` with the differences, overall and per
source, rendered like every breakdown result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from egovplan import _fields as f
from egovplan._decimal import in_own_context, methods_in_own_context
from egovplan._grouping import (
    Basis,
    Context,
    Dimension,
    Heading,
    label_of,
    locale_of,
    word,
)
from egovplan._money_codec import json_text
from egovplan._rendering import Rendered, check_locale_unit, result_notes
from egovplan.display import resolve_locale, resolve_unit
from egovplan.funding import Funding
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.tables import (
    Column,
    ColumnKind,
    Table,
    table_word,
)

if TYPE_CHECKING:
    from egovplan.plan import Plan

__all__ = ["Reconciliation", "SourceReconciliation", "reconcile"]


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
        return label_of(self.source, self.labels, locale)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Reconciliation(Rendered):
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
        check_locale_unit(self.locale, self.unit)

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
            notes=result_notes((), loc, self.unstated),
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
            return None if amount is None else json_text(amount)

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
    context = Context(plan, None)
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
        locale=locale_of(context, locale),
        unit=unit,
        unstated=context.unstated(Dimension.SOURCE),
    )
