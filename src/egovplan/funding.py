"""Funding: sources, budget lines, spending rules and the plan's declared total.

Amounts are :class:`~egovplan.money.Money`. The constructors check types and shapes (an
amount is Money, not a float), naming the field; a value that is well formed but wrong
loads, and validation reports it: a negative amount (EGP206), a share or minimum percent
outside 0..100 (EGP210), sources that do not add up to the declared total (EGP201), lines
beyond their source (EGP207).

>>> from egovplan.labels import Labels
>>> from egovplan.money import Money
>>> central = FundingSource(id="central", kind="central_support",
...                         names=Labels(vi="Ngân sách hỗ trợ từ Trung ương"),
...                         amount=Money("320000000000", "VND"),
...                         amount_in_words="Ba trăm hai mươi tỷ đồng")
>>> funding = Funding(total=Money("320000000000", "VND"), sources=(central,))
>>> funding.sources_total == funding.total, funding.source("central").kind
(True, 'central_support')
>>> FundingSource(id="x", kind="other", names=Labels(en="x"), amount=-1)
Traceback (most recent call last):
...
egovplan.errors.FieldTypeError: FundingSource.amount must be Money, not int (-1)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, overload

import attrs

from egovplan import _fields as f
from egovplan.errors import UnknownReferenceError
from egovplan.labels import Labels
from egovplan.money import Money

if TYPE_CHECKING:
    from egovplan.breakdowns import Basis, Breakdown, Dimension, Pivot
    from egovplan.catalog import Catalogues

__all__ = ["BudgetCategory", "BudgetLine", "Funding", "FundingSource", "SpendingRule"]


class BudgetCategory(enum.StrEnum):
    """Investment (*chi đầu tư phát triển*) or recurrent (*chi thường xuyên*) spending.

    The labels come from the ``budget_categories`` catalogue.

    >>> BudgetCategory("recurrent").label("vi")
    'chi thường xuyên'
    """

    INVESTMENT = "investment"
    RECURRENT = "recurrent"

    @classmethod
    def _missing_(cls, value: object) -> BudgetCategory:
        raise f.unknown_member(cls, value)

    def label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The category's name in ``locale``."""
        return self.labels(catalogues).get(locale, self.value)

    def labels(self, catalogues: Catalogues | None = None) -> Labels:
        """The category's names, from ``catalogues`` (the built-in ones by default)."""
        from egovplan.catalog import Catalogues

        cats = Catalogues.default() if catalogues is None else catalogues
        kind = cats.budget_categories.get(self.value)
        return Labels({"en": self.value}) if kind is None else kind.labels


# Amounts may be negative: a negative amount loads and validation reports it (EGP206).
_money: Final = f.money(nonnegative=False)
_optional_money: Final = f.money(optional=True, nonnegative=False)
_category: Final = f.member(BudgetCategory, optional=True)


def _to_category(value: Any) -> Any:
    return f.to_member(BudgetCategory, value)


f.member_converters(_to_category)


_labels: Final = f.instance(Labels)


@attrs.frozen(kw_only=True)
class FundingSource:
    """Where (part of) a plan's money comes from, as the plan states it.

    Attributes:
        id: unique among the plan's funding sources.
        kind: a code of the ``funding_source_kinds`` catalogue (``"central_support"``).
        names: the source as the document names it, in each locale.
        amount: the amount (validation reports a negative one, EGP206).
        amount_in_words: the amount in words exactly as written ("Hai trăm tỷ đồng"), if
            the document writes it; validation reads it back and compares.
        category: investment or recurrent, when the document says.
    """

    id: str = attrs.field(validator=f.check_id)
    kind: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    amount: Money = attrs.field(validator=_money)
    amount_in_words: str | None = attrs.field(default=None, validator=f.optional_text)
    category: BudgetCategory | None = attrs.field(
        default=None, converter=_to_category, validator=_category
    )

    def name(self, locale: str) -> str:
        """The source's name in ``locale`` (with fallback; the id when it has none).

        >>> source = FundingSource(id="central", kind="central_support",
        ...                        names=Labels(vi="Ngân sách Trung ương", en="Central budget"),
        ...                        amount=Money(0, "VND"))
        >>> source.name("vi_VN"), source.name("en"), source.name("fr")
        ('Ngân sách Trung ương', 'Central budget', 'Central budget')
        """
        return self.names.get(locale, self.id)


@attrs.frozen(kw_only=True)
class BudgetLine:
    """One planned amount: from one source, for one year, agency, task or objective.

    Attributes:
        id: unique among the plan's budget lines.
        source: the id of the :class:`FundingSource` it is paid from.
        year: the budget year, if the plan phases by year.
        agency: the id of the agency that spends it, if stated.
        task: the id of the task it pays for, if stated.
        objective: the id of the objective it serves, if stated.
        category: investment or recurrent, when stated.
        amount: the amount (validation reports a negative one, EGP206).

    >>> BudgetLine(id="l1", source="central", year=2021, amount=1500)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: BudgetLine.amount must be Money, not int (1500)
    """

    id: str = attrs.field(validator=f.check_id)
    source: str = attrs.field(validator=f.check_id)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    agency: str | None = attrs.field(default=None, validator=f.optional_id)
    task: str | None = attrs.field(default=None, validator=f.optional_id)
    objective: str | None = attrs.field(default=None, validator=f.optional_id)
    category: BudgetCategory | None = attrs.field(
        default=None, converter=_to_category, validator=_category
    )
    amount: Money = attrs.field(validator=_money)


