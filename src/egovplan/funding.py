"""Funding: sources, budget lines, spending rules and the plan's declared total.

Amounts are :class:`~egovplan.money.Money`. The constructors check types and shapes (an
amount is Money, not a float), naming the field; a value that is well formed but wrong
loads, and validation reports it: a negative amount (EGP206), a share or a rule's percent
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
egovplan.errors.FieldTypeError: FundingSource.amount must be Money or None, not int (-1)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, overload

import attrs

from egovplan import _fields as f
from egovplan.categories import BudgetCategory
from egovplan.errors import UnknownReferenceError
from egovplan.exchange import ExchangeRate, ExchangeRates
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Comparator
from egovplan.period import Period

if TYPE_CHECKING:
    from egovplan.breakdowns import Basis, Breakdown, Dimension, Pivot
    from egovplan.catalog import Catalogues

__all__ = [
    "BudgetCategory",
    "BudgetLine",
    "BudgetLineStatus",
    "Funding",
    "FundingSource",
    "SpendingRule",
]


class BudgetLineStatus(enum.StrEnum):
    """Whether a budget line is the amount first allocated or a revision of it.

    A revised line may be negative (money taken back, a cut): validation does not report
    its sign (EGP206 does for any other amount).

    >>> BudgetLineStatus("revised"), BudgetLineStatus.ORIGINAL.value
    (<BudgetLineStatus.REVISED: 'revised'>, 'original')
    """

    ORIGINAL = "original"
    REVISED = "revised"

    @classmethod
    def _missing_(cls, value: object) -> BudgetLineStatus:
        raise f.unknown_member(cls, value)


# Amounts may be negative: a negative amount loads and validation reports it (EGP206).
_line_money: Final = f.money(nonnegative=False, share=False)
_optional_money: Final = f.money(optional=True, nonnegative=False)
_category: Final = f.member(BudgetCategory, optional=True)
_status: Final = f.member(BudgetLineStatus, optional=True)
_optional_period: Final = f.instance(Period, optional=True)


def _to_category(value: Any) -> Any:
    return f.to_member(BudgetCategory, value)


def _to_status(value: Any) -> Any:
    return f.to_member(BudgetLineStatus, value)


f.member_converters(_to_category, _to_status)


_labels: Final = f.instance(Labels)


@attrs.frozen(kw_only=True)
class FundingSource:
    """Where (part of) a plan's money comes from, as the plan states it.

    Attributes:
        id: unique among the plan's funding sources.
        kind: a code of the ``funding_source_kinds`` catalogue (``"central_support"``), or
            ``None`` when the document names a source no kind fits.
        names: the source as the document names it, in each locale.
        amount: the amount (validation reports a negative one, EGP206), or ``None`` when
            the document names the source without an amount ("the provincial budget
            ensures…", "bank loans"): breakdowns and tables show it as not stated, never
            as zero, and sums say they leave it out.
        amount_in_words: the amount in words exactly as written ("Hai trăm tỷ đồng"), if
            the document writes it; validation reads it back and compares.
        category: investment or recurrent, when the document says.
    """

    id: str = attrs.field(validator=f.check_id)
    kind: str | None = attrs.field(default=None, validator=f.optional_id)
    names: Labels = attrs.field(validator=_labels)
    amount: Money | None = attrs.field(default=None, validator=_optional_money)
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
        period: the time the line covers when it is not one whole year: a range of years
            (``2021-2023``) or a quarter (``Q3 2021``). With :attr:`year` as well, it lies
            within that year (validation reports one that does not, EGP211); breakdowns
            by year put a line with a period inside one year under that year.
        agency: the id of the agency that spends it, if stated.
        task: the id of the task it pays for, if stated.
        objective: the id of the objective it serves, if stated.
        category: investment or recurrent, when stated.
        status: ``original`` (first allocated) or ``revised`` (a revision), when stated.
        amount: the amount (validation reports a negative one, EGP206, except on a
            revised line: a revision may take money back).

    >>> BudgetLine(id="l1", source="central", year=2021, amount=1500)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: BudgetLine.amount must be Money, not int (1500)
    """

    id: str = attrs.field(validator=f.unique_id)
    source: str = attrs.field(validator=f.check_id)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    period: Period | None = attrs.field(default=None, validator=_optional_period)
    agency: str | None = attrs.field(default=None, validator=f.optional_id)
    task: str | None = attrs.field(default=None, validator=f.optional_id)
    objective: str | None = attrs.field(default=None, validator=f.optional_id)
    category: BudgetCategory | None = attrs.field(
        default=None, converter=_to_category, validator=_category
    )
    status: BudgetLineStatus | None = attrs.field(
        default=None, converter=_to_status, validator=_status
    )
    amount: Money = attrs.field(validator=_line_money)

    @property
    def budget_year(self) -> int | None:
        """:attr:`year`, or the year :attr:`period` lies in when it lies in one.

        >>> BudgetLine(id="l", source="s", period=Period.parse("Q3 2021"),
        ...            amount=Money(5, "VND")).budget_year
        2021
        """
        if self.year is not None:
            return self.year
        period = self.period
        if period is not None and period.start.year == period.end.year:
            return period.start.year
        return None


def _to_comparator(value: Any) -> Any:
    return f.to_member(Comparator, value)


f.member_converters(_to_comparator)

_optional_decimal: Final = f.optional_decimal


@attrs.frozen(kw_only=True)
class SpendingRule:
    """A rule on spending as a plan writes it ("at least 1 % of local spending to ICT").

    "Every year, at least 1 % of the local budget's spending goes to ICT"; "each level
    sets aside a budget line for ICT". The share, the base, the amount and who pays are
    all optional, since plans state any of them without the others: a rule without a
    percent ("a separate budget line for ICT every year") is held as it is, and so is
    support the chair of the People's Committee decides case by case (:attr:`decided_by`).

    Attributes:
        id: unique among the plan's spending rules.
        description: the rule as the document words it.
        comparator: how the amount compares with the share of the base: ``>=`` (at
            least, the default), ``<=`` (at most), ``=`` (exactly), or ``>`` / ``<``
            (validation reports ``between``, which a rule of one percent cannot mean,
            EGP214).
        percent: the share, in percent, when the rule states one (validation reports one
            outside 0 to 100, EGP210).
        base: the amount the share is of (total provincial spending), when stated.
        base_kind: what the share is of, named in words, as a code of the
            ``spending_bases`` catalogue (``"local_budget_spending"``: *tổng chi ngân
            sách địa phương*), when the document names it without an amount.
        amount: the amount set aside (ICT spending), when stated; with :attr:`base` and
            :attr:`percent`, validation checks it against ``base * percent / 100`` under
            the comparator (EGP209, EGP212, EGP213), converting currencies through the
            funding's recorded exchange rates.
        agencies: the agencies that set the money aside (pay), if the rule names them
            (a collective agency for "each department").
        levels: the administrative levels the rule applies to, each for itself
            ("each district"), if it names them.
        sources: the funding sources the money comes from, if named.
        category: investment or recurrent spending, when the rule says.
        cadence: how often the rule applies, a code of the ``cadences`` catalogue
            (``"yearly"`` for *hàng năm*), when the document says.
        decided_by: the agency or office holder (the chair of the People's Committee)
            who decides the amount case by case, when the rule leaves it to one.

    >>> rule = SpendingRule(id="ict-1pct", description="Bố trí tối thiểu 1% tổng chi ngân sách",
    ...                     percent=1, base_kind="local_budget_spending", cadence="yearly")
    >>> rule.comparator, rule.percent
    (<Comparator.GE: '>='>, Decimal('1'))
    >>> SpendingRule(id="x", description="", percent="1,5")
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: SpendingRule.percent must be Decimal (or int or ...
    """

    id: str = attrs.field(validator=f.check_id)
    description: str = attrs.field(validator=f.text)
    comparator: Comparator = attrs.field(
        default=Comparator.GE, converter=_to_comparator, validator=f.member(Comparator)
    )
    percent: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=_optional_decimal
    )
    base: Money | None = attrs.field(default=None, validator=_optional_money)
    base_kind: str | None = attrs.field(default=None, validator=f.optional_id)
    amount: Money | None = attrs.field(default=None, validator=_optional_money)
    agencies: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of_ids
    )
    levels: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of_ids
    )
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of_ids
    )
    category: BudgetCategory | None = attrs.field(
        default=None, converter=_to_category, validator=_category
    )
    cadence: str | None = attrs.field(default=None, validator=f.optional_id)
    decided_by: str | None = attrs.field(default=None, validator=f.optional_id)

    @property
    def required(self) -> Money | None:
        """The amount the rule's share of its base comes to (``base * percent / 100``).

        ``None`` unless both the base and the percent are stated. Exact: no rounding.

        >>> SpendingRule(id="r", description="", percent=1, base=Money(5000, "VND")).required
        Money('50', 'VND')
        """
        if self.base is None or self.percent is None:
            return None
        return self.base * self.percent / 100


@attrs.frozen(kw_only=True)
class Funding:
    """A plan's funding: the declared total, its sources, budget lines and rules.

    Attributes:
        total: the total the document declares ("Tổng kinh phí: 901.000.000.000"), if any.
        total_in_words: the total in words exactly as written, if the document writes it.
        sources: the funding sources, in document order.
        lines: the budget lines (per year, agency, task…), if the plan phases its money.
        stated_shares: ``(source id, percent)`` pairs for shares the document quotes.
        rules: the spending rules the document states.
        exchange_rates: the rates the plan converts amounts in other currencies by
            (amounts may be in several currencies, each its own): sums, breakdowns,
            shares and validation bring every amount into :attr:`currency` through them,
            by the latest rate between the two currencies. A currency without a rate is
            reported (EGP208), never mixed in.
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
    exchange_rates: tuple[ExchangeRate, ...] = attrs.field(
        default=(), validator=f.tuple_of(ExchangeRate)
    )

    @property
    def currency(self) -> str | None:
        """The currency sums are stated in: the total's, else the first stated amount's.

        The first amount is that of a source, else a budget line, else a spending rule's
        base or amount; ``None`` when the funding states no amount.

        >>> Funding(lines=(BudgetLine(id="l", source="s", amount=Money(1, "USD")),)).currency
        'USD'
        """
        if self.total is not None:
            return self.total.currency
        for source in self.sources:
            if source.amount is not None:
                return source.amount.currency
        for line in self.lines:
            return line.amount.currency
        for rule in self.rules:
            for amount in (rule.base, rule.amount):
                if amount is not None:
                    return amount.currency
        return None

    @property
    def rates(self) -> ExchangeRates:
        """:attr:`exchange_rates` as :class:`~egovplan.exchange.ExchangeRates`, for lookups."""
        return ExchangeRates(rates=self.exchange_rates)

    def convert(self, amount: Money, currency: str | None = None) -> Money:
        """``amount`` in ``currency`` (default :attr:`currency`), by the recorded rates.

        Rounded to the currency's minor unit (half up) when converted; as it is when it
        already is in that currency.

        Raises:
            CurrencyMismatchError: no recorded rate between the two currencies.

        >>> import datetime as dt
        >>> funding = Funding(total=Money(0, "VND"), exchange_rates=(
        ...     ExchangeRate(base="USD", quote="VND", rate=25000, date=dt.date(2024, 1, 1)),))
        >>> funding.convert(Money("2.5", "USD"))
        Money('62500', 'VND')
        """
        target = self.currency if currency is None else currency
        if target is None or amount.currency == target:
            return amount
        return self.rates.convert(amount, target)[0]

    @property
    def sources_total(self) -> Money | None:
        """The sum of the sources' stated amounts, or ``None`` when no source states one.

        Sources without an amount (:attr:`unstated`) are left out: the sum is then a
        lower bound of the money the sources bring, not their total. Sources in another
        currency than :attr:`currency` are converted by the recorded exchange rates.

        Raises:
            CurrencyMismatchError: the sources are in different currencies and no rate
                is recorded between them.

        >>> funding = Funding(sources=(
        ...     FundingSource(id="a", names=Labels(en="Grant"), amount=Money(3, "VND")),
        ...     FundingSource(id="b", names=Labels(en="Bank loans")),
        ... ))
        >>> funding.sources_total, [s.id for s in funding.unstated]
        (Money('3', 'VND'), ['b'])
        """
        amounts = [s.amount for s in self.sources if s.amount is not None]
        if not amounts:
            return None
        currency = self.currency
        if self.exchange_rates and currency is not None:
            amounts = [self.convert(amount, currency) for amount in amounts]
        return sum(amounts[1:], amounts[0])

    @property
    def unstated(self) -> tuple[FundingSource, ...]:
        """The sources the plan names without an amount, in document order."""
        return tuple(s for s in self.sources if s.amount is None)

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
        found = {s.amount.currency for s in self.sources if s.amount is not None}
        found.update(line.amount.currency for line in self.lines)
        if self.total is not None:
            found.add(self.total.currency)
        return frozenset(found)