@attrs.frozen(kw_only=True)
class SpendingRule:
    """A minimum-share constraint: "at least 1 % of provincial spending goes to ICT".

    Attributes:
        id: unique among the plan's spending rules.
        description: the rule as the document words it.
        minimum_percent: the minimum share, in percent (validation reports one outside 0 to
            100, EGP210).
        base: the amount the share is of (total provincial spending), when stated.
        amount: the amount set aside (ICT spending), when stated; validation checks
            ``amount >= base * minimum_percent / 100`` when both are given.

    >>> rule = SpendingRule(id="ict-1pct", description="Bố trí tối thiểu 1% tổng chi ngân sách",
    ...                     minimum_percent=1)
    >>> rule.minimum_percent
    Decimal('1')
    >>> SpendingRule(id="x", description="", minimum_percent="1,5")
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: SpendingRule.minimum_percent must be Decimal (or int or ...
    """

    id: str = attrs.field(validator=f.check_id)
    description: str = attrs.field(validator=f.text)
    minimum_percent: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)
    base: Money | None = attrs.field(default=None, validator=_optional_money)
    amount: Money | None = attrs.field(default=None, validator=_optional_money)

    @property
    def required(self) -> Money | None:
        """The least amount the rule asks for (``base * minimum_percent / 100``), if known.

        >>> SpendingRule(id="r", description="", minimum_percent=1,
        ...              base=Money(5000, "VND")).required
        Money('50', 'VND')
        """
        if self.base is None:
            return None
        return self.base * self.minimum_percent / 100


@attrs.frozen(kw_only=True)
class Funding:
    """A plan's funding: the declared total, its sources, budget lines and rules.

    Attributes:
        total: the total the document declares ("Tổng kinh phí: 901.000.000.000"), if any.
        total_in_words: the total in words exactly as written, if the document writes it.
        sources: the funding sources, in document order.
        lines: the budget lines (per year, agency, task…), if the plan phases its money.
        stated_shares: ``(source id, percent)`` pairs for shares the document quotes.
        rules: minimum-share constraints.
    """

    total: Money | None = attrs.field(default=None, validator=_optional_money)
    total_in_words: str | None = attrs.field(default=None, validator=f.optional_text)
    sources: tuple[FundingSource, ...] = attrs.field(
        default=(), validator=f.tuple_of(FundingSource)
    )
    lines: tuple[BudgetLine, ...] = attrs.field(default=(), validator=f.tuple_of(BudgetLine))
    stated_shares: tuple[tuple[str, Decimal], ...] = attrs.field(
        default=(),
        converter=f.to_decimal_pairs,
        validator=f.pairs_of_decimal(),
    )
    rules: tuple[SpendingRule, ...] = attrs.field(default=(), validator=f.tuple_of(SpendingRule))

    @property
    def sources_total(self) -> Money | None:
        """The sum of the sources' amounts, or ``None`` when there are no sources.

        Raises:
            CurrencyMismatchError: the sources are in different currencies.
        """
        if not self.sources:
            return None
        first = self.sources[0].amount
        return sum((s.amount for s in self.sources[1:]), first)

    def source(self, id: str) -> FundingSource:
        """The source with ``id`` (the first, if several share it).

        Raises:
            UnknownReferenceError: no source has that id.
        """
        for source in self.sources:
            if source.id == id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise UnknownReferenceError(f"no funding source {id!r}; known: {known}")

    def lines_of(self, source: str) -> Iterator[BudgetLine]:
        """The budget lines paid from the source with id ``source``."""
        return (line for line in self.lines if line.source == source)

    @overload
    def breakdown(
        self,
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
        self,
        by: Dimension | str,
        by2: Dimension | str,
        *,
        basis: Basis | str | None = None,
        locale: str | None = None,
        unit: str = "one",
        catalogues: Catalogues | None = None,
    ) -> Pivot: ...
    def breakdown(
        self,
        by: Dimension | str,
        by2: Dimension | str | None = None,
        *,
        basis: Basis | str | None = None,
        locale: str | None = None,
        unit: str = "one",
        catalogues: Catalogues | None = None,
    ) -> Breakdown | Pivot:
        """This funding broken down by one dimension, or by two as a pivot table.

        Delegates to :func:`egovplan.breakdowns.breakdown`. Without the plan, agencies,
        objectives and tasks are labelled by id only: :meth:`egovplan.Plan.breakdown`
        labels them by name.

        >>> from egovplan import Labels, Money
        >>> funding = Funding(sources=(
        ...     FundingSource(id="a", kind="central_support", names=Labels(en="Central"),
        ...                   amount=Money(3, "VND")),
        ...     FundingSource(id="b", kind="socialisation", names=Labels(en="Private"),
        ...                   amount=Money(1, "VND")),
        ... ))
        >>> [(row.key, str(row.share)) for row in funding.breakdown("source").rows]
        [('a', '75.00'), ('b', '25.00')]
        """
        from egovplan.breakdowns import breakdown

        return breakdown(
            self, by, by2, basis=basis, locale=locale, unit=unit, catalogues=catalogues
        )

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency used by the total, the sources and the lines."""
        found = {s.amount.currency for s in self.sources}
        found.update(line.amount.currency for line in self.lines)
        if self.total is not None:
            found.add(self.total.currency)
        return frozenset(found)
